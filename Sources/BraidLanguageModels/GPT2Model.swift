import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// The GPT-2 transformer without its output projection (Hugging Face's `GPT2Model`): token
/// embeddings `wte` plus learned position embeddings `wpe`, dropout, the blocks `h.0`, `h.1`, …,
/// and the final LayerNorm `ln_f`. Token ids `[B, N]` give hidden states `[B, N, E]`.
public final class GPT2Model: Module {
    /// `wte`: the token embeddings `[V, E]`.
    public let tokenEmbedding: Embedding
    /// `wpe`: the position embeddings `[n_positions, E]`.
    public let positionEmbedding: Embedding
    /// `h`: the blocks, in order.
    public let blocks: [GPT2Block]
    /// `ln_f`.
    public let finalNorm: LayerNorm
    /// The shape the model was built with.
    public let configuration: GPT2Configuration
    let embeddingDropout: Dropout

    /// A randomly initialised model, as `GPT2PreTrainedModel` initialises one: embeddings
    /// N(0, 0.02²), LayerNorms 1 and 0.
    public init(_ configuration: GPT2Configuration, generator: inout RandomGenerator) {
        let e = configuration.embeddingSize
        tokenEmbedding = Embedding(count: configuration.vocabularySize, dimension: e, generator: &generator)
        tokenEmbedding.weight.value = Tensor.randomNormal(
            [configuration.vocabularySize, e], standardDeviation: 0.02, generator: &generator)
        positionEmbedding = Embedding(count: configuration.contextLength, dimension: e, generator: &generator)
        positionEmbedding.weight.value = Tensor.randomNormal(
            [configuration.contextLength, e], standardDeviation: 0.02, generator: &generator)
        blocks = (0..<configuration.layerCount).map { GPT2Block(configuration, layerIndex: $0, generator: &generator) }
        finalNorm = LayerNorm(e, epsilon: configuration.layerNormEpsilon)
        self.configuration = configuration
        embeddingDropout = Dropout(probability: configuration.embeddingDropout, seed: generator.next())
    }

    /// Hugging Face's names.
    public override var stateDictKeys: [String: String] {
        ["token_embedding": "wte", "position_embedding": "wpe", "blocks": "h", "final_norm": "ln_f",
         "embedding_dropout": "drop"]
    }

    /// The hidden states `[B, N, E]` of token ids `[B, N]`.
    ///
    /// - Parameters:
    ///   - ids: `[B, N]` token ids, each in `0..<vocabularySize`.
    ///   - paddingMask: `[B, N]`, non-zero at padding tokens, which no position attends to.
    ///   - positions: `[B, N]` position ids; `0..<N` in every row by default (Hugging Face's
    ///     default; its `generate` numbers a left-padded row from its first real token instead).
    ///   - encoderStates: `[B, M, E]`, required exactly when the model has cross-attention.
    ///   - encoderPaddingMask: `[B, M]`, non-zero at padding.
    public func callAsFunction(
        _ ids: IntTensor, paddingMask: Tensor? = nil, positions: IntTensor? = nil, encoderStates: Variable? = nil,
        encoderPaddingMask: Tensor? = nil
    ) -> Variable {
        check(ids.shape.count == 2 && ids.shape[1] > 0, "GPT2Model: token ids \(ids.shape) must be [B, N] with N > 0")
        let (batch, length) = (ids.shape[0], ids.shape[1])
        check(
            length <= configuration.contextLength,
            "GPT2Model: a sequence of \(length) tokens is longer than the context of \(configuration.contextLength) positions")
        checkEncoderStates(present: encoderStates != nil)
        let positions = positions ?? IntTensor(
            shape: [batch, length], scalars: (0..<batch).flatMap { _ in Array(0..<length) })
        check(positions.shape == ids.shape, "GPT2Model: positions \(positions.shape) must match token ids \(ids.shape)")
        var h = embed(ids, positions: positions)
        for block in blocks {
            h = block(h, paddingMask: paddingMask, encoderStates: encoderStates, encoderPaddingMask: encoderPaddingMask)
        }
        return finalNorm(h)
    }

