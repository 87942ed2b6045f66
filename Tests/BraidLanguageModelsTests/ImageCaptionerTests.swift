import BraidAutograd
import BraidEncoders
import BraidGeneration
import BraidLanguageModels
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// The image captioner and its decoder: teacher forcing, and the cached decoding that
/// `generate` and `beamSearch` drive through `ConditionedDecoder`.
@Suite struct ImageCaptionerTests {
    /// A tiny captioner over 16×16 images: a two-stage ResNet (4 and 8 channels, a 2×2 feature
    /// map) and a 2-layer decoder of width 16 over 11 tokens, in evaluation mode.
    let captioner: ImageCaptioner
    let images = randomTensor([3, 3, 16, 16], seed: 2)
    /// `<bos>` (id 1) and seven random tokens of 3..<11 per row (0 is padding, 2 the end).
    let captions: IntTensor

    init() {
        var generator = RandomGenerator(seed: 1)
        captioner = ImageCaptioner(
            ImageCaptionerConfiguration(
                imageSize: 16, encoder: ResNetConfiguration(block: .basic, stageDepths: [1, 1], stageWidths: [4, 8], classCount: nil),
                decoder: CaptionDecoderConfiguration(
                    vocabularySize: 11, dimension: 16, layerCount: 2, headCount: 2, feedForwardDimension: 32, contextLength: 10)),
            generator: &generator)
        captioner.eval()
        captions = IntTensor(shape: [3, 8], scalars: (0..<24).map { $0 % 8 == 0 ? 1 : 3 + Int(generator.next() % 8) })
    }

    /// logits[b, t, :] of the full forward, `[B, V]` for position t.
    func position(_ t: Int, of logits: Tensor) -> Tensor {
        logits.sliced(axis: 1, start: t, end: t + 1).reshaped(to: [logits.shape[0], logits.shape[2]])
    }

    /// Fed token by token (after a three-token prompt at once), the cache gives the full
    /// teacher-forced forward's logits at every step within 1e-5.
    @Test func cachedDecodingEqualsTheFullForwardAtEveryStep() throws {
        let full = withoutGradients { captioner(Variable(images), captions: captions) }.value  // [3, 8, 11]
        let model = captioner.conditioned(on: images)
        var cache = model.makeCache(batchSize: 3)
        let rows = { (start: Int, end: Int) in
            IntTensor(shape: [3, end - start], scalars: (0..<3).flatMap { b in self.captions.scalars[b * 8 + start..<b * 8 + end] })
        }
        withoutGradients {
            expectClose(model.nextTokenLogits(rows(0, 3), paddingMask: nil, cache: &cache), position(2, of: full),
                        relative: 1e-5, absolute: 1e-5, "after the prompt")
            for t in 3..<8 {
                expectClose(model.nextTokenLogits(rows(t, t + 1), paddingMask: nil, cache: &cache), position(t, of: full),
                            relative: 1e-5, absolute: 1e-5, "step \(t)")
            }
        }
        #expect(cache.count == 8 && cache.nextPositions == [8, 8, 8])
    }

    /// Beam search over a batch reorders each image's projected memory with its beams: every
    /// image gets the hypotheses it gets alone.
    @Test func beamSearchOverABatchEqualsEachImageAlone() throws {
        let configuration = GenerationConfiguration(maxNewTokens: 8, stopTokens: [2])
        let batch = try beamSearch(
            captioner.conditioned(on: images), prompts: [[1], [1], [1]], configuration: configuration,
            options: BeamSearch(beams: 3, returnedSequences: 2))
        for b in 0..<3 {
            let image = images.sliced(axis: 0, start: b, end: b + 1)
            let alone = try beamSearch(
                captioner.conditioned(on: image), prompts: [[1]], configuration: configuration,
                options: BeamSearch(beams: 3, returnedSequences: 2))[0]
            #expect(batch[b].map(\.tokens) == alone.map(\.tokens), "image \(b)")
            #expect(zip(batch[b], alone).allSatisfy { abs($0.score - $1.score) < 1e-5 }, "image \(b)")
        }
    }

