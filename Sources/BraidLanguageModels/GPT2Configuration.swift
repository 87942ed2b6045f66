import BraidAttention
import BraidData
import Foundation

/// The shape of a GPT-2-family causal language model, as in a Hugging Face `GPT2Config`
/// `config.json`.
public struct GPT2Configuration: Sendable, Equatable {
    /// V, the token vocabulary size (`vocab_size`).
    public var vocabularySize: Int
    /// The longest sequence the position embeddings cover (`n_positions`).
    public var contextLength: Int
    /// E, the width of every token's features (`n_embd`).
    public var embeddingSize: Int
    /// Transformer blocks (`n_layer`).
    public var layerCount: Int
    /// Attention heads per block (`n_head`), a divisor of E.
    public var headCount: Int
    /// The feed-forward width (`n_inner`; 4E when absent).
    public var innerSize: Int
    /// The feed-forward activation (`activation_function`; `gelu_new`, GELU's tanh form, by default).
    public var activation: TransformerActivation
    /// Dropout after each block's attention and feed-forward output (`resid_pdrop`).
    public var residualDropout: Float
    /// Dropout on the summed token and position embeddings (`embd_pdrop`).
    public var embeddingDropout: Float
    /// Dropout on the attention weights (`attn_pdrop`).
    public var attentionDropout: Float
    /// LayerNorm ε (`layer_norm_epsilon`).
    public var layerNormEpsilon: Float
    /// Whether scores are divided by √(E/H) (`scale_attn_weights`).
    public var scalesAttentionWeights: Bool
    /// Whether block i's scores are also divided by i + 1 (`scale_attn_by_inverse_layer_idx`).
    public var scalesAttentionByInverseLayerIndex: Bool
    /// Whether each block also attends to an encoder's states (`add_cross_attention`), which
    /// must then have width E.
    public var addsCrossAttention: Bool
    /// Whether the output projection is the token embedding table (`tie_word_embeddings`).
    public var tiesWordEmbeddings: Bool
    /// The id that starts a text (`bos_token_id`), if any.
    public var beginningOfTextToken: Int?
    /// The id that ends a text (`eos_token_id`), if any.
    public var endOfTextToken: Int?

    /// Creates a configuration; the defaults are GPT-2 small's (124M parameters).
    public init(
        vocabularySize: Int = 50257, contextLength: Int = 1024, embeddingSize: Int = 768, layerCount: Int = 12,
        headCount: Int = 12, innerSize: Int? = nil, activation: TransformerActivation = .geluTanh,
        residualDropout: Float = 0.1, embeddingDropout: Float = 0.1, attentionDropout: Float = 0.1,
        layerNormEpsilon: Float = 1e-5, scalesAttentionWeights: Bool = true,
        scalesAttentionByInverseLayerIndex: Bool = false, addsCrossAttention: Bool = false,
        tiesWordEmbeddings: Bool = true, beginningOfTextToken: Int? = 50256, endOfTextToken: Int? = 50256
    ) {
        (self.vocabularySize, self.contextLength, self.embeddingSize) = (vocabularySize, contextLength, embeddingSize)
        (self.layerCount, self.headCount, self.innerSize) = (layerCount, headCount, innerSize ?? 4 * embeddingSize)
        self.activation = activation
        (self.residualDropout, self.embeddingDropout, self.attentionDropout) = (residualDropout, embeddingDropout, attentionDropout)
        self.layerNormEpsilon = layerNormEpsilon
        self.scalesAttentionWeights = scalesAttentionWeights
        self.scalesAttentionByInverseLayerIndex = scalesAttentionByInverseLayerIndex
        (self.addsCrossAttention, self.tiesWordEmbeddings) = (addsCrossAttention, tiesWordEmbeddings)
        (self.beginningOfTextToken, self.endOfTextToken) = (beginningOfTextToken, endOfTextToken)
    }

    /// GPT-2 small: 12 blocks of width 768 and 12 heads, 1,024 positions, 124M parameters.
    public static let gpt2 = GPT2Configuration()

    /// The number of parameters of a `GPT2LanguageModel` of this shape (`num_parameters()`):
    /// the token and position tables, per block two LayerNorms, the attention (packed Q/K/V and
    /// output projections), the feed-forward block and, with cross-attention, its projections and
    /// LayerNorm; the final LayerNorm; and an untied output projection.
    ///
    /// Configurations read from a file are in the ranges of ``init(contentsOf:)``, where this
    /// cannot overflow.
    public var parameterCount: Int {
        let (e, f) = (embeddingSize, innerSize)
        let attention = (e * 3 * e + 3 * e) + (e * e + e)
        let cross = addsCrossAttention ? (e * 2 * e + 2 * e) + (e * e + e) + (e * e + e) + 2 * e : 0
        let block = 4 * e + attention + (e * f + f) + (f * e + e) + cross
        return (vocabularySize + contextLength) * e + layerCount * block + 2 * e + (tiesWordEmbeddings ? 0 : vocabularySize * e)
    }

