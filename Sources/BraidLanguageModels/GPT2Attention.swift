import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// GPT-2's attention (Hugging Face's `GPT2Attention`): causal self-attention whose queries, keys
/// and values come from one packed projection `c_attn` `[E, 3E]`, or, in the cross-attention
/// blocks of an encoder–decoder GPT-2, queries from `q_attn` `[E, E]` and keys and values of the
/// encoder's states from `c_attn` `[E, 2E]`; then the output projection `c_proj`.
///
/// Scores are scaled by 1/√(E/H) when `scale_attn_weights` is set, and by 1/(i + 1) in block i
/// with `scale_attn_by_inverse_layer_idx`. Dropout acts on the attention weights (`attn_pdrop`)
/// and on the output (`resid_pdrop`) in training mode.
public final class GPT2Attention: Module {
    /// `c_attn`: the packed query, key and value projection (keys and values only in cross-attention).
    public let inputProjection: Conv1D
    /// `q_attn`: the query projection of cross-attention; `nil` in self-attention.
    public let queryProjection: Conv1D?
    /// `c_proj`: the output projection.
    public let outputProjection: Conv1D
    /// H.
    public let headCount: Int
    /// The score scale.
    public let scale: Float
    /// Dropout on the attention weights in training mode.
    public let attentionDropout: Float
    /// Draws a fresh attention-dropout seed for each training-mode call.
    public var generator: RandomGenerator
    let residualDropout: Dropout

    /// The attention of block `layerIndex` of a model shaped by `configuration`, initialised as
    /// `GPT2PreTrainedModel` does (projections N(0, 0.02²), the output projection N(0, 0.02²/(2L))).
    public init(
        _ configuration: GPT2Configuration, layerIndex: Int, isCrossAttention: Bool = false,
        generator: inout RandomGenerator
    ) {
        let e = configuration.embeddingSize
        inputProjection = Conv1D(inputFeatures: e, outputFeatures: (isCrossAttention ? 2 : 3) * e, generator: &generator)
        queryProjection = isCrossAttention ? Conv1D(inputFeatures: e, outputFeatures: e, generator: &generator) : nil
        outputProjection = Conv1D(
            inputFeatures: e, outputFeatures: e,
            standardDeviation: 0.02 / Float(2 * configuration.layerCount).squareRoot(), generator: &generator)
        headCount = configuration.headCount
        var scale: Float = configuration.scalesAttentionWeights ? 1 / Float(e / headCount).squareRoot() : 1
        if configuration.scalesAttentionByInverseLayerIndex { scale /= Float(layerIndex + 1) }
        self.scale = scale
        attentionDropout = configuration.attentionDropout
        self.generator = RandomGenerator(seed: generator.next())
        residualDropout = Dropout(probability: configuration.residualDropout, seed: generator.next())
    }

    /// E.
    public var embeddingSize: Int { outputProjection.outputFeatures }

    /// Hugging Face's names.
    public override var stateDictKeys: [String: String] {
        ["input_projection": "c_attn", "query_projection": "q_attn", "output_projection": "c_proj",
         "residual_dropout": "resid_dropout"]
    }

    /// Causal self-attention of `x` `[B, N, E]`; `paddingMask` `[B, N]` is non-zero at padding.
    public func callAsFunction(_ x: Variable, paddingMask: Tensor? = nil) -> Variable {
        check(queryProjection == nil, "GPT2Attention: a cross-attention block needs encoder states")
        let (q, k, v) = splitPacked(inputProjection(x), parts: 3)
        return attend(q, k, v, keyPaddingMask: paddingMask, isCausal: true)
    }

    /// Cross-attention of `x` `[B, N, E]` to `encoderStates` `[B, M, E]`; `encoderPaddingMask`
    /// `[B, M]` is non-zero at padding.
    public func callAsFunction(_ x: Variable, encoderStates: Variable, encoderPaddingMask: Tensor? = nil) -> Variable {
        guard let queryProjection else { checkFailed("GPT2Attention: a self-attention block takes no encoder states") }
        let (k, v, _) = splitPacked(inputProjection(encoderStates), parts: 2)
        return attend(heads(queryProjection(x)), k, v, keyPaddingMask: encoderPaddingMask, isCausal: false)
    }

