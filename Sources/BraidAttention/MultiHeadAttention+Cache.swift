import BraidAutograd
import BraidTensor

/// Incremental decoding: attention over a `KeyValueCache` instead of whole sequences. Every
/// cached call is inference only and must run inside `withoutGradients`: the cache holds plain
/// tensors, so no gradient could reach the projections through it.
extension MultiHeadAttention {
    /// An empty self-attention cache for `batchSize` sequences, with room for `capacity`
    /// positions before it first grows.
    public func makeCache(batchSize: Int, capacity: Int = 32) -> KeyValueCache {
        let depth = embedDimension / headCount
        return KeyValueCache(
            batchSize: batchSize, headCount: headCount, keyDepth: depth, valueDepth: depth, capacity: capacity)
    }

    /// The keys and values of `memory` `[B, M, kdim]` (an encoder's output), projected once for
    /// every decoding step's cross-attention; `paddingMask` `[B, M]` is non-zero at padding.
    public func projectMemory(_ memory: Variable, paddingMask: Tensor? = nil) -> KeyValueCache {
        checkInference("projectMemory")
        check(
            memory.rank == 3 && memory.shape[2] == key.inputFeatures,
            "MultiHeadAttention.projectMemory: memory \(memory.shape) must be [B, M, \(key.inputFeatures)]")
        var cache = makeCache(batchSize: memory.shape[0], capacity: max(1, memory.shape[1]))
        cache.append(
            keys: splitHeads(key(memory)).value, values: splitHeads(value(memory)).value, paddingMask: paddingMask)
        return cache
    }

    /// Causal self-attention of `n` new positions `x` `[B, n, E]`: their keys and values are
    /// appended to `cache` (with `paddingMask` `[B, n]`, non-zero at padding), and each new
    /// position attends to every cached position up to itself. Equals the corresponding rows of
    /// the full-sequence causal forward. Gives `[B, n, E]`.
    public func callAsFunction(_ x: Variable, paddingMask: Tensor? = nil, cache: inout KeyValueCache) -> Variable {
        checkInference("cached self-attention")
        check(
            x.rank == 3 && x.shape[0] == cache.batchSize && x.shape[2] == embedDimension,
            "MultiHeadAttention: input \(x.shape) must be [B, n, E] = [\(cache.batchSize), n, \(embedDimension)] for a cache of \(cache.batchSize) sequences")
        cache.append(keys: splitHeads(key(x)).value, values: splitHeads(value(x)).value, paddingMask: paddingMask)
        return mergeHeads(cachedAttention(query: splitHeads(query(x)).value, cache: cache, isCausal: true))
    }

    /// Cross-attention of `query` `[B, n, E]` over memory projected by `projectMemory`.
    public func callAsFunction(query x: Variable, memory: KeyValueCache) -> Variable {
        checkInference("cached cross-attention")
        check(
            x.rank == 3 && x.shape[0] == memory.batchSize && x.shape[2] == embedDimension,
            "MultiHeadAttention: query \(x.shape) must be [B, n, E] = [\(memory.batchSize), n, \(embedDimension)] for a memory of \(memory.batchSize) sequences")
        return mergeHeads(cachedAttention(query: splitHeads(query(x)).value, cache: memory, isCausal: false))
    }

    /// [B, H, n, E/H] -> [B, n, H, E/H] -> [B, n, E], then the output projection.
    private func mergeHeads(_ attended: Tensor) -> Variable {
        let (batch, queries) = (attended.shape[0], attended.shape[2])
        return output(Variable(attended.permuted([0, 2, 1, 3]).reshaped(to: [batch, queries, embedDimension])))
    }

    private func checkInference(_ what: String) {
        check(!GradientMode.isEnabled, "MultiHeadAttention: \(what) is inference only; call it inside withoutGradients { }")
    }
}
