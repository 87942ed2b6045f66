import BraidAutograd
import BraidNN
import BraidTensor

/// Gated multimodal units (Arevalo et al. 2017, "Gated Multimodal Units for Information Fusion"),
/// with one gate per modality as the paper extends it to M modalities. Every gate sees all
/// modalities' pooled features x = [x_1; …; x_M] (`[B, Σ_m D_m]`) and opens per dimension:
///
/// - `.sum` (the paper's unit): h_m = tanh(P_m(x_m)) `[B, dimension]`,
///   z_m = σ(G_m(x)) `[B, dimension]`, fused = Σ_m z_m ⊙ h_m `[B, dimension]`, with
///   P_m = `Linear(D_m → dimension)` (`projections.<name>`) and G_m = `Linear(Σ_m D_m → dimension)`
///   (`gates.<name>`).
/// - `.concatenation` (gated early fusion): z_m = σ(G_m(x)) `[B, D_m]` with
///   G_m = `Linear(Σ_m D_m → D_m)`, fused = [z_1 ⊙ x_1; …; z_M ⊙ x_M] `[B, Σ_m D_m]`: the
///   concatenation of early fusion with each feature scaled by how much the example's other
///   modalities say it can be trusted; no projections.
///
/// Unlike `GatedFusion`'s softmax, the gates do not compete: a modality that helps keeps its gate
/// open while another's opens too.
public final class GatedMultimodalUnit: Module, FusionHead {
    /// How the gated modality vectors are combined.
    public enum Combination: Sendable, Equatable {
        /// Σ_m z_m ⊙ tanh(P_m(x_m)) (Arevalo et al.).
        case sum
        /// [z_1 ⊙ x_1; …; z_M ⊙ x_M].
        case concatenation
    }

    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// How the gated vectors are combined.
    public let combination: Combination
    /// Per-modality projections `Linear(D_m → dimension)` in sorted order (`.sum`); empty for `.concatenation`.
    public let projections: [Linear]
    /// Per-modality gates over all modalities' features, in sorted order.
    public let gates: [Linear]

    /// The paper's unit over `modalities` (name → D_m) with common width `dimension`.
    /// `gateBias` (default `nil`: `Linear`'s initialisation) sets every gate's initial bias; a
    /// positive value starts training with the gates open (σ(2) ≈ 0.88), as an LSTM's forget gate
    /// starts at bias 1.
    public init(modalities: [String: Int], dimension: Int, gateBias: Float? = nil, generator: inout RandomGenerator) {
        modalityNames = checkedWidths(modalities, head: "GatedMultimodalUnit")
        check(dimension > 0, "GatedMultimodalUnit: dimension \(dimension) must be positive")
        modalityWidths = modalities
        combination = .sum
        projections = perModalityLinears(modalityNames, widths: modalities, outputWidth: dimension, generator: &generator)
        gates = Self.makeGates(modalities, widths: modalityNames.map { _ in dimension }, bias: gateBias, generator: &generator)
    }

    /// Gated early fusion of `modalities` (name → D_m): each modality's pooled features scaled by
    /// its own gate, then concatenated; `gateBias` as in ``init(modalities:dimension:gateBias:generator:)``.
    public init(gatingFeaturesOf modalities: [String: Int], gateBias: Float? = nil, generator: inout RandomGenerator) {
        modalityNames = checkedWidths(modalities, head: "GatedMultimodalUnit")
        modalityWidths = modalities
        combination = .concatenation
        projections = []
        gates = Self.makeGates(modalities, widths: modalityNames.map { modalities[$0]! }, bias: gateBias, generator: &generator)
    }

    /// One gate `Linear(Σ_m D_m → widths[m])` per modality, its bias set to `bias` when given.
    private static func makeGates(
        _ modalities: [String: Int], widths: [Int], bias: Float?, generator: inout RandomGenerator
    ) -> [Linear] {
        let all = modalities.values.reduce(0, +)
        return widths.map { width in
            let gate = Linear(inputFeatures: all, outputFeatures: width, generator: &generator)
            if let bias { gate.bias!.value = Tensor(repeating: bias, shape: [width]) }
            return gate
        }
    }

    /// The common width (`.sum`), or Σ_m D_m (`.concatenation`).
    public var outputDimension: Int {
        combination == .sum ? projections[0].outputFeatures : modalityWidths.values.reduce(0, +)
    }

    /// `projections.<modality>` and `gates.<modality>`.
    public override var stateDictKeys: [String: String] {
        keysNaming("projections", by: modalityNames).merging(keysNaming("gates", by: modalityNames)) { $1 }
    }

    /// Each modality's gate z_m (sorted order: `[B, dimension]`, or `[B, D_m]` for
    /// `.concatenation`) and the fused output.
    public func gatesAndOutput(_ features: [String: EncodedFeatures]) throws(FusionError) -> (gates: [Variable], output: Variable) {
        let inputs = try pooledInputs(features)
        let all = inputs.count == 1 ? inputs[0] : Variable.concat(inputs, axis: 1)
        let openings = gates.map { $0(all).sigmoid() }
        switch combination {
        case .sum:
            let hidden = zip(projections, inputs).map { $0.0($0.1).tanh() }
            return (openings, Variable.stack(zip(openings, hidden).map { $0.0 * $0.1 }, axis: 0).sum(alongAxes: [0]))
        case .concatenation:
            let gated = zip(openings, inputs).map { $0.0 * $0.1 }
            return (openings, gated.count == 1 ? gated[0] : Variable.concat(gated, axis: 1))
        }
    }

    /// The fused features: `[B, dimension]` (`.sum`) or `[B, Σ_m D_m]` (`.concatenation`).
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        try gatesAndOutput(features).output
    }
}
