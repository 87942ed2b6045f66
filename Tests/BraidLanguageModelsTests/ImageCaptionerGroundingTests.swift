import BraidAutograd
import BraidEncoders
import BraidLanguageModels
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// The grounding loss: an auxiliary head on an inner decoder layer predicts where the objects
/// that caption tokens name lie.
@Suite struct ImageCaptionerGroundingTests {
    /// A tiny captioner over 16×16 images with a 3-layer decoder grounded at layer 1.
    let captioner: ImageCaptioner
    let images = randomTensor([2, 3, 16, 16], seed: 3)
    /// Three captions of eight tokens, caption 2 describing image 1 like caption 1.
    let captions: IntTensor
    let imageIndices = [0, 1, 1]
    let mentions = [
        CaptionObjectMention(caption: 0, position: 2, x: 0.5, y: -0.25),
        CaptionObjectMention(caption: 0, position: 3, x: 0.5, y: -0.25),
        CaptionObjectMention(caption: 0, position: 3, x: -0.75, y: 0.125, subject: .next),
        CaptionObjectMention(caption: 2, position: 6, x: 0.9, y: 0.3),
        CaptionObjectMention(caption: 1, position: 0, x: -0.1, y: -0.6, subject: .next),
    ]

    init() {
        var generator = RandomGenerator(seed: 4)
        captioner = ImageCaptioner(Self.configuration(groundingLayer: 1), generator: &generator)
        captions = IntTensor(shape: [3, 8], scalars: (0..<24).map { $0 % 8 == 0 ? 1 : 3 + Int(generator.next() % 8) })
    }

    static func configuration(groundingLayer: Int?) -> ImageCaptionerConfiguration {
        ImageCaptionerConfiguration(
            imageSize: 16, encoder: ResNetConfiguration(block: .basic, stageDepths: [1, 1], stageWidths: [4, 8], classCount: nil),
            decoder: CaptionDecoderConfiguration(
                vocabularySize: 11, dimension: 16, layerCount: 3, headCount: 2, feedForwardDimension: 32, contextLength: 10,
                dropout: 0),
            groundingLayer: groundingLayer)
    }

    /// The caption part is the plain loss; the grounding part is, per subject, the mean squared
    /// error of the head's columns for that subject on layer 1's states at the mentions' tokens,
    /// recomputed here in double precision from the states and the head's weights.
    @Test func groundedLossIsTheCaptionLossAndEachSubjectsMeanSquaredError() {
        let (caption, grounding) = withoutGradients {
            captioner.groundedLoss(
                images: Variable(images), captions: captions, imageIndices: imageIndices, paddingID: 0, mentions: mentions)
        }
        let plain = withoutGradients {
            captioner.loss(images: Variable(images), captions: captions, imageIndices: imageIndices, paddingID: 0)
        }
        #expect(abs(caption.value.scalar - plain.value.scalar) <= 1e-6)

        let inputs = IntTensor(shape: [3, 7], scalars: (0..<3).flatMap { b in captions.scalars[b * 8..<b * 8 + 7] })
        let states = withoutGradients {
            captioner.decoder.states(inputs, memory: captioner.encode(Variable(images)).memory, memoryIndices: imageIndices)
        }.layers[1].value.scalars  // [3, 7, 16]
        let head = captioner.groundingHead!
        let (weight, bias) = (head.weight.value.scalars, head.bias!.value.scalars)  // [4, 16], [4]
        var expected = 0.0
        for (subject, column) in [(CaptionObjectMention.Subject.named, 0), (.next, 2)] {
            let chosen = mentions.filter { $0.subject == subject }
            var squares = 0.0
            for mention in chosen {
                let state = states[(mention.caption * 7 + mention.position) * 16..<(mention.caption * 7 + mention.position + 1) * 16]
                for (j, target) in [mention.x, mention.y].enumerated() {
                    let row = column + j
                    let predicted = zip(state, weight[row * 16..<(row + 1) * 16]).reduce(Double(bias[row])) { $0 + Double($1.0) * Double($1.1) }
                    squares += (predicted - Double(target)) * (predicted - Double(target))
                }
            }
            expected += squares / Double(2 * chosen.count)
        }
        #expect(abs(Double(grounding.value.scalar) - expected) <= 1e-5 * max(1, expected), "\(grounding.value.scalar) vs \(expected)")
    }

    /// The grounding loss trains the head, the layers up to the grounded one and the image
    /// encoder, and nothing after it: the last decoder layer and the output head get no gradient.
    @Test func groundingGradientsStopAtTheGroundedLayer() {
        let (_, grounding) = captioner.groundedLoss(
            images: Variable(images), captions: captions, imageIndices: imageIndices, paddingID: 0, mentions: mentions)
        captioner.zeroGrad()
        grounding.backward()
        func norm(_ prefix: String) -> Float {
            captioner.namedParameters().filter { $0.name.hasPrefix(prefix) }
                .map { ($0.variable.grad?.scalars ?? []).reduce(0) { $0 + $1 * $1 } }.reduce(0, +)
        }
        for reached in ["grounding_head.", "decoder.decoder.layers.0.", "decoder.decoder.layers.1.", "memory_projection.", "encoder."] {
            #expect(norm(reached) > 0, "\(reached) has no gradient")
        }
        #expect(norm("decoder.decoder.layers.2.") == 0)
        #expect(norm("decoder.decoder.norm.") == 0)
    }

    /// Without mentions the grounding loss is 0; a captioner without a grounding layer has no head
    /// and its parameters are those of the same configuration before grounding existed.
    @Test func noMentionsAndNoHead() {
        let grounding = withoutGradients {
            captioner.groundedLoss(images: Variable(images), captions: captions, imageIndices: imageIndices, paddingID: 0, mentions: [])
        }.grounding
        #expect(grounding.value.scalar == 0)
        var generator = RandomGenerator(seed: 4)
        let plain = ImageCaptioner(Self.configuration(groundingLayer: nil), generator: &generator)
        #expect(plain.groundingHead == nil)
        #expect(plain.parameterCount == captioner.parameterCount - (16 * 4 + 4))
    }

    @Test func badGroundingInputStopsNamingTheValue() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ImageCaptionerGroundingTests.configuration(groundingLayer: 3)
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("grounding layer 3 must be in 0..<3"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let test = ImageCaptionerGroundingTests()
            _ = test.captioner.groundedLoss(
                images: Variable(test.images), captions: test.captions, imageIndices: test.imageIndices, paddingID: 0,
                mentions: [CaptionObjectMention(caption: 1, position: 7, x: 0, y: 0)])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("a mention at caption 1, position 7 is outside captions [3, 8]"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var generator = RandomGenerator(seed: 1)
            let plain = ImageCaptioner(ImageCaptionerGroundingTests.configuration(groundingLayer: nil), generator: &generator)
            _ = plain.groundedLoss(images: Variable(randomTensor([1, 3, 16, 16], seed: 1)),
                                   captions: IntTensor(shape: [1, 3], scalars: [1, 3, 2]), paddingID: 0, mentions: [])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("configured without a grounding layer"))
        }
    }
}
