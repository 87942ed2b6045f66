import BraidTensor

extension Variable {
    /// Sum over `axes` (all when `nil`). ∂ = g broadcast back over the summed axes.
    public func sum(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
        let kept = Shape.reduced(shape, axes: axes, keepDims: true, op: "sum")
        return Variable(value.sum(alongAxes: axes, keepDims: keepDims), inputs: [self]) { [shape] g in
            [g.reshaped(to: kept).broadcast(to: shape)]
        }
    }

    /// Mean over `axes` (all when `nil`). ∂ = g/n broadcast back.
    public func mean(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
        let n = Shape.reducedCount(shape, axes: axes, op: "mean")
        return sum(alongAxes: axes, keepDims: keepDims) * (1 / Float(n))
    }

    /// Largest value over `axes`. The gradient is shared evenly among tied maxima (`torch.amax`).
    public func max(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
        extreme(value.max(alongAxes: axes, keepDims: true), axes: axes, keepDims: keepDims)
    }

    /// Smallest value over `axes`. The gradient is shared evenly among tied minima (`torch.amin`).
    public func min(alongAxes axes: [Int]? = nil, keepDims: Bool = false) -> Variable {
        extreme(value.min(alongAxes: axes, keepDims: true), axes: axes, keepDims: keepDims)
    }

    private func extreme(_ kept: Tensor, axes: [Int]?, keepDims: Bool) -> Variable {
        let result = keepDims ? kept : kept.reshaped(to: Shape.reduced(shape, axes: axes, keepDims: false, op: "max"))
        return Variable(result, inputs: [self]) { [value] g in
            let mask = value .== kept
            let ties = mask.sum(alongAxes: axes, keepDims: true)
            return [mask * (g.reshaped(to: kept.shape) / ties)]
        }
    }

    /// Variance over `axes` with `correction` subtracted from the count (`torch.var`).
    /// ∂ = g·2(x − mean)/(n − correction).
    public func variance(alongAxes axes: [Int]? = nil, correction: Int = 1, keepDims: Bool = false) -> Variable {
        let n = Shape.reducedCount(shape, axes: axes, op: "variance")
        let result = value.variance(alongAxes: axes, correction: correction, keepDims: keepDims)
        let kept = Shape.reduced(shape, axes: axes, keepDims: true, op: "variance")
        return Variable(result, inputs: [self]) { [value] g in
            let centered = value - value.mean(alongAxes: axes, keepDims: true)
            return [centered * g.reshaped(to: kept) * (2 / Float(Swift.max(0, n - correction)))]
        }
    }
}
