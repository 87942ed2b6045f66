import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mapping between hertz and mels (`librosa.hz_to_mel` / `librosa.mel_to_hz`).
public enum MelScale: Sendable, Equatable {
    /// m = 2595·log₁₀(1 + f/700) (`htk=True`).
    case htk
    /// Slaney's Auditory Toolbox scale, librosa's default (`htk=False`): linear below 1 kHz,
    /// m = 3f/200, and logarithmic above, m = 15 + 27·ln(f/1000)/ln 6.4.
    case slaney

    /// The mel value of `hertz`.
    public func mel(fromHertz hertz: Double) -> Double {
        switch self {
        case .htk:
            return 2595 * log10(1 + hertz / 700)
        case .slaney:
            let linear = hertz / MelScale.slaneyHertzPerMel
            guard hertz >= MelScale.slaneyLogHertz else { return linear }
            return MelScale.slaneyLogMel + log(hertz / MelScale.slaneyLogHertz) / MelScale.slaneyLogStep
        }
    }

    /// The frequency in hertz of `mel`.
    public func hertz(fromMel mel: Double) -> Double {
        switch self {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            guard mel >= MelScale.slaneyLogMel else { return mel * MelScale.slaneyHertzPerMel }
            return MelScale.slaneyLogHertz * exp(MelScale.slaneyLogStep * (mel - MelScale.slaneyLogMel))
        }
    }

    private static let slaneyHertzPerMel = 200.0 / 3
    private static let slaneyLogHertz = 1000.0
    private static let slaneyLogMel = 1000.0 / (200.0 / 3)
    private static let slaneyLogStep = log(6.4) / 27
}

/// How each mel filter is scaled (librosa's `norm`).
public enum MelNormalization: Sendable, Equatable {
    /// Triangles of peak 1 (`norm=None`).
    case none
    /// Triangles of area 1 in hertz: each scaled by 2 / (upper edge − lower edge)
    /// (`norm="slaney"`, librosa's default).
    case slaney
}

/// A bank of triangular mel filters over the bins of a real FFT (`librosa.filters.mel`).
///
/// The `melCount + 2` edge frequencies are evenly spaced in mels between `minimumFrequency` and
/// `maximumFrequency`; filter m rises linearly from edge m to edge m + 1 and falls to edge m + 2,
/// evaluated at the bin frequencies k·sampleRate/fftLength, k = 0 … fftLength/2. Computed in
/// `Double`, stored as `Float`.
///
/// librosa equivalent: `librosa.filters.mel(sr=sampleRate, n_fft=fftLength, n_mels=melCount,
/// fmin=minimumFrequency, fmax=maximumFrequency, htk=(scale == .htk), norm="slaney" or None)`.
public struct MelFilterbank: Sendable {
    /// The filter weights `[melCount, fftLength/2 + 1]`.
    public let weights: Tensor
    /// The sampling rate in hertz.
    public let sampleRate: Int
    /// The FFT length whose bins the filters cover.
    public let fftLength: Int
    /// The number of filters.
    public var melCount: Int { weights.shape[0] }
    /// The lowest edge in hertz.
    public let minimumFrequency: Float
    /// The highest edge in hertz.
    public let maximumFrequency: Float
    /// The mel scale the edges are spaced on.
    public let scale: MelScale
    /// How the filters are scaled.
    public let normalization: MelNormalization

    /// A filterbank of `melCount` filters from `minimumFrequency` to `maximumFrequency` (the
    /// Nyquist frequency, sampleRate/2, when nil). Defaults are librosa's, except 80 filters.
    public init(
        sampleRate: Int = 16000, fftLength: Int = 400, melCount: Int = 80, minimumFrequency: Float = 0,
        maximumFrequency: Float? = nil, scale: MelScale = .slaney, normalization: MelNormalization = .slaney
    ) {
        let maximum = maximumFrequency ?? Float(sampleRate) / 2
        check(sampleRate > 0 && fftLength > 0 && melCount > 0,
                     "MelFilterbank: sampleRate \(sampleRate), fftLength \(fftLength) and melCount \(melCount) must be positive")
        check(minimumFrequency >= 0 && minimumFrequency < maximum,
                     "MelFilterbank: need 0 ≤ minimumFrequency \(minimumFrequency) < maximumFrequency \(maximum)")
        self.sampleRate = sampleRate
        self.fftLength = fftLength
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximum
        self.scale = scale
        self.normalization = normalization

        let bins = fftLength / 2 + 1
        let binHertz = 1 / (Double(fftLength) * (1 / Double(sampleRate)))  // np.fft.rfftfreq's spacing
        let lowMel = scale.mel(fromHertz: Double(minimumFrequency))
        let highMel = scale.mel(fromHertz: Double(maximum))
        let step = (highMel - lowMel) / Double(melCount + 1)
        let edges = (0..<(melCount + 2)).map { i in
            scale.hertz(fromMel: i == melCount + 1 ? highMel : lowMel + Double(i) * step)
        }
        var weights = [Float](repeating: 0, count: melCount * bins)
        for m in 0..<melCount {
            let lower = edges[m], center = edges[m + 1], upper = edges[m + 2]
            let gain = normalization == .slaney ? 2 / (upper - lower) : 1
            for k in 0..<bins {
                let f = Double(k) * binHertz
                let rising = (f - lower) / (center - lower)
                let falling = (upper - f) / (upper - center)
                weights[m * bins + k] = Float(Swift.max(0, Swift.min(rising, falling)) * gain)
            }
        }
        self.weights = Tensor(shape: [melCount, bins], scalars: weights)
    }

    /// The centre frequencies of the filters in hertz, `[melCount]`.
    public var centerFrequencies: [Float] {
        let lowMel = scale.mel(fromHertz: Double(minimumFrequency))
        let step = (scale.mel(fromHertz: Double(maximumFrequency)) - lowMel) / Double(melCount + 1)
        return (1...melCount).map { Float(scale.hertz(fromMel: lowMel + Double($0) * step)) }
    }

    /// Applies the filters to a power spectrogram `[fftLength/2 + 1, frames]` or
    /// `[B, fftLength/2 + 1, frames]`: `weights · spectrogram`, `[melCount, frames]` or
    /// `[B, melCount, frames]` (one sgemm).
    public func callAsFunction(_ spectrogram: Tensor) -> Tensor {
        let bins = weights.shape[1]
        check(
            (spectrogram.rank == 2 || spectrogram.rank == 3) && spectrogram.shape[spectrogram.rank - 2] == bins,
            "MelFilterbank: spectrogram \(spectrogram.shape) must be [\(bins), frames] or [B, \(bins), frames]")
        return Tensor.matmul(weights, spectrogram)
    }
}
