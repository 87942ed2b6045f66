import BraidAutograd
import BraidTensor

/// y = x·Wᵀ + b over the last axis (`nn.Linear`): `[..., inputFeatures] → [..., outputFeatures]`.
///
/// PyTorch's default initialisation: W ~ U(−1/√in, 1/√in) (Kaiming uniform with a = √5) and
/// b ~ U(−1/√in, 1/√in).
public final class Linear: Module, Layer {
    /// The weight, `[outputFeatures, inputFeatures]`.
    public let weight: Variable
    /// The bias, `[outputFeatures]`, or `nil` when built without one.
    public let bias: Variable?

    /// A layer with PyTorch's default initialisation drawn from `generator`.
    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, generator: inout RandomGenerator) {
        let shape = [outputFeatures, inputFeatures]
        weight = Variable(Initialization.kaimingUniform(shape, a: Float(5).squareRoot(), generator: &generator), requiresGrad: true)
        let bound = 1 / Float(Swift.max(inputFeatures, 1)).squareRoot()
        self.bias = bias
            ? Variable(Tensor.randomUniform([outputFeatures], lowerBound: -bound, upperBound: bound, generator: &generator), requiresGrad: true)
            : nil
    }

    /// A layer over existing variables: `weight` `[out, in]` and an optional `bias` `[out]`. A
    /// variable shared with another module is a tied weight (a language model's output
    /// projection and its token embeddings), registered once, under its first name.
    public init(weight: Variable, bias: Variable? = nil) {
        check(weight.rank == 2, "Linear: weight \(weight.shape) must be [out, in]")
        if let bias { check(bias.shape == [weight.shape[0]], "Linear: bias \(bias.shape) for weight \(weight.shape)") }
        self.weight = weight
        self.bias = bias
    }

    /// The number of input features.
    public var inputFeatures: Int { weight.shape[1] }
    /// The number of output features.
    public var outputFeatures: Int { weight.shape[0] }

    /// x·Wᵀ + b.
    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.linear(input, weight: weight, bias: bias)
    }
}
