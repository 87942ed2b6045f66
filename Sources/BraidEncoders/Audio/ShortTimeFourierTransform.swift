import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a centred short-time Fourier transform extends the signal by `fftLength / 2` samples on
/// each side (`np.pad` modes).
public enum SignalPadding: Sendable, Equatable {
    /// Mirror without repeating the edge sample: `[a b c d]` → `[c b | a b c d | c b]`
    /// (`np.pad(mode="reflect")`, librosa before 0.10 and torchaudio's default).
    case reflect
    /// Zeros (`np.pad(mode="constant")`, librosa's default since 0.10).
    case zeros
}

/// The short-time Fourier transform with a periodic Hann window (`librosa.stft`):
///
///     X[k, t] = Σₙ w[n]·x̃[t·hop + n]·e^(−2πi·kn/N),   k = 0 … N/2
///
/// where N is `fftLength`, x̃ the signal padded by N/2 samples on each side when `center` is set,
/// and w the periodic Hann window w[n] = ½ − ½·cos(2πn/W) of `windowLength` W
/// (`scipy.signal.get_window("hann", W, fftbins=True)`), zero-padded to N in the middle.
///
/// Shapes: samples `[T]` → `[N/2 + 1, frames]`, or `[B, T]` → `[B, N/2 + 1, frames]`, with
/// frames = 1 + ⌊(T + 2·⌊N/2⌋ − N) / hop⌋ (1 + ⌊T/hop⌋ for even N) when centred, and
/// 1 + ⌊(T − N) / hop⌋ otherwise. Frames are transformed in parallel on all cores.
///
/// The librosa equivalent of `powerSpectrogram` is
/// `np.abs(librosa.stft(y, n_fft=N, hop_length=hop, win_length=W, window="hann", center=True,
/// pad_mode="reflect"))**2`.
public struct ShortTimeFourierTransform: Sendable {
    /// N, the points of each frame's FFT.
    public let fftLength: Int
    /// The samples between the starts of consecutive frames.
    public let hopLength: Int
    /// Whether frame t is centred on sample t·hop (padding the signal by N/2 on each side) rather
    /// than starting there.
    public let center: Bool
    /// How the signal is extended when `center` is set.
    public let padding: SignalPadding
    /// The analysis window `[N]`: a periodic Hann window of `windowLength`, zero-padded to N
    /// in the middle (`librosa.util.pad_center`).
    public let window: Tensor
    /// N/2 + 1, the frequency bins of each frame.
    public var binCount: Int { fftLength / 2 + 1 }

    private let fft: RealFFT