    /// The loss is the mean of −log p(next token) over the targets that are not padding.
    @Test func teacherForcingIgnoresPaddingTargets() {
        // Row 1 ends after four tokens: its <eos> (2) then padding (0).
        var ids = captions.scalars
        for i in 12..<16 { ids[i] = i == 12 ? 2 : 0 }
        let padded = IntTensor(shape: [3, 8], scalars: ids)
        let loss = withoutGradients { captioner.loss(images: Variable(images), captions: padded, paddingID: 0) }.value.scalar
        let inputs = IntTensor(shape: [3, 7], scalars: (0..<3).flatMap { b in ids[b * 8..<b * 8 + 7] })
        let logProbabilities = withoutGradients { captioner(Variable(images), captions: inputs) }.value.logSoftmax()  // [3, 7, 11]
        var total: Double = 0, count = 0
        for b in 0..<3 {
            for t in 0..<7 where ids[b * 8 + t + 1] != 0 {
                total -= Double(logProbabilities[b, t, ids[b * 8 + t + 1]])
                count += 1
            }
        }
        #expect(count == 21 - 3)
        #expect(abs(Double(loss) - total / Double(count)) < 1e-5)
    }

    /// Each caption's log-likelihood is the sum of its non-padding targets' log-probabilities;
    /// with memory indices, the same as each caption beside its own copy of the image.
    @Test func logLikelihoodsSumEachCaptionsTargets() {
        var ids = captions.scalars
        for i in 12..<16 { ids[i] = i == 12 ? 2 : 0 }
        let padded = IntTensor(shape: [3, 8], scalars: ids)
        let memory = withoutGradients { captioner.encode(Variable(images)).memory }
        let scores = captioner.decoder.logLikelihoods(padded, memory: memory, paddingID: 0)
        let inputs = IntTensor(shape: [3, 7], scalars: (0..<3).flatMap { b in ids[b * 8..<b * 8 + 7] })
        let logProbabilities = withoutGradients { captioner(Variable(images), captions: inputs) }.value.logSoftmax()
        for b in 0..<3 {
            let expected = (0..<7).filter { ids[b * 8 + $0 + 1] != 0 }.reduce(0.0) { $0 + Double(logProbabilities[b, $1, ids[b * 8 + $1 + 1]]) }
            #expect(abs(scores[b] - expected) < 1e-4)
        }
        let indices = [2, 0, 2]
        let shared = captioner.decoder.logLikelihoods(padded, memory: memory, memoryIndices: indices, paddingID: 0)
        let alone = captioner.decoder.logLikelihoods(padded, memory: memory.indexSelect(axis: 0, indices: indices), paddingID: 0)
        for b in 0..<3 { #expect(abs(shared[b] - alone[b]) < 1e-4) }
    }

    /// Several captions per image: each image is encoded once and its memory projected once,
    /// which gives the loss of the images repeated (in evaluation mode, where batch norm is per image).
    @Test func captionsShareTheirImagesMemory() {
        let indices = [0, 0, 2, 1, 2]
        let repeated = Variable(images.indexSelect(axis: 0, indices: indices))
        let five = IntTensor(shape: [5, 8], scalars: (0..<40).map { captions.scalars[$0 % 24] })
        let shared = withoutGradients { captioner.loss(images: Variable(images), captions: five, imageIndices: indices, paddingID: 0) }
        let alone = withoutGradients { captioner.loss(images: repeated, captions: five, paddingID: 0) }
        #expect(abs(shared.value.scalar - alone.value.scalar) < 1e-6)
    }

    /// The tied output projection is the embedding table, registered once; the configuration's
    /// feature-map side is the encoder's (the small preset's 8×8 on 64×64 images too).
    @Test func tiedWeightsAndMemoryShape() {
        #expect(captioner.decoder.head.weight === captioner.decoder.tokenEmbedding.weight)
        #expect(!captioner.namedParameters().contains { $0.name.hasPrefix("decoder.head") })
        #expect(captioner.parameters().count == captioner.namedParameters().count)
        #expect(withoutGradients { captioner.encode(Variable(images)) }.memory.shape == [3, 4, 16])
        let small = ImageCaptionerConfiguration.small(vocabularySize: 40, contextLength: 24)
        #expect(small.memoryLength == 64)
        var generator = RandomGenerator(seed: 3)
        let encoder = ResNet(small.encoder, generator: &generator)
        encoder.eval()
        #expect(withoutGradients { encoder.featureMap(Variable(Tensor.zeros([1, 3, 64, 64]))) }.shape == [1, 64, 8, 8])
    }
}
