import Braid

/// Reads a shape's image and its caption: a small BERT over the caption, a small ResNet over the
/// image, early fusion of their pooled features, and a linear classifier over the six classes.
final class CaptionedShapeClassifier: Module {
    /// Encodes the caption's tokens.
    let text: TextEncoder
    /// Encodes the image.
    let image: ResNet
    /// Concatenates the two pooled feature vectors.
    let fusion: EarlyFusion
    /// Maps the fused features to one logit per class.
    let classifier: Linear

    /// A randomly initialised classifier.
    init(generator: inout RandomGenerator) {
        text = TextEncoder(
            BertConfiguration(
                vocabularySize: CaptionedShapes.vocabulary.count, hiddenSize: 32, layerCount: 1, headCount: 2,
                intermediateSize: 64, maximumPositions: CaptionedShapes.captionLength),
            pooling: .cls, generator: &generator)
        image = ResNet(
            ResNetConfiguration(
                block: .basic, stageDepths: [1, 1], stageWidths: [16, 32], stem: .smallImages, inputChannels: 1,
                classCount: nil),
            generator: &generator)
        fusion = EarlyFusion(
            modalities: ["text": text.outputDimension, "image": image.outputDimension], generator: &generator)
        classifier = Linear(
            inputFeatures: fusion.outputDimension, outputFeatures: CaptionedShapes.classNames.count, generator: &generator)
    }

    /// The logits `[B, 6]` of images `[B, 1, 8, 8]` and their captions.
    func callAsFunction(images: Variable, captions: TokenizedBatch) throws -> Variable {
        let fused = try fusion(["text": text.encode(captions), "image": image.encode(images)])  // [B, 32 + 32]
        return classifier(fused)
    }
}
