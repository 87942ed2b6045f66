import Braid

/// Which inputs a classifier reads.
public enum ClassifierInputs: Sendable {
    /// Text and image.
    case both
    /// The caption alone.
    case textOnly
    /// The image alone.
    case imageOnly
}

/// Text and/or image encoders and a `FusionClassifier`: with `.early` fusion this is the
/// concatenate-and-classify model (CLS and CNN features → concat → Linear(512) → ReLU →
/// Linear(classes)), the model of concat-classify.
public final class MultimodalClassifier: Module {
    /// The caption encoder, unless the model reads images only.
    public let text: TextEncoder?
    /// The image encoder, unless the model reads captions only.
    public let image: DigitCNN?
    /// The fusion head.
    public let classifier: FusionClassifier

    /// A model over `inputs`, its text encoder made by `makeText` (random or pretrained).
    public init(inputs: ClassifierInputs, fusion: FusionMethod, makeText: () throws -> TextEncoder, classCount: Int,
                generator: inout RandomGenerator) rethrows {
        text = inputs == .imageOnly ? nil : try makeText()
        image = inputs == .textOnly ? nil : DigitCNN(generator: &generator)
        var widths: [String: Int] = [:]
        if let text { widths["text"] = text.outputDimension }
        if let image { widths["image"] = image.outputDimension }
        classifier = FusionClassifier(modalities: widths, method: fusion, classCount: classCount, generator: &generator)
    }

    /// Logits `[B, classes]`.
    public func callAsFunction(images: Variable, captions: TokenizedBatch) throws -> Variable {
        var features: [String: EncodedFeatures] = [:]
        if let text { features["text"] = text.encode(captions) }
        if let image { features["image"] = image.encode(images) }
        return try classifier(features)
    }
}
