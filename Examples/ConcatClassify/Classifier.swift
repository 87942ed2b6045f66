import Braid
import ExampleSupport

/// Which inputs a classifier reads.
enum Inputs { case both, textOnly, imageOnly }

/// Text and/or image encoders and a `FusionClassifier`: with `.early` fusion this is the
/// concatenate-and-classify model (CLS and CNN features → concat → Linear(512) → ReLU →
/// Linear(classes)).
final class MultimodalClassifier: Module {
    let text: TextEncoder?
    let image: DigitCNN?
    let classifier: FusionClassifier

    init(inputs: Inputs, fusion: FusionMethod, makeText: () throws -> TextEncoder, classCount: Int,
         generator: inout RandomGenerator) rethrows {
        text = inputs == .imageOnly ? nil : try makeText()
        image = inputs == .textOnly ? nil : DigitCNN(generator: &generator)
        var widths: [String: Int] = [:]
        if let text { widths["text"] = text.outputDimension }
        if let image { widths["image"] = image.outputDimension }
        classifier = FusionClassifier(modalities: widths, method: fusion, classCount: classCount, generator: &generator)
    }

    /// Logits `[B, classes]`.
    func callAsFunction(images: Variable, captions: TokenizedBatch) throws -> Variable {
        var features: [String: EncodedFeatures] = [:]
        if let text { features["text"] = text.encode(captions) }
        if let image { features["image"] = image.encode(images) }
        return try classifier(features)
    }
}
