import CBLAS

/// Errors from the LAPACK-backed routines.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The matrix is singular: LAPACK found an exactly zero pivot at `pivot` (1-based).
    case singularMatrix(pivot: Int)
    /// The matrix is not positive definite: the leading minor of order `order` is not positive.
    case notPositiveDefinite(order: Int)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .singularMatrix(let pivot): "matrix is singular (zero pivot at \(pivot))"
        case .notPositiveDefinite(let order): "matrix is not positive definite (leading minor \(order))"
        }
    }
}

extension Tensor {
    /// The solution X of A·X = B for square `a` [n, n] and `b` [n, k] or [n], by LU factorisation
    /// with partial pivoting (LAPACK `sgesv`; `torch.linalg.solve`).
    public static func solve(_ a: Tensor, _ b: Tensor) throws(LinearAlgebraError) -> Tensor {
        check(
            a.rank == 2 && a.shape[0] == a.shape[1] && (b.rank == 1 || b.rank == 2) && b.shape[0] == a.shape[0],
            "solve: needs a square matrix and matching right-hand side, got shapes \(a.shape) and \(b.shape)")
        let n = a.shape[0], columns = b.rank == 1 ? 1 : b.shape[1]
        var lu = a.scalars
        var x = b.scalars
        var pivots = [Int32](repeating: 0, count: n)
        let info = LAPACKE_sgesv(
            LAPACK_ROW_MAJOR, Int32(n), Int32(columns), &lu, Int32(n), &pivots, &x, Int32(columns))
        check(info >= 0, "solve: LAPACK rejected argument \(-info)")
        if info > 0 { throw .singularMatrix(pivot: Int(info)) }
        return Tensor(shape: b.shape, scalars: x)
    }

    /// The lower-triangular L with L·Lᵀ = `a` for a symmetric positive-definite `a` [n, n]
    /// (LAPACK `spotrf`; `torch.linalg.cholesky`).
    public static func cholesky(_ a: Tensor) throws(LinearAlgebraError) -> Tensor {
        check(a.rank == 2 && a.shape[0] == a.shape[1], "cholesky: needs a square matrix, got shape \(a.shape)")
        let n = a.shape[0]
        var l = a.scalars
        let info = LAPACKE_spotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), &l, Int32(n))
        check(info >= 0, "cholesky: LAPACK rejected argument \(-info)")
        if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
        for i in 0..<n { for j in (i + 1)..<Swift.max(i + 1, n) { l[i * n + j] = 0 } }
        return Tensor(shape: [n, n], scalars: l)
    }
}
