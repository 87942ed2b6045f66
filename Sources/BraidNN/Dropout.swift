import BraidAutograd
import BraidTensor

/// Zeroes each element with probability `probability` in training mode and scales the rest by
/// 1/(1 − p); the identity in evaluation mode (`nn.Dropout`). Masks come from the layer's own
/// seeded generator, so runs are reproducible.
public final class Dropout: Module, Layer {
    /// The probability of zeroing an element.
    public let probability: Float
    /// The generator the masks are drawn from; saved and restored with checkpoints.
    public var generator: RandomGenerator

    /// A dropout layer drawing masks from a generator seeded with `seed`.
    public init(probability: Float = 0.5, seed: UInt64 = 0) {
        check(probability >= 0 && probability < 1, "Dropout: probability \(probability) outside [0, 1)")
        self.probability = probability
        generator = RandomGenerator(seed: seed)
    }

    /// The input with dropout applied in training mode.
    public func callAsFunction(_ input: Variable) -> Variable {
        guard isTraining && probability > 0 else { return input }
        let keep = 1 - probability, scale = 1 / keep
        // A local copy of the generator: drawing through the class property costs an exclusivity
        // check per element.
        var local = generator
        let mask = Tensor(shape: input.shape) { values in
            for i in 0..<values.count { values[i] = local.nextUniform() < keep ? scale : 0 }
        }
        generator = local
        return input * Variable(mask)
    }
}
