import BraidAutograd
import BraidNN
import BraidTensor

/// The symmetric InfoNCE loss of CLIP (Radford et al. 2021, "Learning Transferable Visual Models
/// From Natural Language Supervision"), for paired embeddings where row i of `a` matches row i of `b`.
///
/// â = a/‖a‖, b̂ = b/‖b‖ row-wise (norms floored at 1e-12, as `F.normalize`),
/// logits = â·b̂ᵀ·exp(logTemperature) `[N, N]`, and
/// loss = ½·(CE(logits, [0…N−1]) + CE(logitsᵀ, [0…N−1])) with mean cross-entropy over rows.
/// `a` and `b` are `[N, D]`; `logTemperature` is any single-element variable (shape `[]` or `[1]`),
/// typically `LearnableTemperature.logScale`. Returns a scalar `[]`.
public func contrastiveLoss(_ a: Variable, _ b: Variable, logTemperature: Variable) -> Variable {
    check(
        a.rank == 2 && a.shape == b.shape,
        "contrastiveLoss: embeddings \(a.shape) and \(b.shape) must both be [N, D] with the same shape")
    check(logTemperature.value.count == 1, "contrastiveLoss: logTemperature \(logTemperature.shape) must hold one value")
    let n = a.shape[0]
    let logits = Variable.matmul(l2NormalizedRows(a), l2NormalizedRows(b), transposeB: true)
        * logTemperature.reshaped(to: []).exp()
    let targets = IntTensor(Array(0..<n))
    let rows = crossEntropy(logits: logits, targets: targets)
    let columns = crossEntropy(logits: logits.transposed(), targets: targets)
    return (rows + columns) * 0.5
}

/// Rows divided by their L2 norms, `[N, D]`, with the norm floored at 1e-12 (`F.normalize(x, dim=1)`).
package func l2NormalizedRows(_ x: Variable) -> Variable {
    x / (x * x).sum(alongAxes: [1], keepDims: true).sqrt().clamped(min: 1e-12)
}
