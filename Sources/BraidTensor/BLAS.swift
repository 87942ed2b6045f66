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
        let workers = Parallel.isBusy || m * n * k < parallelThreshold ? 1 : Parallel.coreCount
        guard workers > 1 else {
            call(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let (a, b, c) = (SharedPointer(UnsafeMutablePointer(mutating: a)), SharedPointer(UnsafeMutablePointer(mutating: b)),
                         SharedPointer(c))
        let splitRows = m >= n
        let length = splitRows ? m : n
        let block = (length + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
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

    private static func call(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}
