import BraidAutograd
import BraidNN
import BraidTensor

/// A residual network with torchvision's layout and parameter names (`conv1`, `bn1`,
/// `layer1.0.conv1`, …, `layer2.0.downsample.0`, `fc`), so torchvision checkpoints saved as
/// safetensors load without renaming.
///
/// Images `[B, C, H, W]` → stem → four stages → the final feature map `[B, D, h, w]`. As an
/// encoder, the h·w positions are the sequence `[B, h·w, D]` and their mean the pooled `[B, D]`;
/// called directly, it returns `fc`'s logits (or the pooled features without `fc`).
public final class ResNet: Module, FeatureEncoder, Layer {
    /// The architecture.
    public let configuration: ResNetConfiguration
    /// The stem convolution (7×7 stride 2, or 3×3 stride 1 for small images) and its norm.
    public let conv1: Conv2d, bn1: BatchNorm
    private let folded1 = FoldedConvolutionCache()
    /// The residual stages `layer1` … `layer4`.
    public let stages: [Sequential]
    /// The classifier, when the configuration has classes.
    public let fc: Linear?

    /// torchvision's `layer1` … `layer4`.
    public override var stateDictKeys: [String: String] {
        Dictionary(uniqueKeysWithValues: stages.indices.map { ("stages.\($0)", "layer\($0 + 1)") })
    }

    /// A network with torchvision's initialisation drawn from `generator`.
    public init(_ configuration: ResNetConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        let stemWidth = configuration.stageWidths[0]
        conv1 = configuration.stem == .imageNet
            ? resNetConvolution(configuration.inputChannels, stemWidth, kernel: 7, stride: 2, generator: &generator)
            : resNetConvolution(configuration.inputChannels, stemWidth, kernel: 3, generator: &generator)
        bn1 = BatchNorm(channels: stemWidth)
        var channels = stemWidth
        var stages: [Sequential] = []
        for (index, (depth, width)) in zip(configuration.stageDepths, configuration.stageWidths).enumerated() {
            var blocks: [any Layer] = []
            for b in 0..<depth {
                let stride = b == 0 && index > 0 ? 2 : 1
                switch configuration.block {
                case .basic: blocks.append(BasicBlock(inputs: channels, width: width, stride: stride, generator: &generator))
                case .bottleneck: blocks.append(Bottleneck(inputs: channels, width: width, stride: stride, generator: &generator))
                }
                channels = width * configuration.block.expansion
            }
            stages.append(Sequential(blocks))
        }
        self.stages = stages
        fc = configuration.classCount.map {
            Linear(inputFeatures: configuration.featureDimension, outputFeatures: $0, generator: &generator)
        }
    }

    /// D, the channels of the final feature map.
    public var outputDimension: Int { configuration.featureDimension }

    /// The final feature map `[B, D, h, w]`.
    public func featureMap(_ images: Variable) -> Variable {
        check(
            images.rank == 4 && images.shape[1] == configuration.inputChannels,
            "ResNet: images \(images.shape) must be [B, \(configuration.inputChannels), H, W]")
        var x = convolutionBatchNorm(conv1, bn1, images, cache: folded1, relu: true)
        if configuration.stem == .imageNet { x = x.maxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)) }
        return stages.reduce(x) { $1($0) }
    }

    /// Positions of the final feature map as a sequence `[B, h·w, D]`, and their mean `[B, D]`.
    public func encode(_ images: Variable) -> EncodedFeatures {
        let map = featureMap(images)
        let (batch, channels) = (map.shape[0], map.shape[1])
        // [B, D, h, w] -> [B, D, h·w] -> [B, h·w, D]
        let sequence = map.reshaped(to: [batch, channels, -1]).permuted([0, 2, 1])
        return EncodedFeatures(
            sequence: sequence, paddingMask: nil,
            pooled: map.adaptiveAveragePool2d(outputSize: (1, 1)).reshaped(to: [batch, channels]))
    }

    /// Logits `[B, classes]`, or the pooled features `[B, D]` without a classifier.
    public func callAsFunction(_ images: Variable) -> Variable {
        let pooled = encode(images).pooled
        return fc.map { $0(pooled) } ?? pooled
    }
}
