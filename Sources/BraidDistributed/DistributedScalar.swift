import BraidTensor
internal import CMPI

/// An element type the collectives carry: `Float` (`MPI_FLOAT`) and `Int` (`MPI_INT64_T`); no
/// other type may conform.
public protocol DistributedScalar: Sendable, Numeric {
    /// `sum` over `count` ranks averaged, as ``ReduceOperation/average`` gives it.
    static func average(_ sum: Self, count: Int) -> Self
}

extension Float: DistributedScalar {
    /// `sum / count`.
    public static func average(_ sum: Float, count: Int) -> Float { sum / Float(count) }
}

extension Int: DistributedScalar {
    /// `sum / count`, rounded toward zero.
    public static func average(_ sum: Int, count: Int) -> Int { sum / count }
}

extension DistributedScalar {
    /// The MPI datatype of `Self`.
    static var mpiType: MPI_Datatype {
        if Self.self == Float.self { return braid_mpi_float() }
        check(Self.self == Int.self && MemoryLayout<Int>.size == 8, "DistributedScalar: \(Self.self) is not Float or a 64-bit Int")
        return braid_mpi_int64()
    }
}
