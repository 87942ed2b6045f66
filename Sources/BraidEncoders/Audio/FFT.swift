import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The discrete Fourier transform of real signals of one length (`np.fft.rfft`):
///
///     X[k] = Σₙ x[n]·e^(−2πi·kn/N),   k = 0 … N/2
///
/// Shapes: `[..., N] → [..., N/2 + 1]` for the real and the imaginary parts. Any length works:
/// an even length runs as a complex transform of half the length (even samples as real parts, odd
/// samples as imaginary parts) followed by a split; the complex transform is a Stockham autosort
/// FFT with radix-4, 2 and 3 butterflies and a direct butterfly for other prime factors up to 13,
/// and Bluestein's chirp-z algorithm (a power-of-two convolution) for lengths with a larger prime
/// factor. Twiddle factors are computed in `Double`; the transform runs in `Float`, with errors of
/// a few 1e-7 relative to the largest magnitude of the spectrum.
///
/// Making a plan computes its tables once; reuse it for every frame of a spectrogram.
public struct RealFFT: Sendable {
    /// N, the number of real samples per transform.
    public let length: Int
    /// N/2 + 1, the number of non-negative frequency bins.
    public var binCount: Int { length / 2 + 1 }

    /// The complex plan: of N/2 points for even N, of N points for odd N.
    private let complex: ComplexFFT
    /// cos and −sin of 2πk/N for k = 0 … N/2, the split's twiddles (even N only).
    private let splitCosine: [Float], splitSine: [Float]

    /// A plan for signals of `length` samples (`length ≥ 1`).
    public init(length: Int) {
        check(length >= 1, "RealFFT: length \(length) must be positive")
        self.length = length
        if length % 2 == 0 {
            complex = ComplexFFT(count: length / 2)
            let half = length / 2
            splitCosine = (0...half).map { Float(cos(2 * Double.pi * Double($0) / Double(length))) }
            splitSine = (0...half).map { Float(-sin(2 * Double.pi * Double($0) / Double(length))) }
        } else {
            complex = ComplexFFT(count: length)
            splitCosine = []
            splitSine = []
        }
    }

    /// The spectra of the last-axis signals of `signal` `[..., N]`: `real` and `imaginary`, each
    /// `[..., N/2 + 1]` (`np.fft.rfft(x, axis=-1)`).
    public func callAsFunction(_ signal: Tensor) -> (real: Tensor, imaginary: Tensor) {
        check(
            signal.rank >= 1 && signal.shape[signal.rank - 1] == length,
            "RealFFT: signal \(signal.shape) must end in the plan's length \(length)")
        let rows = signal.count / length
        let shape = Array(signal.shape.dropLast()) + [binCount]
        var imaginary = Tensor(shape: shape, scalars: [Float](repeating: 0, count: rows * binCount))
        let workspace = UnsafeMutablePointer<Float>.allocate(capacity: workspaceCount)
        defer { workspace.deallocate() }
        let real = signal.withUnsafeBufferPointer { x in
            imaginary.withUnsafeMutableBufferPointer { im in
                Tensor(shape: shape) { re in
                    for row in 0..<rows {
                        transform(
                            x.baseAddress! + row * length, real: re.baseAddress! + row * binCount,
                            imaginary: im.baseAddress! + row * binCount, workspace: workspace)
                    }
                }
            }
        }
        return (real, imaginary)
    }

    /// The number of floats of scratch memory `transform` needs.
    var workspaceCount: Int { 2 * complex.count + complex.workspaceCount }

