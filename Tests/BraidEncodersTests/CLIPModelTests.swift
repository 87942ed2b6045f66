import BraidAttention
import BraidAutograd
import BraidData
import BraidEncoders
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// CLIP against randomly initialised `transformers` `CLIPModel`s saved by `save_pretrained`
/// (`Tests/Fixtures/clip/`, written by `Scripts/make-clip-fixtures.py`).
@Suite struct CLIPModelTests {
    let outputs: SafeTensors
    let tiny: CLIPModel
    init() throws {
        outputs = try Fixtures.open("clip/outputs.safetensors")
        tiny = try CLIPModel.load(directory: Fixtures.path("clip/tiny"))
    }

    func ids(_ name: String) throws -> IntTensor {
        let values = try outputs.tensor(name)
        return IntTensor(shape: values.shape, scalars: values.scalars.map { Int($0) })
    }

    func expectMatch(_ ours: Variable, _ name: String, tolerance: Float = 1e-4) throws {
        expectClose(ours.value, try outputs.tensor(name), relative: tolerance, absolute: tolerance, Comment(rawValue: name))
    }

    @Test func configurationIsReadFromTheCheckpoint() {
        let c = tiny.configuration
        #expect(c.projectionDimension == 24 && abs(c.logitScaleInitialValue - 2.6592) < 1e-6)
        #expect(c.text.vocabularySize == 97 && c.text.contextLength == 13 && c.text.endOfTextToken == 96)
        #expect(c.text.beginningOfTextToken == 95 && c.text.paddingToken == 1 && !c.text.poolsAtLargestID)
        #expect(c.text.encoder == CLIPEncoderConfiguration(hiddenSize: 40, intermediateSize: 72, layerCount: 2, headCount: 5))
        #expect(c.vision.imageSize == 30 && c.vision.patchSize == 6 && c.vision.channelCount == 3 && c.vision.tokenCount == 26)
        #expect(c.vision.encoder == CLIPEncoderConfiguration(hiddenSize: 36, intermediateSize: 60, layerCount: 2, headCount: 4))
        #expect(tiny.namedParameters().reduce(0) { $0 + $1.variable.value.count } == c.parameterCount)
        #expect(!tiny.isTraining)
    }

    /// Every state-dict name is the one transformers writes, so a model saved here loads there.
    @Test func stateDictNamesAreTransformers() throws {
        let file = try SafeTensors(contentsOf: Fixtures.path("clip/tiny/model.safetensors"))
        #expect(Set(tiny.stateDict().keys) == Set(file.names))
    }

    @Test func towersMatchTransformers() throws {
        let vision = tiny.visionModel.encode(Variable(try outputs.tensor("tiny.pixel_values")))
        try expectMatch(vision.sequence, "tiny.vision_last_hidden_state")
        try expectMatch(tiny.visualProjection(vision.pooled), "tiny.image_features")
        let text = tiny.textModel.encode(try ids("tiny.ids"), paddingMask: try outputs.tensor("tiny.padding_mask"))
        try expectMatch(text.sequence, "tiny.text_last_hidden_state")
        try expectMatch(tiny.textProjection(text.pooled), "tiny.text_features")
    }

    /// With gradients (every layer recorded) and without (the inference path, whose last layers
    /// compute only the pooled rows).
    @Test(arguments: [true, false])
    func embeddingsAndLogitsMatchTransformers(recordsGradients: Bool) throws {
        let (images, texts, mask) = (Variable(try outputs.tensor("tiny.pixel_values")), try ids("tiny.ids"),
                                     try outputs.tensor("tiny.padding_mask"))
        let out = recordsGradients
            ? tiny(images: images, texts: texts, paddingMask: mask)
            : withoutGradients { tiny(images: images, texts: texts, paddingMask: mask) }
        try expectMatch(out.imageEmbeddings, "tiny.image_embeds")
        try expectMatch(out.textEmbeddings, "tiny.text_embeds")
        try expectMatch(out.logitsPerImage, "tiny.logits_per_image")
        #expect(out.logitsPerText.shape == [4, 4])
    }

    /// `return_loss=True`'s loss and the gradients it gives parameters of both towers, the
    /// projections and the logit scale.
    @Test func contrastiveLossAndGradientsMatchTransformers() throws {
        let loss = tiny.contrastiveLoss(
            images: Variable(try outputs.tensor("tiny.pixel_values")), texts: try ids("tiny.ids"),
            paddingMask: try outputs.tensor("tiny.padding_mask"))
        expectClose(loss.value.reshaped(to: [1]), try outputs.tensor("tiny.loss"), relative: 1e-5, absolute: 1e-5)
        loss.backward()
        let parameters = Dictionary(uniqueKeysWithValues: tiny.namedParameters().map { ($0.name, $0.variable) })
        for (name, expected) in try outputs.tensors(withPrefix: "tiny.grad.") {
            let gradient = try #require(parameters[name]?.grad, "no gradient for \(name)")
            expectClose(gradient.reshaped(to: expected.shape), expected, relative: 1e-3, absolute: 1e-5, Comment(rawValue: name))
        }
    }

