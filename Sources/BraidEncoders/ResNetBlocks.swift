import BraidAutograd
import BraidNN
import BraidTensor

/// A convolution as torchvision's ResNet builds it: no bias, Kaiming-normal weights (fan-out, ReLU gain).
func resNetConvolution(
    _ inputs: Int, _ outputs: Int, kernel: Int, stride: Int = 1, generator: inout RandomGenerator
) -> Conv2d {
    let layer = Conv2d(
        inputChannels: inputs, outputChannels: outputs, kernelSize: (kernel, kernel), stride: (stride, stride),
        padding: (kernel / 2, kernel / 2), bias: false, generator: &generator)
    layer.weight.value = Initialization.kaimingNormal(layer.weight.shape, mode: .fanOut, generator: &generator)
    return layer
}

/// The projection shortcut of a block whose shape changes: a strided 1×1 convolution and a batch
/// norm, named `0` and `1` as torchvision's `downsample` Sequential.
public final class Downsample: Module, Layer {
    /// The 1×1 convolution.
    public let convolution: Conv2d
    /// Its batch norm.
    public let norm: BatchNorm
    private let folded = FoldedConvolutionCache()

    init(_ inputs: Int, _ outputs: Int, stride: Int, generator: inout RandomGenerator) {
        convolution = resNetConvolution(inputs, outputs, kernel: 1, stride: stride, generator: &generator)
        norm = BatchNorm(channels: outputs)
    }

    /// `0` and `1`.
    public override var stateDictKeys: [String: String] { ["convolution": "0", "norm": "1"] }

    /// The shortcut applied to `[N, C, H, W]`.
    public func callAsFunction(_ x: Variable) -> Variable { convolutionBatchNorm(convolution, norm, x, cache: folded) }
}

/// ResNet's basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), 3×3 convolutions
/// (torchvision's `BasicBlock`).
public final class BasicBlock: Module, Layer {
    /// The first 3×3 convolution (strided when the block downsamples) and its norm.
    public let conv1: Conv2d, bn1: BatchNorm
    /// The second 3×3 convolution and its norm.
    public let conv2: Conv2d, bn2: BatchNorm
    /// The shortcut projection when the shape changes.
    public let downsample: Downsample?
    private let folded1 = FoldedConvolutionCache(), folded2 = FoldedConvolutionCache()

    /// A block from `inputs` to `width` channels.
    public init(inputs: Int, width: Int, stride: Int, generator: inout RandomGenerator) {
        conv1 = resNetConvolution(inputs, width, kernel: 3, stride: stride, generator: &generator)
        bn1 = BatchNorm(channels: width)
        conv2 = resNetConvolution(width, width, kernel: 3, generator: &generator)
        bn2 = BatchNorm(channels: width)
        downsample = stride != 1 || inputs != width
            ? Downsample(inputs, width, stride: stride, generator: &generator) : nil
    }

    /// The block applied to `[N, C, H, W]`.
    public func callAsFunction(_ x: Variable) -> Variable {
        let shortcut = downsample?(x) ?? x
        let y = convolutionBatchNorm(conv1, bn1, x, cache: folded1, relu: true)
        return convolutionBatchNorm(conv2, bn2, y, cache: folded2, residual: shortcut, relu: true)
    }
}

/// ResNet's bottleneck block: 1×1 reduce, 3×3 (strided), 1×1 expand ×4, plus the shortcut
/// (torchvision's `Bottleneck`, stride on the 3×3 as in v1.5).
public final class Bottleneck: Module, Layer {
    /// The 1×1 reduction and its norm.
    public let conv1: Conv2d, bn1: BatchNorm
    /// The 3×3 convolution and its norm.
    public let conv2: Conv2d, bn2: BatchNorm
    /// The 1×1 expansion and its norm.
    public let conv3: Conv2d, bn3: BatchNorm
    /// The shortcut projection when the shape changes.
    public let downsample: Downsample?
    private let folded1 = FoldedConvolutionCache(), folded2 = FoldedConvolutionCache()
    private let folded3 = FoldedConvolutionCache()

    /// A block from `inputs` channels through `width` to `4·width` channels.
    public init(inputs: Int, width: Int, stride: Int, generator: inout RandomGenerator) {
        let outputs = width * 4
        conv1 = resNetConvolution(inputs, width, kernel: 1, generator: &generator)
        bn1 = BatchNorm(channels: width)
        conv2 = resNetConvolution(width, width, kernel: 3, stride: stride, generator: &generator)
        bn2 = BatchNorm(channels: width)
        conv3 = resNetConvolution(width, outputs, kernel: 1, generator: &generator)
        bn3 = BatchNorm(channels: outputs)
        downsample = stride != 1 || inputs != outputs
            ? Downsample(inputs, outputs, stride: stride, generator: &generator) : nil
    }

    /// The block applied to `[N, C, H, W]`.
    public func callAsFunction(_ x: Variable) -> Variable {
        let shortcut = downsample?(x) ?? x
        let reduced = convolutionBatchNorm(conv1, bn1, x, cache: folded1, relu: true)
        let y = convolutionBatchNorm(conv2, bn2, reduced, cache: folded2, relu: true)
        return convolutionBatchNorm(conv3, bn3, y, cache: folded3, residual: shortcut, relu: true)
    }
}
