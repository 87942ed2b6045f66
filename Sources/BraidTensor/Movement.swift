extension Tensor {
    /// The same elements viewed with a new shape of equal count; one dimension may be −1 and is
    /// inferred (`torch.reshape`). No data is copied.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.filter { $0 != -1 }.elementCount
            check(
                newShape.filter({ $0 == -1 }).count == 1 && known > 0 && count % known == 0,
                "reshape: cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = count / known
        }
        check(resolved.elementCount == count, "reshape: cannot reshape \(shape) to \(newShape)")
        var result = self
        result.shape = resolved
        return result
    }

    /// Dimensions reordered so that result axis `i` is input axis `axes[i]` (`torch.permute`). Copies.
    public func permuted(_ axes: [Int]) -> Tensor {
        check(axes.sorted() == Array(0..<rank), "permute: \(axes) is not a permutation of the axes of \(shape)")
        if axes == Array(0..<rank) { return self }
        let strides = shape.contiguousStrides
        return gatherStrided(shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] })
    }

    /// Two axes swapped (`torch.transpose`); the last two by default.
    public func transposed(_ first: Int = -2, _ second: Int = -1) -> Tensor {
        let a = Shape.normalize(axis: first, rank: rank, op: "transpose")
        let b = Shape.normalize(axis: second, rank: rank, op: "transpose")
        var axes = Array(0..<rank)
        axes.swapAt(a, b)
        return permuted(axes)
    }

    /// Size-1 axes removed: the given ones, or all of them when `axes` is empty (`torch.squeeze`).
    public func squeezed(_ axes: Int...) -> Tensor {
        reshaped(to: Shape.squeezed(shape, axes: axes))
    }

    /// A size-1 axis inserted at `axis`, which may be `rank` or negative (`torch.unsqueeze`).
    public func unsqueezed(_ axis: Int) -> Tensor {
        let position = Shape.normalize(axis: axis, rank: rank + 1, op: "unsqueeze")
        var newShape = shape
        newShape.insert(1, at: position)
        return reshaped(to: newShape)
    }

    /// Tensors joined along an existing `axis`; all other dimensions must match (`torch.cat`).
    public static func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "concat: no tensors")
        let first = tensors[0]
        let axis = Shape.normalize(axis: axis, rank: first.rank, op: "concat")
        for t in tensors {
            check(
                t.rank == first.rank && t.shape.indices.allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
                "concat: shapes \(first.shape) and \(t.shape) differ outside axis \(axis)")
        }
        var shape = first.shape
        shape[axis] = tensors.map { $0.shape[axis] }.reduce(0, +)
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let rowWidth = shape[axis] * inner
        return Tensor(shape: shape) { out in
            var column = 0
            for t in tensors {
                let width = t.shape[axis] * inner
                t.withUnsafeBufferPointer { src in
                    guard width > 0 else { return }
                    for o in 0..<outer {
                        (out.baseAddress! + o * rowWidth + column)
                            .initialize(from: src.baseAddress! + o * width, count: width)
                    }
                }
                column += width
            }
        }
    }

    /// Tensors of equal shape joined along a new `axis` (`torch.stack`).
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "stack: no tensors")
        for t in tensors { check(t.shape == tensors[0].shape, "stack: shapes \(tensors[0].shape) and \(t.shape) differ") }
        return concat(tensors.map { $0.unsqueezed(axis) }, axis: axis)
    }

    /// Pieces of the given `sizes` along `axis`, which must add up to its length (`torch.split`).
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "split")
        return Shape.splitRanges(sizes, length: shape[axis], op: "split").map {
            sliced(axis: axis, start: $0.lowerBound, end: $0.upperBound)
        }
    }

    /// Elements `start, start+step, …` below `end` along `axis` (`tensor[..., start:end:step]`).
    public func sliced(axis: Int, start: Int, end: Int, step: Int = 1) -> Tensor {
        let (shape, strides, offset) = sliceLayout(axis: axis, start: start, end: end, step: step)
        return gatherStrided(shape: shape, strides: strides, offset: offset)
    }

    /// The slice's shape, and the strides and offset that read it from this tensor's storage.
    public func sliceLayout(axis: Int, start: Int, end: Int, step: Int) -> (shape: [Int], strides: [Int], offset: Int) {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "slice")
        check(step > 0, "slice: step must be positive, got \(step)")
        check(
            start >= 0 && start <= end && end <= shape[axis],
            "slice: range \(start)..<\(end) out of bounds for axis \(axis) of \(shape)")
        var newShape = shape
        newShape[axis] = (end - start + step - 1) / step
        var strides = shape.contiguousStrides
        let offset = start * strides[axis]
        strides[axis] *= step
        return (newShape, strides, offset)
    }

    /// The inverse of `sliced`: a zero tensor of `shape` with `values` written where the slice was read.
    public static func unsliced(
        _ values: Tensor, shape: [Int], axis: Int, start: Int, end: Int, step: Int = 1
    ) -> Tensor {
        var result = Tensor.zeros(shape)
        let layout = result.sliceLayout(axis: axis, start: start, end: end, step: step)
        check(layout.shape == values.shape, "unslice: values \(values.shape) do not fill slice \(layout.shape)")
        result.scatterAddStrided(values, strides: layout.strides, offset: layout.offset)
        return result
    }

    /// The entries at `indices` along `axis`, in that order (`torch.index_select`).
    public func indexSelect(axis: Int, indices: [Int]) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "indexSelect")
        let size = shape[axis]
        for i in indices { check(i >= 0 && i < size, "indexSelect: index \(i) out of range for axis \(axis) of \(shape)") }
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        var newShape = shape
        newShape[axis] = indices.count
        return withUnsafeBufferPointer { src in
            Tensor(shape: newShape) { out in
                guard inner > 0 else { return }
                for o in 0..<outer {
                    for (k, i) in indices.enumerated() {
                        (out.baseAddress! + (o * indices.count + k) * inner)
                            .initialize(from: src.baseAddress! + (o * size + i) * inner, count: inner)
                    }
                }
            }
        }
    }

    /// The adjoint of `indexSelect`: a zero tensor of `shape` with each row of `values` added at its index
    /// (`torch.index_add`). Repeated indices accumulate.
    public static func indexAdd(_ values: Tensor, shape: [Int], axis: Int, indices: [Int]) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: shape.count, op: "indexAdd")
        let size = shape[axis]
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        var result = Tensor.zeros(shape)
        values.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { out in
                for o in 0..<outer {
                    for (k, i) in indices.enumerated() {
                        let from = src.baseAddress! + (o * indices.count + k) * inner
                        let to = out.baseAddress! + (o * size + i) * inner
                        for j in 0..<inner { to[j] += from[j] }
                    }
                }
            }
        }
        return result
    }

    /// `out[…, i, …] = self[…, index[…, i, …], …]` along `axis`, where `index` has this tensor's rank
    /// and is no larger on any other axis (`torch.gather`).
    public func gather(axis: Int, index: IntTensor) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: rank, op: "gather")
        let offsets = gatherOffsets(axis: axis, index: index, op: "gather")
        return withUnsafeBufferPointer { src in
            Tensor(shape: index.shape) { out in
                for k in 0..<offsets.count { out[k] = src[offsets[k]] }
            }
        }
    }

    /// The adjoint of `gather`: a zero tensor of `shape` with `values` added at the gathered positions
    /// (`torch.scatter_add`).
    public static func scatterAdd(_ values: Tensor, shape: [Int], axis: Int, index: IntTensor) -> Tensor {
        var result = Tensor.zeros(shape)
        let axis = Shape.normalize(axis: axis, rank: shape.count, op: "scatterAdd")
        let offsets = result.gatherOffsets(axis: axis, index: index, op: "scatterAdd")
        check(values.shape == index.shape, "scatterAdd: values \(values.shape) and index \(index.shape) differ")
        for k in 0..<offsets.count { result.scalars[offsets[k]] += values.scalars[k] }
        return result
    }

    private func gatherOffsets(axis: Int, index: IntTensor, op: String) -> [Int] {
        check(
            index.shape.count == rank && index.shape.indices.allSatisfy { $0 == axis || index.shape[$0] <= shape[$0] },
            "\(op): index of shape \(index.shape) does not fit input \(shape) along axis \(axis)")
        let strides = shape.contiguousStrides
        var position = [Int](repeating: 0, count: rank)
        var offsets = [Int](repeating: 0, count: index.count)
        for k in 0..<index.count {
            let i = index.scalars[k]
            check(i >= 0 && i < shape[axis], "\(op): index \(i) out of range for axis \(axis) of \(shape)")
            var offset = 0
            for d in 0..<rank { offset += (d == axis ? i : position[d]) * strides[d] }
            offsets[k] = offset
            var d = rank - 1
            while d >= 0 {
                position[d] += 1
                if position[d] < index.shape[d] { break }
                position[d] = 0
                d -= 1
            }
        }
        return offsets
    }

    /// Constant padding: `padding[i] = (before, after)` elements added on axis `i`; missing trailing
    /// entries mean no padding (`torch.nn.functional.pad` in constant mode, axes listed first to last).
    public func padded(_ padding: [(before: Int, after: Int)], value: Float = 0) -> Tensor {
        check(padding.count <= rank, "pad: \(padding.count) paddings for shape \(shape)")
        var newShape = shape
        var offset = 0
        for (axis, p) in padding.enumerated() {
            check(p.before >= 0 && p.after >= 0, "pad: negative padding \(p) on axis \(axis)")
            newShape[axis] += p.before + p.after
        }
        let outStrides = newShape.contiguousStrides
        for (axis, p) in padding.enumerated() { offset += p.before * outStrides[axis] }
        var result = Tensor(repeating: value, shape: newShape)
        result.writeStrided(self, strides: outStrides, offset: offset)
        return result
    }

    /// The adjoint of `padded`: the interior region of a padded tensor.
    public func unpadded(_ padding: [(before: Int, after: Int)]) -> Tensor {
        var result = self
        for (axis, p) in padding.enumerated() where p.before > 0 || p.after > 0 {
            result = result.sliced(axis: axis, start: p.before, end: result.shape[axis] - p.after)
        }
        return result
    }

    /// Overwrites the elements that `strides` select from `offset` with `values`.
    mutating func writeStrided(_ values: Tensor, strides: [Int], offset: Int) {
        let layout = StridedLayout(shape: values.shape, strides: strides, [Int](repeating: 0, count: values.rank))
        let n = layout.rowLength, step = layout.rowStrides.0
        values.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                guard source.count > 0 else { return }
                let src = source.baseAddress!, dst = target.baseAddress! + offset
                layout.forEachRow { row, offsetA, _ in
                    for i in 0..<n { dst[offsetA + i * step] = src[row * n + i] }
                }
            }
        }
    }
}
