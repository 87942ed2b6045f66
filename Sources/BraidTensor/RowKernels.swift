internal import CBraidKernels

/// Vectorised reductions over one contiguous row, shared by reductions, softmax and normalisation.
///
/// A plain `for` loop that accumulates into one Float cannot be vectorised (floating-point
/// addition is not reassociated), so these keep sixteen partial sums in two `SIMD8` registers.
package enum RowKernels {
    /// Σ p[i] for i in 0..<n.
    @inlinable @inline(__always)
    package static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        let raw = UnsafeRawPointer(p)
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            a += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            b += raw.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var total = (a + b).sum()
        while i < n { total += p[i]; i += 1 }
        return total
    }

    /// Σ (p[i] − center)² for i in 0..<n.
    @inlinable @inline(__always)
    package static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, center: Float) -> Float {
        let raw = UnsafeRawPointer(p)
        let c = SIMD8<Float>(repeating: center)
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - c
            let y = raw.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self) - c
            a += x * x
            b += y * y
            i += 16
        }
        var total = (a + b).sum()
        while i < n { let d = p[i] - center; total += d * d; i += 1 }
        return total
    }

    /// Σ p[i]·q[i] for i in 0..<n.
    @inlinable @inline(__always)
    package static func dot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ n: Int) -> Float {
        let rp = UnsafeRawPointer(p), rq = UnsafeRawPointer(q)
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            a += rp.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rq.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            b += rp.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                * rq.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var total = (a + b).sum()
        while i < n { total += p[i] * q[i]; i += 1 }
        return total
    }

    /// The largest of p[0..<n] (−inf for an empty row); NaN if any element is NaN, as in PyTorch.
    @inlinable @inline(__always)
    package static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float { rowMax(p, n) }

    /// The smallest of p[0..<n] (+inf for an empty row); NaN if any element is NaN.
    @inlinable @inline(__always)
    package static func min(_ p: UnsafePointer<Float>, _ n: Int) -> Float { rowMin(p, n) }

    @usableFromInline static func rowMax(_ p: UnsafePointer<Float>, _ n: Int) -> Float { braid_row_max(p, n) }
    @usableFromInline static func rowMin(_ p: UnsafePointer<Float>, _ n: Int) -> Float { braid_row_min(p, n) }
}
