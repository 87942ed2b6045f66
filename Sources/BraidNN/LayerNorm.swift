import BraidAutograd
import BraidTensor

/// Normalises the trailing `normalizedShape` axes to zero mean and unit variance, then applies a
/// learned scale and shift (`nn.LayerNorm`). Weight starts at 1, bias at 0.
public final class LayerNorm: Module, Layer {
    /// The shape of the trailing axes normalised together.
    public let normalizedShape: [Int]
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// The scale, of `normalizedShape`; `nil` without an affine transform.
    public let weight: Variable?
    /// The shift, of `normalizedShape`; `nil` without an affine transform.
    public let bias: Variable?

    /// A layer over trailing axes of `normalizedShape` (`eps=1e-5`, `elementwise_affine=True` by default).
    public init(normalizedShape: [Int], epsilon: Float = 1e-5, elementwiseAffine: Bool = true) {
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? Variable(Tensor.ones(normalizedShape), requiresGrad: true) : nil
        bias = elementwiseAffine ? Variable(Tensor.zeros(normalizedShape), requiresGrad: true) : nil
    }

    /// A layer over the last axis of width `features`.
    public convenience init(_ features: Int, epsilon: Float = 1e-5) {
        self.init(normalizedShape: [features], epsilon: epsilon)
    }

    /// The normalised input.
    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, epsilon: epsilon)
    }
}
