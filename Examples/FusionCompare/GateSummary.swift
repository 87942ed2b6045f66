import Braid

/// How a trained gated head opens its gates on the test set: the mean gate of each modality
/// (`GatedFusion`'s softmax weight, or the mean over dimensions of `GatedMultimodalUnit`'s
/// sigmoids), and for the softmax gate how often one modality takes more than 0.9 of the weight.
struct GateSummary {
    /// The mean gate per modality, in sorted name order.
    var meanGates: [(modality: String, gate: Double)] = []
    /// The fraction of test examples whose largest softmax gate exceeds 0.9; `nil` for sigmoid gates.
    var dominatedFraction: Double?

    /// The summary of `model`'s gates over `count` examples in batches that `batch` builds, or
    /// `nil` when the model's head has no gates.
    init?(model: AudioVisualTextModel, count: Int, batch: ([Int]) -> ModalityBatch) throws {
        guard let head = model.classifier.head, head is GatedFusion || head is GatedMultimodalUnit else { return nil }
        model.eval()
        let names = head.modalityNames
        var sums = [Double](repeating: 0, count: names.count), dominated = 0
        try withoutGradients {
            for start in stride(from: 0, to: count, by: 256) {
                let features = model.features(batch(Array(start..<min(start + 256, count))))
                let gates = try (head as? GatedFusion)?.gatesAndOutput(features).gates.value
                    ?? Tensor.stack((head as! GatedMultimodalUnit).gatesAndOutput(features).gates.map { $0.value.mean(alongAxes: [1]) },
                                    axis: 1)  // [B, M]
                let (rows, columns) = (gates.shape[0], gates.shape[1])
                for row in 0..<rows {
                    let values = gates.scalars[(row * columns)..<((row + 1) * columns)]
                    for (index, value) in values.enumerated() { sums[index] += Double(value) }
                    if values.max()! > 0.9 { dominated += 1 }
                }
            }
        }
        meanGates = zip(names, sums).map { ($0, $1 / Double(count)) }
        dominatedFraction = head is GatedFusion ? Double(dominated) / Double(count) : nil
    }

    /// `gates: audio 0.02, image 0.95, text 0.03; one modality > 0.9 in 97% of examples`.
    var description: String {
        let gates = meanGates.map { String(format: "%@ %.2f", $0.modality, $0.gate) }.joined(separator: ", ")
        guard let dominatedFraction else { return "mean gates: \(gates)" }
        return "mean gates: \(gates); one modality > 0.9 in " + String(format: "%.0f%%", 100 * dominatedFraction) + " of examples"
    }
}
