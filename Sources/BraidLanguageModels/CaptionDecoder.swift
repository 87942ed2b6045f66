import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// A caption decoder: token embeddings plus learned position embeddings, dropout, a stack of
/// pre-norm `TransformerDecoderLayer`s (causal self-attention, cross-attention to a memory
/// `[B, M, E]`, feed-forward) with a final LayerNorm, and an output projection to the vocabulary
/// (the embedding table itself when tied).
///
/// In PyTorch terms: `nn.Embedding(V, E)` + `nn.Embedding(context, E)` → `nn.Dropout` →
/// `nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, F, dropout, activation,
/// batch_first=True, norm_first=True), layers, norm=nn.LayerNorm(E))` with a causal target mask →
/// `nn.Linear(E, V, bias=False)`. Embeddings start N(0, 0.02²), as GPT-2's.
///
/// Trained with ``teacherForcingLoss(_:memory:memoryIndices:paddingID:labelSmoothing:)``; for decoding,
/// ``ConditionedDecoder`` binds it to a batch of memories as an `AutoregressiveModel`.
public final class CaptionDecoder: Module {
    /// The token embeddings `[V, E]`.
    public let tokenEmbedding: Embedding
    /// The position embeddings `[context, E]`.
    public let positionEmbedding: Embedding
    /// The decoder layers and the final norm.
    public let decoder: TransformerDecoder
    /// The output projection `[V, E]`, without bias; the token embeddings when tied.
    public let head: Linear
    /// The shape the decoder was built with.
    public let configuration: CaptionDecoderConfiguration
    let embeddingDropout: Dropout

    /// A randomly initialised decoder shaped by `configuration`.
    public init(_ configuration: CaptionDecoderConfiguration, generator: inout RandomGenerator) {
        let (v, e) = (configuration.vocabularySize, configuration.dimension)
        tokenEmbedding = Embedding(count: v, dimension: e, generator: &generator)
        tokenEmbedding.weight.value = Tensor.randomNormal([v, e], standardDeviation: 0.02, generator: &generator)
        positionEmbedding = Embedding(count: configuration.contextLength, dimension: e, generator: &generator)
        positionEmbedding.weight.value = Tensor.randomNormal(
            [configuration.contextLength, e], standardDeviation: 0.02, generator: &generator)
        embeddingDropout = Dropout(probability: configuration.dropout, seed: generator.next())
        decoder = TransformerDecoder(count: configuration.layerCount, finalNorm: LayerNorm(e), { layerGenerator in
            TransformerDecoderLayer(
                dimension: e, headCount: configuration.headCount, feedForwardDimension: configuration.feedForwardDimension,
                dropout: configuration.dropout, activation: configuration.activation, normFirst: true, generator: &layerGenerator)
        }, generator: &generator)
        head = configuration.tiesEmbeddings
            ? Linear(weight: tokenEmbedding.weight)
            : Linear(inputFeatures: e, outputFeatures: v, bias: false, generator: &generator)
        self.configuration = configuration
    }

    /// The logits `[B, N, V]` of every position of token ids `[B, N]` (teacher forcing: position
    /// t sees tokens 0…t), attending to `memory` `[B, M, E]`; `memoryPaddingMask` `[B, M]` is
    /// non-zero at padding. Right padding needs no target mask: no real token attends to a later one.
    /// With `memoryIndices`, row b attends to memory row `memoryIndices[b]` of a memory
    /// `[B', M, E]`: several captions of one image share its memory, projected once per layer.
    public func callAsFunction(
        _ ids: IntTensor, memory: Variable, memoryIndices: [Int]? = nil, memoryPaddingMask: Tensor? = nil
    ) -> Variable {
        head(states(ids, memory: memory, memoryIndices: memoryIndices, memoryPaddingMask: memoryPaddingMask).final)
    }

