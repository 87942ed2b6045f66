import BraidAutograd
import BraidNN
@_spi(RawKernels) import BraidTensor
import Synchronization

/// The query, key and value projections of a self-attention layer as one packed weight `[3E, E]`
/// and one bias `[3E]`, so that a short sequence's three projections are one product, large
/// enough to spread over the cores (three of 12 × 384 × 384 each run on one). Kept while the six
/// variables keep their versions, behind a lock so that concurrent inference packs once; a class,
/// so that module reflection passes over it.
final class PackedProjectionCache: Sendable {
    private struct Entry: Sendable {
        let versions: [UInt64]
        let weight: PackedWeight
        let bias: Tensor
    }

    private let entry = Mutex<Entry?>(nil)

    init() {}

    /// The packed `[query; key; value]` weight and bias of `attention`, whose key and value
    /// projections must take E inputs; biases that are absent are zeros.
    func packed(_ attention: MultiHeadAttention) -> (weight: PackedWeight, bias: Tensor) {
        let projections = [attention.query, attention.key, attention.value]
        let versions = projections.flatMap { (layer: Linear) -> [UInt64] in [layer.weight.version, layer.bias?.version ?? 0] }
        return entry.withLock { entry in
            if let entry, entry.versions == versions { return (entry.weight, entry.bias) }
            let weight = PackedWeight(Tensor.concat(projections.map { $0.weight.value }, axis: 0))
            let bias = Tensor.concat(projections.map { $0.bias?.value ?? Tensor.zeros([$0.outputFeatures]) }, axis: 0)
            entry = Entry(versions: versions, weight: weight, bias: bias)
            return (weight, bias)
        }
    }
}
