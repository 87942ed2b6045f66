import BraidAutograd
import BraidNN
import BraidTensor

/// The gated multimodal unit (Arevalo et al. 2017, "Gated Multimodal Units for Information
/// Fusion"), with one gate per modality as the paper extends it to M modalities:
///
/// h_m = tanh(P_m(x_m)) `[B, dimension]`, z_m = σ(G_m([x_1; …; x_M])) `[B, dimension]`,
/// fused = Σ_m z_m ⊙ h_m `[B, dimension]` (the paper's sum), or with `.concatenation` the gated
/// vectors side by side, [z_1 ⊙ h_1; …; z_M ⊙ h_M] `[B, M·dimension]`, with x_m the pooled
/// features `[B, D_m]`, P_m = `Linear(D_m → dimension)` (`projections.<name>`) and
/// G_m = `Linear(Σ_m D_m → dimension)` (`gates.<name>`). Unlike `GatedFusion`'s softmax, the
/// gates are per dimension and do not compete: a modality that helps keeps its gate open while
/// another's opens too.
public final class GatedMultimodalUnit: Module, FusionHead {
    /// How the gated modality vectors are combined.
    public enum Combination: Sendable, Equatable {
        /// Σ_m z_m ⊙ h_m, `[B, dimension]` (Arevalo et al.).
        case sum
        /// [z_1 ⊙ h_1; …; z_M ⊙ h_M], `[B, M·dimension]`: early fusion of gated features, so the
        /// classifier still sees which modality each feature came from.
        case concatenation
    }

    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Per-modality projections `Linear(D_m → dimension)` in sorted order.
    public let projections: [Linear]
    /// Per-modality gates `Linear(Σ_m D_m → dimension)` over all modalities' features, in sorted order.
    public let gates: [Linear]
    /// How the gated vectors are combined.
    public let combination: Combination

    /// A head over `modalities` (name → D_m) with common width `dimension`, combining by
    /// `combination` (default `.sum`). `gateBias` (default `nil`: `Linear`'s initialisation)
    /// sets every gate's initial bias, so that a positive value starts training with the gates
    /// open (σ(2) ≈ 0.88), as an LSTM's forget gate starts at bias 1, instead of letting the
    /// weaker modalities' gates close before their encoders have learnt anything.
    public init(
        modalities: [String: Int], dimension: Int, combination: Combination = .sum, gateBias: Float? = nil,
        generator: inout RandomGenerator
    ) {
        modalityNames = checkedWidths(modalities, head: "GatedMultimodalUnit")
        check(dimension > 0, "GatedMultimodalUnit: dimension \(dimension) must be positive")
        modalityWidths = modalities
        projections = perModalityLinears(modalityNames, widths: modalities, outputWidth: dimension, generator: &generator)
        let allWidths = modalities.values.reduce(0, +)
        gates = modalityNames.map { _ in Linear(inputFeatures: allWidths, outputFeatures: dimension, generator: &generator) }
        self.combination = combination
        if let gateBias { for gate in gates { gate.bias!.value = Tensor(repeating: gateBias, shape: [dimension]) } }
    }

    /// The common width, or M times it for `.concatenation`.
    public var outputDimension: Int {
        projections[0].outputFeatures * (combination == .sum ? 1 : modalityNames.count)
    }

    /// `projections.<modality>` and `gates.<modality>`.
    public override var stateDictKeys: [String: String] {
        keysNaming("projections", by: modalityNames).merging(keysNaming("gates", by: modalityNames)) { $1 }
    }

    /// The gates z_m stacked `[B, M, dimension]` (modalities in sorted order) and the fused output.
    public func gatesAndOutput(_ features: [String: EncodedFeatures]) throws(FusionError) -> (gates: Variable, output: Variable) {
        let inputs = try pooledInputs(features)
        let all = inputs.count == 1 ? inputs[0] : Variable.concat(inputs, axis: 1)
        let hidden = Variable.stack(zip(projections, inputs).map { $0.0($0.1).tanh() }, axis: 1)
        let openings = Variable.stack(gates.map { $0(all).sigmoid() }, axis: 1)
        let gated = openings * hidden  // [B, M, dimension]
        let output = combination == .sum ? gated.sum(alongAxes: [1]) : gated.reshaped(to: [gated.shape[0], outputDimension])
        return (openings, output)
    }

    /// Σ_m z_m ⊙ tanh(P_m(x_m)) `[B, dimension]`, or the concatenation `[B, M·dimension]`.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        try gatesAndOutput(features).output
    }
}