    /// A cache for decoding `batchSize` sequences (inference only), with room for `capacity`
    /// positions; with cross-attention, `encoderStates` `[B, M, E]` (and `encoderPaddingMask`)
    /// are projected here, once for the whole decoding.
    public func makeCache(
        batchSize: Int, encoderStates: Variable? = nil, encoderPaddingMask: Tensor? = nil, capacity: Int = 32
    ) -> DecoderCache {
        checkEncoderStates(present: encoderStates != nil)
        if let encoderStates {
            check(
                encoderStates.rank == 3 && encoderStates.shape[0] == batchSize,
                "GPT2Model: encoder states \(encoderStates.shape) must be [B, M, E] with B = \(batchSize)")
        }
        return DecoderCache(
            layers: blocks.map { $0.attention.makeCache(batchSize: batchSize, capacity: capacity) },
            memory: encoderStates.map { states in
                blocks.map { $0.crossAttention!.projectMemory(states, paddingMask: encoderPaddingMask) }
            } ?? [])
    }

    /// The hidden states `[B, n, E]` of `n` new tokens `[B, n]` appended to the cached sequences
    /// (inference only, inside `withoutGradients`). Positions continue from each row's real
    /// tokens so far (`DecoderCache.nextPositions`), so a left-padded prompt gets the positions
    /// that Hugging Face's `generate` gives it; `paddingMask` `[B, n]` is non-zero at padding.
    public func callAsFunction(_ ids: IntTensor, paddingMask: Tensor? = nil, cache: inout DecoderCache) -> Variable {
        check(!GradientMode.isEnabled, "GPT2Model: decoding with a cache is inference only; call it inside withoutGradients { }")
        check(
            ids.shape.count == 2 && ids.shape[0] == cache.batchSize && ids.shape[1] > 0,
            "GPT2Model: token ids \(ids.shape) must be [B, n] = [\(cache.batchSize), n > 0] for a cache of \(cache.batchSize) sequences")
        check(
            cache.layers.count == blocks.count && cache.memory.count == (configuration.addsCrossAttention ? blocks.count : 0),
            "GPT2Model: a cache of \(cache.layers.count) layers and \(cache.memory.count) memories for a model of \(blocks.count) blocks\(configuration.addsCrossAttention ? " with cross-attention" : "")")
        let positions = cache.advancePositions(by: ids.shape[1], paddingMask: paddingMask)
        let longest = cache.nextPositions.max() ?? 0
        check(
            longest <= configuration.contextLength,
            "GPT2Model: \(longest) tokens are longer than the context of \(configuration.contextLength) positions")
        var h = embed(ids, positions: positions)
        for (i, block) in blocks.enumerated() {
            h = block(h, paddingMask: paddingMask, memory: cache.memory.isEmpty ? nil : cache.memory[i], cache: &cache.layers[i])
        }
        return finalNorm(h)
    }

    /// wte(ids) + wpe(positions), then dropout. Ids outside the vocabulary stop with a message.
    private func embed(_ ids: IntTensor, positions: IntTensor) -> Variable {
        let vocabulary = configuration.vocabularySize
        if let bad = ids.scalars.first(where: { $0 < 0 || $0 >= vocabulary }) {
            checkFailed("GPT2Model: token id \(bad) is outside the vocabulary 0..<\(vocabulary)")
        }
        if let bad = positions.scalars.first(where: { $0 < 0 || $0 >= configuration.contextLength }) {
            checkFailed("GPT2Model: position \(bad) is outside the context 0..<\(configuration.contextLength)")
        }
        return embeddingDropout(tokenEmbedding(ids) + positionEmbedding(positions))
    }

    private func checkEncoderStates(present: Bool) {
        check(
            present == configuration.addsCrossAttention,
            configuration.addsCrossAttention
                ? "GPT2Model: this model has cross-attention (add_cross_attention) and needs encoder states"
                : "GPT2Model: this model has no cross-attention (add_cross_attention is false) and takes no encoder states")
    }
}
