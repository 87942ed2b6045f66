import Braid

/// The fusion heads `--fusion` can pick.
enum FusionKind: String, CaseIterable {
    case early, late, crossAttention = "cross-attention", weightedSum = "weighted-sum", tensor, lowRank = "low-rank", gated
}

/// Which inputs a classifier reads.
enum Inputs { case both, textOnly, imageOnly }

/// Text and/or image encoders, a fusion head, and the classifier: fused features → Linear(512)
/// → ReLU → Linear(classes). With `.early` this is the concatenate-and-classify model; late
/// fusion produces logits itself.
final class MultimodalClassifier: Module {
    let text: TextEncoder?
    let image: DigitCNN?
    let head: (any FusionHead)?
    let hidden: Linear?, output: Linear?
    var isTraining = true

    init(inputs: Inputs, fusion: FusionKind, makeText: () -> TextEncoder, classCount: Int, generator: inout RandomGenerator) {
        text = inputs == .imageOnly ? nil : makeText()
        image = inputs == .textOnly ? nil : DigitCNN(generator: &generator)
        var widths: [String: Int] = [:]
        if let text { widths["text"] = text.outputDimension }
        if let image { widths["image"] = image.outputDimension }
        let head: (any FusionHead)?
        switch (inputs, fusion) {
        case (.both, .early): head = EarlyFusion(modalities: widths, generator: &generator)
        case (.both, .late): head = LateFusion(modalities: widths, classCount: classCount, combination: .learnedWeights, generator: &generator)
        case (.both, .crossAttention): head = CrossAttentionFusion(modalities: widths, dimension: 64, headCount: 4, generator: &generator)
        case (.both, .weightedSum): head = WeightedSumFusion(modalities: widths, dimension: 128, generator: &generator)
        case (.both, .tensor): head = TensorFusion(modalities: widths, projectionDimension: 16, generator: &generator)
        case (.both, .lowRank): head = LowRankTensorFusion(modalities: widths, rank: 4, outputDimension: 128, generator: &generator)
        case (.both, .gated): head = GatedFusion(modalities: widths, dimension: 128, generator: &generator)
        default: head = nil
        }
        self.head = head
        let features = head?.outputDimension ?? widths.values.first!
        let producesLogits = head is LateFusion
        hidden = producesLogits ? nil : Linear(inputFeatures: features, outputFeatures: 512, generator: &generator)
        output = producesLogits ? nil : Linear(inputFeatures: 512, outputFeatures: classCount, generator: &generator)
    }

    var children: [(name: String, module: any Module)] {
        var result: [(name: String, module: any Module)] = []
        if let text { result.append(("text", text)) }
        if let image { result.append(("image", image)) }
        if let head { result.append(("fusion", head)) }
        if let hidden, let output { result += [("hidden", hidden), ("output", output)] }
        return result
    }

    /// Logits `[B, classes]`.
    func callAsFunction(images: Variable, captions: TokenizedBatch) throws -> Variable {
        var features: [String: EncodedFeatures] = [:]
        if let text { features["text"] = text.encode(captions) }
        if let image { features["image"] = image.encode(images) }
        let fused = try head?(features) ?? features.values.first!.pooled
        guard let hidden, let output else { return fused }
        return output(hidden(fused).relu())
    }
}
