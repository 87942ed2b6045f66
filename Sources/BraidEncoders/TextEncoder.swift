import BraidAttention
import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import Foundation

/// How a text encoder reduces its token features to one vector per text.
public enum TextPooling: Sendable {
    /// The first token's features ([CLS]).
    case cls
    /// The mean over real (non-padding) tokens, as sentence-transformers' mean pooling.
    case mean
}

/// A BERT-family text encoder (`transformers.BertModel` without the pooler): word, position and
/// token-type embeddings with LayerNorm, then a post-norm transformer encoder that uses the fused
/// attention with the padding mask.
///
/// Parameters carry Hugging Face's names (`embeddings.word_embeddings.weight`,
/// `encoder.layer.0.attention.self.query.weight`, …), so `load(directory:)` reads a Hugging Face
/// checkpoint folder (`config.json`, `model.safetensors`) as it is. Input: token ids `[B, T]` with
/// an attention mask `[B, T]` (1 = real token); output: `[B, T, D]`, pooled `[B, D]`.
public final class TextEncoder: Module, FeatureEncoder {
    /// The architecture.
    public let configuration: BertConfiguration
    /// Token, position and token-type embeddings.
    public let wordEmbeddings: Embedding, positionEmbeddings: Embedding, tokenTypeEmbeddings: Embedding
    /// The LayerNorm applied to the summed embeddings.
    public let embeddingNorm: LayerNorm
    /// The transformer layers.
    public let encoder: TransformerEncoder
    /// How `encode` pools.
    public var pooling: TextPooling
    /// Whether pooled features are scaled to unit L2 norm.
    public var normalizesPooledFeatures: Bool
    let embeddingDropout: Dropout

    /// A randomly initialised encoder (BERT's init: N(0, 0.02) embeddings, default layers).
    public init(
        _ configuration: BertConfiguration, pooling: TextPooling = .cls, normalizesPooledFeatures: Bool = false,
        generator: inout RandomGenerator
    ) {
        self.configuration = configuration
        let d = configuration.hiddenSize
        func embedding(_ count: Int) -> Embedding {
            let table = Embedding(count: count, dimension: d, generator: &generator)
            table.weight.value = table.weight.value * 0.02
            return table
        }
        wordEmbeddings = embedding(configuration.vocabularySize)
        positionEmbeddings = embedding(configuration.maximumPositions)
        tokenTypeEmbeddings = embedding(configuration.typeVocabularySize)
        embeddingNorm = LayerNorm(d, epsilon: configuration.layerNormEpsilon)
        encoder = TransformerEncoder(count: configuration.layerCount, { generator in
            TransformerEncoderLayer(
                dimension: d, headCount: configuration.headCount, feedForwardDimension: configuration.intermediateSize,
                dropout: configuration.hiddenDropout, attentionWeightDropout: configuration.attentionDropout,
                activation: configuration.activation,
                layerNormEpsilon: configuration.layerNormEpsilon, generator: &generator)
        }, generator: &generator)
        embeddingDropout = Dropout(probability: configuration.hiddenDropout, seed: generator.next())
        self.pooling = pooling
        self.normalizesPooledFeatures = normalizesPooledFeatures
    }

    /// Loads a Hugging Face BERT checkpoint folder: `config.json` and `model.safetensors`. Unused
    /// `pooler.*` weights and the `embeddings.position_ids` buffer are tolerated; any other
    /// missing, unexpected or mis-shaped key is an error. The encoder starts in evaluation mode.
    ///
    /// Nothing is allocated before the configuration's ``BertConfiguration/parameterCount`` is
    /// found to fit in the values that the checkpoint's header declares, so a configuration that
    /// describes a larger model than its weights throws `ConfigurationError.mismatch` at once.
    public static func load(
        directory: String, pooling: TextPooling = .mean, normalizesPooledFeatures: Bool = true
    ) throws -> TextEncoder {
        let folder = try CheckpointFolder(directory: directory)
        let configuration = try BertConfiguration(contentsOf: folder.configurationPath)
        let weights = try folder.openWeights(describing: configuration.parameterCount)
        var generator = RandomGenerator(seed: 0)
        let model = TextEncoder(
            configuration, pooling: pooling, normalizesPooledFeatures: normalizesPooledFeatures, generator: &generator)
        try model.loadStateDict(from: weights) { $0.hasPrefix("pooler.") || $0 == "embeddings.position_ids" }
        model.eval()
        return model
    }

