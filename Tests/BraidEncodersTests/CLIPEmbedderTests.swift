import BraidAutograd
import BraidData
import BraidEncoders
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// The embedder and the zero-shot classifier on a small random CLIP with OpenAI's real
/// vocabulary, against the model's own features computed one by one.
@Suite struct CLIPEmbedderTests {
    let embedder: CLIPEmbedder
    init() throws {
        let encoder = CLIPEncoderConfiguration(hiddenSize: 8, intermediateSize: 12, layerCount: 1, headCount: 2)
        let configuration = CLIPConfiguration(
            text: CLIPTextConfiguration(encoder: encoder), vision: CLIPVisionConfiguration(imageSize: 16, patchSize: 8, encoder: encoder),
            projectionDimension: 6)
        var generator = RandomGenerator(seed: 5)
        embedder = CLIPEmbedder(
            model: CLIPModel(configuration, generator: &generator), tokenizer: try CLIPTokenizer(directory: Fixtures.path("clip/tokenizer")))
    }

    func normalized(_ x: Tensor) -> Tensor { x / (x * x).sum(alongAxes: [1], keepDims: true).sqrt() }

    /// Batched, padded texts embed as each text alone, unpadded.
    @Test func textsEmbedAsOneByOne() {
        let texts = ["a photo of a cat", "a dog", "", "Two RED squares, left of a blue circle!", "日本"]
        let batched = embedder.encode(texts: texts, batchSize: 2)
        #expect(batched.shape == [5, 6])
        for (i, text) in texts.enumerated() {
            let ids = IntTensor(shape: [1, embedder.tokenizer.encode(text).count], scalars: embedder.tokenizer.encode(text))
            let alone = withoutGradients { normalized(embedder.model.textFeatures(ids).value) }
            expectClose(batched.sliced(axis: 0, start: i, end: i + 1), alone, relative: 1e-5, absolute: 1e-6)
        }
    }

    @Test func imagesEmbedAsTheProcessedModelInput() throws {
        let images = try ["rgb.png", "grey.jpg", "rgba.png"].map { try Bitmap.read(contentsOf: Fixtures.path("images/" + $0)) }
        let embeddings = embedder.encode(images: images, batchSize: 2)
        let direct = withoutGradients { normalized(embedder.model.imageFeatures(Variable(embedder.processor(images))).value) }
        expectClose(embeddings, direct, relative: 1e-5, absolute: 1e-6)
        let texts = embedder.encode(texts: ["a", "b"])
        expectClose(
            embedder.similarity(images: embeddings, texts: texts),
            Tensor.matmul(embeddings, texts, transposeB: true) * embedder.model.logitScale.scale)
    }

    /// Classes are the renormalised mean of their prompts' embeddings; an image embedded as one
    /// class's embedding is classified as that class.
    @Test func zeroShotClassesAverageTheirTemplates() {
        let templates = ["a photo of a {}.", "a drawing of a {}.", "{}"]
        let classifier = CLIPZeroShotClassifier(embedder, labels: ["cat", "dog", "red circle"], templates: templates)
        for (c, label) in classifier.labels.enumerated() {
            let prompts = embedder.encode(texts: templates.map { $0.replacingOccurrences(of: "{}", with: label) })
            let expected = normalized(prompts.mean(alongAxes: [0], keepDims: true))
            expectClose(classifier.classEmbeddings.sliced(axis: 0, start: c, end: c + 1), expected, relative: 1e-5, absolute: 1e-6)
        }
        let probabilities = classifier.probabilities(of: classifier.classEmbeddings)
        expectClose(probabilities.sum(alongAxes: [1]), Tensor.ones([3]), relative: 1e-6, absolute: 1e-6)
        #expect(classifier.classify(classifier.classEmbeddings) == [0, 1, 2])
    }

    /// With any text encoder, each prompt's embedding is normalised before the mean: a prompt
    /// embedded ten times longer weighs the same.
    @Test func zeroShotClassesFromAnyTextEncoder() {
        let vectors: [String: [Float]] = ["big a": [10, 0, 0], "small a": [0, 1, 0], "big b": [0, 0, 3], "small b": [0, 4, 0]]
        let classifier = CLIPZeroShotClassifier(labels: ["a", "b"], templates: ["big {}", "small {}"], logitScale: 2) { prompts in
            Tensor(shape: [prompts.count, 3], scalars: prompts.flatMap { vectors[$0]! })
        }
        let half = Float(0.5).squareRoot()
        expectClose(classifier.classEmbeddings, Tensor(shape: [2, 3], scalars: [half, half, 0, 0, half, half]), relative: 1e-6, absolute: 1e-6)
        #expect(classifier.logitScale == 2 && classifier.classify(Tensor(shape: [1, 3], scalars: [0, 0.1, 1])) == [1])
    }

    @Test func aTemplateWithoutPlaceholderStops() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let encoder = CLIPEncoderConfiguration(hiddenSize: 8, intermediateSize: 12, layerCount: 1, headCount: 2)
            var generator = RandomGenerator(seed: 5)
            let model = CLIPModel(
                CLIPConfiguration(text: CLIPTextConfiguration(encoder: encoder), vision: CLIPVisionConfiguration(imageSize: 16, patchSize: 8, encoder: encoder)),
                generator: &generator)
            let embedder = CLIPEmbedder(model: model, tokenizer: try CLIPTokenizer(directory: Fixtures.path("clip/tokenizer")))
            _ = CLIPZeroShotClassifier(embedder, labels: ["cat"], templates: ["a photo"])
        }.map { result in
            #expect(String(decoding: result.standardErrorContent, as: UTF8.self).contains("the template \"a photo\" has no {} for the label"))
        }
    }
}
