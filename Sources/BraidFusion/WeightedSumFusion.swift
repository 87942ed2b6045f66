import BraidAutograd
import BraidNN
import BraidTensor

/// A learned convex combination of projected modality features:
/// h = Σ_m softmax(a)_m · P_m(h_m), with P_m = `Linear(D_m → dimension)` and one learnable logit
/// a_m per modality (initialised to 0, i.e. an equal-weight mean). Output `[B, dimension]`.
///
/// Equivalent PyTorch: `(torch.softmax(a, 0)[:, None, None] * torch.stack([p(h) for p, h in ...])).sum(0)`.
public final class WeightedSumFusion: Module, FusionHead {
    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Per-modality projections `Linear(D_m → dimension)` in sorted order.
    public let projections: [Linear]
    /// The modality logits a `[M]`.
    public let logits: Variable

    /// A head over `modalities` (name → D_m) with common width `dimension`.
    public init(modalities: [String: Int], dimension: Int, generator: inout RandomGenerator) {
        modalityNames = checkedWidths(modalities, head: "WeightedSumFusion")
        check(dimension > 0, "WeightedSumFusion: dimension \(dimension) must be positive")
        modalityWidths = modalities
        projections = perModalityLinears(modalityNames, widths: modalities, outputWidth: dimension, generator: &generator)
        logits = Variable(Tensor.zeros([modalityNames.count]), requiresGrad: true)
    }

    /// The common width.
    public var outputDimension: Int { projections[0].outputFeatures }
    /// The current modality weights softmax(a) `[M]`, in sorted name order.
    public var modalityWeights: Tensor { logits.value.softmax() }

    /// `projections.<modality>`.
    public override var stateDictKeys: [String: String] { keysNaming("projections", by: modalityNames) }

    /// Σ_m softmax(a)_m · P_m(h_m), `[B, dimension]`.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        let inputs = try pooledInputs(features)
        let projected = Variable.stack(zip(projections, inputs).map { $0.0($0.1) }, axis: 0)
        let w = logits.softmax().reshaped(to: [modalityNames.count, 1, 1])
        return (projected * w).sum(alongAxes: [0])
    }
}
