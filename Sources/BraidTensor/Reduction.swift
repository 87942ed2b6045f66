extension Tensor {
    /// How a reduction over `axes` walks the storage: `outer` independent groups, each reducing
    /// `reduced` elements spaced `inner` apart. Axes that are not one contiguous block are first
    /// permuted to the end (a copy), which makes `inner` 1.
    struct ReductionPlan {
        var source: Tensor
        var outer: Int
        var reduced: Int
        var inner: Int
        var keptShape: [Int]
        var keepDimsShape: [Int]
    }

    func reductionPlan(_ axes: [Int]?, op: String) -> ReductionPlan {
        let axes = Shape.normalize(axes: axes, rank: rank, op: op)
        var keepDimsShape = shape
        for axis in axes { keepDimsShape[axis] = 1 }
        let keptShape = shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        let reduced = axes.map { shape[$0] }.elementCount
        if let first = axes.first, axes.last! - first + 1 == axes.count {
            return ReductionPlan(
                source: self, outer: shape[..<first].reduce(1, *), reduced: reduced,
                inner: shape[(axes.last! + 1)...].reduce(1, *), keptShape: keptShape,
                keepDimsShape: keepDimsShape)
        }
        let kept = shape.indices.filter { !axes.contains($0) }
        return ReductionPlan(
            source: permuted(kept + axes), outer: keptShape.elementCount, reduced: reduced, inner: 1,
            keptShape: keptShape, keepDimsShape: keepDimsShape)
    }

    /// Reduces with `row` when groups are contiguous rows, else with `combine` across rows of `inner`.
    @inline(__always)
    private func reduce(
        _ axes: [Int]?, keepDims: Bool, op: String, initial: Float,
        row: (UnsafePointer<Float>, Int) -> Float, combine: (Float, Float) -> Float
    ) -> Tensor {
        let plan = reductionPlan(axes, op: op)
        let (outer, reduced, inner) = (plan.outer, plan.reduced, plan.inner)
        return plan.source.withUnsafeBufferPointer { source in
            Tensor(shape: keepDims ? plan.keepDimsShape : plan.keptShape) { out in
                guard out.count > 0 else { return }
                guard let base = source.baseAddress else {
                    out.initialize(repeating: initial)
                    return
                }
                let o = out.baseAddress!
                if inner == 1 {
                    for g in 0..<outer { o[g] = row(base + g * reduced, reduced) }
                    return
                }
                for g in 0..<outer {
                    let target = o + g * inner
                    target.initialize(repeating: initial, count: inner)
                    for r in 0..<reduced {
                        let src = base + (g * reduced + r) * inner
                        for j in 0..<inner { target[j] = combine(target[j], src[j]) }
                    }
                }
            }
        }
    }

    /// Sum over `axes` (all axes when `nil`), dropping them unless `keepDims` (`torch.sum`).
    public func sum(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes, keepDims: keepDims, op: "sum", initial: 0, row: RowKernels.sum, combine: +)
    }

    /// Mean over `axes` (all axes when `nil`) (`torch.mean`).
    public func mean(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let n = Shape.reducedCount(shape, axes: axes, op: "mean")
        return sum(alongAxes: axes, keepDims: keepDims) * (1 / Float(n))
    }

    /// Largest value over `axes` (all axes when `nil`); NaN propagates (`torch.amax`).
    public func max(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes, keepDims: keepDims, op: "max", initial: -.infinity, row: RowKernels.max) {
            $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1)
        }
    }

    /// Smallest value over `axes` (all axes when `nil`); NaN propagates (`torch.amin`).
    public func min(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduce(axes, keepDims: keepDims, op: "min", initial: .infinity, row: RowKernels.min) {
            $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1)
        }
    }

    /// Variance over `axes` with `correction` subtracted from the count (1: unbiased, as `torch.var`'s default).
    public func variance(alongAxes axes: [Int]? = nil, correction: Int = 1, keepDims: Bool = false) -> Tensor {
        let n = Shape.reducedCount(shape, axes: axes, op: "variance")
        let centered = self - mean(alongAxes: axes, keepDims: true)
        let sumOfSquares = (centered * centered).sum(alongAxes: axes, keepDims: keepDims)
        return sumOfSquares * (1 / Float(Swift.max(0, n - correction)))
    }

    /// Index of the largest value along `axis` (the first on ties) (`torch.argmax`).
    public func argmax(alongAxis axis: Int, keepDims: Bool = false) -> IntTensor {
        argExtreme(axis, keepDims: keepDims, op: "argmax") { $0 > $1 }
    }

    /// Index of the smallest value along `axis` (the first on ties) (`torch.argmin`).
    public func argmin(alongAxis axis: Int, keepDims: Bool = false) -> IntTensor {
        argExtreme(axis, keepDims: keepDims, op: "argmin") { $0 < $1 }
    }

    private func argExtreme(
        _ axis: Int, keepDims: Bool, op: String, _ better: (Float, Float) -> Bool
    ) -> IntTensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: op)
        check(shape[axis] > 0, "\(op): axis \(axis) of shape \(shape) is empty")
        let plan = reductionPlan([axis], op: op)
        var indices = [Int](repeating: 0, count: plan.outer * plan.inner)
        scalars.withUnsafeBufferPointer { x in
            for g in 0..<plan.outer {
                for j in 0..<plan.inner {
                    var best = x[g * plan.reduced * plan.inner + j]
                    var bestIndex = 0
                    for r in 1..<plan.reduced {
                        let v = x[(g * plan.reduced + r) * plan.inner + j]
                        if better(v, best) || (v.isNaN && !best.isNaN) { best = v; bestIndex = r }
                    }
                    indices[g * plan.inner + j] = bestIndex
                }
            }
        }
        return IntTensor(shape: keepDims ? plan.keepDimsShape : plan.keptShape, scalars: indices)
    }
}