    /// The integer ranges that ``init(contentsOf:)`` accepts: wider than any published GPT-2
    /// checkpoint, and small enough that every size computed from them fits in `Int`.
    public static let allowedRanges: [String: ClosedRange<Int>] = [
        "vocab_size": 1...(1 << 24), "n_positions": 1...(1 << 20), "n_embd": 1...(1 << 16), "n_layer": 1...1024,
        "n_head": 1...(1 << 16), "n_inner": 1...(1 << 20), "bos_token_id": 0...(1 << 24),
        "eos_token_id": 0...(1 << 24),
    ]

    /// Reads a Hugging Face GPT-2 `config.json`; keys other than those below are ignored.
    ///
    /// Throws `ConfigurationError`, naming the file, the key, the value found and what is allowed,
    /// when a value has the wrong type (`null` is allowed only for `n_inner`, `bos_token_id` and
    /// `eos_token_id`, as `GPT2Config` writes them) or lies outside its range (the integers in
    /// ``allowedRanges``; `n_head` must divide `n_embd`; token ids below `vocab_size`;
    /// probabilities in [0, 1); `layer_norm_epsilon` finite in [0, 1]), or when the file describes
    /// another architecture. Absent keys take `GPT2Config`'s defaults.
    public init(contentsOf path: String) throws(ConfigurationError) {
        let reader = try ConfigurationReader(path: path) { File.CodingKeys(rawValue: $0)!.expected }
        let file = try reader.decode(File.self) { File.CodingKeys(rawValue: $0) != nil }
        func invalid(_ key: File.CodingKeys, expected: String? = nil) -> ConfigurationError {
            reader.invalid(key.rawValue, expected: expected)
        }
        if let name = file.modelType, name != "gpt2" {
            throw .unsupportedArchitecture(path: path, found: name, expected: "'gpt2'")
        }
        let activation: TransformerActivation
        switch file.activation ?? "gelu_new" {
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": activation = .geluTanh
        case "gelu": activation = .gelu
        case "relu": activation = .relu
        default: throw invalid(.activation)
        }
        func integer(_ value: Double?, _ key: File.CodingKeys, default fallback: Int) throws(ConfigurationError) -> Int {
            try reader.integer(value, key.rawValue, in: Self.allowedRanges[key.rawValue]!, default: fallback)
        }
        func real(
            _ value: Double?, _ key: File.CodingKeys, default fallback: Float, in range: Range<Double>
        ) throws(ConfigurationError) -> Float {
            try reader.real(value, key.rawValue, in: range, default: fallback)
        }
        let defaults = GPT2Configuration()
        let embeddingSize = try integer(file.embeddingSize, .embeddingSize, default: defaults.embeddingSize)
        let vocabularySize = try integer(file.vocabularySize, .vocabularySize, default: defaults.vocabularySize)
        // GPT2Config's default 50256, where the vocabulary has such an id.
        let defaultToken = vocabularySize > 50256 ? 50256 : nil
        func token(_ value: Double??, _ key: File.CodingKeys, default fallback: Int?) throws(ConfigurationError) -> Int? {
            guard let value else { return fallback }
            guard let value else { return nil }
            let id = try integer(value, key, default: 0)
            guard id < vocabularySize else { throw invalid(key, expected: "a token id below vocab_size \(vocabularySize)") }
            return id
        }
        self.init(
            vocabularySize: vocabularySize,
            contextLength: try integer(file.contextLength, .contextLength, default: defaults.contextLength),
            embeddingSize: embeddingSize,
            layerCount: try integer(file.layerCount, .layerCount, default: defaults.layerCount),
            headCount: try integer(file.headCount, .headCount, default: defaults.headCount),
            innerSize: try file.innerSize.flatMap { $0 }.map { value throws(ConfigurationError) in try integer(value, .innerSize, default: 0) },
            activation: activation,
            residualDropout: try real(file.residualDropout, .residualDropout, default: 0.1, in: 0.0..<1.0),
            embeddingDropout: try real(file.embeddingDropout, .embeddingDropout, default: 0.1, in: 0.0..<1.0),
            attentionDropout: try real(file.attentionDropout, .attentionDropout, default: 0.1, in: 0.0..<1.0),
            layerNormEpsilon: try real(file.layerNormEpsilon, .layerNormEpsilon, default: 1e-5, in: 0.0..<1.0.nextUp),
            scalesAttentionWeights: file.scalesAttentionWeights ?? true,
            scalesAttentionByInverseLayerIndex: file.scalesAttentionByInverseLayerIndex ?? false,
            addsCrossAttention: file.addsCrossAttention ?? false, tiesWordEmbeddings: file.tiesWordEmbeddings ?? true,
            beginningOfTextToken: try token(file.beginningOfTextToken, .beginningOfTextToken, default: defaultToken),
            endOfTextToken: try token(file.endOfTextToken, .endOfTextToken, default: defaultToken))
        guard embeddingSize % headCount == 0 else {
            throw .invalidValue(
                path: path, key: "n_head", found: "\(headCount)", expected: "a divisor of n_embd \(embeddingSize)")
        }
    }

