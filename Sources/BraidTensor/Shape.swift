extension Array where Element == Int {
    /// The number of elements a tensor of this shape holds: the product of the dimensions.
    @inlinable public var elementCount: Int { reduce(1, *) }

    /// The bytes that a tensor of this shape holds at `elementSize` bytes an element, or `nil`
    /// when a dimension is negative or when the product of `elementSize` and the non-zero
    /// dimensions overflows `Int` (so a shape with a zero dimension cannot hide an overflow that
    /// its strides would meet). Loaders check every shape read from a file with this before they
    /// allocate anything.
    package func checkedByteCount(elementSize: Int) -> Int? {
        var product = elementSize
        var empty = false
        for dimension in self {
            guard dimension >= 0 else { return nil }
            if dimension == 0 {
                empty = true
                continue
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            product = next
        }
        return empty ? 0 : product
    }

    /// Row-major strides (in elements) of a contiguous tensor of this shape.
    public var contiguousStrides: [Int] {
        var strides = [Int](repeating: 1, count: count)
        var stride = 1
        for axis in indices.reversed() {
            strides[axis] = stride
            stride *= self[axis]
        }
        return strides
    }
}

/// Shape helpers shared by the kernels.
@usableFromInline package enum Shape {
    /// The NumPy broadcast of two shapes; stops with a message naming `op` and both shapes when they do not broadcast.
    @usableFromInline package static func broadcast(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            check(da == db || da == 1 || db == 1, "\(op): shapes \(a) and \(b) do not broadcast")
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Strides that read a contiguous tensor of `shape` as if broadcast to `target` (0 on broadcast axes).
    @usableFromInline package static func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
        let offset = target.count - shape.count
        check(offset >= 0, "broadcast: shape \(shape) has more dimensions than \(target)")
        let own = shape.contiguousStrides
        var strides = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count {
            check(
                shape[i] == target[i + offset] || shape[i] == 1,
                "broadcast: shape \(shape) cannot broadcast to \(target)")
            strides[i + offset] = shape[i] == 1 ? 0 : own[i]
        }
        return strides
    }

    /// `axis` made non-negative for a tensor of `rank` dimensions; stops with a message when out of range.
    package static func normalize(axis: Int, rank: Int, op: String) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        check(normalized >= 0 && normalized < rank, "\(op): axis \(axis) out of range for rank \(rank)")
        return normalized
    }

    /// Sorted, de-duplicated, non-negative axes; all axes when `axes` is `nil`.
    package static func normalize(axes: [Int]?, rank: Int, op: String) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        return Array(Set(axes.map { normalize(axis: $0, rank: rank, op: op) })).sorted()
    }

    /// The shape left after reducing `axes` (all when `nil`): those axes become 1 with `keepDims`, else vanish.
    package static func reduced(_ shape: [Int], axes: [Int]?, keepDims: Bool, op: String) -> [Int] {
        let axes = normalize(axes: axes, rank: shape.count, op: op)
        return keepDims
            ? shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
            : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
    }

    /// The number of elements that a reduction over `axes` (all when `nil`) combines into each result.
    package static func reducedCount(_ shape: [Int], axes: [Int]?, op: String) -> Int {
        normalize(axes: axes, rank: shape.count, op: op).map { shape[$0] }.elementCount
    }

    /// A matrix product's shape `[..., M, N]` without M when the left operand was a vector and
    /// without N when the right one was, as PyTorch's `matmul` returns it.
    package static func matmulDroppingVectorAxes(_ product: [Int], left: Bool, right: Bool) -> [Int] {
        let rank = product.count
        return Array(product.dropLast(2)) + (left ? [] : [product[rank - 2]]) + (right ? [] : [product[rank - 1]])
    }

    /// `shape` without its size-1 axes: the given ones (each must be 1), or all of them when `axes` is empty.
    package static func squeezed(_ shape: [Int], axes: [Int]) -> [Int] {
        let targets = axes.isEmpty
            ? shape.indices.filter { shape[$0] == 1 }
            : axes.map { normalize(axis: $0, rank: shape.count, op: "squeeze") }
        for axis in targets { check(shape[axis] == 1, "squeeze: axis \(axis) of \(shape) is not 1") }
        return shape.indices.filter { !targets.contains($0) }.map { shape[$0] }
    }

    /// The consecutive ranges that pieces of `sizes` cover along an axis of `length`, which they must fill.
    package static func splitRanges(_ sizes: [Int], length: Int, op: String) -> [Range<Int>] {
        check(
            sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == length,
            "\(op): sizes \(sizes) do not add up to the axis length \(length)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return start..<(start + size)
        }
    }
}
