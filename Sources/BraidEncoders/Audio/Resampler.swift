import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Polyphase resampling between two integer rates with a Kaiser-windowed sinc filter
/// (`scipy.signal.resample_poly(x, up, down)` with its defaults).
///
/// With up/down the rates' ratio in lowest terms, the signal is conceptually upsampled by `up`
/// (zeros between samples), low-pass filtered and downsampled by `down`:
///
///     y[n] = Σₖ h[k]·x↑[n·down + H − k],   x↑[j·up] = x[j], 0 elsewhere and outside the signal
///
/// where h is `scipy.signal.firwin(2H + 1, 1/max(up, down), window=("kaiser", β))·up`, of
/// half-length H = zeroCrossings·max(up, down). Only the taps that meet real samples are
/// evaluated: output n uses phase (n·down + H) mod up of the filter, about 2H/up taps. The taps
/// are designed in `Double` and applied in `Float`.
///
/// Shapes: `[T]` → `[⌈T·up/down⌉]`, or `[B, T]` → `[B, ⌈T·up/down⌉]`.
public struct Resampler: Sendable {
    /// The input sampling rate in hertz.
    public let inputRate: Int
    /// The output sampling rate in hertz.
    public let outputRate: Int
    /// up = outputRate / gcd.
    public let upsampling: Int
    /// down = inputRate / gcd.
    public let downsampling: Int
    /// H, the filter's half-length in upsampled samples.
    public let halfLength: Int

    /// Taps per phase.
    private let tapCount: Int
    /// `[up, tapCount]`: phase p's taps h[p + up·i] in reverse order (i = tapCount − 1 … 0), so a
    /// forward dot product against consecutive input samples applies them; zero beyond the filter.
    private let phases: [Float]

    /// The longest filter half-length H a resampler designs (2²⁴ upsampled samples, a filter of
    /// 256 MB in `Double`): rates whose ratio in lowest terms needs more are refused.
    public static let largestHalfLength = 1 << 24

    /// A resampler from `inputRate` to `outputRate` (any positive integers whose ratio in lowest
    /// terms keeps H = zeroCrossings·max(up, down) within ``largestHalfLength``).
    ///
    /// - Parameters:
    ///   - inputRate: the sample rate of the input, in hertz.
    ///   - outputRate: the sample rate of the output, in hertz.
    ///   - zeroCrossings: the filter's half-length in zero crossings of the narrower sinc
    ///     (scipy's default: 10).
    ///   - kaiserBeta: the Kaiser window's β (scipy's default: 5).
    public init(from inputRate: Int, to outputRate: Int, zeroCrossings: Int = 10, kaiserBeta: Double = 5) {
        check(inputRate > 0 && outputRate > 0, "Resampler: rates \(inputRate) and \(outputRate) must be positive")
        check(zeroCrossings > 0, "Resampler: zeroCrossings \(zeroCrossings) must be positive")
        var (a, b) = (inputRate, outputRate)
        while b != 0 { (a, b) = (b, a % b) }
        let up = outputRate / a, down = inputRate / a
        self.inputRate = inputRate
        self.outputRate = outputRate
        upsampling = up
        downsampling = down
        let widest = Swift.max(up, down)
        let (halfLength, overflow) = zeroCrossings.multipliedReportingOverflow(by: widest)
        // Rates from a file such as 4294967291 → 16000 Hz reduce to 16000/4294967291 and would need
        // 10¹¹ taps: stop with the reason rather than allocate them.
        check(!overflow && halfLength <= Self.largestHalfLength,
              "Resampler: \(inputRate) → \(outputRate) Hz reduces to \(up)/\(down), whose filter would need more than "
                + "\(2 * Self.largestHalfLength + 1) taps; resample through a rate with a larger common divisor")
        self.halfLength = halfLength

        // firwin(2H + 1, cutoff 1/widest of Nyquist, window=("kaiser", β)), scaled to sum to `up`.
        let length = 2 * halfLength + 1
        let cutoff = 1 / Double(widest)
        let i0Beta = Resampler.besselI0(kaiserBeta)
        var taps = (0..<length).map { k -> Double in
            let m = Double(k - halfLength)
            let x = cutoff * m
            let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
            let r = 2 * Double(k) / Double(length - 1) - 1
            let window = Resampler.besselI0(kaiserBeta * (Swift.max(0, 1 - r * r)).squareRoot()) / i0Beta
            return cutoff * sinc * window
        }
        let total = taps.reduce(0, +)
        for k in 0..<length { taps[k] *= Double(up) / total }

        let tapCount = (length + up - 1) / up
        var phases = [Float](repeating: 0, count: up * tapCount)
        for p in 0..<up {
            for i in 0..<tapCount where p + up * i < length {
                phases[p * tapCount + tapCount - 1 - i] = Float(taps[p + up * i])
            }
        }
        self.tapCount = tapCount
        self.phases = phases
    }

    /// ⌈count·up/down⌉, the output length for `count` input samples.
    public func outputCount(forInputCount count: Int) -> Int {
        (count * upsampling + downsampling - 1) / downsampling
    }

    /// The resampled signals of `samples` `[T]` or `[B, T]` (along the last axis); `samples`
    /// itself when the rates are equal.
    public func callAsFunction(_ samples: Tensor) -> Tensor {
        check(samples.rank == 1 || samples.rank == 2, "Resampler: samples \(samples.shape) must be [T] or [B, T]")
        if upsampling == 1 && downsampling == 1 { return samples }
        let length = samples.shape[samples.rank - 1]
        let rows = samples.rank == 2 ? samples.shape[0] : 1
        let outputLength = outputCount(forInputCount: length)
        let shape = Array(samples.shape.dropLast()) + [outputLength]
        let up = upsampling, down = downsampling, taps = tapCount, half = halfLength
        return samples.withUnsafeBufferPointer { x in
            phases.withUnsafeBufferPointer { phases in
                Tensor(shape: shape) { y in
                    for row in 0..<rows {
                        let source = x.baseAddress! + row * length, target = y.baseAddress! + row * outputLength
                        for n in 0..<outputLength {
                            // Taps i = 0 ..< taps meet input samples base − i; in the reversed
                            // order, tap j meets sample base − taps + 1 + j.
                            let t = n * down + half
                            let filter = phases.baseAddress! + (t % up) * taps
                            let first = t / up - taps + 1
                            let lower = Swift.max(0, -first), upper = Swift.min(taps, length - first)
                            target[n] = upper > lower
                                ? RowKernels.dot(filter + lower, source + first + lower, upper - lower) : 0
                        }
                    }
                }
            }
        }
    }

    /// The modified Bessel function of the first kind of order 0, I₀(x) = Σ ((x/2)ᵏ / k!)².
    static func besselI0(_ x: Double) -> Double {
        let q = x * x / 4
        var term = 1.0, sum = 1.0, k = 1.0
        while term > sum * 1e-17 {
            term *= q / (k * k)
            sum += term
            k += 1
        }
        return sum
    }
}
