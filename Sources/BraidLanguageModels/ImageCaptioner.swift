import BraidAutograd
import BraidEncoders
import BraidNN
import BraidTensor

/// An image captioner: a ResNet encodes each image to a feature map `[C, h, w]` whose h·w
/// positions, projected to width E, given learned position embeddings and layer-normalised, are
/// the memory a ``CaptionDecoder`` attends to (the transformer form of "Show, Attend and Tell").
///
/// Images `[B, 3, H, W]` → `ResNet.featureMap` `[B, C, h, w]` → `[B, h·w, C]` →
/// LayerNorm(Linear(C, E) + positions `[h·w, E]`) → memory `[B, M, E]`. The norm puts the memory
/// on the scale of the decoder's normalised queries: without it the captioner of caption-train
/// learned shapes markedly more slowly. Train with
/// ``loss(images:captions:imageIndices:paddingID:labelSmoothing:)`` (teacher forcing, several
/// captions per image if wanted), or with
/// ``groundedLoss(images:captions:imageIndices:paddingID:labelSmoothing:mentions:)`` to also
/// teach the decoder where each object it names lies; caption with `beamSearch` or `generate`
/// over ``conditioned(on:)``.
public final class ImageCaptioner: Module {
    /// The image encoder.
    public let encoder: ResNet
    /// Linear(C, E) from feature-map channels to the decoder's width.
    public let memoryProjection: Linear
    /// The learned embedding of each feature-map position, `[M, E]`, row-major over (h, w).
    public let memoryPositions: Variable
    /// The LayerNorm over the projected, position-embedded memory.
    public let memoryNorm: LayerNorm
    /// The caption decoder.
    public let decoder: CaptionDecoder
    /// Linear(E, 4) from the states of decoder layer ``ImageCaptionerConfiguration/groundingLayer``
    /// to two object centres, (x, y) of the object a token names in columns 0–1 and of the one the
    /// caption names next in 2–3; `nil` without a grounding layer. Only the grounding loss reads
    /// it: captioning does not.
    public let groundingHead: Linear?
    /// The shape the captioner was built with.
    public let configuration: ImageCaptionerConfiguration

    /// A randomly initialised captioner: torchvision's ResNet initialisation, PyTorch's default
    /// for the projection, position embeddings N(0, 0.02²), the norm 1 and 0, and ``CaptionDecoder``'s.
    public init(_ configuration: ImageCaptionerConfiguration, generator: inout RandomGenerator) {
        encoder = ResNet(configuration.encoder, generator: &generator)
        let e = configuration.decoder.dimension
        memoryProjection = Linear(inputFeatures: configuration.encoder.featureDimension, outputFeatures: e, generator: &generator)
        memoryPositions = Variable(
            Tensor.randomNormal([configuration.memoryLength, e], standardDeviation: 0.02, generator: &generator), requiresGrad: true)
        memoryNorm = LayerNorm(e)
        decoder = CaptionDecoder(configuration.decoder, generator: &generator)
        groundingHead = configuration.groundingLayer == nil ? nil : Linear(inputFeatures: e, outputFeatures: 4, generator: &generator)
        self.configuration = configuration
    }

    /// The decoder's memory `[B, M, E]` and the pooled image features `[B, C]` (the mean of the
    /// feature map, for retrieval) of images `[B, 3, H, W]`.
    public func encode(_ images: Variable) -> (memory: Variable, pooled: Variable) {
        let side = configuration.imageSize
        check(
            images.rank == 4 && images.shape[2] == side && images.shape[3] == side,
            "ImageCaptioner: images \(images.shape) must be [B, \(configuration.encoder.inputChannels), \(side), \(side)]")
        let map = encoder.featureMap(images)
        let (batch, channels) = (map.shape[0], map.shape[1])
        // [B, C, h, w] -> [B, C, h·w] -> [B, h·w, C]
        let sequence = map.reshaped(to: [batch, channels, -1]).permuted([0, 2, 1])
        check(
            sequence.shape[1] == configuration.memoryLength,
            "ImageCaptioner: the encoder gives \(sequence.shape[1]) positions, the configuration expects \(configuration.memoryLength)")
        // [B, M, C] -> [B, M, E], plus [M, E] broadcast over the batch
        let memory = memoryNorm(memoryProjection(sequence) + memoryPositions)
        return (memory, sequence.mean(alongAxes: [1]))
    }

