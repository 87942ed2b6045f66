import BraidAutograd
import BraidNN
import BraidTensor

/// y = x·W + b over the last axis with W stored `[in, out]`: Hugging Face's `Conv1D`, the linear
/// layer of GPT-2 (named after its origin in the original code; it is not a convolution).
/// `[..., inputFeatures] → [..., outputFeatures]`, one sgemm.
///
/// Initialised as `GPT2PreTrainedModel` does: W ~ N(0, σ²), b = 0.
public final class Conv1D: Module, Layer {
    /// The weight, `[inputFeatures, outputFeatures]`.
    public let weight: Variable
    /// The bias, `[outputFeatures]`.
    public let bias: Variable

    /// A layer with W ~ N(0, `standardDeviation`²) and a zero bias.
    public init(inputFeatures: Int, outputFeatures: Int, standardDeviation: Float = 0.02, generator: inout RandomGenerator) {
        weight = Variable(
            Tensor.randomNormal([inputFeatures, outputFeatures], standardDeviation: standardDeviation, generator: &generator),
            requiresGrad: true)
        bias = Variable(Tensor.zeros([outputFeatures]), requiresGrad: true)
    }

    /// The number of input features.
    public var inputFeatures: Int { weight.shape[0] }
    /// The number of output features.
    public var outputFeatures: Int { weight.shape[1] }

    /// x·W + b.
    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.linear(input, weight: weight, bias: bias, inputMajor: true)
    }
}