    /// A transform with frames of `fftLength` samples every `hopLength` samples.
    ///
    /// Defaults are those of a 16 kHz speech front end: 25 ms frames every 10 ms, the window as
    /// long as the frame, centred frames and reflect padding (pass `padding: .zeros` for
    /// librosa ≥ 0.10's default).
    public init(
        fftLength: Int = 400, hopLength: Int = 160, windowLength: Int? = nil, center: Bool = true,
        padding: SignalPadding = .reflect
    ) {
        let windowLength = windowLength ?? fftLength
        check(fftLength >= 1 && hopLength >= 1, "ShortTimeFourierTransform: fftLength \(fftLength) and hopLength \(hopLength) must be positive")
        check(
            windowLength >= 1 && windowLength <= fftLength,
            "ShortTimeFourierTransform: windowLength \(windowLength) must be in 1...\(fftLength)")
        self.fftLength = fftLength
        self.hopLength = hopLength
        self.center = center
        self.padding = padding
        self.fft = RealFFT(length: fftLength)
        var window = [Float](repeating: 0, count: fftLength)
        let offset = (fftLength - windowLength) / 2
        for n in 0..<windowLength {
            window[offset + n] = Float(0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(windowLength)))
        }
        self.window = Tensor(window)
    }

    /// The number of frames for a signal of `sampleCount` samples.
    public func frameCount(forSampleCount sampleCount: Int) -> Int {
        let padded = center ? sampleCount + 2 * (fftLength / 2) : sampleCount
        check(
            padded >= fftLength,
            "ShortTimeFourierTransform: \(sampleCount) samples are fewer than one frame of \(fftLength)")
        return 1 + (padded - fftLength) / hopLength
    }

    /// The complex STFT of `samples` `[T]` or `[B, T]`: `real` and `imaginary`, each
    /// `[N/2 + 1, frames]` or `[B, N/2 + 1, frames]` (`librosa.stft`).
    public func callAsFunction(_ samples: Tensor) -> (real: Tensor, imaginary: Tensor) {
        let (real, imaginary) = run(samples, power: false)
        return (real, imaginary!)
    }

    /// |X[k, t]|², the power spectrogram of `samples` `[T]` or `[B, T]`: `[N/2 + 1, frames]` or
    /// `[B, N/2 + 1, frames]`.
    public func powerSpectrogram(_ samples: Tensor) -> Tensor {
        run(samples, power: true).0
    }

    /// The frames, transformed in blocks of `framesPerTask` across the cores. Writes the power
    /// into the first tensor when `power` is set, and the real and imaginary parts otherwise.
    private func run(_ samples: Tensor, power: Bool) -> (Tensor, Tensor?) {
        check(
            samples.rank == 1 || samples.rank == 2,
            "ShortTimeFourierTransform: samples \(samples.shape) must be [T] or [B, T]")
        let batch = samples.rank == 2 ? samples.shape[0] : 1
        let length = samples.shape[samples.rank - 1]
        let frames = frameCount(forSampleCount: length)
        let bins = binCount
        let shape = (samples.rank == 2 ? [batch] : []) + [bins, frames]
        let padded = paddedSignals(samples, batch: batch, length: length)
        let paddedLength = padded.count / Swift.max(batch, 1)

        let total = batch * bins * frames
        var first = [Float](repeating: 0, count: total)
        var second = [Float](repeating: 0, count: power ? 0 : total)
        let framesPerTask = 16
        let blocksPerExample = (frames + framesPerTask - 1) / framesPerTask
        let n = fftLength, hop = hopLength, fft = self.fft
        padded.withUnsafeBufferPointer { signal in
            window.withUnsafeBufferPointer { window in
                first.withUnsafeMutableBufferPointer { out1 in
                    second.withUnsafeMutableBufferPointer { out2 in
                        let signal = SharedPointer(UnsafeMutablePointer(mutating: signal.baseAddress!))
                        let window = SharedPointer(UnsafeMutablePointer(mutating: window.baseAddress!))
                        let out1 = SharedPointer(out1.baseAddress!)
                        let out2 = power ? nil : SharedPointer(out2.baseAddress!)
                        Parallel.distribute(batch * blocksPerExample) { _, tasks in
                            let frame = UnsafeMutablePointer<Float>.allocate(capacity: 3 * n + 4 + fft.workspaceCount)
                            defer { frame.deallocate() }
                            let re = frame + n, im = re + bins, workspace = im + bins
                            for task in tasks {
                                let example = task / blocksPerExample, block = task % blocksPerExample
                                let source = signal.address + example * paddedLength
                                let target = example * bins * frames
                                for t in (block * framesPerTask)..<Swift.min(frames, (block + 1) * framesPerTask) {
                                    let start = source + t * hop
                                    for i in 0..<n { frame[i] = start[i] * window.address[i] }
                                    fft.transform(frame, real: re, imaginary: im, workspace: workspace)
                                    if let out2 {
                                        for k in 0..<bins {
                                            out1.address[target + k * frames + t] = re[k]
                                            out2.address[target + k * frames + t] = im[k]
                                        }
                                    } else {
                                        for k in 0..<bins {
                                            out1.address[target + k * frames + t] = re[k] * re[k] + im[k] * im[k]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (Tensor(shape: shape, scalars: first), power ? nil : Tensor(shape: shape, scalars: second))
    }

    /// Each example's signal extended by N/2 samples on both sides when centred, concatenated.
    private func paddedSignals(_ samples: Tensor, batch: Int, length: Int) -> [Float] {
        guard center else { return samples.scalars }
        let pad = fftLength / 2, paddedLength = length + 2 * pad
        var padded = [Float](repeating: 0, count: batch * paddedLength)
        samples.withUnsafeBufferPointer { x in
            padded.withUnsafeMutableBufferPointer { y in
                for b in 0..<batch {
                    let source = x.baseAddress! + b * length, target = y.baseAddress! + b * paddedLength
                    (target + pad).update(from: source, count: length)
                    guard padding == .reflect else { continue }
                    for i in 0..<pad {
                        target[pad - 1 - i] = source[reflectedIndex(-1 - i, length: length)]
                        target[pad + length + i] = source[reflectedIndex(length + i, length: length)]
                    }
                }
            }
        }
        return padded
    }
}

/// The index that `np.pad(mode="reflect")` reads for position `i` of a signal of `length`
/// samples: the signal mirrored at both ends without repeating the edge, repeated with period
/// 2·(length − 1).
func reflectedIndex(_ i: Int, length: Int) -> Int {
    guard length > 1 else { return 0 }
    let period = 2 * (length - 1)
    var j = i % period
    if j < 0 { j += period }
    return j < length ? j : period - j
}
