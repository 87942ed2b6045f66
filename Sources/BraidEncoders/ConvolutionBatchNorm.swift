import BraidAutograd
import BraidNN
import BraidTensor

/// bn(conv(x)), with the batch norm folded into the convolution for inference.
///
/// In evaluation mode without gradients, BN(conv_W(x)) = conv_{W·s}(x) + (β − μ·s) per output
/// channel, with s = γ/√(σ² + ε): one convolution with scaled weights and a bias replaces the
/// convolution and a full pass over its output. Otherwise the two layers run as they are, so
/// training and gradients are unchanged.
func convolutionBatchNorm(_ conv: Conv2d, _ bn: BatchNorm, _ x: Variable) -> Variable {
    guard !bn.isTraining && !GradientMode.isEnabled else { return bn(conv(x)) }
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
    return Variable(Tensor.conv2d(x.value, weight: weight, bias: Tensor(bias), geometry: conv.geometry))
}
