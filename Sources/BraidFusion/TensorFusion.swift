import BraidAutograd
import BraidNN
import BraidTensor

/// Tensor Fusion (Zadeh et al. 2017, "Tensor Fusion Network for Multimodal Sentiment Analysis"):
/// the flattened outer product of the ones-augmented modality vectors,
/// z = vec([1; h_1] ⊗ [1; h_2] ⊗ … ⊗ [1; h_M]), modalities in sorted name order, which keeps
/// every unimodal, bimodal, … M-modal interaction term.
///
/// Shapes: h_m `[B, D_m]` (or `[B, P]` after the optional `projectionDimension` projections),
/// z `[B, Π_m (D_m + 1)]` — `[B, (D_1+1)(D_2+1)]` for two modalities. With `outputDimension` set,
/// a final `Linear(Π_m (D_m+1) → outputDimension)` follows. The product grows quickly: keep widths small.
public final class TensorFusion: Module, FusionHead {
    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Per-modality projections `Linear(D_m → P)` in sorted order, or empty.
    public let projections: [Linear]
    /// The optional output layer.
    public let output: Linear?
    /// Π_m (D_m + 1) (with D_m = P under projections): the width of the outer product.
    public let productDimension: Int

    /// A head over `modalities` (name → D_m); `projectionDimension` (default `nil`) first projects
    /// every modality to P, and `outputDimension` (default `nil`) adds a final `Linear`.
    public init(
        modalities: [String: Int], projectionDimension: Int? = nil, outputDimension: Int? = nil,
        generator: inout RandomGenerator
    ) {
        modalityNames = checkedWidths(modalities, head: "TensorFusion")
        modalityWidths = modalities
        if let p = projectionDimension {
            check(p > 0, "TensorFusion: projection dimension \(p) must be positive")
            projections = perModalityLinears(modalityNames, widths: modalities, outputWidth: p, generator: &generator)
        } else {
            projections = []
        }
        productDimension = modalityNames.map { (projectionDimension ?? modalities[$0]!) + 1 }.reduce(1, *)
        if let out = outputDimension {
            check(out > 0, "TensorFusion: output dimension \(out) must be positive")
            output = Linear(inputFeatures: productDimension, outputFeatures: out, generator: &generator)
        } else {
            output = nil
        }
    }

    /// `output.outputFeatures`, or `productDimension` without an output layer.
    public var outputDimension: Int { output?.outputFeatures ?? productDimension }

    /// `projections.<modality>`.
    public override var stateDictKeys: [String: String] { keysNaming("projections", by: modalityNames) }

    /// The flattened outer product `[B, productDimension]`, then the output layer when present.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        var inputs = try pooledInputs(features)
        if !projections.isEmpty { inputs = zip(projections, inputs).map { $0.0($0.1) } }
        let batch = inputs[0].shape[0]
        var product = withLeadingOne(inputs[0])
        for h in inputs.dropFirst() {
            let z = withLeadingOne(h)
            // [B, P, 1] * [B, 1, Q] -> [B, P, Q] -> [B, P·Q]
            product = (product.unsqueezed(2) * z.unsqueezed(1)).reshaped(to: [batch, product.shape[1] * z.shape[1]])
        }
        return output.map { $0(product) } ?? product
    }
}