    /// The logits `[B, N, V]` of every position of `captions` `[B, N]` given images `[B, 3, H, W]`.
    public func callAsFunction(_ images: Variable, captions: IntTensor) -> Variable {
        decoder(captions, memory: encode(images).memory)
    }

    /// The teacher-forced caption loss of `captions` `[K, L]` (`<bos> words <eos>`, then
    /// `paddingID`) given images `[B, 3, H, W]`, caption k describing image `imageIndices[k]`
    /// (image k when `nil`, K = B). Each image is encoded, and its memory projected to each
    /// layer's cross-attention keys and values, once however many captions it has. See
    /// ``CaptionDecoder/teacherForcingLoss(_:memory:memoryIndices:paddingID:labelSmoothing:)``.
    public func loss(
        images: Variable, captions: IntTensor, imageIndices: [Int]? = nil, paddingID: Int, labelSmoothing: Float = 0
    ) -> Variable {
        checkImageIndices(imageIndices, captions: captions, images: images)
        return decoder.teacherForcingLoss(
            captions, memory: encode(images).memory, memoryIndices: imageIndices, paddingID: paddingID, labelSmoothing: labelSmoothing)
    }

    /// The caption loss of ``loss(images:captions:imageIndices:paddingID:labelSmoothing:)`` and the
    /// grounding loss of `mentions`: the mean squared error between each mention's centre and
    /// ``groundingHead``'s prediction from the output of decoder layer
    /// ``ImageCaptionerConfiguration/groundingLayer`` at its token, averaged over the mentions of
    /// each ``CaptionObjectMention/Subject`` and summed over the two (a subject without mentions
    /// adds nothing; no mentions at all give 0). Train on `caption + weight · grounding`.
    public func groundedLoss(
        images: Variable, captions: IntTensor, imageIndices: [Int]? = nil, paddingID: Int, labelSmoothing: Float = 0,
        mentions: [CaptionObjectMention]
    ) -> (caption: Variable, grounding: Variable) {
        guard let groundingHead, let groundingLayer = configuration.groundingLayer else {
            checkFailed("ImageCaptioner: a grounded loss needs a grounding head; this captioner was configured without a grounding layer")
        }
        checkImageIndices(imageIndices, captions: captions, images: images)
        let (count, steps) = (captions.shape[0], captions.shape[1] - 1)
        for mention in mentions {
            check(
                (0..<count).contains(mention.caption) && (0..<steps).contains(mention.position),
                "ImageCaptioner: a mention at caption \(mention.caption), position \(mention.position) is outside captions "
                    + "\(captions.shape), whose states are [\(count), \(steps)]")
        }
        let (caption, states) = decoder.teacherForcing(
            captions, memory: encode(images).memory, memoryIndices: imageIndices, paddingID: paddingID, labelSmoothing: labelSmoothing)
        // [K, L−1, E] -> [K·(L−1), E]
        let grounded = states.layers[groundingLayer].reshaped(to: [count * steps, configuration.decoder.dimension])
        var grounding: Variable?
        for (subject, column) in [(CaptionObjectMention.Subject.named, 0), (.next, 2)] {
            let chosen = mentions.filter { $0.subject == subject }
            guard !chosen.isEmpty else { continue }
            let predicted = groundingHead(grounded.indexSelect(axis: 0, indices: chosen.map { $0.caption * steps + $0.position }))
                .sliced(axis: 1, start: column, end: column + 2)
            let error = meanSquaredError(predicted, target: Tensor(shape: [chosen.count, 2], scalars: chosen.flatMap { [$0.x, $0.y] }))
            grounding = grounding.map { $0 + error } ?? error
        }
        return (caption, grounding ?? Variable(Tensor(0)))
    }

    private func checkImageIndices(_ imageIndices: [Int]?, captions: IntTensor, images: Variable) {
        guard let imageIndices else { return }
        check(
            imageIndices.count == captions.shape[0] && imageIndices.allSatisfy { (0..<images.shape[0]).contains($0) },
            "ImageCaptioner: \(imageIndices.count) image indices for \(captions.shape[0]) captions of \(images.shape[0]) images")
    }

    /// The decoder bound to the memories of `images` `[B, 3, H, W]`, computed without gradients
    /// in the captioner's current mode (call `eval()` first to caption with batch norm's running
    /// statistics).
    public func conditioned(on images: Tensor) -> ConditionedDecoder {
        let memory = withoutGradients { encode(Variable(images)).memory }
        return ConditionedDecoder(decoder: decoder, memory: memory)
    }
}
