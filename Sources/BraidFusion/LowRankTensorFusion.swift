import BraidAutograd
import BraidNN
import BraidTensor

/// Low-rank Multimodal Fusion (Liu et al. 2018, "Efficient Low-rank Multimodal Fusion with
/// Modality-Specific Factors"): tensor fusion with the weight tensor in rank-r CP form, so the
/// outer product is never built.
///
/// fused = Σ_{i=1…r} Π_m ([1; h_m] · W_m[i]) + b, with h_m `[B, D_m]`, factors W_m `[r, D_m + 1, out]`
/// (parameter `factors.<name>`), bias b `[out]` (zero-initialised) and the product element-wise
/// over modalities in sorted name order. Output `[B, outputDimension]`. Each factor is drawn from
/// N(0, 2/(D_m + 1 + out)) (Xavier-normal for one rank slice). The paper's separate per-rank
/// weights are absorbed into the factors.
public final class LowRankTensorFusion: Module, FusionHead {
    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Factors W_m `[rank, D_m + 1, outputDimension]` in sorted order.
    public let factors: [Variable]
    /// The bias `[outputDimension]`.
    public let bias: Variable
    /// The rank r.
    public let rank: Int
    /// The output width.
    public let outputDimension: Int

    /// A head over `modalities` (name → D_m) with CP rank `rank` and output width `outputDimension`.
    public init(modalities: [String: Int], rank: Int, outputDimension: Int, generator: inout RandomGenerator) {
        modalityNames = checkedWidths(modalities, head: "LowRankTensorFusion")
        check(rank > 0 && outputDimension > 0,
                     "LowRankTensorFusion: rank \(rank) and output dimension \(outputDimension) must be positive")
        modalityWidths = modalities
        var made: [Variable] = []
        for name in modalityNames {
            let d = modalities[name]! + 1
            let std = (2 / Float(d + outputDimension)).squareRoot()
            made.append(Variable(
                Tensor.randomNormal([rank, d, outputDimension], mean: 0, standardDeviation: std, generator: &generator),
                requiresGrad: true))
        }
        factors = made
        bias = Variable(Tensor.zeros([outputDimension]), requiresGrad: true)
        self.rank = rank
        self.outputDimension = outputDimension
    }

    /// `factors.<modality>`.
    public override var stateDictKeys: [String: String] { keysNaming("factors", by: modalityNames) }

    /// Σ_r Π_m ([1; h_m]·W_m[r]) + b, `[B, outputDimension]`.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        let inputs = try pooledInputs(features)
        let batch = inputs[0].shape[0]
        var product: Variable? = nil
        for (h, w) in zip(inputs, factors) {
            let d = w.shape[1]
            // [r, D+1, out] -> [D+1, r, out] -> [D+1, r·out]; [B, D+1]·that -> [B, r, out]
            let flat = w.permuted([1, 0, 2]).reshaped(to: [d, rank * outputDimension])
            let projected = Variable.matmul(withLeadingOne(h), flat).reshaped(to: [batch, rank, outputDimension])
            product = product.map { $0 * projected } ?? projected
        }
        return product!.sum(alongAxes: [1]) + bias
    }
}
