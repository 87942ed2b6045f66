import BraidAutograd
import BraidNN
import BraidTensor

/// bn(conv(x)), optionally followed by ReLU, with the batch norm folded into the convolution for
/// inference.
///
/// In evaluation mode without gradients, BN(conv_W(x)) = conv_{W·s}(x) + (β − μ·s) per output
/// channel, with s = γ/√(σ² + ε): one convolution with scaled weights and a bias replaces the
/// convolution and a full pass over its output. Otherwise the two layers run as they are, so
/// training and gradients are unchanged. With `relu`, the inference path applies it in place.
func convolutionBatchNorm(_ conv: Conv2d, _ bn: BatchNorm, _ x: Variable, relu: Bool = false) -> Variable {
    guard !bn.isTraining && !GradientMode.isEnabled else {
        let y = bn(conv(x))
        return relu ? y.relu() : y
    }
    let mean = bn.runningMean.value.scalars, variance = bn.runningVariance.value.scalars
    let gamma = bn.weight.value.scalars, beta = bn.bias.value.scalars
    let outputs = conv.weight.shape[0], perOutput = conv.weight.value.count / outputs
    let scale = (0..<outputs).map { gamma[$0] / (variance[$0] + bn.epsilon).squareRoot() }
    let convBias = conv.bias?.value.scalars ?? [Float](repeating: 0, count: outputs)
    let bias = (0..<outputs).map { beta[$0] + (convBias[$0] - mean[$0]) * scale[$0] }
    let weight = conv.weight.value.withUnsafeBufferPointer { w in
        Tensor(shape: conv.weight.shape) { out in
            for o in 0..<outputs {
                let s = scale[o]
                for i in (o * perOutput)..<((o + 1) * perOutput) { out[i] = w[i] * s }
            }
        }
    }
    var y = Tensor.conv2d(x.value, weight: weight, bias: Tensor(bias), geometry: conv.geometry)
    if relu { y.withUnsafeMutableBufferPointer { for i in 0..<$0.count { $0[i] = Swift.max($0[i], 0) } } }
    return Variable(y)
}

/// relu(y + shortcut): one fused pass without gradients, the two recorded operations otherwise.
func residualReLU(_ y: Variable, _ shortcut: Variable) -> Variable {
    guard !GradientMode.isEnabled else { return (y + shortcut).relu() }
    return Variable(Tensor.zip(y.value, shortcut.value, op: "residualReLU") { Swift.max($0 + $1, 0) })
}
