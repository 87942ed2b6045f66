import BraidAutograd
import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How per-element losses are combined (`reduction=` in PyTorch).
public enum LossReduction: Sendable {
    /// The mean over the elements that count (cross-entropy skips ignored targets).
    case mean
    /// The sum.
    case sum
    /// No reduction: one loss per element (per row for cross-entropy).
    case none
}

/// Cross-entropy between `logits` `[N, C]` and class indices `targets` `[N]` (`F.cross_entropy`).
///
/// Row loss: −(1−ε)·log pₜ − (ε/C)·Σ_c log p_c, with p = softmax(logits) and ε = `labelSmoothing`.
/// Rows whose target is `ignoreIndex` contribute nothing, and `.mean` divides by the rows that
/// remain. ∂/∂logits = (p − q)·scale with q = (1−ε)·onehot(t) + ε/C. One fused pass; no
/// probabilities are kept beyond the backward pass.
public func crossEntropy(
    logits: Variable, targets: IntTensor, ignoreIndex: Int = -100, labelSmoothing: Float = 0,
    reduction: LossReduction = .mean
) -> Variable {
    check(
        logits.rank == 2 && targets.shape == [logits.shape[0]],
        "crossEntropy: logits \(logits.shape) need shape [N, C] and targets \(targets.shape) shape [N]")
    check(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: label smoothing \(labelSmoothing) outside [0, 1]")
    let (rows, classes) = (logits.shape[0], logits.shape[1])
    for t in targets.scalars where t != ignoreIndex {
        check(t >= 0 && t < classes, "crossEntropy: target \(t) outside 0..<\(classes)")
    }
    let logProbabilities = logits.value.logSoftmax()
    let onTarget = 1 - labelSmoothing, spread = labelSmoothing / Float(classes)
    var rowLosses = [Float](repeating: 0, count: rows)
    var counted = 0
    logProbabilities.withUnsafeBufferPointer { lp in
        for r in 0..<rows where targets.scalars[r] != ignoreIndex {
            let row = lp.baseAddress! + r * classes
            let smoothing = spread == 0 ? 0 : -spread * RowKernels.sum(row, classes)
            rowLosses[r] = -onTarget * row[targets.scalars[r]] + smoothing
            counted += 1
        }
    }
    let loss = reduce(Tensor(rowLosses), reduction, count: counted)
    return Variable(loss, inputs: [logits]) { g in
        let rowScales = upstreamScales(g, reduction, rows: rows, count: counted)
        return [logProbabilities.exp().withUnsafeBufferPointer { probabilities in
            Tensor(shape: [rows, classes]) { out in
                for r in 0..<rows {
                    let o = out.baseAddress! + r * classes, row = probabilities.baseAddress! + r * classes
                    let t = targets.scalars[r]
                    guard t != ignoreIndex else {
                        o.initialize(repeating: 0, count: classes)
                        continue
                    }
                    let scale = rowScales[r]
                    for c in 0..<classes { o[c] = (row[c] - spread) * scale }
                    o[t] -= onTarget * scale
                }
            }
        }]
    }
}

/// Binary cross-entropy on logits x with soft targets t in [0, 1] (`F.binary_cross_entropy_with_logits`).
///
/// Element loss: max(x, 0) − x·t + log(1 + e^−|x|), stable for any x. ∂/∂x = σ(x) − t.
public func binaryCrossEntropyWithLogits(
    logits: Variable, targets: Tensor, reduction: LossReduction = .mean
) -> Variable {
    check(logits.shape == targets.shape, "binaryCrossEntropyWithLogits: logits \(logits.shape) and targets \(targets.shape) differ")
    let x = logits.value
    let losses = x.relu() - x * targets + (-x.abs()).exp().map { log1pf($0) }
    return elementwiseLoss(losses, input: logits, reduction: reduction) { x in x.sigmoid() - targets }
}

/// Mean squared error (x − t)² (`F.mse_loss`). ∂/∂x = 2(x − t).
public func meanSquaredError(_ input: Variable, target: Tensor, reduction: LossReduction = .mean) -> Variable {
    check(input.shape == target.shape, "meanSquaredError: input \(input.shape) and target \(target.shape) differ")
    let losses = Tensor.zip(input.value, target, op: "meanSquaredError") { x, t in (x - t) * (x - t) }
    return elementwiseLoss(losses, input: input, reduction: reduction) { x in
        Tensor.zip(x, target, op: "meanSquaredError") { x, t in 2 * (x - t) }
    }
}

/// A loss made of independent per-element terms, given their values and their derivative in x.
private func elementwiseLoss(
    _ losses: Tensor, input: Variable, reduction: LossReduction, derivative: @escaping (Tensor) -> Tensor
) -> Variable {
    let count = losses.count
    return Variable(reduce(losses, reduction, count: count), inputs: [input]) { g in
        let d = derivative(input.value)
        switch reduction {
        case .none: return [d * g]
        case .sum: return [d * g.scalar]
        case .mean: return [d * (g.scalar / Float(count))]
        }
    }
}

private func reduce(_ losses: Tensor, _ reduction: LossReduction, count: Int) -> Tensor {
    switch reduction {
    case .none: losses
    case .sum: losses.sum()
    case .mean: losses.sum() / Float(count)
    }
}

/// The factor each row's derivative is multiplied by, given the upstream gradient `g`.
private func upstreamScales(_ g: Tensor, _ reduction: LossReduction, rows: Int, count: Int) -> [Float] {
    switch reduction {
    case .none: g.scalars
    case .sum: [Float](repeating: g.scalar, count: rows)
    case .mean: [Float](repeating: g.scalar / Float(count), count: rows)
    }
}
