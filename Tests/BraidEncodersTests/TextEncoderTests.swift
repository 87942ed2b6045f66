import BraidAutograd
import BraidData
import BraidEncoders
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

@Suite struct TextEncoderTests {
    /// The part of `tokenizer/expected.json` these tests read: each sentence's text.
    struct Expected: Decodable {
        struct Sentence: Decodable { let text: String }
        let sentences: [Sentence]
    }

    /// The fixture sentences, in order.
    func sentences() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tokenizer/expected.json")))
        return try JSONDecoder().decode(Expected.self, from: data).sentences.map(\.text)
    }

    /// all-MiniLM-L6-v2 sentence embeddings against sentence-transformers, in padded batches.
    @Test func miniLMSentenceEmbeddingsMatchSentenceTransformers() throws {
        let folder = Models.miniLMDirectory
        try #require(
            FileManager.default.fileExists(atPath: folder),
            "all-MiniLM-L6-v2 is not at \(folder): run Scripts/test, which installs it, or set BRAID_MINILM_DIRECTORY")
        let (encoder, tokenizer) = try TextEncoder.loadWithTokenizer(directory: folder)
        let texts = try sentences()
        let expected = try Fixtures.open("text-encoder.safetensors").tensor("embeddings")
        for start in stride(from: 0, to: texts.count, by: 8) {
            let end = min(start + 8, texts.count)
            let batch = tokenizer.encodeBatch(Array(texts[start..<end]))
            let embeddings = withoutGradients { encoder.encode(batch).pooled.value }
            expectClose(
                embeddings, expected.sliced(axis: 0, start: start, end: end), relative: 0, absolute: 1e-4,
                "sentences \(start)..<\(end)")
        }
        let sorted = encoder.embed(texts, tokenizer: tokenizer, batchSize: 5)
        expectClose(sorted, expected, relative: 0, absolute: 1e-4, "length-sorted batches")
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("braid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let validConfiguration = """
        {"model_type": "bert", "vocab_size": 100, "hidden_size": 32, "num_hidden_layers": 2,
         "num_attention_heads": 4, "intermediate_size": 64, "hidden_act": "gelu", "layer_norm_eps": 1e-12}
        """

    @Test func configurationReadsHuggingFaceKeys() throws {
        let configuration = try BertConfiguration(contentsOf: temporaryFile("config.json", Self.validConfiguration))
        #expect(configuration == BertConfiguration(
            vocabularySize: 100, hiddenSize: 32, layerCount: 2, headCount: 4, intermediateSize: 64))
    }

    /// Hugging Face writes many keys Braid does not read, of every JSON type; they are ignored.
    @Test func configurationIgnoresOtherKeys() throws {
        let extra = """
            {"architectures": ["BertModel"], "torch_dtype": "float32", "use_cache": true, "classifier_dropout": null,
             "gradient_checkpointing": false, "id2label": {"0": "LABEL_0"}, "pad_token_id": 0, "initializer_range": 0.02,
            """
        let path = try temporaryFile("config.json", Self.validConfiguration.replacingOccurrences(of: "{", with: extra))
        #expect(try BertConfiguration(contentsOf: path) == BertConfiguration(
            vocabularySize: 100, hiddenSize: 32, layerCount: 2, headCount: 4, intermediateSize: 64))
    }

    @Test(arguments: [
        ("\"hidden_size\": 32", "\"hidden_size\": \"32\"", "'hidden_size' is \"32\"; it must be an integer in 1...65536"),
        ("\"hidden_size\": 32", "\"hidden_size\": true", "'hidden_size' is true; it must be an integer in 1...65536"),
        ("\"hidden_size\": 32", "\"hidden_size\": 0", "'hidden_size' is 0; it must be an integer in 1...65536"),
        ("\"vocab_size\": 100", "\"vocab_size\": 1000000000", "'vocab_size' is 1000000000; it must be an integer in 1...16777216"),
        ("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1000000", "'num_hidden_layers' is 1000000; it must be an integer in 1...1024"),
        ("\"intermediate_size\": 64", "\"intermediate_size\": 1e9", "'intermediate_size' is 1000000000; it must be an integer in 1...1048576"),
        ("\"intermediate_size\": 64", "\"intermediate_size\": 64.5", "'intermediate_size' is 64.5"),
        ("\"vocab_size\": 100, ", "", "missing key 'vocab_size'"),
        ("\"hidden_size\": 32", "\"hidden_size\": null", "'hidden_size' is null; it must be an integer in 1...65536"),
        ("\"hidden_size\": 32", "\"hidden_size\": [32]", "'hidden_size' is an array; it must be an integer in 1...65536"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": null", "'layer_norm_eps' is null; it must be a number in [0, 1]"),
        ("\"hidden_act\": \"gelu\"", "\"hidden_act\": 3", "'hidden_act' is 3; it must be one of"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": \"tiny\"", "'layer_norm_eps' is \"tiny\"; it must be a number in [0, 1]"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": -1", "'layer_norm_eps' is -1"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": 1e-12, \"hidden_dropout_prob\": -1", "'hidden_dropout_prob' is -1; it must be a probability in [0, 1)"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": 1e-12, \"hidden_dropout_prob\": 1", "'hidden_dropout_prob' is 1;"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": 1e-12, \"hidden_dropout_prob\": 1.5", "'hidden_dropout_prob' is 1.5;"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": 1e-12, \"hidden_dropout_prob\": 1e300", "'hidden_dropout_prob' is 1e+300;"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": 1e-12, \"attention_probs_dropout_prob\": 1", "'attention_probs_dropout_prob' is 1;"),
        ("\"model_type\": \"bert\"", "\"model_type\": \"gpt2\"", "architecture 'gpt2'"),
        ("\"num_attention_heads\": 4", "\"num_attention_heads\": 5", "'num_attention_heads' is 5; it must be a divisor of hidden_size"),
    ])
    func badConfigurationsNameTheFileAndKey(original: String, replacement: String, message: String) throws {
        let path = try temporaryFile("config.json", Self.validConfiguration.replacingOccurrences(of: original, with: replacement))
        #expect {
            try BertConfiguration(contentsOf: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains(message)
        }
        let notJSON = try temporaryFile("config.json", "{ nope")
        #expect(throws: ConfigurationError.invalidJSON(path: notJSON)) { try BertConfiguration(contentsOf: notJSON) }
    }

    @Test func loadingNamesWhatIsMissing() throws {
        #expect(throws: ConfigurationError.self) { try TextEncoder.load(directory: "/nonexistent/folder") }
        let config = try temporaryFile("config.json", Self.validConfiguration)
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent().path
        #expect {
            try TextEncoder.load(directory: folder)
        } throws: { error in
            "\(error)".contains("model.safetensors")
        }
    }

    /// A folder with `configuration` as config.json, `vocabulary` as vocab.txt, the weights of a
    /// random `TextEncoder(weights)` and, when given, a tokenizer_config.json.
    func modelFolder(weights: BertConfiguration, configuration: String = Self.validConfiguration,
                     vocabulary: [String], tokenizerConfiguration: String? = nil) throws -> String {
        let folder = URL(fileURLWithPath: try temporaryFile("config.json", configuration)).deletingLastPathComponent()
        var generator = RandomGenerator(seed: 1)
        try TextEncoder(weights, generator: &generator).saveStateDict(to: folder.appendingPathComponent("model.safetensors").path)
        try vocabulary.joined(separator: "\n").write(to: folder.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        if let tokenizerConfiguration {
            try tokenizerConfiguration.write(
                to: folder.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
        }
        return folder.path
    }

    static let small = BertConfiguration(vocabularySize: 100, hiddenSize: 32, layerCount: 2, headCount: 4, intermediateSize: 64)
    static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    @Test func parameterCountIsTheModelsParameterCount() {
        var generator = RandomGenerator(seed: 2)
        for configuration in [Self.small, BertConfiguration(
            vocabularySize: 37, hiddenSize: 12, layerCount: 3, headCount: 3, intermediateSize: 20, maximumPositions: 9,
            typeVocabularySize: 3)] {
            let model = TextEncoder(configuration, generator: &generator)
            #expect(configuration.parameterCount == model.parameters().map(\.value.count).reduce(0, +))
        }
    }

    @Test func attentionDropoutComesFromTheConfiguration() throws {
        let path = try temporaryFile("config.json", Self.validConfiguration.replacingOccurrences(
            of: "\"layer_norm_eps\": 1e-12", with: "\"layer_norm_eps\": 1e-12, \"attention_probs_dropout_prob\": 0.25"))
        let configuration = try BertConfiguration(contentsOf: path)
        #expect(configuration.attentionDropout == 0.25 && configuration.hiddenDropout == 0.1)
        var generator = RandomGenerator(seed: 0)
        let encoder = TextEncoder(configuration, generator: &generator)
        #expect(encoder.encoder.layers.allSatisfy { $0.attention.dropout == 0.25 })
    }

    /// vocab_size 2²⁴ and hidden_size 2¹⁶ are each allowed, but together they describe 4 TB of
    /// embeddings: the header of the small checkpoint says so before anything is allocated.
    @Test func configurationLargerThanItsCheckpointThrowsBeforeAllocating() throws {
        let configuration = Self.validConfiguration
            .replacingOccurrences(of: "\"vocab_size\": 100", with: "\"vocab_size\": 16777216")
            .replacingOccurrences(of: "\"hidden_size\": 32", with: "\"hidden_size\": 65536")
        let folder = try modelFolder(weights: Self.small, configuration: configuration, vocabulary: Self.specialTokens)
        let error = #expect(throws: ConfigurationError.self) { try TextEncoder.load(directory: folder) }
        guard case .mismatch(let path, let reason)? = error else {
            Issue.record("expected .mismatch, got \(String(describing: error))")
            return
        }
        #expect(path == folder + "/config.json")
        #expect(reason.contains("model.safetensors holds \(Self.small.parameterCount) values"))
    }

    @Test func tokenizerAndEncoderOfOneFolderMustAgree() throws {
        let tokens = Self.specialTokens + (0..<95).map { "w\($0)" }
        let fits = try modelFolder(weights: Self.small, vocabulary: tokens)
        let (encoder, tokenizer) = try TextEncoder.loadWithTokenizer(directory: fits)
        #expect(tokenizer.vocabularySize == 100 && tokenizer.modelMaxLength == encoder.configuration.maximumPositions)

        let tooMany = try modelFolder(weights: Self.small, vocabulary: tokens + ["extra"])
        #expect {
            try TextEncoder.loadWithTokenizer(directory: tooMany)
        } throws: { error in
            "\(error)" == "\(tooMany)/vocab.txt: 101 tokens, but \(tooMany)/config.json has vocab_size 100: ids from 100 on "
                + "would be outside the embedding table"
        }
        let tooLong = try modelFolder(
            weights: Self.small, vocabulary: tokens, tokenizerConfiguration: #"{"model_max_length": 1024}"#)
        #expect {
            try TextEncoder.loadWithTokenizer(directory: tooLong)
        } throws: { error in
            "\(error)".contains("model_max_length 1024 exceeds max_position_embeddings 512")
        }
    }

    @Test func poolingAndSharedInterface() {
        var generator = RandomGenerator(seed: 3)
        let encoder = TextEncoder(
            BertConfiguration(vocabularySize: 50, hiddenSize: 16, layerCount: 1, headCount: 2, intermediateSize: 32),
            pooling: .mean, normalizesPooledFeatures: true, generator: &generator)
        encoder.eval()
        let ids = IntTensor(shape: [2, 4], scalars: [1, 5, 6, 2, 1, 7, 2, 0])
        let mask = IntTensor(shape: [2, 4], scalars: [1, 1, 1, 1, 1, 1, 1, 0])
        let features = encoder.encode(TokenizedBatch(inputIds: ids, attentionMask: mask, tokenTypeIds: IntTensor(shape: [2, 4], scalars: [0, 0, 0, 0, 0, 0, 0, 0])))
        #expect(features.sequence.shape == [2, 4, 16])
        #expect(features.pooled.shape == [2, 16])
        #expect(features.paddingMask?.scalars == [0, 0, 0, 0, 0, 0, 0, 1])
        let norms = (features.pooled.value * features.pooled.value).sum(alongAxes: [1]).sqrt()
        expectClose(norms, Tensor([1, 1]), relative: 1e-5)
        // Padding must not change a row's pooled features.
        let shorter = encoder.encode(TokenizedBatch(
            inputIds: IntTensor(shape: [1, 3], scalars: [1, 7, 2]), attentionMask: IntTensor(shape: [1, 3], scalars: [1, 1, 1]),
            tokenTypeIds: IntTensor(shape: [1, 3], scalars: [0, 0, 0])))
        expectClose(shorter.pooled.value, features.pooled.value.sliced(axis: 0, start: 1, end: 2), relative: 1e-4, absolute: 1e-5)
        #expect(encoder.namedParameters().first?.name == "embeddings.word_embeddings.weight")
    }
}
