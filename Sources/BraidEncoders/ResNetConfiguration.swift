import BraidTensor
/// The shape of a ResNet (He et al. 2016, torchvision's layout).
public struct ResNetConfiguration: Sendable, Equatable {
    /// The residual block type.
    public enum Block: Sendable, Equatable {
        /// Two 3×3 convolutions (ResNet-18/34); expansion 1.
        case basic
        /// 1×1, 3×3 (strided), 1×1 convolutions (ResNet-50 and up, torchvision's v1.5); expansion 4.
        case bottleneck

        /// Output channels per unit of stage width.
        public var expansion: Int { self == .basic ? 1 : 4 }
    }

    /// The first layers before the residual stages.
    public enum Stem: Sendable, Equatable {
        /// 7×7 stride-2 convolution and 3×3 stride-2 max pooling, for 224×224 images (ImageNet).
        case imageNet
        /// One 3×3 stride-1 convolution and no pooling, for 28×28 and 32×32 images (CIFAR, MNIST).
        case smallImages
    }

    /// The residual block type.
    public var block: Block
    /// Blocks per stage.
    public var stageDepths: [Int]
    /// Channels of each stage (before expansion).
    public var stageWidths: [Int]
    /// The stem.
    public var stem: Stem
    /// Input image channels.
    public var inputChannels: Int
    /// Classes of the final `fc` layer; `nil` builds a feature extractor without it.
    public var classCount: Int?

    /// Creates a configuration.
    public init(
        block: Block, stageDepths: [Int], stageWidths: [Int] = [64, 128, 256, 512], stem: Stem = .imageNet,
        inputChannels: Int = 3, classCount: Int? = 1000
    ) {
        check(!stageDepths.isEmpty && stageDepths.count == stageWidths.count,
                     "ResNetConfiguration: \(stageDepths.count) stage depths for \(stageWidths.count) widths")
        (self.block, self.stageDepths, self.stageWidths) = (block, stageDepths, stageWidths)
        (self.stem, self.inputChannels, self.classCount) = (stem, inputChannels, classCount)
    }

    /// ResNet-18 as in torchvision.
    public static let resnet18 = ResNetConfiguration(block: .basic, stageDepths: [2, 2, 2, 2])
    /// ResNet-34 as in torchvision.
    public static let resnet34 = ResNetConfiguration(block: .basic, stageDepths: [3, 4, 6, 3])
    /// ResNet-50 as in torchvision.
    public static let resnet50 = ResNetConfiguration(block: .bottleneck, stageDepths: [3, 4, 6, 3])

    /// A small-image ResNet-18 variant (3×3 stem, no pooling) for 28×28 or 32×32 inputs with
    /// `inputChannels` channels, as a feature extractor or with `classCount` classes.
    public static func smallResNet18(inputChannels: Int = 3, classCount: Int? = nil) -> ResNetConfiguration {
        ResNetConfiguration(block: .basic, stageDepths: [2, 2, 2, 2], stem: .smallImages,
                            inputChannels: inputChannels, classCount: classCount)
    }

    /// The width of the pooled features: the last stage's width times the block expansion.
    public var featureDimension: Int { stageWidths.last! * block.expansion }
}
