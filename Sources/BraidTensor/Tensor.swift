/// An n-dimensional array of `Float` values stored contiguously in row-major order.
///
/// `Tensor` is a value type with copy-on-write storage: copies are cheap until one of them is
/// mutated. Every operation returns a new contiguous tensor; transposes and permutations copy,
/// and matrix products pass transpose flags to BLAS instead of copying where they can.
/// The PyTorch equivalent is a contiguous `torch.float32` tensor.
public struct Tensor: Sendable, Equatable {
    @usableFromInline var storage: [Float]
    @usableFromInline var dimensions: [Int]

    /// The elements in row-major order; `scalars.count == shape.elementCount`.
    @inlinable public internal(set) var scalars: [Float] {
        get { storage }
        _modify { yield &storage }
    }

    /// The size of each dimension, outermost first. A scalar tensor has shape `[]`.
    @inlinable public internal(set) var shape: [Int] {
        get { dimensions }
        _modify { yield &dimensions }
    }

    /// Creates a tensor from row-major `scalars` and a `shape` whose element count matches.
    public init(shape: [Int], scalars: [Float]) {
        check(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        check(
            shape.elementCount == scalars.count,
            "Tensor: shape \(shape) needs \(shape.elementCount) scalars, got \(scalars.count)")
        self.dimensions = shape
        self.storage = scalars
    }

    /// Creates a one-dimensional tensor holding `scalars`.
    public init(_ scalars: [Float]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// Creates a rank-0 tensor holding one value.
    public init(_ scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// Creates a two-dimensional tensor from rows of equal length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        check(rows.allSatisfy { $0.count == columns }, "Tensor: rows of unequal length")
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// Creates a tensor of `shape` whose elements `initializer` writes into uninitialised memory.
    ///
    /// The closure must write every one of the `shape.elementCount` elements.
    @inlinable
    public init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = shape.elementCount
        self.dimensions = shape
        self.storage = [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            LargeBuffers.preferHugePages(buffer)
            initializer(buffer)
            initializedCount = count
        }
    }

    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The total number of elements.
    @inlinable public var count: Int { scalars.count }

    /// The single value of a tensor with one element.
    public var scalar: Float {
        check(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) elements")
        return scalars[0]
    }

    /// The element at a full multi-dimensional index.
    public subscript(index: Int...) -> Float {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    /// The element at a row-major position, `0 ..< count`.
    @inlinable public subscript(flat index: Int) -> Float {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        check(index.count == rank, "Tensor subscript: index \(index) for shape \(shape)")
        var flat = 0
        for (axis, i) in index.enumerated() {
            check(i >= 0 && i < shape[axis], "Tensor subscript: index \(index) out of range for shape \(shape)")
            flat = flat * shape[axis] + i
        }
        return flat
    }

    /// Calls `body` with a pointer to the contiguous elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the contiguous elements, copying shared storage first.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0) }
    }
}

extension Tensor: CustomStringConvertible {
    /// A short description: the shape and up to eight leading elements.
    public var description: String {
        let head = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