    /// The keys of a `config.json` that ``init(contentsOf:)`` reads, each `nil` when absent
    /// (and, for the keys that may be `null`, `.some(nil)` when `null`).
    ///
    /// Integers are decoded as `Double` and then checked to be integral: `JSONDecoder` reports a
    /// fraction decoded as `Int` as corrupt data, without naming the key.
    private struct File: Decodable {
        let modelType, activation: String?
        let vocabularySize, contextLength, embeddingSize, layerCount, headCount: Double?
        let innerSize, beginningOfTextToken, endOfTextToken: Double??
        let residualDropout, embeddingDropout, attentionDropout, layerNormEpsilon: Double?
        let scalesAttentionWeights, scalesAttentionByInverseLayerIndex, addsCrossAttention, tiesWordEmbeddings: Bool?

        enum CodingKeys: String, CodingKey {
            case modelType = "model_type", activation = "activation_function", vocabularySize = "vocab_size"
            case contextLength = "n_positions", embeddingSize = "n_embd", layerCount = "n_layer", headCount = "n_head"
            case innerSize = "n_inner", beginningOfTextToken = "bos_token_id", endOfTextToken = "eos_token_id"
            case residualDropout = "resid_pdrop", embeddingDropout = "embd_pdrop", attentionDropout = "attn_pdrop"
            case layerNormEpsilon = "layer_norm_epsilon", scalesAttentionWeights = "scale_attn_weights"
            case scalesAttentionByInverseLayerIndex = "scale_attn_by_inverse_layer_idx"
            case addsCrossAttention = "add_cross_attention", tiesWordEmbeddings = "tie_word_embeddings"

            /// What the key must hold, as an error message says it.
            var expected: String {
                switch self {
                case .modelType: return "a string"
                case .activation: return "one of gelu_new, gelu_pytorch_tanh, gelu_fast, gelu, relu"
                case .layerNormEpsilon: return "a number in [0, 1]"
                case .residualDropout, .embeddingDropout, .attentionDropout: return "a probability in [0, 1)"
                case .scalesAttentionWeights, .scalesAttentionByInverseLayerIndex, .addsCrossAttention, .tiesWordEmbeddings:
                    return "true or false"
                default:
                    let range = GPT2Configuration.allowedRanges[rawValue]!
                    let nullable = [.innerSize, .beginningOfTextToken, .endOfTextToken].contains(self) ? " or null" : ""
                    return "an integer in \(range.lowerBound)...\(range.upperBound)\(nullable)"
                }
            }
        }

        /// Decodes the keys in the order ``GPT2Configuration/init(contentsOf:)`` checks them. A key
        /// that is present must hold a value of its type; only the nullable keys may be `null`.
        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: CodingKeys.self)
            func optional<Value: Decodable>(_ key: CodingKeys) throws -> Value? {
                keys.contains(key) ? try keys.decode(Value.self, forKey: key) : nil
            }
            func nullable(_ key: CodingKeys) throws -> Double?? {
                guard keys.contains(key) else { return nil }
                return .some(try keys.decodeNil(forKey: key) ? nil : try keys.decode(Double.self, forKey: key))
            }
            (modelType, activation) = (try optional(.modelType), try optional(.activation))
            (vocabularySize, contextLength) = (try optional(.vocabularySize), try optional(.contextLength))
            (embeddingSize, layerCount, headCount) = (try optional(.embeddingSize), try optional(.layerCount), try optional(.headCount))
            (innerSize, beginningOfTextToken, endOfTextToken) = (
                try nullable(.innerSize), try nullable(.beginningOfTextToken), try nullable(.endOfTextToken)
            )
            (residualDropout, embeddingDropout) = (try optional(.residualDropout), try optional(.embeddingDropout))
            (attentionDropout, layerNormEpsilon) = (try optional(.attentionDropout), try optional(.layerNormEpsilon))
            scalesAttentionWeights = try optional(.scalesAttentionWeights)
            scalesAttentionByInverseLayerIndex = try optional(.scalesAttentionByInverseLayerIndex)
            (addsCrossAttention, tiesWordEmbeddings) = (try optional(.addsCrossAttention), try optional(.tiesWordEmbeddings))
        }
    }
}