    /// With `eos_token_id` 2 (the original OpenAI uploads), texts are pooled at their largest id.
    @Test func legacyCheckpointsPoolAtTheLargestID() throws {
        let legacy = try CLIPModel.load(directory: Fixtures.path("clip/tiny-legacy"))
        #expect(legacy.configuration.text.poolsAtLargestID)
        // Only a config.json's eos_token_id 2 means that: a tower built in Swift pools at its end-of-text id.
        #expect(!CLIPTextConfiguration(vocabularySize: 9, paddingToken: 0, beginningOfTextToken: 1, endOfTextToken: 2).poolsAtLargestID)
        let out = legacy(
            images: Variable(try outputs.tensor("tiny.pixel_values")), texts: try ids("legacy.ids"),
            paddingMask: try outputs.tensor("legacy.padding_mask"))
        try expectMatch(out.textEmbeddings, "legacy.text_embeds")
        try expectMatch(out.logitsPerImage, "legacy.logits_per_image")
    }

    /// Dropping a text's padding changes nothing: it is masked as keys and after the end of text.
    @Test func paddingDoesNotChangeTheEmbedding() throws {
        let padded = try ids("tiny.ids")
        let mask = try outputs.tensor("tiny.padding_mask")
        let all = tiny.textFeatures(padded, paddingMask: mask).value
        let short = IntTensor(shape: [1, 5], scalars: Array(padded.scalars[13..<18]))
        let alone = tiny.textFeatures(short).value
        expectClose(alone, all.sliced(axis: 0, start: 1, end: 2), relative: 1e-5, absolute: 1e-6)
    }

    @Test func impossibleConfigurationsNameTheKeyAndValue() throws {
        let folder = try TemporaryDirectory(prefix: "clip-config")
        let cases: [(String, String)] = [
            (#"{"text_config": {"hidden_size": 40, "num_attention_heads": 6}}"#,
             "'text_config.num_attention_heads' is 6; it must be a divisor of hidden_size 40"),
            (#"{"vision_config": {"num_hidden_layers": 0}}"#, "'vision_config.num_hidden_layers' is 0; it must be an integer in 1...1024"),
            (#"{"vision_config": {"image_size": 30, "patch_size": 31}}"#, "'vision_config.patch_size' is 31; it must be at most image_size 30"),
            (#"{"text_config": {"vocab_size": 50, "eos_token_id": 50}}"#, "'text_config.eos_token_id' is 50; it must be a token id below vocab_size 50"),
            (#"{"text_config": {"hidden_act": "swish"}}"#, "'text_config.hidden_act' is \"swish\"; it must be one of"),
            (#"{"text_config": {"vocab_size": 2.5}}"#, "'text_config.vocab_size' is 2.5"),
            (#"{"vision_config": {"attention_dropout": 1}}"#, "'vision_config.attention_dropout' is 1; it must be a probability in [0, 1)"),
            (#"{"vision_config": {"hidden_size": null}}"#, "'vision_config.hidden_size' is null"),
            (#"{"text_config": [1]}"#, "'text_config' is an array; it must be an object"),
            (#"{"projection_dim": 0}"#, "'projection_dim' is 0"),
            (#"{"logit_scale_init_value": 1e300}"#, "'logit_scale_init_value' is 1e+300"),
            (#"{"model_type": "bert"}"#, "architecture 'bert', expected 'clip'"),
            ("[1, 2]", "not a JSON object"),
        ]
        for (json, message) in cases {
            let path = try folder.write(json, to: "config.json")
            #expect {
                _ = try CLIPConfiguration(contentsOf: path)
            } throws: { error in
                "\(error)".contains(path) && "\(error)".contains(message)
            }
        }
        let path = try folder.write(#"{"text_config": null, "vision_config": {}}"#, to: "config.json")
        #expect(try CLIPConfiguration(contentsOf: path) == .vitB32)
    }

    /// A configuration that describes more parameters than the checkpoint holds stops before
    /// anything is allocated.
    @Test func aConfigurationLargerThanItsWeightsIsAMismatch() throws {
        let folder = try TemporaryDirectory(prefix: "clip-mismatch")
        try folder.write("{}", to: "config.json")
        try FileManager.default.copyItem(atPath: Fixtures.path("clip/tiny/model.safetensors"), toPath: folder.path + "/model.safetensors")
        #expect { _ = try CLIPModel.load(directory: folder.path) } throws: { "\($0)".contains("describes a model of") }
    }

    @Test func badInputStopsNamingTheValue() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = try CLIPModel.load(directory: Fixtures.path("clip/tiny"))
            _ = model.textFeatures(IntTensor(shape: [2, 3], scalars: [95, 4, 96, 95, 5, 6]))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("text 1 of 2 holds no end-of-text id 96"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = try CLIPModel.load(directory: Fixtures.path("clip/tiny"))
            _ = model.textFeatures(IntTensor(shape: [1, 3], scalars: [95, 97, 96]))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("token id 97 is outside the vocabulary 0..<97"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = try CLIPModel.load(directory: Fixtures.path("clip/tiny"))
            _ = model.textFeatures(IntTensor(shape: [1, 14], scalars: [Int](repeating: 96, count: 14)))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("[1, 14] must be [B, N] with 0 < N ≤ 13"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = try CLIPModel.load(directory: Fixtures.path("clip/tiny"))
            _ = model.imageFeatures(Variable(Tensor.zeros([1, 3, 32, 32])))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("images [1, 3, 32, 32] must be [B, 3, 30, 30]"))
        }
    }
}