    /// Causal self-attention of `n` new positions `x` `[B, n, E]` during incremental decoding
    /// (inference only): their keys and values are appended to `cache` with `paddingMask` `[B, n]`.
    public func callAsFunction(_ x: Variable, paddingMask: Tensor? = nil, cache: inout KeyValueCache) -> Variable {
        check(queryProjection == nil, "GPT2Attention: a cross-attention block attends to projected memory, not a cache")
        let (q, k, v) = splitPacked(inputProjection(x), parts: 3)
        cache.append(keys: k.value, values: v.value, paddingMask: paddingMask)
        return merge(cachedAttention(query: q.value, cache: cache, isCausal: true, scale: scale))
    }

    /// An empty self-attention cache for `batchSize` sequences.
    public func makeCache(batchSize: Int, capacity: Int = 32) -> KeyValueCache {
        let depth = embeddingSize / headCount
        return KeyValueCache(batchSize: batchSize, headCount: headCount, keyDepth: depth, valueDepth: depth, capacity: capacity)
    }

    /// The keys and values of `encoderStates` `[B, M, E]`, projected once for a whole decoding.
    public func projectMemory(_ encoderStates: Variable, paddingMask: Tensor? = nil) -> KeyValueCache {
        check(queryProjection != nil, "GPT2Attention: only a cross-attention block projects encoder states")
        let (k, v, _) = splitPacked(inputProjection(encoderStates), parts: 2)
        var memory = makeCache(batchSize: encoderStates.shape[0], capacity: max(1, encoderStates.shape[1]))
        memory.append(keys: k.value, values: v.value, paddingMask: paddingMask)
        return memory
    }

    /// Cross-attention of `x` `[B, n, E]` to memory from `projectMemory` (inference only).
    public func callAsFunction(_ x: Variable, memory: KeyValueCache) -> Variable {
        guard let queryProjection else { checkFailed("GPT2Attention: a self-attention block takes no memory") }
        return merge(cachedAttention(query: heads(queryProjection(x)).value, cache: memory, isCausal: false, scale: scale))
    }

    /// [B, N, P·E] -> [B, N, P, H, E/H] -> [P, B, H, N, E/H], split into P = 2 or 3 heads tensors
    /// (the third is the second again when P = 2).
    private func splitPacked(_ packed: Variable, parts: Int) -> (Variable, Variable, Variable) {
        let (batch, length) = (packed.shape[0], packed.shape[1])
        let split = packed.reshaped(to: [batch, length, parts, headCount, embeddingSize / headCount])
            .permuted([2, 0, 3, 1, 4])
            .split(sizes: [Int](repeating: 1, count: parts))
            .map { $0.squeezed(0) }
        return (split[0], split[1], split[parts - 1])
    }

    /// [B, N, E] -> [B, N, H, E/H] -> [B, H, N, E/H]
    private func heads(_ x: Variable) -> Variable {
        x.reshaped(to: [x.shape[0], x.shape[1], headCount, embeddingSize / headCount]).permuted([0, 2, 1, 3])
    }

    private func attend(_ q: Variable, _ k: Variable, _ v: Variable, keyPaddingMask: Tensor?, isCausal: Bool) -> Variable {
        let dropout = isTraining && attentionDropout > 0
            ? AttentionDropout(probability: attentionDropout, seed: generator.next()) : nil
        let attended = scaledDotProductAttention(
            query: q, key: k, value: v, keyPaddingMask: keyPaddingMask, isCausal: isCausal, scale: scale, dropout: dropout)
        // [B, H, N, E/H] -> [B, N, H, E/H] -> [B, N, E]
        let merged = attended.permuted([0, 2, 1, 3]).reshaped(to: [q.shape[0], q.shape[2], embeddingSize])
        return residualDropout(outputProjection(merged))
    }

    /// [B, H, n, E/H] -> [B, n, E], then the output projection.
    private func merge(_ attended: Tensor) -> Variable {
        let merged = attended.permuted([0, 2, 1, 3]).reshaped(to: [attended.shape[0], attended.shape[2], embeddingSize])
        return outputProjection(Variable(merged))
    }
}

extension GPT2Attention: Stochastic {}
