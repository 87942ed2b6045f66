import BraidAutograd
@_spi(RawKernels) import BraidTensor
import Synchronization

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

    private let packedCache = PackedWeightCache()

    /// The weight packed for `WeightProduct` (inference without gradients), made on first use and
    /// again after any change to the weight; it holds a second copy of the weight.
    package var packedWeight: PackedWeight { packedCache.packed(weight) }

    /// The number of input features.
    public var inputFeatures: Int { weight.shape[1] }
    /// The number of output features.
    public var outputFeatures: Int { weight.shape[0] }

    /// x·Wᵀ + b.
    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.linear(input, weight: weight, bias: bias)
    }
}

/// A `Linear`'s packed weight and the weight version it was made from, behind a lock so that
/// concurrent inference packs once. A class, so that module reflection passes over it.
private final class PackedWeightCache: Sendable {
    private let entry = Mutex<(version: UInt64, weight: PackedWeight)?>(nil)

    /// The packed form of `weight`'s current value.
    func packed(_ weight: Variable) -> PackedWeight {
        entry.withLock { entry in
            if let entry, entry.version == weight.version { return entry.weight }
            let packed = PackedWeight(weight.value)
            entry = (weight.version, packed)
            return packed
        }
    }
}
