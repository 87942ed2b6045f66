/// An n-dimensional array of integers in row-major order: token ids, class labels, indices.
///
/// Braid keeps integer data in this one type; the PyTorch equivalent is a `torch.int64` tensor.
public struct IntTensor: Sendable, Equatable {
    /// The elements in row-major order.
    public var scalars: [Int]
    /// The size of each dimension, outermost first.
    public var shape: [Int]

    /// Creates an integer tensor; `scalars.count` must equal the product of `shape`.
    public init(shape: [Int], scalars: [Int]) {
        check(
            shape.elementCount == scalars.count,
            "IntTensor: shape \(shape) needs \(shape.elementCount) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a one-dimensional integer tensor.
    public init(_ scalars: [Int]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// The values as a `Float` tensor of the same shape (exact below 2²⁴).
    public var floats: Tensor { Tensor(shape: shape, scalars: scalars.map(Float.init)) }
}
