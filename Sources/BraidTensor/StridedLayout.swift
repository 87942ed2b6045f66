/// A loop nest over an output shape that reads up to two operands through their own strides.
///
/// Adjacent dimensions are merged whenever every operand steps through them as one, so a
/// broadcast such as `[M, N] + [N]` runs as `M` rows of `N` contiguous elements, and a
/// same-shape operation as a single row.
@usableFromInline
struct StridedLayout {
    /// Outer dimensions (all but the innermost), after merging.
    @usableFromInline var outerShape: [Int]
    /// Per-operand strides of the outer dimensions.
    @usableFromInline var outerStrides: ([Int], [Int])
    /// Length of the innermost row.
    @usableFromInline var rowLength: Int
    /// Per-operand stride along the innermost row.
    @usableFromInline var rowStrides: (Int, Int)

    @usableFromInline
    init(shape: [Int], strides a: [Int], _ b: [Int]) {
        var dims: [(size: Int, a: Int, b: Int)] = []
        for i in shape.indices where shape[i] != 1 {
            dims.append((shape[i], a[i], b[i]))
        }
        var merged: [(size: Int, a: Int, b: Int)] = []
        for dim in dims {
            if let last = merged.last, last.a == dim.a * dim.size, last.b == dim.b * dim.size {
                merged[merged.count - 1] = (last.size * dim.size, dim.a, dim.b)
            } else {
                merged.append(dim)
            }
        }
        let inner = merged.popLast() ?? (1, 0, 0)
        outerShape = merged.map(\.size)
        outerStrides = (merged.map(\.a), merged.map(\.b))
        rowLength = inner.size
        rowStrides = (inner.a, inner.b)
    }

    /// Calls `body(row, offsetA, offsetB)` for each innermost row, in row-major order.
    @inlinable @inline(__always)
    func forEachRow(_ body: (_ row: Int, _ offsetA: Int, _ offsetB: Int) -> Void) {
        let rows = outerShape.elementCount
        if outerShape.isEmpty {
            body(0, 0, 0)
            return
        }
        var index = [Int](repeating: 0, count: outerShape.count)
        var offsetA = 0
        var offsetB = 0
        for row in 0..<rows {
            body(row, offsetA, offsetB)
            var axis = outerShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offsetA += outerStrides.0[axis]
                offsetB += outerStrides.1[axis]
                if index[axis] < outerShape[axis] { break }
                offsetA -= outerStrides.0[axis] * outerShape[axis]
                offsetB -= outerStrides.1[axis] * outerShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// Copies the elements that `strides` (from `offset`) select in this tensor's storage into a new
    /// contiguous tensor of `shape`. Strides of 0 repeat elements, which materialises a broadcast.
    @usableFromInline
    func gatherStrided(shape: [Int], strides: [Int], offset: Int = 0) -> Tensor {
        let layout = StridedLayout(shape: shape, strides: strides, [Int](repeating: 0, count: shape.count))
        let n = layout.rowLength
        let step = layout.rowStrides.0
        return withUnsafeBufferPointer { source in
            Tensor(shape: shape) { out in
                guard out.count > 0 else { return }
                let src = source.baseAddress! + offset
                let dst = out.baseAddress!
                layout.forEachRow { row, offsetA, _ in
                    let from = src + offsetA
                    let to = dst + row * n
                    if step == 1 {
                        to.update(from: from, count: n)
                    } else {
                        for i in 0..<n { to[i] = from[i * step] }
                    }
                }
            }
        }
    }

    /// Adds `values` (contiguous, of `shape`) into the elements of this tensor that `strides` select from `offset`.
    /// Repeated positions (stride 0) accumulate, which is the adjoint of `gatherStrided`.
    @usableFromInline
    mutating func scatterAddStrided(_ values: Tensor, strides: [Int], offset: Int = 0) {
        let shape = values.shape
        let layout = StridedLayout(shape: shape, strides: strides, [Int](repeating: 0, count: shape.count))
        let n = layout.rowLength
        let step = layout.rowStrides.0
        values.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                guard source.count > 0 else { return }
                let src = source.baseAddress!
                let dst = target.baseAddress! + offset
                layout.forEachRow { row, offsetA, _ in
                    let from = src + row * n
                    let to = dst + offsetA
                    for i in 0..<n { to[i * step] += from[i] }
                }
            }
        }
    }
}
