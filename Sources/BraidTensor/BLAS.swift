import CBLAS

/// Thin wrappers over OpenBLAS, so modules above `BraidTensor` never import the C headers.
public enum BLAS {
    /// C = alpha·op(A)·op(B) + beta·C on row-major matrices, where op(X) is X or Xᵀ (`cblas_sgemm`).
    ///
    /// `m`, `n`, `k` are the sizes of op(A) [m, k], op(B) [k, n] and C [m, n]; `lda`, `ldb`, `ldc`
    /// are the row strides of the matrices as stored.
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// The number of threads OpenBLAS uses for one call. Set it to 1 inside code that already runs
    /// on several threads, so the two levels of parallelism do not compete for the cores.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }
}
