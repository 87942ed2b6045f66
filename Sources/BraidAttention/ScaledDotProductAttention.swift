import BraidAutograd
import BraidTensor

/// Which implementation computes attention.
public enum AttentionKernel: Sendable {
    /// Flash-style: query and key tiles, online softmax, backward by recomputation from the saved
    /// row log-sum-exp. Extra memory O(N·D) per thread. The default.
    case fused
    /// The reference: materialises the `[B, H, Nq, Nk]` probabilities.
    case naive
}

/// Dropout on the attention weights: each weight is zeroed with `probability` and the rest scaled
/// by 1/(1 − p). Which weights drop is a hash of `seed` and the weight's position, so the fused and
/// naive kernels and the backward pass all drop the same ones.
public struct AttentionDropout: Sendable {
    /// The probability of dropping a weight, in [0, 1).
    public var probability: Float
    /// Selects the dropped weights.
    public var seed: UInt64

    /// Creates the dropout settings.
    public init(probability: Float, seed: UInt64) {
        check(probability >= 0 && probability < 1, "AttentionDropout: probability \(probability) outside [0, 1)")
        self.probability = probability
        self.seed = seed
    }
}

/// The sizes and options of one attention call, checked once and shared by both kernels.
struct AttentionProblem: @unchecked Sendable {
    let batch, heads, queries, keys, depth, valueDepth: Int
    let scale: Float
    let mask: ResolvedMask?
    let isCausal: Bool
    let dropout: AttentionDropout?

    var scoreShape: [Int] { [batch, heads, queries, keys] }

    init(
        query: [Int], key: [Int], value: [Int], mask: AttentionMask?, keyPaddingMask: Tensor?,
        isCausal: Bool, scale: Float?, dropout: AttentionDropout?
    ) {
        check(
            query.count == 4 && key.count == 4 && value.count == 4,
            "scaledDotProductAttention: query \(query), key \(key) and value \(value) must be [B, H, N, D]")
        check(
            query[0] == key[0] && key[0] == value[0] && query[1] == key[1] && key[1] == value[1],
            "scaledDotProductAttention: batch and head sizes differ: query \(query), key \(key), value \(value)")
        check(query[3] == key[3], "scaledDotProductAttention: query \(query) and key \(key) differ in D")
        check(key[2] == value[2], "scaledDotProductAttention: key \(key) and value \(value) differ in Nk")
        check(query[3] > 0 && value[3] > 0, "scaledDotProductAttention: D = 0 in query \(query) or value \(value)")
        check(
            query[0] > 0 && query[1] > 0 && query[2] > 0 && key[2] > 0,
            "scaledDotProductAttention: empty batch, head or sequence in query \(query) or key \(key)")
        (batch, heads, queries, keys, depth, valueDepth) = (query[0], query[1], query[2], key[2], query[3], value[3])
        self.scale = scale ?? 1 / Float(depth).squareRoot()
        self.mask = ResolvedMask(mask: mask, keyPaddingMask: keyPaddingMask, shape: [batch, heads, queries, keys])
        self.isCausal = isCausal
        self.dropout = dropout.flatMap { $0.probability > 0 ? $0 : nil }
    }
}

/// softmax(Q·Kᵀ·scale + mask)·V over `[B, H, N, D]` tensors (`F.scaled_dot_product_attention`),
/// differentiable in query, key and value.
///
/// - Parameters:
///   - query: `[B, H, Nq, D]`.
///   - key: `[B, H, Nk, D]`; `Nk` may differ from `Nq` (cross-attention).
///   - value: `[B, H, Nk, Dv]`.
///   - mask: an additive or boolean mask broadcastable to `[B, H, Nq, Nk]`.
///   - keyPaddingMask: `[B, Nk]`, non-zero where a key is padding (PyTorch's `key_padding_mask`).
///   - isCausal: query i attends only to keys j ≤ i (top-left aligned, as PyTorch).
///   - scale: the score scale; 1/√D by default.
///   - dropout: dropout on the attention weights; pass it only in training mode.
///   - kernel: `.fused` (default) or the `.naive` reference.
/// - Returns: `[B, H, Nq, Dv]`. A query whose keys are all masked gets zeros, never NaN.
public func scaledDotProductAttention(
    query: Variable, key: Variable, value: Variable, mask: AttentionMask? = nil, keyPaddingMask: Tensor? = nil,
    isCausal: Bool = false, scale: Float? = nil, dropout: AttentionDropout? = nil, kernel: AttentionKernel = .fused
) -> Variable {
    let problem = AttentionProblem(
        query: query.shape, key: key.shape, value: value.shape, mask: mask, keyPaddingMask: keyPaddingMask,
        isCausal: isCausal, scale: scale, dropout: dropout)
    switch kernel {
    case .fused:
        let forward = FusedAttention.forward(problem, query: query.value, key: key.value, value: value.value)
        return Variable(forward.output, inputs: [query, key, value]) { g in
            let grads = FusedAttention.backward(
                problem, query: query.value, key: key.value, value: value.value, forward: forward, outputGradient: g)
            return [grads.query, grads.key, grads.value]
        }
    case .naive:
        let forward = NaiveAttention.forward(problem, query: query.value, key: key.value, value: value.value)
        return Variable(forward.output, inputs: [query, key, value]) { g in
            let grads = NaiveAttention.backward(
                problem, query: query.value, key: key.value, value: value.value, forward: forward, outputGradient: g)
            return [grads.query, grads.key, grads.value]
        }
    }
}

/// The attention weights softmax(Q·Kᵀ·scale + mask) `[B, H, Nq, Nk]`, after dropout if given, as
/// the naive kernel computes them (for inspection; not differentiable).
public func attentionWeights(
    query: Tensor, key: Tensor, mask: AttentionMask? = nil, keyPaddingMask: Tensor? = nil, isCausal: Bool = false,
    scale: Float? = nil, dropout: AttentionDropout? = nil
) -> Tensor {
    let problem = AttentionProblem(
        query: query.shape, key: key.shape, value: key.shape, mask: mask, keyPaddingMask: keyPaddingMask,
        isCausal: isCausal, scale: scale, dropout: dropout)
    return NaiveAttention.weights(problem, query: query, key: key).dropped
}

/// The three input gradients of an attention call.
struct AttentionGradients {
    var query: Tensor
    var key: Tensor
    var value: Tensor
}
