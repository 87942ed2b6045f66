import BraidTensor

/// Which query–key pairs may interact, besides causality (`attn_mask` in PyTorch's
/// `scaled_dot_product_attention`). Masks broadcast to `[B, H, Nq, Nk]` with NumPy rules.
public enum AttentionMask: Sendable {
    /// Added to the scaled scores; −inf removes a pair.
    case additive(Tensor)
    /// Non-zero where the query may attend to the key (PyTorch's boolean `attn_mask`).
    case boolean(Tensor)

    /// The mask as additive values (0 or −inf for a boolean mask).
    var additive: Tensor {
        switch self {
        case .additive(let values): values
        case .boolean(let allowed): allowed.map { $0 != 0 ? 0 : -.infinity }
        }
    }
}

/// An additive mask resolved against one attention problem: the values and the strides that read
/// element `[b, h, i, j]` (0 along broadcast axes). Tiles read it with a row and a column stride.
struct ResolvedMask: @unchecked Sendable {
    let values: Tensor
    let strides: [Int]

    /// Combines `mask` and a `[B, Nk]` key-padding mask (non-zero = padding, PyTorch's
    /// `key_padding_mask`) into one additive mask; `nil` when there is neither.
    init?(mask: AttentionMask?, keyPaddingMask: Tensor?, shape: [Int]) {
        let (batch, keys) = (shape[0], shape[3])
        var combined = mask?.additive
        if let combinedShape = combined?.shape {
            check(
                combinedShape.count <= 4,
                "scaledDotProductAttention: mask of shape \(combinedShape) has more than 4 dimensions")
        }
        if let padding = keyPaddingMask {
            check(
                padding.shape == [batch, keys],
                "scaledDotProductAttention: key padding mask \(padding.shape) must be [B, Nk] = [\(batch), \(keys)]")
            let additive = padding.map { $0 != 0 ? -.infinity : 0 }.reshaped(to: [batch, 1, 1, keys])
            combined = combined.map { $0 + additive } ?? additive
        }
        guard let combined else { return nil }
        let padded = [Int](repeating: 1, count: 4 - combined.rank) + combined.shape
        for (axis, size) in padded.enumerated() {
            check(
                size == 1 || size == shape[axis],
                "scaledDotProductAttention: mask of shape \(combined.shape) cannot broadcast to \(shape)")
        }
        values = combined.reshaped(to: padded)
        strides = Shape.broadcastStrides(of: padded, to: shape)
    }

    /// The offset of element `[b, h, i, j]`.
    func offset(_ b: Int, _ h: Int, _ i: Int, _ j: Int) -> Int {
        b * strides[0] + h * strides[1] + i * strides[2] + j * strides[3]
    }

    /// The mask materialised at full shape `[B, H, Nq, Nk]`.
    func materialized(_ shape: [Int]) -> Tensor { values.broadcast(to: shape) }
}
