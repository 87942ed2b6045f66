import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a power spectrogram is compressed before it reaches a model.
public enum SpectrogramCompression: Sendable, Equatable {
    /// The power itself.
    case none
    /// Decibels, as `librosa.power_to_db(S, ref=reference, amin=floor, top_db=dynamicRange)`:
    ///
    ///     D = 10·log₁₀(max(floor, S)) − 10·log₁₀(max(floor, reference)),  then  D = max(D, max(D) − dynamicRange)
    ///
    /// The maximum is taken per example: over the whole of a `[mels, frames]` spectrogram and
    /// over each `[mels, frames]` slice of a `[B, mels, frames]` batch (librosa, given a batch,
    /// would take one maximum over all of it). No clipping when `dynamicRange` is nil.
    case decibels(reference: Float = 1, floor: Float = 1e-10, dynamicRange: Float? = 80)
    /// ln(S + offset), the natural-log compression common for model inputs.
    case naturalLog(offset: Float = 1e-6)

    /// `spectrogram` compressed element by element (per example for `decibels`' clipping).
    public func callAsFunction(_ spectrogram: Tensor) -> Tensor {
        switch self {
        case .none:
            return spectrogram
        case .naturalLog(let offset):
            return spectrogram.withUnsafeBufferPointer { s in
                Tensor(shape: spectrogram.shape) { out in
                    for i in 0..<out.count { out[i] = logf(s[i] + offset) }
                }
            }
        case .decibels(let reference, let floor, let dynamicRange):
            check(floor > 0, "SpectrogramCompression.decibels: floor \(floor) must be positive")
            check(dynamicRange.map { $0 >= 0 } ?? true, "SpectrogramCompression.decibels: dynamicRange \(dynamicRange!) must be non-negative")
            let shift = 10 * log10f(Swift.max(floor, Swift.abs(reference)))
            let examples = spectrogram.rank == 3 ? spectrogram.shape[0] : 1
            let size = examples == 0 ? 0 : spectrogram.count / examples
            return spectrogram.withUnsafeBufferPointer { s in
                Tensor(shape: spectrogram.shape) { out in
                    for e in 0..<examples {
                        let x = s.baseAddress! + e * size, y = out.baseAddress! + e * size
                        var peak = -Float.infinity
                        for i in 0..<size {
                            y[i] = 10 * log10f(Swift.max(floor, x[i])) - shift
                            peak = Swift.max(peak, y[i])
                        }
                        guard let dynamicRange else { continue }
                        let lowest = peak - dynamicRange
                        for i in 0..<size { y[i] = Swift.max(y[i], lowest) }
                    }
                }
            }
        }
    }
}

/// The (log-)mel spectrogram of audio, the input of an audio encoder
/// (`librosa.feature.melspectrogram` followed by an optional compression):
///
///     M = F · |STFT(x)|²,   then `compression` (none, decibels, or ln(M + 1e-6))
///
/// with F the `MelFilterbank` `[melCount, fftLength/2 + 1]` and the STFT of
/// `ShortTimeFourierTransform` (periodic Hann window of `fftLength`, centred frames).
///
/// Shapes: samples `[T]` → `[melCount, frames]`, or `[B, T]` → `[B, melCount, frames]`, with
/// frames = 1 + ⌊T/hopLength⌋ for an even `fftLength`.
///
/// librosa equivalent (compression `.none`):
/// `librosa.feature.melspectrogram(y=x, sr=sampleRate, n_fft=fftLength, hop_length=hopLength,
/// n_mels=melCount, fmin=minimumFrequency, fmax=maximumFrequency, htk=(scale == .htk),
/// norm="slaney" or None, power=2.0, center=True, pad_mode="reflect")`; with `.decibels()`,
/// `librosa.power_to_db(that, ref=1.0, amin=1e-10, top_db=80.0)`.
public struct MelSpectrogram: Sendable {
    /// The framing and Fourier transform.
    public let stft: ShortTimeFourierTransform
    /// The mel filters.
    public let filterbank: MelFilterbank
    /// What is applied to the mel power.
    public let compression: SpectrogramCompression

    /// The sampling rate in hertz the filters assume.
    public var sampleRate: Int { filterbank.sampleRate }
    /// The number of mel bands.
    public var melCount: Int { filterbank.melCount }

    /// A mel spectrogram with 25 ms frames every 10 ms and 80 Slaney mel bands from 0 Hz to the
    /// Nyquist frequency at 16 kHz by default, reflect padding, and no compression.
    public init(
        sampleRate: Int = 16000, fftLength: Int = 400, hopLength: Int = 160, melCount: Int = 80,
        minimumFrequency: Float = 0, maximumFrequency: Float? = nil, scale: MelScale = .slaney,
        normalization: MelNormalization = .slaney, padding: SignalPadding = .reflect,
        compression: SpectrogramCompression = .none
    ) {
        stft = ShortTimeFourierTransform(fftLength: fftLength, hopLength: hopLength, center: true, padding: padding)
        filterbank = MelFilterbank(
            sampleRate: sampleRate, fftLength: fftLength, melCount: melCount, minimumFrequency: minimumFrequency,
            maximumFrequency: maximumFrequency, scale: scale, normalization: normalization)
        self.compression = compression
    }

    /// The compressed mel spectrogram of `samples` `[T]` or `[B, T]`: `[melCount, frames]` or
    /// `[B, melCount, frames]`.
    public func callAsFunction(_ samples: Tensor) -> Tensor {
        compression(filterbank(stft.powerSpectrogram(samples)))
    }
}