    /// Loads the encoder (see ``load(directory:pooling:normalizesPooledFeatures:)``) and the
    /// tokenizer (`WordPieceTokenizer(directory:)`) of one Hugging Face folder, and checks that they
    /// agree: every token id is inside the embedding table (the vocabulary has at most
    /// `vocab_size` tokens), and a `model_max_length` fits `max_position_embeddings`. A tokenizer
    /// without `model_max_length` gets `max_position_embeddings` as its limit. Throws
    /// `ConfigurationError.mismatch` naming both files when they disagree.
    public static func loadWithTokenizer(
        directory: String, pooling: TextPooling = .mean, normalizesPooledFeatures: Bool = true
    ) throws -> (encoder: TextEncoder, tokenizer: WordPieceTokenizer) {
        let encoder = try load(directory: directory, pooling: pooling, normalizesPooledFeatures: normalizesPooledFeatures)
        var tokenizer = try WordPieceTokenizer(directory: directory)
        let folder = URL(fileURLWithPath: directory)
        let configuration = encoder.configuration
        let configurationPath = folder.appendingPathComponent("config.json").path
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw ConfigurationError.mismatch(
                path: folder.appendingPathComponent("vocab.txt").path,
                reason: "\(tokenizer.vocabularySize) tokens, but \(configurationPath) has vocab_size "
                    + "\(configuration.vocabularySize): ids from \(configuration.vocabularySize) on would be outside the embedding table")
        }
        if let length = tokenizer.modelMaxLength, length > configuration.maximumPositions {
            throw ConfigurationError.mismatch(
                path: folder.appendingPathComponent("tokenizer_config.json").path,
                reason: "model_max_length \(length) exceeds max_position_embeddings \(configuration.maximumPositions) "
                    + "of \(configurationPath)")
        }
        tokenizer.modelMaxLength = tokenizer.modelMaxLength ?? configuration.maximumPositions
        return (encoder, tokenizer)
    }

    /// Hugging Face's nesting: `embeddings.word_embeddings`, …, `embeddings.LayerNorm`.
    public override var stateDictKeys: [String: String] {
        [
            "word_embeddings": "embeddings.word_embeddings", "position_embeddings": "embeddings.position_embeddings",
            "token_type_embeddings": "embeddings.token_type_embeddings", "embedding_norm": "embeddings.LayerNorm",
            "embedding_dropout": "embeddings.dropout",
        ]
    }

    /// D, the hidden size.
    public var outputDimension: Int { configuration.hiddenSize }

    /// Token features `[B, T, D]` for token ids `[B, T]`, an attention mask `[B, T]` (1 = real
    /// token; all real when `nil`) and token type ids (all 0 when `nil`).
    public func callAsFunction(tokenIds: IntTensor, attentionMask: IntTensor? = nil, tokenTypeIds: IntTensor? = nil) -> Variable {
        check(tokenIds.shape.count == 2, "TextEncoder: token ids \(tokenIds.shape) must be [B, T]")
        let (batch, length) = (tokenIds.shape[0], tokenIds.shape[1])
        check(length <= configuration.maximumPositions,
                     "TextEncoder: \(length) tokens exceed the \(configuration.maximumPositions) positions")
        for mask in [attentionMask, tokenTypeIds].compactMap({ $0 }) {
            check(mask.shape == tokenIds.shape, "TextEncoder: mask \(mask.shape) does not match token ids \(tokenIds.shape)")
        }
        let positions = IntTensor(shape: [1, length], scalars: Array(0..<length))
        let types = tokenTypeIds ?? IntTensor(shape: tokenIds.shape, scalars: [Int](repeating: 0, count: tokenIds.count))
        // [B, T, D] + [1, T, D] + [B, T, D]
        let embedded = wordEmbeddings(tokenIds) + positionEmbeddings(positions) + tokenTypeEmbeddings(types)
        let x = embeddingDropout(embeddingNorm(embedded))
        let padding = attentionMask.map { Tensor(shape: [batch, length], scalars: $0.scalars.map { $0 == 0 ? 1 : 0 }) }
        return encoder(x, keyPaddingMask: padding)
    }

    /// Sequence features, padding mask and pooled features (`pooling`, L2-normalised when
    /// `normalizesPooledFeatures`) for a tokenized batch.
    public func encode(_ batch: TokenizedBatch) -> EncodedFeatures {
        let sequence = self(tokenIds: batch.inputIds, attentionMask: batch.attentionMask, tokenTypeIds: batch.tokenTypeIds)
        let (b, t, d) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        let mask = batch.attentionMask.floats  // [B, T], 1 = real
        var pooled: Variable
        switch pooling {
        case .cls:
            pooled = sequence.sliced(axis: 1, start: 0, end: 1).reshaped(to: [b, d])
        case .mean:
            // Σ_t x[b, t, :]·m[b, t] / max(Σ_t m[b, t], 1e-9), as sentence-transformers.
            let weights = Variable(mask.reshaped(to: [b, t, 1]))
            let counts = mask.sum(alongAxes: [1], keepDims: true).clamped(min: 1e-9)  // [B, 1]
            pooled = (sequence * weights).sum(alongAxes: [1]) / Variable(counts)
        }
        if normalizesPooledFeatures {
            // x / max(‖x‖₂, 1e-12), as torch.nn.functional.normalize.
            let norms = (pooled * pooled).sum(alongAxes: [1], keepDims: true).sqrt()
            pooled = pooled / Variable.maximum(norms, Variable(Tensor(1e-12)))
        }
        return EncodedFeatures(sequence: sequence, paddingMask: mask.map { 1 - $0 }, pooled: pooled)
    }
}
