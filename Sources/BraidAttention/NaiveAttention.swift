import BraidTensor
internal import CBraidKernels

/// The reference attention kernel: it materialises the `[B, H, Nq, Nk]` scores and probabilities
/// with batched matrix products. The fused kernel is tested against it.
enum NaiveAttention {
    /// The probabilities before and after dropout.
    struct Weights {
        var probabilities: Tensor
        var dropped: Tensor
    }

    /// What the backward pass needs from the forward pass.
    struct Forward {
        var output: Tensor
        var weights: Weights
    }

    /// softmax(Q·Kᵀ·scale + mask, causal), a fully masked row giving zeros; then dropout.
    static func weights(_ p: AttentionProblem, query: Tensor, key: Tensor) -> Weights {
        var scores = Tensor.matmul(query, key, transposeB: true) * p.scale  // [B, H, Nq, Nk]
        if let mask = p.mask { scores = scores + mask.materialized(p.scoreShape) }
        if p.isCausal { scores = scores + causalMask(queries: p.queries, keys: p.keys) }
        let rowMax = scores.max(alongAxes: [3], keepDims: true)
        let probabilities = Tensor.where(rowMax .== Tensor(-.infinity), Tensor(0), scores.softmax())
        return Weights(probabilities: probabilities, dropped: applyDropout(p, probabilities))
    }

    static func forward(_ p: AttentionProblem, query: Tensor, key: Tensor, value: Tensor) -> Forward {
        let weights = weights(p, query: query, key: key)
        return Forward(output: Tensor.matmul(weights.dropped, value), weights: weights)
    }

    /// ∂V = P̃ᵀ·g, ∂P̃ = g·Vᵀ, ∂P = dropout(∂P̃), ∂S = P∘(∂P − Σ P∘∂P), ∂Q = ∂S·K·s, ∂K = ∂Sᵀ·Q·s.
    static func backward(
        _ p: AttentionProblem, query: Tensor, key: Tensor, value: Tensor, forward: Forward, outputGradient g: Tensor
    ) -> AttentionGradients {
        let probabilities = forward.weights.probabilities
        let gradValue = Tensor.matmul(forward.weights.dropped, g, transposeA: true)
        let gradProbabilities = applyDropout(p, Tensor.matmul(g, value, transposeB: true))
        let rowDot = (probabilities * gradProbabilities).sum(alongAxes: [3], keepDims: true)
        let gradScores = probabilities * (gradProbabilities - rowDot)
        return AttentionGradients(
            query: Tensor.matmul(gradScores, key) * p.scale,
            key: Tensor.matmul(gradScores, query, transposeA: true) * p.scale,
            value: gradValue)
    }

    /// 0 where key j ≤ query i, −inf elsewhere: `[Nq, Nk]`.
    static func causalMask(queries: Int, keys: Int) -> Tensor {
        Tensor(shape: [queries, keys], scalars: (0..<(queries * keys)).map { $0 % keys <= $0 / keys ? 0 : -.infinity })
    }

    /// The weights with the problem's dropout applied (the same elements as the fused kernel drops).
    static func applyDropout(_ p: AttentionProblem, _ weights: Tensor) -> Tensor {
        guard let dropout = p.dropout else { return weights }
        var result = weights
        result.withUnsafeMutableBufferPointer { w in
            braid_attention_dropout(
                w.baseAddress, p.batch * p.heads * p.queries, p.keys, p.keys, dropout.seed, 0, 0, p.keys,
                dropout.probability)
        }
        return result
    }
}
