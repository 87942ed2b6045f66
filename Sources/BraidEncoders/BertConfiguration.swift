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

    /// Reads a Hugging Face BERT `config.json`; keys other than those below are ignored.
    ///
    /// Throws `ConfigurationError`, naming the file, the key, the value found and what is allowed,
    /// when a required key is missing, a value has the wrong type (`null` included: only an absent
    /// key takes its default) or lies outside its range (the integers in ``allowedRanges``;
    /// `num_attention_heads` must divide `hidden_size`; `layer_norm_eps` finite in [0, 1];
    /// `hidden_dropout_prob` and `attention_probs_dropout_prob` in [0, 1)), or when the file
    /// describes another architecture.
    public init(contentsOf path: String) throws(ConfigurationError) {
        let reader = try ConfigurationReader(path: path) { File.CodingKeys(rawValue: $0)!.expected }
        let file = try reader.decode(File.self) { File.CodingKeys(rawValue: $0) != nil }
        if let name = file.modelType, name != "bert" {
            throw .unsupportedArchitecture(path: path, found: name, expected: "'bert'")
        }
        let activation: TransformerActivation
        switch file.activation ?? "gelu" {
        case "gelu": activation = .gelu
        case "relu": activation = .relu
        case "gelu_new", "gelu_pytorch_tanh": activation = .geluTanh
        default: throw reader.invalid(File.CodingKeys.activation.rawValue)
        }
        func integer(_ value: Double?, _ key: File.CodingKeys, default fallback: Int? = nil) throws(ConfigurationError) -> Int {
            try reader.integer(value, key.rawValue, in: Self.allowedRanges[key.rawValue]!, default: fallback)
        }
        func real(
            _ value: Double?, _ key: File.CodingKeys, default fallback: Float, in range: Range<Double>
        ) throws(ConfigurationError) -> Float {
            try reader.real(value, key.rawValue, in: range, default: fallback)
        }
        self.init(
            vocabularySize: try integer(file.vocabularySize, .vocabularySize),
            hiddenSize: try integer(file.hiddenSize, .hiddenSize),
            layerCount: try integer(file.layerCount, .layerCount), headCount: try integer(file.headCount, .headCount),
            intermediateSize: try integer(file.intermediateSize, .intermediateSize),
            maximumPositions: try integer(file.maximumPositions, .maximumPositions, default: 512),
            typeVocabularySize: try integer(file.typeVocabularySize, .typeVocabularySize, default: 2),
            layerNormEpsilon: try real(file.layerNormEpsilon, .layerNormEpsilon, default: 1e-12, in: 0.0..<1.0.nextUp),
            activation: activation,
            hiddenDropout: try real(file.hiddenDropout, .hiddenDropout, default: 0.1, in: 0.0..<1.0),
            attentionDropout: try real(file.attentionDropout, .attentionDropout, default: 0.1, in: 0.0..<1.0))
        guard hiddenSize % headCount == 0 else {
            throw .invalidValue(
                path: path, key: "num_attention_heads", found: "\(headCount)",
                expected: "a divisor of hidden_size \(hiddenSize)")
        }
    }

    /// The keys of a `config.json` that ``init(contentsOf:)`` reads, each `nil` when absent.
    ///
    /// Integers are decoded as `Double` and then checked to be integral: `JSONDecoder` reports a
    /// fraction decoded as `Int` as corrupt data, without naming the key.
    private struct File: Decodable {
        let modelType, activation: String?
        let vocabularySize, hiddenSize, layerCount, headCount, intermediateSize: Double?
        let maximumPositions, typeVocabularySize: Double?
        let layerNormEpsilon, hiddenDropout, attentionDropout: Double?

        enum CodingKeys: String, CodingKey {
            case modelType = "model_type", activation = "hidden_act", vocabularySize = "vocab_size"
            case hiddenSize = "hidden_size", layerCount = "num_hidden_layers", headCount = "num_attention_heads"
            case intermediateSize = "intermediate_size", maximumPositions = "max_position_embeddings"
            case typeVocabularySize = "type_vocab_size", layerNormEpsilon = "layer_norm_eps"
            case hiddenDropout = "hidden_dropout_prob", attentionDropout = "attention_probs_dropout_prob"

            /// What the key must hold, as an error message says it.
            var expected: String {
                switch self {
                case .modelType: return "a string"
                case .activation: return "one of gelu, relu, gelu_new, gelu_pytorch_tanh"
                case .layerNormEpsilon: return "a number in [0, 1]"
                case .hiddenDropout, .attentionDropout: return "a probability in [0, 1)"
                default:
                    let range = BertConfiguration.allowedRanges[rawValue]!
                    return "an integer in \(range.lowerBound)...\(range.upperBound)"
                }
            }
        }

        /// Decodes the keys in the order ``BertConfiguration/init(contentsOf:)`` checks them. A
        /// key that is present must hold a value of its type: `null` does not stand for the default.
        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: CodingKeys.self)
            func optional<Value: Decodable>(_ key: CodingKeys) throws -> Value? {
                keys.contains(key) ? try keys.decode(Value.self, forKey: key) : nil
            }
            (modelType, activation) = (try optional(.modelType), try optional(.activation))
            (vocabularySize, hiddenSize) = (try optional(.vocabularySize), try optional(.hiddenSize))
            (layerCount, headCount) = (try optional(.layerCount), try optional(.headCount))
            intermediateSize = try optional(.intermediateSize)
            (maximumPositions, typeVocabularySize) = (try optional(.maximumPositions), try optional(.typeVocabularySize))
            (layerNormEpsilon, hiddenDropout) = (try optional(.layerNormEpsilon), try optional(.hiddenDropout))
            attentionDropout = try optional(.attentionDropout)
        }
    }
}
