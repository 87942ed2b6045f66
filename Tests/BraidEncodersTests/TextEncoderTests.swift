import BraidAutograd
import BraidData
import BraidEncoders
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

@Suite struct TextEncoderTests {
    /// The fixture sentences, in order.
    func sentences() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tokenizer/expected.json")))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (object["sentences"] as! [[String: Any]]).map { $0["text"] as! String }
    }

    /// all-MiniLM-L6-v2 sentence embeddings against sentence-transformers, in padded batches.
    @Test func miniLMSentenceEmbeddingsMatchSentenceTransformers() throws {
        let folder = Models.miniLMDirectory
        try #require(
            FileManager.default.fileExists(atPath: folder),
            "all-MiniLM-L6-v2 is not at \(folder): run Scripts/test, which installs it, or set BRAID_MINILM_DIRECTORY")
        let tokenizer = try WordPieceTokenizer(directory: folder)
        let encoder = try TextEncoder.load(directory: folder)
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

    @Test(arguments: [
        ("\"hidden_size\": 32", "\"hidden_size\": \"32\"", "'hidden_size' must be a positive integer"),
        ("\"hidden_size\": 32", "\"hidden_size\": true", "'hidden_size' must be a positive integer"),
        ("\"vocab_size\": 100, ", "", "missing key 'vocab_size'"),
        ("\"hidden_act\": \"gelu\"", "\"hidden_act\": 3", "'hidden_act' must be one of"),
        ("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": \"tiny\"", "'layer_norm_eps' must be a number"),
        ("\"model_type\": \"bert\"", "\"model_type\": \"gpt2\"", "architecture 'gpt2'"),
        ("\"num_attention_heads\": 4", "\"num_attention_heads\": 5", "a divisor of hidden_size"),
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
