import Braid

/// The examples' classifier over encoded features: a fusion head (or one modality's pooled
/// features) → Linear(512) → ReLU → Linear(classes). A head that produces logits itself (late
/// fusion) is used as it is.
public final class FusionClassifier: Module {
    /// The modality names the classifier reads, sorted.
    public let modalityNames: [String]
    /// The fusion head; `nil` for a single modality.
    public let head: (any FusionHead)?
    /// The two layers after the head; `nil` after a head that produces logits.
    public let hidden: Linear?, output: Linear?

    /// A classifier over `modalities` (name → pooled width): fused by `method` when there are two
    /// or more, the single modality's pooled features otherwise.
    public init(modalities: [String: Int], method: FusionMethod, classCount: Int, generator: inout RandomGenerator) {
        check(!modalities.isEmpty, "FusionClassifier: needs at least one modality")
        modalityNames = modalities.keys.sorted()
        let head = modalities.count > 1 ? method.makeHead(modalities: modalities, classCount: classCount, generator: &generator) : nil
        self.head = head
        let features = head?.outputDimension ?? modalities.values.first!
        let producesLogits = head?.producesLogits ?? false
        hidden = producesLogits ? nil : Linear(inputFeatures: features, outputFeatures: 512, generator: &generator)
        output = producesLogits ? nil : Linear(inputFeatures: 512, outputFeatures: classCount, generator: &generator)
    }

    /// The head is saved as `fusion`.
    public override var stateDictKeys: [String: String] { ["head": "fusion"] }

    /// Logits `[B, classes]` of `features`, keyed by modality; throws `FusionError` when the names
    /// differ from the classifier's.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        let fused: Variable
        if let head {
            fused = try head(features)
        } else {
            try FusionError.check(head: "FusionClassifier", expected: modalityNames, given: features.keys)
            fused = features[modalityNames[0]]!.pooled
        }
        guard let hidden, let output else { return fused }
        return output(hidden(fused).relu())
    }
}
