import BraidAttention
import BraidData

extension CLIPConfiguration {
    /// The integer ranges that ``init(contentsOf:)`` accepts, by key of either section or the top
    /// level: wider than any published CLIP checkpoint, and small enough that every size computed
    /// from them (``parameterCount`` included) fits in `Int`.
    public static let allowedRanges: [String: ClosedRange<Int>] = [
        "vocab_size": 1...(1 << 24), "max_position_embeddings": 1...(1 << 20), "hidden_size": 1...(1 << 16),
        "intermediate_size": 1...(1 << 20), "num_hidden_layers": 1...1024, "num_attention_heads": 1...(1 << 16),
        "image_size": 1...(1 << 15), "patch_size": 1...(1 << 15), "num_channels": 1...(1 << 10),
        "projection_dim": 1...(1 << 16), "pad_token_id": 0...(1 << 24), "bos_token_id": 0...(1 << 24),
        "eos_token_id": 0...(1 << 24),
    ]

    /// Reads a Hugging Face CLIP `config.json` (`model_type` `clip`): `projection_dim`,
    /// `logit_scale_init_value`, and the `text_config` and `vision_config` objects; other keys are
    /// ignored, and absent ones take `CLIPConfig`'s defaults (ViT-B/32's). An `eos_token_id` of 2
    /// sets ``CLIPTextConfiguration/poolsAtLargestID``, as `transformers` decides it.
    ///
    /// Throws `ConfigurationError`, naming the file, the key (`text_config.hidden_size`), the
    /// value found and what is allowed, when a value has the wrong type or lies outside its range
    /// (the integers in ``allowedRanges``; heads must divide the width; token ids below
    /// `vocab_size`; `patch_size` at most `image_size`; `attention_dropout` in [0, 1);
    /// `layer_norm_eps` in [0, 1]; `logit_scale_init_value` finite), or when the file describes
    /// another architecture.
    public init(contentsOf path: String) throws(ConfigurationError) {
        let reader = try ConfigurationReader(path: path) { Self.expected(File.CodingKeys(rawValue: $0)!) }
        let file = try reader.decode(File.self) { File.CodingKeys(rawValue: $0) != nil }
        if let name = file.modelType, name != "clip" {
            throw .unsupportedArchitecture(path: path, found: name, expected: "'clip'")
        }
        func sectionReader(_ key: String) throws(ConfigurationError) -> (ConfigurationReader, File)? {
            guard let section = try reader.section(key, expected: { Self.expected(File.CodingKeys(rawValue: $0)!) }) else { return nil }
            return (section, try section.decode(File.self) { File.CodingKeys(rawValue: $0) != nil })
        }
        let defaults = CLIPConfiguration()
        let text = try sectionReader("text_config").map { (section, file) throws(ConfigurationError) in
            try Self.text(file, section, defaults: defaults.text)
        } ?? defaults.text
        let vision = try sectionReader("vision_config").map { (section, file) throws(ConfigurationError) in
            try Self.vision(file, section, defaults: defaults.vision)
        } ?? defaults.vision
        let projection = try reader.integer(
            file.projectionDimension, "projection_dim", in: Self.allowedRanges["projection_dim"]!, default: defaults.projectionDimension)
        let scale = try reader.real(
            file.logitScaleInitialValue, "logit_scale_init_value", in: -1e4..<1e4, default: defaults.logitScaleInitialValue)
        self.init(text: text, vision: vision, projectionDimension: projection, logitScaleInitialValue: scale)
    }

    /// The text tower of a `text_config` section.
    private static func text(
        _ file: File, _ reader: ConfigurationReader, defaults: CLIPTextConfiguration
    ) throws(ConfigurationError) -> CLIPTextConfiguration {
        let vocabularySize = try integer(file.vocabularySize, .vocabularySize, reader, default: defaults.vocabularySize)
        func token(_ value: Double?, _ key: File.CodingKeys, default fallback: Int) throws(ConfigurationError) -> Int {
            let id = try integer(value, key, reader, default: fallback)
            guard id < vocabularySize else { throw reader.invalid(key.rawValue, expected: "a token id below vocab_size \(vocabularySize)") }
            return id
        }
        let endOfTextToken = try token(file.endOfTextToken, .endOfTextToken, default: min(defaults.endOfTextToken, vocabularySize - 1))
        return CLIPTextConfiguration(
            vocabularySize: vocabularySize,
            contextLength: try integer(file.contextLength, .contextLength, reader, default: defaults.contextLength),
            encoder: try encoder(file, reader, defaults: defaults.encoder),
            paddingToken: try token(file.paddingToken, .paddingToken, default: min(defaults.paddingToken, vocabularySize - 1)),
            beginningOfTextToken: try token(file.beginningOfTextToken, .beginningOfTextToken, default: min(defaults.beginningOfTextToken, vocabularySize - 1)),
            endOfTextToken: endOfTextToken, poolsAtLargestID: endOfTextToken == 2)
    }

    /// The vision tower of a `vision_config` section.
    private static func vision(
        _ file: File, _ reader: ConfigurationReader, defaults: CLIPVisionConfiguration
    ) throws(ConfigurationError) -> CLIPVisionConfiguration {
        let imageSize = try integer(file.imageSize, .imageSize, reader, default: defaults.imageSize)
        let patchSize = try integer(file.patchSize, .patchSize, reader, default: defaults.patchSize)
        guard patchSize <= imageSize else {
            throw reader.invalid(File.CodingKeys.patchSize.rawValue, expected: "at most image_size \(imageSize)")
        }
        return CLIPVisionConfiguration(
            imageSize: imageSize, patchSize: patchSize,
            channelCount: try integer(file.channelCount, .channelCount, reader, default: defaults.channelCount),
            encoder: try encoder(file, reader, defaults: defaults.encoder))
    }

