import BraidTensor

extension Variable {
    /// The same elements with a new shape (−1 inferred). ∂ = g reshaped back.
    public func reshaped(to newShape: [Int]) -> Variable {
        Variable(value.reshaped(to: newShape), inputs: [self]) { [shape] g in [g.reshaped(to: shape)] }
    }

    /// Axes reordered so result axis `i` is input axis `axes[i]`. ∂ = g permuted by the inverse.
    public func permuted(_ axes: [Int]) -> Variable {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, axis) in axes.enumerated() { inverse[axis] = i }
        return Variable(value.permuted(axes), inputs: [self]) { g in [g.permuted(inverse)] }
    }

    /// Two axes swapped, the last two by default.
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Variable {
        var axes = Array(0..<rank)
        axes.swapAt(
            Shape.normalize(axis: first, rank: rank, op: "transpose"),
            Shape.normalize(axis: second, rank: rank, op: "transpose"))
        return permuted(axes)
    }

    /// Size-1 axes removed: the given ones, or all when none are given.
    public func squeezed(_ axes: Int...) -> Variable {
        reshaped(to: Shape.squeezed(shape, axes: axes))
    }

    /// A size-1 axis inserted at `axis`.
    public func unsqueezed(_ axis: Int) -> Variable {
        reshaped(to: value.unsqueezed(axis).shape)
    }

    /// The value broadcast to `shape`. ∂ = g summed over the broadcast axes.
    public func broadcast(to newShape: [Int]) -> Variable {
        Variable(value.broadcast(to: newShape), inputs: [self]) { [shape] g in [g.sum(toShape: shape)] }
    }

    /// Variables joined along `axis`. ∂ = g split back into the pieces.
    public static func concat(_ variables: [Variable], axis: Int = 0) -> Variable {
        let result = Tensor.concat(variables.map(\.value), axis: axis)
        let axis = Shape.normalize(axis: axis, rank: result.rank, op: "concat")
        let sizes = variables.map { $0.shape[axis] }
        return Variable(result, inputs: variables) { g in g.split(sizes: sizes, axis: axis) }
    }

    /// Variables of equal shape joined along a new `axis`.
    public static func stack(_ variables: [Variable], axis: Int = 0) -> Variable {
        check(!variables.isEmpty, "stack: no variables")
        return concat(variables.map { $0.unsqueezed(axis) }, axis: axis)
    }

    /// Pieces of `sizes` along `axis`, each differentiable on its own.
    public func split(sizes: [Int], axis: Int = 0) -> [Variable] {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "split")
        return Shape.splitRanges(sizes, length: shape[axis], op: "split").map {
            sliced(axis: axis, start: $0.lowerBound, end: $0.upperBound)
        }
    }

    /// Elements `start, start+step, …` below `end` along `axis`. ∂ = g written back into zeros.
    public func sliced(axis: Int, start: Int, end: Int, step: Int = 1) -> Variable {
        Variable(value.sliced(axis: axis, start: start, end: end, step: step), inputs: [self]) { [shape] g in
            [Tensor.unsliced(g, shape: shape, axis: axis, start: start, end: end, step: step)]
        }
    }

    /// Entries at `indices` along `axis`. ∂ = g added back at those indices (repeats accumulate).
    public func indexSelect(axis: Int, indices: [Int]) -> Variable {
        Variable(value.indexSelect(axis: axis, indices: indices), inputs: [self]) { [shape] g in
            [Tensor.indexAdd(g, shape: shape, axis: axis, indices: indices)]
        }
    }

    /// `torch.gather` along `axis`. ∂ = g scatter-added to the gathered positions.
    public func gather(axis: Int, index: IntTensor) -> Variable {
        Variable(value.gather(axis: axis, index: index), inputs: [self]) { [shape] g in
            [Tensor.scatterAdd(g, shape: shape, axis: axis, index: index)]
        }
    }

    /// Constant padding per axis. ∂ = the interior of g.
    public func padded(_ padding: [(before: Int, after: Int)], value fill: Float = 0) -> Variable {
        Variable(value.padded(padding, value: fill), inputs: [self]) { g in [g.unpadded(padding)] }
    }
}
