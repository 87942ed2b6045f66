import BraidEncoders
import BraidTensor

/// The shape of an ``ImageCaptioner``: a ResNet feature extractor over square images and a
/// ``CaptionDecoder`` that attends to the positions of its final feature map.
public struct ImageCaptionerConfiguration: Sendable, Equatable {
    /// The side of the square input images in pixels.
    public var imageSize: Int
    /// The image encoder, a feature extractor (no classes).
    public var encoder: ResNetConfiguration
    /// The caption decoder.
    public var decoder: CaptionDecoderConfiguration
    /// The decoder layer (0-based) whose output the grounding head reads, or `nil` for a
    /// captioner without one; see ``ImageCaptioner/groundingHead``.
    public var groundingLayer: Int?

    /// A configuration of `encoder` (its `classCount` must be `nil`) over `imageSize`×`imageSize`
    /// images and `decoder`, with a grounding head on decoder layer `groundingLayer` if given.
    public init(imageSize: Int, encoder: ResNetConfiguration, decoder: CaptionDecoderConfiguration, groundingLayer: Int? = nil) {
        check(encoder.classCount == nil, "ImageCaptionerConfiguration: the encoder must be a feature extractor (classCount nil), got \(encoder.classCount!) classes")
        check(imageSize > 0, "ImageCaptionerConfiguration: image size \(imageSize) must be positive")
        check(
            groundingLayer.map { (0..<decoder.layerCount).contains($0) } ?? true,
            "ImageCaptionerConfiguration: grounding layer \(groundingLayer!) must be in 0..<\(decoder.layerCount), the decoder's layers")
        (self.imageSize, self.encoder, self.decoder, self.groundingLayer) = (imageSize, encoder, decoder, groundingLayer)
    }

    /// A small captioner for 64×64 RGB images (the size of the shape scenes): a ResNet with the
    /// ImageNet stem (7×7 stride-2 convolution, 3×3 stride-2 max pooling) and two stages of one
    /// basic block, 32 and 64 channels, giving an 8×8 feature map (64 memory positions); and a
    /// ``CaptionDecoderConfiguration`` of E 128, 2 layers, 4 heads, F 512, GELU, tied embeddings
    /// and no dropout. Chosen on caption-train's shape scenes: a third stage (a 4×4 map) cost
    /// more and bound colours to shapes worse, and dropout 0.1 only slowed learning there.
    public static func small(vocabularySize: Int, contextLength: Int, imageSize: Int = 64) -> ImageCaptionerConfiguration {
        ImageCaptionerConfiguration(
            imageSize: imageSize,
            encoder: ResNetConfiguration(block: .basic, stageDepths: [1, 1], stageWidths: [32, 64], classCount: nil),
            decoder: CaptionDecoderConfiguration(vocabularySize: vocabularySize, contextLength: contextLength, dropout: 0))
    }

    /// The side of the encoder's final feature map: every stride-2 layer (the ImageNet stem's
    /// convolution and pooling, the first block of each stage after the first) takes ⌈s/2⌉.
    public var featureMapSide: Int {
        let halvings = (encoder.stem == .imageNet ? 2 : 0) + encoder.stageDepths.count - 1
        return (0..<halvings).reduce(imageSize) { side, _ in (side + 1) / 2 }
    }

    /// M, the number of memory positions: the feature map's h·w.
    public var memoryLength: Int { featureMapSide * featureMapSide }
}
