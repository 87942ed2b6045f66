import Braid
import ExampleSupport

/// The three modalities of the audio-visual-text digits.
enum Modality: String, CaseIterable, Comparable {
    case audio, image, text
    static func < (a: Modality, b: Modality) -> Bool { a.rawValue < b.rawValue }
}

/// One batch of all three inputs.
struct ModalityBatch {
    var images: Variable
    var captions: TokenizedBatch
    var audio: AudioBatch
}

/// Encoders for some of the modalities (a small BERT-style text encoder, `DigitCNN`, a small
/// `AudioEncoder` on 40 log-mel bands) and a `FusionClassifier` over their pooled features: the
/// same encoders, sizes and initialisation for every method compared.
final class AudioVisualTextModel: Module {
    let audio: AudioEncoder?
    let image: DigitCNN?
    let text: TextEncoder?
    let classifier: FusionClassifier

    init(modalities: Set<Modality>, method: FusionMethod, vocabularySize: Int, sampleRate: Int, seed: UInt64) {
        // One stream per encoder, so each starts from the same weights whatever else is in the model.
        var textGenerator = RandomGenerator(seed: seed &+ 1)
        var imageGenerator = RandomGenerator(seed: seed &+ 2)
        var audioGenerator = RandomGenerator(seed: seed &+ 3)
        var headGenerator = RandomGenerator(seed: seed &+ 4)
        text = modalities.contains(.text) ? TextEncoder(
            BertConfiguration(vocabularySize: vocabularySize, hiddenSize: 64, layerCount: 2, headCount: 4,
                              intermediateSize: 128, maximumPositions: 16),
            pooling: .cls, generator: &textGenerator) : nil
        image = modalities.contains(.image) ? DigitCNN(generator: &imageGenerator) : nil
        audio = modalities.contains(.audio) ? AudioEncoder(
            AudioEncoderConfiguration(sampleRate: sampleRate, melCount: 40, hiddenSize: 64, layerCount: 1, headCount: 4,
                                      feedForwardSize: 128, dropout: 0.1),
            generator: &audioGenerator) : nil
        var widths: [String: Int] = [:]
        if let text { widths[Modality.text.rawValue] = text.outputDimension }
        if let image { widths[Modality.image.rawValue] = image.outputDimension }
        if let audio { widths[Modality.audio.rawValue] = audio.outputDimension }
        classifier = FusionClassifier(modalities: widths, method: method, classCount: 10, generator: &headGenerator)
    }

    /// Logits `[B, 10]`.
    func callAsFunction(_ batch: ModalityBatch) throws -> Variable { try classifier(features(batch)) }

    /// Each encoder's features of `batch`, by modality name.
    func features(_ batch: ModalityBatch) -> [String: EncodedFeatures] {
        var features: [String: EncodedFeatures] = [:]
        if let text { features[Modality.text.rawValue] = text.encode(batch.captions) }
        if let image { features[Modality.image.rawValue] = image.encode(batch.images) }
        if let audio { features[Modality.audio.rawValue] = audio.encode(batch.audio) }
        return features
    }
}
