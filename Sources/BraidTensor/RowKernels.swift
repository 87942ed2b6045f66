/// Vectorised reductions over one contiguous row, shared by reductions, softmax and normalisation.
///
/// A plain `for` loop that accumulates into one Float cannot be vectorised (floating-point
/// addition is not reassociated), so these keep sixteen partial sums in two `SIMD8` registers.
public enum RowKernels {
    /// Σ p[i] for i in 0..<n.
    @inlinable @inline(__always)
    public static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
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
    public static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, center: Float) -> Float {
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
    public static func dot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ n: Int) -> Float {
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
    public static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        extreme(p, n, largest: true)
    }

    /// The smallest of p[0..<n] (+inf for an empty row); NaN if any element is NaN.
    @inlinable @inline(__always)
    public static func min(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        extreme(p, n, largest: false)
    }

    /// The largest or smallest element. A running sum rides along to detect NaN cheaply:
    /// `pointwiseMax` drops NaN, but any NaN makes the sum NaN, and only then is the row scanned.
    @inlinable @inline(__always)
    static func extreme(_ p: UnsafePointer<Float>, _ n: Int, largest: Bool) -> Float {
        let raw = UnsafeRawPointer(p)
        var a = SIMD8<Float>(repeating: largest ? -.infinity : .infinity), b = a
        var probe = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y = raw.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            if largest {
                a = pointwiseMax(a, x); b = pointwiseMax(b, y)
            } else {
                a = pointwiseMin(a, x); b = pointwiseMin(b, y)
            }
            probe += x * 0 + y * 0
            i += 16
        }
        var best = largest ? pointwiseMax(a, b).max() : pointwiseMin(a, b).min()
        var tailProbe: Float = 0
        while i < n {
            best = largest ? Swift.max(best, p[i]) : Swift.min(best, p[i])
            tailProbe += p[i] * 0
            i += 1
        }
        if (probe.sum() + tailProbe).isNaN {
            for j in 0..<n where p[j].isNaN { return .nan }
        }
        return best
    }
}
