import BraidAutograd
import BraidNN
import BraidTensor

/// A stack of `TransformerEncoderLayer`s with an optional final LayerNorm (`nn.TransformerEncoder`).
/// Layers are named `layer.0`, `layer.1`, … as in Hugging Face BERT's encoder; the final norm `norm`.
public final class TransformerEncoder: Module {
    /// The layers, applied in order.
    public let layers: [TransformerEncoderLayer]
    /// Applied after the last layer when present (usual with pre-norm layers).
    public let finalNorm: LayerNorm?

    /// An encoder of `layers` and an optional final norm.
    public init(layers: [TransformerEncoderLayer], finalNorm: LayerNorm? = nil) {
        check(!layers.isEmpty, "TransformerEncoder: no layers")
        self.layers = layers
        self.finalNorm = finalNorm
    }

    /// `count` independently initialised layers built by `makeLayer`.
    public convenience init(
        count: Int, finalNorm: LayerNorm? = nil, _ makeLayer: (inout RandomGenerator) -> TransformerEncoderLayer,
        generator: inout RandomGenerator
    ) {
        self.init(layers: (0..<count).map { _ in makeLayer(&generator) }, finalNorm: finalNorm)
    }

    /// `layer.<i>` and `norm`.
    public override var stateDictKeys: [String: String] { ["layers": "layer", "final_norm": "norm"] }

    /// The sequence `[B, N, E]` through every layer; `keyPaddingMask` `[B, N]` is non-zero at padding.
    public func callAsFunction(
        _ x: Variable, keyPaddingMask: Tensor? = nil, mask: AttentionMask? = nil, isCausal: Bool = false
    ) -> Variable {
        let encoded = layers.reduce(x) { $1($0, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal) }
        return finalNorm.map { $0(encoded) } ?? encoded
    }
}