    /// Transforms `length` samples at `input` into `binCount` real and imaginary parts, using
    /// `workspace` (`workspaceCount` floats) as scratch. The four regions must not overlap.
    func transform(
        _ input: UnsafePointer<Float>, real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>,
        workspace: UnsafeMutablePointer<Float>
    ) {
        let m = complex.count
        let zr = workspace, zi = workspace + m, scratch = workspace + 2 * m
        if length % 2 == 1 {
            for i in 0..<m {
                zr[i] = input[i]
                zi[i] = 0
            }
            complex.forward(real: zr, imaginary: zi, workspace: scratch)
            for k in 0..<binCount {
                real[k] = zr[k]
                imaginary[k] = zi[k]
            }
            return
        }
        // z[j] = x[2j] + i·x[2j+1]; Z = FFT(z). With E and O the spectra of the even and odd
        // samples, E[k] = (Z[k] + conj Z[m−k])/2, O[k] = (Z[k] − conj Z[m−k])/(2i), and
        // X[k] = E[k] + e^(−2πik/N)·O[k] for k = 0 … m.
        for j in 0..<m {
            zr[j] = input[2 * j]
            zi[j] = input[2 * j + 1]
        }
        complex.forward(real: zr, imaginary: zi, workspace: scratch)
        splitCosine.withUnsafeBufferPointer { cosine in
            splitSine.withUnsafeBufferPointer { sine in
                for k in 0...m {
                    let a = k == m ? 0 : k, b = k == 0 ? 0 : m - k
                    let ar = zr[a], ai = zi[a], br = zr[b], bi = -zi[b]
                    let er = 0.5 * (ar + br), ei = 0.5 * (ai + bi)
                    let or = 0.5 * (ai - bi), oi = -0.5 * (ar - br)
                    let c = cosine[k], s = sine[k]
                    real[k] = er + c * or - s * oi
                    imaginary[k] = ei + c * oi + s * or
                }
            }
        }
    }
}

/// A complex forward DFT of `count` points on split real and imaginary arrays, in place:
/// X[k] = Σₙ x[n]·e^(−2πi·kn/count).
struct ComplexFFT: Sendable {
    /// One radix-p pass of the Stockham autosort algorithm over sub-transforms of `span` points.
    struct Stage: Sendable {
        /// p, the butterfly size.
        let radix: Int
        /// span / p: the butterflies per sub-transform.
        let quotient: Int
        /// count / span: the interleaved sub-transforms, contiguous in memory.
        let stride: Int
        /// e^(−2πi·jk/span) for j < quotient, 1 ≤ k < p, at j·(p−1) + k − 1.
        let twiddleReal: [Float], twiddleImaginary: [Float]
        /// e^(−2πi·r/p) for r < p, for the direct butterfly of radices other than 2, 3 and 4.
        let rootReal: [Float], rootImaginary: [Float]
    }

    /// The precomputed chirp and filter spectrum of Bluestein's algorithm.
    struct Chirp: Sendable {
        /// e^(−πi·n²/count) for n < count.
        let real: [Float], imaginary: [Float]
        /// FFT of the conjugate chirp wrapped to `plan.count` points, divided by `plan.count`.
        let filterReal: [Float], filterImaginary: [Float]
        /// The power-of-two plan of at least 2·count − 1 points.
        let plan: ComplexFFT
    }

    private enum Method: Sendable {
        case stockham([Stage])
        indirect case bluestein(Chirp)
    }

    /// The number of points.
    let count: Int
    private let method: Method

    /// The largest prime factor handled by a direct butterfly; larger ones go through Bluestein.
    static let largestDirectRadix = 13

    init(count: Int) {
        check(count >= 1, "ComplexFFT: count \(count) must be positive")
        self.count = count
        if let radices = ComplexFFT.radices(of: count) {
            method = .stockham(ComplexFFT.stages(count: count, radices: radices))
        } else {
            method = .bluestein(ComplexFFT.chirp(count: count))
        }
    }

    /// The floats of scratch memory `forward` needs.
    var workspaceCount: Int {
        switch method {
        case .stockham: return 2 * count
        case .bluestein(let chirp): return 2 * chirp.plan.count + chirp.plan.workspaceCount
        }
    }

    /// The radices 4, 2, 3, 5, 7, … whose product is `count`, or nil when a prime factor exceeds
    /// `largestDirectRadix`.
    static func radices(of count: Int) -> [Int]? {
        var n = count, radices: [Int] = []
        while n % 4 == 0 { radices.append(4); n /= 4 }
        if n % 2 == 0 { radices.append(2); n /= 2 }
        var p = 3
        while n > 1 && p <= largestDirectRadix {
            while n % p == 0 { radices.append(p); n /= p }
            p += 2
        }
        return n == 1 ? radices : nil
    }

