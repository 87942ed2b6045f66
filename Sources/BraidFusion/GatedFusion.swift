import BraidAutograd
import BraidNN
import BraidTensor

/// Input-dependent gating over modalities (in the spirit of Arevalo et al. 2017, "Gated Multimodal
/// Units for Information Fusion", generalised to M modalities with a softmax gate):
///
/// p_m = P_m(h_m) `[B, dimension]`, g = softmax(G([p_1; …; p_M])) `[B, M]` over modalities,
/// fused = Σ_m g_m ⊙ p_m `[B, dimension]`, with P_m = `Linear(D_m → dimension)` and the gate
/// G = `Linear(M·dimension → M)`.
public final class GatedFusion: Module, FusionHead {
    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Per-modality projections `Linear(D_m → dimension)` in sorted order.
    public let projections: [Linear]
    /// The gate scorer `Linear(M·dimension → M)`.
    public let gate: Linear

    /// A head over `modalities` (name → D_m) with common width `dimension`.
    public init(modalities: [String: Int], dimension: Int, generator: inout RandomGenerator) {
        modalityNames = checkedWidths(modalities, head: "GatedFusion")
        check(dimension > 0, "GatedFusion: dimension \(dimension) must be positive")
        modalityWidths = modalities
        projections = perModalityLinears(modalityNames, widths: modalities, outputWidth: dimension, generator: &generator)
        let m = modalityNames.count
        gate = Linear(inputFeatures: m * dimension, outputFeatures: m, generator: &generator)
    }

    /// The common width.
    public var outputDimension: Int { projections[0].outputFeatures }

    /// The gates softmax(G([p_1; …; p_M])) `[B, M]` (modalities in sorted order) and the fused output.
    public func gatesAndOutput(_ features: [String: EncodedFeatures]) throws(FusionError) -> (gates: Variable, output: Variable) {
        let inputs = try pooledInputs(features)
        let projected = zip(projections, inputs).map { $0.0($0.1) }
        let gates = gate(Variable.concat(projected, axis: 1)).softmax(alongAxis: 1)
        let stacked = Variable.stack(projected, axis: 1)  // [B, M, dimension]
        return (gates, (stacked * gates.unsqueezed(2)).sum(alongAxes: [1]))
    }

    /// `projections.<modality>`.
    public override var stateDictKeys: [String: String] { keysNaming("projections", by: modalityNames) }

    /// Σ_m g_m ⊙ P_m(h_m), `[B, dimension]`.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        try gatesAndOutput(features).output
    }
}
