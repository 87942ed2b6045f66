import BraidAutograd
import BraidNN
import BraidTensor

/// The fewest 4×4 output blocks (over the whole batch) for which a 3×3 stride-1 convolution runs
/// by Winograd F(4×4, 3×3) in inference; below it the products are too thin and the transformed
/// weight (four times the weight) costs more to read than the direct convolution saves.
private let winogradMinimumTiles = 16

/// relu?(bn(conv(x)) + residual), the convolution–batch-norm pair of a ResNet.
///
/// In evaluation mode without gradients the batch norm is folded into the convolution (prepared
/// once in `cache` while the weights and statistics do not change), so one convolution with scaled
/// weights and a bias replaces the pair and a full pass over its output; a 3×3 stride-1
/// convolution over enough positions runs by Winograd F(4×4, 3×3), with the bias, the residual and
/// the ReLU applied as its output transform writes. Otherwise the layers run as they are, so
/// training and gradients are unchanged.
func convolutionBatchNorm(
    _ conv: Conv2d, _ bn: BatchNorm, _ x: Variable, cache: FoldedConvolutionCache, residual: Variable? = nil,
    relu: Bool = false
) -> Variable {
    guard !bn.isTraining && !GradientMode.isEnabled else {
        var y = bn(conv(x))
        if let residual { y = y + residual }
        return relu ? y.relu() : y
    }
    let winograd = WinogradWeight.applies(kernel: conv.weight.shape, geometry: conv.geometry)
        && WinogradWeight.tiles(of: x.shape) >= winogradMinimumTiles
    let (folded, transformed) = cache.prepared(conv, bn, winograd: winograd)
    if let transformed {
        return Variable(Tensor.winogradConv2d(x.value, weight: transformed, bias: folded.bias, residual: residual?.value,
                                              relu: relu))
    }
    return Variable(Tensor.conv2d(x.value, weight: folded.weight, bias: Tensor(folded.bias), geometry: folded.geometry,
                                  residual: residual?.value, relu: relu))
}
