/// Vectorisable replacements for Glibc's scalar `expf`, written so that loops calling them
/// compile to SIMD code. Glibc's `expf` does not vectorise; these run at several G elements/s.
public enum FastMath {
    /// e^x with a relative error of about 1 ulp (< 2.5e-7), subnormal results included;
    /// +inf above ln(FLT_MAX), 0 far below, NaN stays NaN.
    ///
    /// Cody–Waite reduction: n = round(x·log₂e) (the 1.5·2²³ rounding trick), r = x − n·ln2 with
    /// ln2 split in two parts so r is exact, e^r by Cephes' degree-7 polynomial on [−ln2/2, ln2/2],
    /// and 2ⁿ built in the exponent bits. n is moved into the normal range first (by 64 for
    /// subnormal results, by 1 at the top), and the result scaled back by a multiply.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.max(Swift.min(x, 89), -104)
        let magic: Float = 12_582_912  // 1.5 * 2^23
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
        let z = r * r
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 0.166_666_655
        p = p * r + 0.500_000_012
        let y = p * z + r + 1
        let exponent = Int32(bitPattern: shifted.bitPattern &- magic.bitPattern)
        let subnormal = exponent < -126
        let top = exponent > 127
        let adjusted = exponent &+ (subnormal ? 64 : 0) &- (top ? 1 : 0)
        let power = Float(bitPattern: UInt32(bitPattern: (adjusted &+ 127) << 23))
        let value = y * power * (subnormal ? 0x1p-64 : top ? 2 : 1)
        return x.isNaN ? x : x > 88.722_84 ? .infinity : value
    }

    /// The logistic sigmoid 1 / (1 + e^−x).
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }
}
