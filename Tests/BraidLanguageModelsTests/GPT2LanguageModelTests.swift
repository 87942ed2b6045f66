import BraidAttention
import BraidAutograd
import BraidData
import BraidGeneration
import BraidLanguageModels
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// GPT-2 against randomly initialised `transformers` `GPT2LMHeadModel`s saved by
/// `save_pretrained` (`Tests/Fixtures/gpt2/`, written by `Scripts/make-gpt2-fixtures.py`).
@Suite struct GPT2LanguageModelTests {
    let logits: SafeTensors
    let tiny: GPT2LanguageModel
    init() throws {
        logits = try Fixtures.open("gpt2/logits.safetensors")
        tiny = try GPT2LanguageModel.load(directory: Fixtures.path("gpt2/tiny"))
    }

    func ids(_ name: String) throws -> IntTensor {
        let values = try logits.tensor(name)
        return IntTensor(shape: values.shape, scalars: values.scalars.map { Int($0) })
    }

    @Test func configurationIsReadFromTheCheckpoint() {
        let c = tiny.configuration
        #expect(c.vocabularySize == 331 && c.contextLength == 96 && c.embeddingSize == 48)
        #expect(c.layerCount == 3 && c.headCount == 6 && c.innerSize == 80 && c.activation == .geluTanh)
        #expect(c.tiesWordEmbeddings && c.endOfTextToken == 0 && !c.addsCrossAttention)
        #expect(tiny.head.weight === tiny.transformer.tokenEmbedding.weight)
        #expect(tiny.parameters().count == tiny.namedParameters().count)
        #expect(!tiny.namedParameters().contains { $0.name == "lm_head.weight" })
        #expect(tiny.namedParameters().reduce(0) { $0 + $1.variable.value.count } == c.parameterCount)
    }

    @Test func logitsMatchTransformers() throws {
        let y = tiny(try ids("plain.ids"))
        expectClose(y.value, try logits.tensor("plain.logits"), relative: 1e-4, absolute: 1e-4)
    }

    /// A left-padded batch with the positions `generate` gives it: the real tokens' logits match.
    @Test func leftPaddedLogitsMatchTransformers() throws {
        let padding = try logits.tensor("padded.padding_mask")
        let y = tiny(try ids("padded.ids"), paddingMask: padding, positions: try ids("padded.positions")).value
        let expected = try logits.tensor("padded.logits")
        let (batch, length, vocabulary) = (y.shape[0], y.shape[1], y.shape[2])
        for b in 0..<batch {
            for i in 0..<length where padding[b, i] == 0 {
                let row = (b * length + i) * vocabulary
                let ours = Tensor(Array(y.scalars[row..<row + vocabulary]))
                let theirs = Tensor(Array(expected.scalars[row..<row + vocabulary]))
                expectClose(ours, theirs, relative: 1e-4, absolute: 1e-4, "row \(b), position \(i)")
            }
        }
    }

    @Test func crossAttentionLogitsMatchTransformers() throws {
        let model = try GPT2LanguageModel.load(directory: Fixtures.path("gpt2/tiny-cross"))
        #expect(model.configuration.addsCrossAttention && !model.configuration.tiesWordEmbeddings)
        #expect(model.configuration.scalesAttentionByInverseLayerIndex)
        let y = model(
            try ids("cross.ids"), encoderStates: Variable(try logits.tensor("cross.encoder_states")),
            encoderPaddingMask: try logits.tensor("cross.encoder_padding_mask"))
        expectClose(y.value, try logits.tensor("cross.logits"), relative: 1e-4, absolute: 1e-4)
    }

    /// The cached decode with cross-attention equals the full forward at every step.
    @Test func crossAttentionCacheEqualsTheFullForward() throws {
        let model = try GPT2LanguageModel.load(directory: Fixtures.path("gpt2/tiny-cross"))
        let (ids, states) = (try ids("cross.ids"), Variable(try logits.tensor("cross.encoder_states")))
        let mask = try logits.tensor("cross.encoder_padding_mask")
        let full = model(ids, encoderStates: states, encoderPaddingMask: mask).value
        withoutGradients {
            var cache = model.transformer.makeCache(batchSize: 2, encoderStates: states, encoderPaddingMask: mask)
            for step in 0..<ids.shape[1] {
                let token = IntTensor(shape: [2, 1], scalars: [ids.scalars[step], ids.scalars[ids.shape[1] + step]])
                let hidden = model.transformer(token, cache: &cache)
                let expected = full.sliced(axis: 1, start: step, end: step + 1)
                expectClose(model.head(hidden).value, expected, relative: 1e-5, absolute: 1e-5, "step \(step)")
            }
        }
    }

    /// 32 greedy tokens equal `transformers`' `generate`, decoded with the cache and without it
    /// (the whole sequence through the model at every step); the two agree on logits within 1e-5.
    @Test func greedyTokensMatchTransformersWithAndWithoutTheCache() throws {
        let expectation = try GenerationFixture.load()
        let prompt = expectation.greedy.prompt
        var withoutCache = prompt, withCache: [Int] = []
        try withoutGradients {
            var cache = tiny.makeCache(batchSize: 1)
            var next = IntTensor(shape: [1, prompt.count], scalars: prompt)
            for _ in 0..<expectation.greedy.maxNewTokens {
                let cached = tiny.nextTokenLogits(next, paddingMask: nil, cache: &cache)
                let full = tiny(IntTensor(shape: [1, withoutCache.count], scalars: withoutCache)).value
                let last = full.sliced(axis: 1, start: withoutCache.count - 1, end: withoutCache.count).squeezed(1)
                expectClose(cached, last, relative: 1e-5, absolute: 1e-5)
                withoutCache.append(last.argmax(alongAxis: 1).scalars[0])
                withCache.append(cached.argmax(alongAxis: 1).scalars[0])
                next = IntTensor(shape: [1, 1], scalars: [withCache.last!])
            }
            #expect(cache.count == prompt.count + expectation.greedy.maxNewTokens - 1)
            try #require(expectation.greedy.tokens.count == 1)
        }
        #expect(withCache == expectation.greedy.tokens[0])
        #expect(Array(withoutCache.dropFirst(prompt.count)) == expectation.greedy.tokens[0])
    }

