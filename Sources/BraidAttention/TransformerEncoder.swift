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

    /// The output at `rows` of the flattened `[B·N]` positions only, `[R, E]`, as a pooled head
    /// reads it (a class token, an end-of-text token): `self(x, …)` reshaped to `[B·N, E]` and
    /// indexed by `rows`. On the inference path (evaluation mode, no gradients) the last layer
    /// computes the keys and values of every position and everything else for `rows` alone.
    public func callAsFunction(
        _ x: Variable, rows: [Int], keyPaddingMask: Tensor? = nil, mask: AttentionMask? = nil, isCausal: Bool = false
    ) -> Variable {
        check(x.rank == 3, "TransformerEncoder: input \(x.shape) must be [B, N, E]")
        let positions = x.shape[0] * x.shape[1]
        check(!rows.isEmpty, "TransformerEncoder: no rows requested")
        if let bad = rows.first(where: { !(0..<positions).contains($0) }) {
            checkFailed("TransformerEncoder: row \(bad) is outside the \(positions) positions of input \(x.shape)")
        }
        let early = layers.dropLast().reduce(x) { $1($0, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal) }
        let last = layers.last!
        let selected = last.inferenceOutput(early, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal, rows: rows)
            ?? last(early, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal)
                .reshaped(to: [positions, x.shape[2]]).indexSelect(axis: 0, indices: rows)
        return finalNorm.map { $0(selected) } ?? selected
    }
}