    /// The states behind ``callAsFunction(_:memory:memoryIndices:memoryPaddingMask:)``'s logits:
    /// the output `[B, N, E]` of every decoder layer, and the final norm of the last, which the
    /// head maps to the vocabulary. For auxiliary losses on inner layers.
    public func states(
        _ ids: IntTensor, memory: Variable, memoryIndices: [Int]? = nil, memoryPaddingMask: Tensor? = nil
    ) -> (layers: [Variable], final: Variable) {
        check(ids.shape.count == 2 && ids.shape[1] > 0, "CaptionDecoder: token ids \(ids.shape) must be [B, N] with N > 0")
        let rows = memoryIndices == nil ? "\(ids.shape[0])" : "B'"
        check(
            memory.rank == 3 && (memoryIndices != nil || memory.shape[0] == ids.shape[0]) && memory.shape[2] == configuration.dimension,
            "CaptionDecoder: memory \(memory.shape) must be [B, M, E] = [\(rows), M, \(configuration.dimension)] for ids \(ids.shape)")
        let (batch, length) = (ids.shape[0], ids.shape[1])
        let positions = IntTensor(shape: [batch, length], scalars: (0..<batch).flatMap { _ in Array(0..<length) })
        let layers = decoder.layerOutputs(
            embed(ids, positions: positions), memory: memory, memoryIndices: memoryIndices, memoryPaddingMask: memoryPaddingMask)
        return (layers, decoder.finalNorm.map { $0(layers.last!) } ?? layers.last!)
    }

    /// The mean cross-entropy of predicting each next token of `captions` `[B, L]` (rows
    /// `<bos> words <eos>` then `paddingID`s) from the ones before it, attending to `memory`
    /// `[B, M, E]` (row `memoryIndices[b]` of a memory `[B', M, E]` for caption b, when given):
    /// logits of `captions[:, :-1]` against targets `captions[:, 1:]`, padding ignored, with
    /// `labelSmoothing` (`F.cross_entropy(..., ignore_index=pad, label_smoothing=ε)`).
    public func teacherForcingLoss(
        _ captions: IntTensor, memory: Variable, memoryIndices: [Int]? = nil, paddingID: Int, labelSmoothing: Float = 0
    ) -> Variable {
        teacherForcing(captions, memory: memory, memoryIndices: memoryIndices, paddingID: paddingID, labelSmoothing: labelSmoothing).loss
    }

    /// ``teacherForcingLoss(_:memory:memoryIndices:paddingID:labelSmoothing:)`` and the
    /// ``states(_:memory:memoryIndices:memoryPaddingMask:)`` of the inputs `captions[:, :-1]` it
    /// was computed from: state t of caption b has read tokens 0…t of it.
    package func teacherForcing(
        _ captions: IntTensor, memory: Variable, memoryIndices: [Int]?, paddingID: Int, labelSmoothing: Float
    ) -> (loss: Variable, states: (layers: [Variable], final: Variable)) {
        let (inputs, targets) = Self.shifted(captions)
        let states = self.states(inputs, memory: memory, memoryIndices: memoryIndices)
        // [B, L−1, V] -> [B·(L−1), V]
        let loss = crossEntropy(
            logits: head(states.final).reshaped(to: [targets.count, configuration.vocabularySize]), targets: IntTensor(targets),
            ignoreIndex: paddingID, labelSmoothing: labelSmoothing)
        return (loss, states)
    }

    /// The log-likelihood of each row of `captions` `[B, L]` (`<bos>`, tokens, then `paddingID`s)
    /// given `memory` (row `memoryIndices[b]` of it for caption b, when given): the sum of
    /// log p(token | the tokens before it) over every token after the first that is not padding.
    /// Computed without gradients; for ranking candidate captions of an image.
    public func logLikelihoods(_ captions: IntTensor, memory: Variable, memoryIndices: [Int]? = nil, paddingID: Int) -> [Double] {
        let (inputs, targets) = Self.shifted(captions)
        let (batch, steps, v) = (inputs.shape[0], inputs.shape[1], configuration.vocabularySize)
        let logProbabilities = withoutGradients { self(inputs, memory: memory, memoryIndices: memoryIndices).value }
            .logSoftmax(alongAxis: 2)
        return logProbabilities.withUnsafeBufferPointer { p in
            (0..<batch).map { b in
                (0..<steps).reduce(0.0) { total, t in
                    let target = targets[b * steps + t]
                    return target == paddingID ? total : total + Double(p[(b * steps + t) * v + target])
                }
            }
        }
    }