    /// The original GPT-2 uploads name weights without `transformer.` and keep the causal-mask
    /// buffers `attn.bias`/`attn.masked_bias`; such a file loads to the same model.
    @Test func loadsTheOriginalUploadLayout() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-original-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var values: [String: Tensor] = [:]
        for (name, value) in tiny.stateDict() { values[String(name.dropFirst("transformer.".count))] = value }
        for i in 0..<3 { values["h.\(i).attn.bias"] = Tensor.ones([1, 1, 96, 96]); values["h.\(i).attn.masked_bias"] = Tensor(-1e4) }
        try SafeTensors.write(values, to: folder.appendingPathComponent("model.safetensors").path)
        try FileManager.default.copyItem(
            atPath: Fixtures.path("gpt2/tiny/config.json"), toPath: folder.appendingPathComponent("config.json").path)
        let model = try GPT2LanguageModel.load(directory: folder.path)
        let x = try ids("plain.ids")
        #expect(model(x).value == tiny(x).value)
    }

    @Test func impossibleConfigurationsNameTheKeyAndValue() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("config.json").path
        let cases: [(String, String)] = [
            (#"{"n_embd": 48, "n_head": 5}"#, "'n_head' is 5; it must be a divisor of n_embd 48"),
            (#"{"n_layer": 0}"#, "'n_layer' is 0; it must be an integer in 1...1024"),
            (#"{"vocab_size": 2.5}"#, "'vocab_size' is 2.5"),
            (#"{"activation_function": "swish"}"#, "'activation_function' is \"swish\"; it must be one of"),
            (#"{"vocab_size": 10, "eos_token_id": 10}"#, "'eos_token_id' is 10; it must be a token id below vocab_size 10"),
            (#"{"resid_pdrop": 1}"#, "'resid_pdrop' is 1; it must be a probability in [0, 1)"),
            (#"{"n_positions": null}"#, "'n_positions' is null"),
            (#"{"model_type": "bert"}"#, "architecture 'bert', expected 'gpt2'"),
            ("[1, 2]", "not a JSON object"),
        ]
        for (json, message) in cases {
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            #expect {
                _ = try GPT2Configuration(contentsOf: path)
            } throws: { error in
                "\(error)".contains(path) && "\(error)".contains(message)
            }
        }
        try #"{"n_inner": null, "bos_token_id": null}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let defaults = try GPT2Configuration(contentsOf: path)
        #expect(defaults == GPT2Configuration(beginningOfTextToken: nil))
    }

    /// A configuration that describes more parameters than the checkpoint holds stops before
    /// anything is allocated.
    @Test func aConfigurationLargerThanItsWeightsIsAMismatch() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-mismatch-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"n_layer": 1000, "n_embd": 4096, "n_head": 32}"#.write(
            toFile: folder.appendingPathComponent("config.json").path, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            atPath: Fixtures.path("gpt2/tiny/model.safetensors"),
            toPath: folder.appendingPathComponent("model.safetensors").path)
        #expect {
            _ = try GPT2LanguageModel.load(directory: folder.path)
        } throws: { error in
            "\(error)".contains("describes a model of") && "\(error)".contains("parameters")
        }
    }

    /// A folder that is not there, or lacks one of its two files, throws naming the path.
    @Test func aMissingFolderOrFileIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-missing-\(UUID())")
        #expect { _ = try GPT2LanguageModel.load(directory: folder.path) } throws: { "\($0)".contains("no such folder") }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect { _ = try GPT2LanguageModel.load(directory: folder.path) } throws: { "\($0)".contains("config.json") }
        try FileManager.default.copyItem(
            atPath: Fixtures.path("gpt2/tiny/config.json"), toPath: folder.appendingPathComponent("config.json").path)
        #expect { _ = try GPT2LanguageModel.load(directory: folder.path) } throws: { "\($0)".contains("model.safetensors") }
        try Data([1, 2, 3]).write(to: folder.appendingPathComponent("model.safetensors"))
        #expect { _ = try GPT2LanguageModel.load(directory: folder.path) } throws: { $0 is SafeTensorsError }
    }

    @Test func badInputStopsNamingTheValue() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = try GPT2LanguageModel.load(directory: Fixtures.path("gpt2/tiny"))
            _ = model(IntTensor(shape: [1, 2], scalars: [3, 331]))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("token id 331 is outside the vocabulary 0..<331"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = try GPT2LanguageModel.load(directory: Fixtures.path("gpt2/tiny"))
            _ = model(IntTensor(shape: [1, 97], scalars: [Int](repeating: 1, count: 97)))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("97 tokens is longer than the context of 96 positions"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = try GPT2LanguageModel.load(directory: Fixtures.path("gpt2/tiny"))
            var cache = model.makeCache(batchSize: 2)
            _ = withoutGradients { model.nextTokenLogits(IntTensor(shape: [3, 1], scalars: [1, 2, 3]), paddingMask: nil, cache: &cache) }
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("[3, 1]") && message.contains("cache of 2 sequences"))
        }
    }
}
