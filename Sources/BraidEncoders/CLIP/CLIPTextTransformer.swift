import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// CLIP's text tower (`CLIPTextModel`, without projection): token plus position embeddings, a
/// causal pre-norm encoder, a final LayerNorm, and each text pooled at its end-of-text token.
///
/// Parameters carry Hugging Face's names under `text_model.`: `embeddings.token_embedding`,
/// `embeddings.position_embedding`, `encoder.layers.<i>.{self_attn.{q,k,v,out}_proj, layer_norm1,
/// mlp.fc1, mlp.fc2, layer_norm2}`, `final_layer_norm`.
public final class CLIPTextTransformer: Module {
    /// The shape.
    public let configuration: CLIPTextConfiguration
    /// The token embeddings `[V, D]`.
    public let tokenEmbedding: Embedding
    /// The position embeddings `[context, D]`.
    public let positionEmbedding: Embedding
    /// The causal encoder.
    public let encoder: TransformerEncoder
    /// The LayerNorm after the encoder.
    public let finalNorm: LayerNorm

    /// A randomly initialised tower: embeddings N(0, 0.02²) and N(0, 0.01²) as `transformers`
    /// initialises CLIP's, PyTorch's defaults elsewhere.
    public init(_ configuration: CLIPTextConfiguration, generator: inout RandomGenerator) {
        let (v, d) = (configuration.vocabularySize, configuration.encoder.hiddenSize)
        tokenEmbedding = Embedding(count: v, dimension: d, generator: &generator)
        tokenEmbedding.weight.value = Tensor.randomNormal([v, d], standardDeviation: 0.02, generator: &generator)
        positionEmbedding = Embedding(count: configuration.contextLength, dimension: d, generator: &generator)
        positionEmbedding.weight.value = Tensor.randomNormal(
            [configuration.contextLength, d], standardDeviation: 0.01, generator: &generator)
        encoder = configuration.encoder.makeEncoder(generator: &generator)
        finalNorm = LayerNorm(d, epsilon: configuration.encoder.layerNormEpsilon)
        self.configuration = configuration
    }

    /// Hugging Face's names.
    public override var stateDictKeys: [String: String] {
        clipEncoderKeys(prefix: "encoder", layerCount: configuration.encoder.layerCount).merging([
            "token_embedding": "embeddings.token_embedding", "position_embedding": "embeddings.position_embedding",
            "final_norm": "final_layer_norm",
        ]) { $1 }
    }

    /// The final-normed features of every position `[B, N, D]` (`last_hidden_state`) and of each
    /// text's end-of-text position `[B, D]` (`pooler_output`) for token ids `[B, N]`, N at most the
    /// context; `paddingMask` `[B, N]` is non-zero at padding (`1 − attention_mask`).
    ///
    /// Each row must hold its end-of-text id (``CLIPTextConfiguration/endOfTextToken``), and is
    /// pooled at its first; under ``CLIPTextConfiguration/poolsAtLargestID`` a row is pooled at its
    /// largest id instead. Ids outside the vocabulary stop with a message.
    public func encode(_ ids: IntTensor, paddingMask: Tensor? = nil) -> EncodedFeatures {
        let (embedded, pooledRows) = embed(ids)
        let (batch, length, d) = (embedded.shape[0], embedded.shape[1], embedded.shape[2])
        let hidden = finalNorm(encoder(embedded, keyPaddingMask: paddingMask, isCausal: true))
        let pooled = hidden.reshaped(to: [batch * length, d]).indexSelect(axis: 0, indices: pooledRows)
        return EncodedFeatures(sequence: hidden, paddingMask: paddingMask, pooled: pooled)
    }

    /// `encode(ids, paddingMask:).pooled` alone, `[B, D]`: on the inference path the last layer
    /// computes only the pooled positions (after every position's keys and values).
    public func pooledFeatures(_ ids: IntTensor, paddingMask: Tensor? = nil) -> Variable {
        let (embedded, pooledRows) = embed(ids)
        return finalNorm(encoder(embedded, rows: pooledRows, keyPaddingMask: paddingMask, isCausal: true))
    }

    /// The token plus position embeddings `[B, N, D]` of checked ids, and the row of the flattened
    /// `[B·N]` positions each text is pooled at.
    private func embed(_ ids: IntTensor) -> (embedded: Variable, pooledRows: [Int]) {
        let c = configuration
        check(
            ids.shape.count == 2 && ids.shape[1] > 0 && ids.shape[1] <= c.contextLength,
            "CLIPTextTransformer: token ids \(ids.shape) must be [B, N] with 0 < N ≤ \(c.contextLength)")
        if let bad = ids.scalars.first(where: { !(0..<c.vocabularySize).contains($0) }) {
            checkFailed("CLIPTextTransformer: token id \(bad) is outside the vocabulary 0..<\(c.vocabularySize)")
        }
        let (batch, length) = (ids.shape[0], ids.shape[1])
        let pooledRows = (0..<batch).map { b in
            let row = ids.scalars[b * length..<(b + 1) * length]
            // Slices keep their base's indices: a position found here is the row of the flattened batch.
            guard let position = row.firstIndex(of: c.poolsAtLargestID ? row.max()! : c.endOfTextToken) else {
                checkFailed("CLIPTextTransformer: text \(b) of \(batch) holds no end-of-text id \(c.endOfTextToken)")
            }
            return position
        }
        let positions = IntTensor(shape: [batch, length], scalars: (0..<batch).flatMap { _ in Array(0..<length) })
        return (tokenEmbedding(ids) + positionEmbedding(positions), pooledRows)
    }
}
