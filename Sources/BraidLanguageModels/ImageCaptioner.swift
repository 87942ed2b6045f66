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
/// captions per image if wanted); caption with `beamSearch` or `generate` over
/// ``conditioned(on:)``.
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
        if let imageIndices {
            check(
                imageIndices.count == captions.shape[0] && imageIndices.allSatisfy { (0..<images.shape[0]).contains($0) },
                "ImageCaptioner: \(imageIndices.count) image indices for \(captions.shape[0]) captions of \(images.shape[0]) images")
        }
        return decoder.teacherForcingLoss(
            captions, memory: encode(images).memory, memoryIndices: imageIndices, paddingID: paddingID, labelSmoothing: labelSmoothing)
    }

    /// The decoder bound to the memories of `images` `[B, 3, H, W]`, computed without gradients
    /// in the captioner's current mode (call `eval()` first to caption with batch norm's running
    /// statistics).
    public func conditioned(on images: Tensor) -> ConditionedDecoder {
        let memory = withoutGradients { encode(Variable(images)).memory }
        return ConditionedDecoder(decoder: decoder, memory: memory)
    }
}
