import BraidAutograd
import BraidNN
import BraidTensor

/// Early (feature-level) fusion: the concatenation of every modality's pooled features in sorted
/// name order, each optionally passed through its own `Linear` first — the
/// concatenate-and-classify baseline (e.g. Baltrušaitis et al. 2019, "Multimodal Machine Learning:
/// A Survey and Taxonomy"; PyTorch: `torch.cat([proj_m(h_m) for m in sorted], dim=1)`).
///
/// fused = [P_1(h_1); …; P_M(h_M)] with h_m `[B, D_m]` and P_m the identity or `Linear(D_m → P)`.
/// Output `[B, Σ_m D_m]`, or `[B, M·P]` with `projectionDimension` P. Put a classifier on top.
public final class EarlyFusion: Module, FusionHead {
    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Per-modality projections in sorted order, or empty when built without `projectionDimension`.
    public let projections: [Linear]
    /// Σ_m D_m, or M·P with projections.
    public let outputDimension: Int

    /// A head over `modalities` (name → D_m); `projectionDimension` P (default `nil`, none) adds a
    /// `Linear(D_m → P)` per modality, initialised from `generator`.
    public init(modalities: [String: Int], projectionDimension: Int? = nil, generator: inout RandomGenerator) {
        modalityNames = checkedWidths(modalities, head: "EarlyFusion")
        modalityWidths = modalities
        if let p = projectionDimension {
            check(p > 0, "EarlyFusion: projection dimension \(p) must be positive")
            projections = perModalityLinears(modalityNames, widths: modalities, outputWidth: p, generator: &generator)
            outputDimension = p * modalityNames.count
        } else {
            projections = []
            outputDimension = modalities.values.reduce(0, +)
        }
    }

    /// `projections.<modality>`.
    public override var stateDictKeys: [String: String] { keysNaming("projections", by: modalityNames) }

    /// The concatenated (projected) pooled features `[B, outputDimension]`.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        var inputs = try pooledInputs(features)
        if !projections.isEmpty { inputs = zip(projections, inputs).map { $0.0($0.1) } }
        return inputs.count == 1 ? inputs[0] : Variable.concat(inputs, axis: 1)
    }
}