    /// The encoder keys of either section.
    private static func encoder(
        _ file: File, _ reader: ConfigurationReader, defaults: CLIPEncoderConfiguration
    ) throws(ConfigurationError) -> CLIPEncoderConfiguration {
        let activation: TransformerActivation
        switch file.activation ?? "quick_gelu" {
        case "quick_gelu": activation = .quickGelu
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh": activation = .geluTanh
        case "relu": activation = .relu
        default: throw reader.invalid(File.CodingKeys.activation.rawValue)
        }
        let hiddenSize = try integer(file.hiddenSize, .hiddenSize, reader, default: defaults.hiddenSize)
        let headCount = try integer(file.headCount, .headCount, reader, default: defaults.headCount)
        guard hiddenSize % headCount == 0 else {
            throw reader.invalid(File.CodingKeys.headCount.rawValue, expected: "a divisor of hidden_size \(hiddenSize)")
        }
        return CLIPEncoderConfiguration(
            hiddenSize: hiddenSize,
            intermediateSize: try integer(file.intermediateSize, .intermediateSize, reader, default: defaults.intermediateSize),
            layerCount: try integer(file.layerCount, .layerCount, reader, default: defaults.layerCount), headCount: headCount,
            activation: activation,
            layerNormEpsilon: try reader.real(file.layerNormEpsilon, File.CodingKeys.layerNormEpsilon.rawValue, in: 0.0..<1.0.nextUp, default: 1e-5),
            attentionDropout: try reader.real(file.attentionDropout, File.CodingKeys.attentionDropout.rawValue, in: 0.0..<1.0, default: 0))
    }

    private static func integer(
        _ value: Double?, _ key: File.CodingKeys, _ reader: ConfigurationReader, default fallback: Int
    ) throws(ConfigurationError) -> Int {
        try reader.integer(value, key.rawValue, in: allowedRanges[key.rawValue]!, default: fallback)
    }

    /// What a key must hold, as an error message says it.
    private static func expected(_ key: File.CodingKeys) -> String {
        switch key {
        case .modelType: "a string"
        case .activation: "one of quick_gelu, gelu, gelu_new, gelu_pytorch_tanh, relu"
        case .layerNormEpsilon: "a number in [0, 1]"
        case .attentionDropout: "a probability in [0, 1)"
        case .logitScaleInitialValue: "a number in (-10000, 10000)"
        default:
            "an integer in \(allowedRanges[key.rawValue]!.lowerBound)...\(allowedRanges[key.rawValue]!.upperBound)"
        }
    }

    /// The keys that ``init(contentsOf:)`` reads at the top level or in a section, each `nil`
    /// when absent; a present key must hold a value of its type (`null` included).
    ///
    /// Integers are decoded as `Double` and then checked to be integral: `JSONDecoder` reports a
    /// fraction decoded as `Int` as corrupt data, without naming the key.
    private struct File: Decodable {
        let modelType, activation: String?
        let projectionDimension, logitScaleInitialValue: Double?
        let vocabularySize, contextLength, hiddenSize, intermediateSize, layerCount, headCount: Double?
        let paddingToken, beginningOfTextToken, endOfTextToken, imageSize, patchSize, channelCount: Double?
        let layerNormEpsilon, attentionDropout: Double?

        enum CodingKeys: String, CodingKey {
            case modelType = "model_type", activation = "hidden_act", projectionDimension = "projection_dim"
            case logitScaleInitialValue = "logit_scale_init_value", vocabularySize = "vocab_size"
            case contextLength = "max_position_embeddings", hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
            case layerCount = "num_hidden_layers", headCount = "num_attention_heads", paddingToken = "pad_token_id"
            case beginningOfTextToken = "bos_token_id", endOfTextToken = "eos_token_id", imageSize = "image_size"
            case patchSize = "patch_size", channelCount = "num_channels", layerNormEpsilon = "layer_norm_eps"
            case attentionDropout = "attention_dropout"
        }

        /// Decodes the keys in the order the readers above check them.
        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: CodingKeys.self)
            func optional<Value: Decodable>(_ key: CodingKeys) throws -> Value? {
                keys.contains(key) ? try keys.decode(Value.self, forKey: key) : nil
            }
            (modelType, activation) = (try optional(.modelType), try optional(.activation))
            (projectionDimension, logitScaleInitialValue) = (try optional(.projectionDimension), try optional(.logitScaleInitialValue))
            (vocabularySize, contextLength) = (try optional(.vocabularySize), try optional(.contextLength))
            (hiddenSize, intermediateSize) = (try optional(.hiddenSize), try optional(.intermediateSize))
            (layerCount, headCount) = (try optional(.layerCount), try optional(.headCount))
            (paddingToken, beginningOfTextToken, endOfTextToken) = (
                try optional(.paddingToken), try optional(.beginningOfTextToken), try optional(.endOfTextToken)
            )
            (imageSize, patchSize, channelCount) = (try optional(.imageSize), try optional(.patchSize), try optional(.channelCount))
            (layerNormEpsilon, attentionDropout) = (try optional(.layerNormEpsilon), try optional(.attentionDropout))
        }
    }
}
