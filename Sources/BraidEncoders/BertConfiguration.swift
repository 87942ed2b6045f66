import BraidAttention
import BraidData
import Foundation

/// The shape of a BERT-family text encoder, as in a Hugging Face `config.json`.
public struct BertConfiguration: Sendable, Equatable {
    /// Token vocabulary size.
    public var vocabularySize: Int
    /// Width D of every token's features.
    public var hiddenSize: Int
    /// Transformer layers.
    public var layerCount: Int
    /// Attention heads per layer.
    public var headCount: Int
    /// Feed-forward width.
    public var intermediateSize: Int
    /// Longest sequence the position embeddings cover.
    public var maximumPositions: Int
    /// Token type (segment) vocabulary size.
    public var typeVocabularySize: Int
    /// LayerNorm ε.
    public var layerNormEpsilon: Float
    /// The feed-forward activation (`hidden_act`).
    public var activation: TransformerActivation
    /// Dropout on hidden states.
    public var hiddenDropout: Float
    /// Dropout on attention weights.
    public var attentionDropout: Float

    /// Creates a configuration.
    public init(
        vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
        maximumPositions: Int = 512, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12,
        activation: TransformerActivation = .gelu, hiddenDropout: Float = 0.1, attentionDropout: Float = 0.1
    ) {
        (self.vocabularySize, self.hiddenSize, self.layerCount, self.headCount) = (vocabularySize, hiddenSize, layerCount, headCount)
        (self.intermediateSize, self.maximumPositions, self.typeVocabularySize) = (intermediateSize, maximumPositions, typeVocabularySize)
        (self.layerNormEpsilon, self.activation) = (layerNormEpsilon, activation)
        (self.hiddenDropout, self.attentionDropout) = (hiddenDropout, attentionDropout)
    }

    /// all-MiniLM-L6-v2 / MiniLM-L6-H384: 6 layers, width 384, 12 heads.
    public static let miniLM_L6 = BertConfiguration(
        vocabularySize: 30522, hiddenSize: 384, layerCount: 6, headCount: 12, intermediateSize: 1536)
    /// BERT-base: 12 layers, width 768, 12 heads.
    public static let bertBase = BertConfiguration(
        vocabularySize: 30522, hiddenSize: 768, layerCount: 12, headCount: 12, intermediateSize: 3072)

    /// The number of parameters of a `TextEncoder` of this shape (`model.num_parameters()` of a
    /// `BertModel` without its pooler): the three embedding tables and their LayerNorm, then per
    /// layer the four attention projections, the two feed-forward projections and two LayerNorms.
    ///
    /// Configurations read from a file are in the ranges of ``init(contentsOf:)``, where this
    /// cannot overflow.
    public var parameterCount: Int {
        let (d, f) = (hiddenSize, intermediateSize)
        let embeddings = (vocabularySize + maximumPositions + typeVocabularySize) * d + 2 * d
        // Q, K, V, O: 4(D² + D); W₁: DF + F; W₂: FD + D; two LayerNorms: 4D.
        let layer = 4 * (d * d + d) + (d * f + f) + (f * d + d) + 4 * d
        return embeddings + layerCount * layer
    }

    /// The ranges that ``init(contentsOf:)`` accepts: wider than any published BERT-family
    /// checkpoint, and small enough that every size computed from them fits in `Int`.
    public static let allowedRanges: [String: ClosedRange<Int>] = [
        "vocab_size": 1...(1 << 24), "hidden_size": 1...(1 << 16), "num_hidden_layers": 1...1024,
        "num_attention_heads": 1...(1 << 16), "intermediate_size": 1...(1 << 20),
        "max_position_embeddings": 2...(1 << 20), "type_vocab_size": 1...(1 << 16),
    ]

    /// Reads a Hugging Face BERT `config.json`.
    ///
    /// Throws `ConfigurationError`, naming the file, the key, the value found and what is allowed,
    /// when a required key is missing, a value has the wrong type or lies outside its range (the
    /// integers in ``allowedRanges``; `num_attention_heads` must divide `hidden_size`;
    /// `layer_norm_eps` finite in [0, 1]; `hidden_dropout_prob` and
    /// `attention_probs_dropout_prob` in [0, 1)), or when the file describes another architecture.
    public init(contentsOf path: String) throws(ConfigurationError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard let json = try? JSONSerialization.jsonObject(with: data), let object = json as? [String: Any] else {
            throw .invalidJSON(path: path)
        }
        if let type = object["model_type"] {
            guard let name = type as? String else {
                throw .invalidValue(path: path, key: "model_type", found: ConfigurationError.describe(type), expected: "a string")
            }
            guard name == "bert" else { throw .unsupportedArchitecture(path: path, found: name, expected: "'bert'") }
        }
        func integer(_ key: String, default fallback: Int? = nil) throws(ConfigurationError) -> Int {
            guard let value = object[key] else {
                guard let fallback else { throw .missingKey(path: path, key: key) }
                return fallback
            }
            let range = Self.allowedRanges[key]!
            guard let number = value as? NSNumber, !number.isJSONBoolean,
                  let exact = Int(exactly: number.doubleValue), range.contains(exact) else {
                throw .invalidValue(
                    path: path, key: key, found: ConfigurationError.describe(value),
                    expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return exact
        }
        func real(_ key: String, default fallback: Float, in range: Range<Double>, named: String) throws(ConfigurationError) -> Float {
            guard let value = object[key] else { return fallback }
            guard let number = value as? NSNumber, !number.isJSONBoolean, range.contains(number.doubleValue) else {
                throw .invalidValue(path: path, key: key, found: ConfigurationError.describe(value), expected: named)
            }
            return number.floatValue
        }
        let activation: TransformerActivation
        switch object["hidden_act"] ?? "gelu" {
        case let name as String where name == "gelu": activation = .gelu
        case let name as String where name == "relu": activation = .relu
        case let name as String where ["gelu_new", "gelu_pytorch_tanh"].contains(name): activation = .geluTanh
        case let other:
            throw .invalidValue(
                path: path, key: "hidden_act", found: ConfigurationError.describe(other),
                expected: "one of gelu, relu, gelu_new, gelu_pytorch_tanh")
        }
        let probability = (range: 0.0..<1.0, named: "a probability in [0, 1)")
        self.init(
            vocabularySize: try integer("vocab_size"), hiddenSize: try integer("hidden_size"),
            layerCount: try integer("num_hidden_layers"), headCount: try integer("num_attention_heads"),
            intermediateSize: try integer("intermediate_size"),
            maximumPositions: try integer("max_position_embeddings", default: 512),
            typeVocabularySize: try integer("type_vocab_size", default: 2),
            layerNormEpsilon: try real("layer_norm_eps", default: 1e-12, in: 0.0..<1.0.nextUp, named: "a number in [0, 1]"),
            activation: activation,
            hiddenDropout: try real("hidden_dropout_prob", default: 0.1, in: probability.range, named: probability.named),
            attentionDropout: try real(
                "attention_probs_dropout_prob", default: 0.1, in: probability.range, named: probability.named))
        guard hiddenSize % headCount == 0 else {
            throw .invalidValue(
                path: path, key: "num_attention_heads", found: "\(headCount)",
                expected: "a divisor of hidden_size \(hiddenSize)")
        }
    }
}