    private static func stages(count: Int, radices: [Int]) -> [Stage] {
        var span = count, stride = 1, stages: [Stage] = []
        for p in radices {
            let quotient = span / p
            var twiddleReal: [Float] = [], twiddleImaginary: [Float] = []
            twiddleReal.reserveCapacity(quotient * (p - 1))
            twiddleImaginary.reserveCapacity(quotient * (p - 1))
            for j in 0..<quotient {
                for k in 1..<p {
                    let angle = -2 * Double.pi * Double((j * k) % span) / Double(span)
                    twiddleReal.append(Float(cos(angle)))
                    twiddleImaginary.append(Float(sin(angle)))
                }
            }
            let roots = (0..<p).map { -2 * Double.pi * Double($0) / Double(p) }
            stages.append(Stage(
                radix: p, quotient: quotient, stride: stride, twiddleReal: twiddleReal,
                twiddleImaginary: twiddleImaginary, rootReal: roots.map { Float(cos($0)) },
                rootImaginary: roots.map { Float(sin($0)) }))
            span = quotient
            stride *= p
        }
        return stages
    }

    private static func chirp(count n: Int) -> Chirp {
        var size = 1
        while size < 2 * n - 1 { size *= 2 }
        let plan = ComplexFFT(count: size)
        // e^(−πi·k²/n), with k² reduced modulo 2n so the angle stays small and exact.
        let angles = (0..<n).map { k in -Double.pi * Double((k * k) % (2 * n)) / Double(n) }
        var br = [Float](repeating: 0, count: size), bi = [Float](repeating: 0, count: size)
        for k in 0..<n {
            let c = cos(angles[k]), s = -sin(angles[k])
            br[k] = Float(c / Double(size))
            bi[k] = Float(s / Double(size))
            if k > 0 {
                br[size - k] = br[k]
                bi[size - k] = bi[k]
            }
        }
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: plan.workspaceCount)
        defer { scratch.deallocate() }
        br.withUnsafeMutableBufferPointer { r in
            bi.withUnsafeMutableBufferPointer { i in
                plan.forward(real: r.baseAddress!, imaginary: i.baseAddress!, workspace: scratch)
            }
        }
        return Chirp(
            real: angles.map { Float(cos($0)) }, imaginary: angles.map { Float(sin($0)) },
            filterReal: br, filterImaginary: bi, plan: plan)
    }

    /// Replaces `real`/`imaginary` (`count` points each) by their DFT, using `workspace`
    /// (`workspaceCount` floats).
    func forward(real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>) {
        switch method {
        case .stockham(let stages):
            var xr = real, xi = imaginary, yr = workspace, yi = workspace + count
            for stage in stages {
                ComplexFFT.pass(stage, xr, xi, yr, yi)
                swap(&xr, &yr)
                swap(&xi, &yi)
            }
            if xr != real {
                real.update(from: xr, count: count)
                imaginary.update(from: xi, count: count)
            }
        case .bluestein(let chirp):
            bluestein(chirp, real: real, imaginary: imaginary, workspace: workspace)
        }
    }

    /// X[k] = w[k]·Σₙ (x[n]·w[n])·conj w[k−n], w[n] = e^(−πi·n²/N): a circular convolution of
    /// power-of-two length, computed as IFFT(FFT(a)·B) with IFFT(z) = conj FFT(conj z) / size.
    private func bluestein(
        _ chirp: Chirp, real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>,
        workspace: UnsafeMutablePointer<Float>
    ) {
        let size = chirp.plan.count
        let ar = workspace, ai = workspace + size, scratch = workspace + 2 * size
        chirp.real.withUnsafeBufferPointer { wr in
            chirp.imaginary.withUnsafeBufferPointer { wi in
                for k in 0..<count {
                    ar[k] = real[k] * wr[k] - imaginary[k] * wi[k]
                    ai[k] = real[k] * wi[k] + imaginary[k] * wr[k]
                }
                (ar + count).initialize(repeating: 0, count: size - count)
                (ai + count).initialize(repeating: 0, count: size - count)
                chirp.plan.forward(real: ar, imaginary: ai, workspace: scratch)
                chirp.filterReal.withUnsafeBufferPointer { br in
                    chirp.filterImaginary.withUnsafeBufferPointer { bi in
                        // The product, conjugated for the inverse transform.
                        for k in 0..<size {
                            let r = ar[k] * br[k] - ai[k] * bi[k]
                            let i = ar[k] * bi[k] + ai[k] * br[k]
                            ar[k] = r
                            ai[k] = -i
                        }
                    }
                }
                chirp.plan.forward(real: ar, imaginary: ai, workspace: scratch)
                for k in 0..<count {
                    let r = ar[k], i = -ai[k]
                    real[k] = r * wr[k] - i * wi[k]
                    imaginary[k] = r * wi[k] + i * wr[k]
                }
            }
        }
    }

    /// One Stockham pass: for sub-transform offset q < stride, butterfly j < quotient and output
    /// k < p, y[q + stride·(p·j + k)] = w^(jk)·Σᵣ x[q + stride·(j + r·quotient)]·e^(−2πi·rk/p).
    private static func pass(
        _ stage: Stage, _ xr: UnsafeMutablePointer<Float>, _ xi: UnsafeMutablePointer<Float>,
        _ yr: UnsafeMutablePointer<Float>, _ yi: UnsafeMutablePointer<Float>
    ) {
        let p = stage.radix, m = stage.quotient, s = stage.stride
        stage.twiddleReal.withUnsafeBufferPointer { twr in
            stage.twiddleImaginary.withUnsafeBufferPointer { twi in
                switch p {
                case 2: radix2(m, s, twr.baseAddress!, twi.baseAddress!, xr, xi, yr, yi)
                case 3: radix3(m, s, twr.baseAddress!, twi.baseAddress!, xr, xi, yr, yi)
                case 4: radix4(m, s, twr.baseAddress!, twi.baseAddress!, xr, xi, yr, yi)
                default:
                    stage.rootReal.withUnsafeBufferPointer { rr in
                        stage.rootImaginary.withUnsafeBufferPointer { ri in
                            radixP(p, m, s, twr.baseAddress!, twi.baseAddress!, rr.baseAddress!, ri.baseAddress!, xr, xi, yr, yi)
                        }
                    }
                }
            }
        }
    }

    private static func radix2(
        _ m: Int, _ s: Int, _ twr: UnsafePointer<Float>, _ twi: UnsafePointer<Float>,
        _ xr: UnsafeMutablePointer<Float>, _ xi: UnsafeMutablePointer<Float>,
        _ yr: UnsafeMutablePointer<Float>, _ yi: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<m {
            let wr = twr[j], wi = twi[j]
            let a = s * j, b = s * (j + m), out = s * 2 * j
            for q in 0..<s {
                let ar = xr[a + q], ai = xi[a + q], br = xr[b + q], bi = xi[b + q]
                let dr = ar - br, di = ai - bi
                yr[out + q] = ar + br
                yi[out + q] = ai + bi
                yr[out + s + q] = dr * wr - di * wi
                yi[out + s + q] = dr * wi + di * wr
            }
        }
    }

    private static func radix3(
        _ m: Int, _ s: Int, _ twr: UnsafePointer<Float>, _ twi: UnsafePointer<Float>,
        _ xr: UnsafeMutablePointer<Float>, _ xi: UnsafeMutablePointer<Float>,
        _ yr: UnsafeMutablePointer<Float>, _ yi: UnsafeMutablePointer<Float>
    ) {
        let h = Float(0.5 * 3.0.squareRoot())
        for j in 0..<m {
            let w1r = twr[2 * j], w1i = twi[2 * j], w2r = twr[2 * j + 1], w2i = twi[2 * j + 1]
            let a = s * j, b = s * (j + m), c = s * (j + 2 * m), out = s * 3 * j
            for q in 0..<s {
                let x0r = xr[a + q], x0i = xi[a + q]
                let sr = xr[b + q] + xr[c + q], si = xi[b + q] + xi[c + q]
                let dr = xr[b + q] - xr[c + q], di = xi[b + q] - xi[c + q]
                let mr = x0r - 0.5 * sr, mi = x0i - 0.5 * si
                // y1 = m − i·h·d, y2 = m + i·h·d
                let y1r = mr + h * di, y1i = mi - h * dr
                let y2r = mr - h * di, y2i = mi + h * dr
                yr[out + q] = x0r + sr
                yi[out + q] = x0i + si
                yr[out + s + q] = y1r * w1r - y1i * w1i
                yi[out + s + q] = y1r * w1i + y1i * w1r
                yr[out + 2 * s + q] = y2r * w2r - y2i * w2i
                yi[out + 2 * s + q] = y2r * w2i + y2i * w2r
            }
        }
    }

    private static func radix4(
        _ m: Int, _ s: Int, _ twr: UnsafePointer<Float>, _ twi: UnsafePointer<Float>,
        _ xr: UnsafeMutablePointer<Float>, _ xi: UnsafeMutablePointer<Float>,
        _ yr: UnsafeMutablePointer<Float>, _ yi: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<m {
            let w1r = twr[3 * j], w1i = twi[3 * j]
            let w2r = twr[3 * j + 1], w2i = twi[3 * j + 1]
            let w3r = twr[3 * j + 2], w3i = twi[3 * j + 2]
            let a = s * j, b = s * (j + m), c = s * (j + 2 * m), d = s * (j + 3 * m), out = s * 4 * j
            for q in 0..<s {
                let t0r = xr[a + q] + xr[c + q], t0i = xi[a + q] + xi[c + q]
                let t1r = xr[a + q] - xr[c + q], t1i = xi[a + q] - xi[c + q]
                let t2r = xr[b + q] + xr[d + q], t2i = xi[b + q] + xi[d + q]
                let t3r = xr[b + q] - xr[d + q], t3i = xi[b + q] - xi[d + q]
                // y0 = t0 + t2, y1 = t1 − i·t3, y2 = t0 − t2, y3 = t1 + i·t3
                let y1r = t1r + t3i, y1i = t1i - t3r
                let y2r = t0r - t2r, y2i = t0i - t2i
                let y3r = t1r - t3i, y3i = t1i + t3r
                yr[out + q] = t0r + t2r
                yi[out + q] = t0i + t2i
                yr[out + s + q] = y1r * w1r - y1i * w1i
                yi[out + s + q] = y1r * w1i + y1i * w1r
                yr[out + 2 * s + q] = y2r * w2r - y2i * w2i
                yi[out + 2 * s + q] = y2r * w2i + y2i * w2r
                yr[out + 3 * s + q] = y3r * w3r - y3i * w3i
                yi[out + 3 * s + q] = y3r * w3i + y3i * w3r
            }
        }
    }

    /// A direct p-point butterfly: p² complex products, for odd prime radices up to 13.
    private static func radixP(
        _ p: Int, _ m: Int, _ s: Int, _ twr: UnsafePointer<Float>, _ twi: UnsafePointer<Float>,
        _ rr: UnsafePointer<Float>, _ ri: UnsafePointer<Float>,
        _ xr: UnsafeMutablePointer<Float>, _ xi: UnsafeMutablePointer<Float>,
        _ yr: UnsafeMutablePointer<Float>, _ yi: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<m {
            let out = s * p * j
            for q in 0..<s {
                for k in 0..<p {
                    var sr: Float = 0, si: Float = 0
                    var rk = 0
                    for r in 0..<p {
                        let index = q + s * (j + r * m)
                        let cr = rr[rk], ci = ri[rk]
                        sr += xr[index] * cr - xi[index] * ci
                        si += xr[index] * ci + xi[index] * cr
                        rk += k
                        if rk >= p { rk -= p }
                    }
                    if k == 0 {
                        yr[out + q] = sr
                        yi[out + q] = si
                    } else {
                        let wr = twr[j * (p - 1) + k - 1], wi = twi[j * (p - 1) + k - 1]
                        yr[out + k * s + q] = sr * wr - si * wi
                        yi[out + k * s + q] = sr * wi + si * wr
                    }
                }
            }
        }
    }
}
