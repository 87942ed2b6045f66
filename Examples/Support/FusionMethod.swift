import ArgumentParser
import Braid

/// The fusion heads the example trainers can pick, by their command-line names.
public enum FusionMethod: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// `EarlyFusion`, `LateFusion`, `CrossAttentionFusion`, `WeightedSumFusion`, `TensorFusion`,
    /// `LowRankTensorFusion`, `GatedFusion` (softmax gate) and `GatedMultimodalUnit` (summing), in that order.
    case early, late, crossAttention = "cross-attention", weightedSum = "weighted-sum", tensor, lowRank = "low-rank", gated, gmu
    /// `GatedMultimodalUnit(gatingFeaturesOf:)`: gated early fusion.
    case gatedEarly = "gated-early"

    /// A head of this kind over `modalities` (name → pooled width) with the examples' sizes:
    /// late fusion with learned weights and its own `classCount`-way classifiers, 64-wide
    /// cross-attention with 4 heads, 128-wide weighted-sum, low-rank (rank 4) and both gated heads,
    /// tensor fusion of 16-wide projections (8-wide beyond two modalities, to keep the outer
    /// product small).
    public func makeHead(modalities: [String: Int], classCount: Int, generator: inout RandomGenerator) -> any FusionHead {
        switch self {
        case .early: EarlyFusion(modalities: modalities, generator: &generator)
        case .late: LateFusion(modalities: modalities, classCount: classCount, combination: .learnedWeights, generator: &generator)
        case .crossAttention: CrossAttentionFusion(modalities: modalities, dimension: 64, headCount: 4, generator: &generator)
        case .weightedSum: WeightedSumFusion(modalities: modalities, dimension: 128, generator: &generator)
        case .tensor: TensorFusion(modalities: modalities, projectionDimension: modalities.count > 2 ? 8 : 16, generator: &generator)
        case .lowRank: LowRankTensorFusion(modalities: modalities, rank: 4, outputDimension: 128, generator: &generator)
        case .gated: GatedFusion(modalities: modalities, dimension: 128, generator: &generator)
        case .gmu: GatedMultimodalUnit(modalities: modalities, dimension: 128, generator: &generator)
        case .gatedEarly: GatedMultimodalUnit(gatingFeaturesOf: modalities, generator: &generator)
        }
    }
}
