import CBLAS
import Dispatch

/// Thin wrappers over OpenBLAS, so modules above `BraidTensor` never import the C headers.
///
/// OpenBLAS runs single-threaded and Braid spreads large products over the cores itself: between
/// calls, OpenBLAS's own worker threads spin-wait, and on a two-core machine they then compete
/// with Braid's parallel loops (attention, convolution) for the same cores.
///
/// Not part of the public API: it is SPI (`@_spi(RawKernels) import BraidTensor`) because the
/// benchmarks, a separate package, time raw sgemm through it as the baseline of Braid's products.
@_spi(RawKernels) public enum BLAS {
    /// Products below this many multiply-adds run as one call.
    static let parallelThreshold = 1 << 21
    /// A product whose B holds at least this many elements is split over the cores even when it
    /// has few multiply-adds: with few rows of A (one decoding step's tokens) it is bound by
    /// reading B from memory, and every core adds bandwidth.
    static let parallelReadThreshold = 1 << 18

    /// C = alpha·op(A)·op(B) + beta·C on row-major matrices, where op(X) is X or Xᵀ (`cblas_sgemm`).
    ///
    /// `m`, `n`, `k` are the sizes of op(A) [m, k], op(B) [k, n] and C [m, n]; `lda`, `ldb`, `ldc`
    /// are the row strides of the matrices as stored. Large products are split into row (or
    /// column) blocks computed on all cores, except inside a `Parallel.distribute` region, which
    /// already keeps them busy.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
        let small = m * n * k < parallelThreshold && n * k < parallelReadThreshold
        let workers = Parallel.isBusy || small ? 1 : Parallel.coreCount
        guard workers > 1 else {
            call(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let (a, b, c) = (SharedPointer(UnsafeMutablePointer(mutating: a)), SharedPointer(UnsafeMutablePointer(mutating: b)),
                         SharedPointer(c))
        let splitRows = m >= n && m >= workers
        let length = splitRows ? m : n
        let block = (length + workers - 1) / workers
        Parallel.perform(workers) { worker in
            let start = worker * block, size = Swift.min(block, length - start)
            guard size > 0 else { return }
            if splitRows {  // rows start..<start+size of op(A) and C
                call(transposeA, transposeB, size, n, k, alpha, a.address + (transposeA ? start : start * lda), lda,
                     b.address, ldb, beta, c.address + start * ldc, ldc)
            } else {  // columns start..<start+size of op(B) and C
                call(transposeA, transposeB, m, size, k, alpha, a.address, lda,
                     b.address + (transposeB ? start * ldb : start), ldb, beta, c.address + start, ldc)
            }
        }
    }

    /// One OpenBLAS call. A single row of A goes to sgemv, which reads B once: OpenBLAS 0.3.21's
    /// sgemm would first copy all of B into its packed panels, tripling the memory traffic of a
    /// decoding step.
    private static func call(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        if m == 1 {
            // c[1, n] = alpha · op(B)ᵀ-shaped product with the row a: B [n, k] times a, or Bᵀ for B [k, n].
            cblas_sgemv(
                CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, blasint(transposeB ? n : k),
                blasint(transposeB ? k : n), alpha, b, blasint(ldb), a, blasint(transposeA ? lda : 1), beta, c, 1)
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}
