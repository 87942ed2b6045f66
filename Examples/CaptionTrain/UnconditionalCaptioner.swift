import Braid

/// The unconditional baseline: the captioner's decoder with the image replaced by one learned
/// memory token `[1, 1, E]`, the same for every example, so that it learns the language of the
/// captions and nothing about any image. Decoded with the same beam search, it gives the
/// captions' most likely sentence for every image.
final class UnconditionalCaptioner: Module {
    /// The decoder, shaped as the captioner's.
    let decoder: CaptionDecoder
    /// The memory that stands in for an image, `[1, 1, E]`, N(0, 0.02²) at first.
    let memoryToken: Variable

    init(_ configuration: CaptionDecoderConfiguration, generator: inout RandomGenerator) {
        decoder = CaptionDecoder(configuration, generator: &generator)
        memoryToken = Variable(
            Tensor.randomNormal([1, 1, configuration.dimension], standardDeviation: 0.02, generator: &generator), requiresGrad: true)
    }

    /// The memory of `count` examples: the token broadcast to `[count, 1, E]`.
    func memory(count: Int) -> Variable { memoryToken.broadcast(to: [count, 1, decoder.configuration.dimension]) }

    /// The teacher-forced loss of `captions` `[B, L]`.
    func loss(captions: IntTensor, paddingID: Int, labelSmoothing: Float) -> Variable {
        decoder.teacherForcingLoss(captions, memory: memory(count: captions.shape[0]), paddingID: paddingID, labelSmoothing: labelSmoothing)
    }

    /// The decoder bound to `count` copies of the memory token.
    func conditioned(count: Int) -> ConditionedDecoder {
        ConditionedDecoder(decoder: decoder, memory: withoutGradients { memory(count: count) })
    }
}