    /// The inputs `captions[:, :-1]` `[B, L−1]` and the targets `captions[:, 1:]`, flattened.
    private static func shifted(_ captions: IntTensor) -> (inputs: IntTensor, targets: [Int]) {
        check(captions.shape.count == 2 && captions.shape[1] >= 2, "CaptionDecoder: captions \(captions.shape) must be [B, L] with L ≥ 2")
        let (batch, length) = (captions.shape[0], captions.shape[1])
        var inputs: [Int] = [], targets: [Int] = []
        inputs.reserveCapacity(batch * (length - 1))
        targets.reserveCapacity(batch * (length - 1))
        for b in 0..<batch {
            let row = captions.scalars[b * length..<(b + 1) * length]
            inputs += row.dropLast()
            targets += row.dropFirst()
        }
        return (IntTensor(shape: [batch, length - 1], scalars: inputs), targets)
    }

    /// A cache for decoding against `memory` `[B, M, E]` (inference only; made without gradients
    /// wherever it is called): each layer's projection of the memory, made once here, and room
    /// for ``CaptionDecoderConfiguration/contextLength`` positions.
    public func makeCache(memory: Variable, memoryPaddingMask: Tensor? = nil) -> DecoderCache {
        check(
            memory.rank == 3 && memory.shape[2] == configuration.dimension,
            "CaptionDecoder: memory \(memory.shape) must be [B, M, \(configuration.dimension)]")
        return withoutGradients {
            decoder.makeCache(memory: memory, memoryPaddingMask: memoryPaddingMask, capacity: configuration.contextLength)
        }
    }

    /// The logits `[B, n, V]` of `n` new tokens `[B, n]` appended to the cached captions (inference
    /// only, inside `withoutGradients`); equal to the last `n` positions of the full forward.
    /// `paddingMask` `[B, n]` is non-zero at padding (a left-padded prompt).
    public func callAsFunction(_ ids: IntTensor, paddingMask: Tensor? = nil, cache: inout DecoderCache) -> Variable {
        check(!GradientMode.isEnabled, "CaptionDecoder: decoding with a cache is inference only; call it inside withoutGradients { }")
        check(
            ids.shape.count == 2 && ids.shape[0] == cache.batchSize && ids.shape[1] > 0,
            "CaptionDecoder: token ids \(ids.shape) must be [B, n] = [\(cache.batchSize), n > 0] for a cache of \(cache.batchSize) captions")
        let positions = cache.advancePositions(by: ids.shape[1], paddingMask: paddingMask)
        return head(decoder(embed(ids, positions: positions), paddingMask: paddingMask, cache: &cache))
    }

    /// Token plus position embeddings, then dropout; ids and positions out of range stop with a message.
    private func embed(_ ids: IntTensor, positions: IntTensor) -> Variable {
        if let bad = ids.scalars.first(where: { $0 < 0 || $0 >= configuration.vocabularySize }) {
            checkFailed("CaptionDecoder: token id \(bad) is outside the vocabulary 0..<\(configuration.vocabularySize)")
        }
        if let bad = positions.scalars.max(), bad >= configuration.contextLength {
            checkFailed("CaptionDecoder: position \(bad) is outside the context 0..<\(configuration.contextLength)")
        }
        return embeddingDropout(tokenEmbedding(ids) + positionEmbedding(positions))
    }
}
