import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A batch of mono waveforms padded on the right to one length.
public struct AudioBatch: Sendable {
    /// Samples `[B, T]` at the encoder's sample rate.
    public var samples: Tensor
    /// The real length of each waveform in samples (all of T when `nil`).
    public var lengths: [Int]?

    /// Bundles padded samples and their lengths.
    public init(samples: Tensor, lengths: [Int]? = nil) {
        check(samples.rank == 2, "AudioBatch: samples \(samples.shape) must be [B, T]")
        if let lengths {
            check(lengths.count == samples.shape[0] && lengths.allSatisfy { $0 > 0 && $0 <= samples.shape[1] },
                         "AudioBatch: lengths \(lengths) must be in 1...\(samples.shape[1]) for \(samples.shape[0]) waveforms")
        }
        self.samples = samples
        self.lengths = lengths
    }
}

/// The sizes of an `AudioEncoder`.
public struct AudioEncoderConfiguration: Sendable, Equatable {
    /// Sample rate of the input waveforms.
    public var sampleRate: Int = 16000
    /// Mel bands of the log-mel front end (25 ms frames every 10 ms at 16 kHz).
    public var melCount: Int = 80
    /// Width D of the convolutions and the transformer.
    public var hiddenSize: Int = 128
    /// Transformer layers.
    public var layerCount: Int = 2
    /// Attention heads.
    public var headCount: Int = 4
    /// Feed-forward width.
    public var feedForwardSize: Int = 256
    /// Dropout in the transformer.
    public var dropout: Float = 0.1

    /// Creates a configuration; the defaults are a small speech encoder.
    public init(
        sampleRate: Int = 16000, melCount: Int = 80, hiddenSize: Int = 128, layerCount: Int = 2, headCount: Int = 4,
        feedForwardSize: Int = 256, dropout: Float = 0.1
    ) {
        (self.sampleRate, self.melCount, self.hiddenSize, self.layerCount) = (sampleRate, melCount, hiddenSize, layerCount)
        (self.headCount, self.feedForwardSize, self.dropout) = (headCount, feedForwardSize, dropout)
    }
}

/// An audio encoder: log-mel spectrogram → two stride-2 convolutions over time (GELU) → sinusoidal
/// positions → a pre-norm transformer → final LayerNorm (the shape of Whisper's encoder, small).
///
/// Sequence features are `[B, frames/4, D]` with a padding mask derived from each waveform's
/// length; pooled features are the mean over real positions `[B, D]`.
public final class AudioEncoder: Module, FeatureEncoder {
    /// The sizes.
    public let configuration: AudioEncoderConfiguration
    /// The log-mel front end (natural log of the mel power + 1e-6).
    public let frontEnd: MelSpectrogram
    /// Time convolutions: mels → D and D → D, kernel 3, stride 2 (as `[B, C, 1, frames]` images).
    public let conv1: Conv2d, conv2: Conv2d
    /// The transformer.
    public let encoder: TransformerEncoder

    /// A randomly initialised encoder.
    public init(_ configuration: AudioEncoderConfiguration = .init(), generator: inout RandomGenerator) {
        self.configuration = configuration
        frontEnd = MelSpectrogram(sampleRate: configuration.sampleRate, melCount: configuration.melCount,
                                  compression: .naturalLog())
        let d = configuration.hiddenSize
        conv1 = Conv2d(inputChannels: configuration.melCount, outputChannels: d, kernelSize: (1, 3), stride: (1, 2),
                       padding: (0, 1), generator: &generator)
        conv2 = Conv2d(inputChannels: d, outputChannels: d, kernelSize: (1, 3), stride: (1, 2), padding: (0, 1),
                       generator: &generator)
        encoder = TransformerEncoder(count: configuration.layerCount, finalNorm: LayerNorm(d), { generator in
            TransformerEncoderLayer(
                dimension: d, headCount: configuration.headCount, feedForwardDimension: configuration.feedForwardSize,
                dropout: configuration.dropout, normFirst: true, generator: &generator)
        }, generator: &generator)
    }

    /// D.
    public var outputDimension: Int { configuration.hiddenSize }

    /// The number of encoder positions for `samples` samples: frames of the front end, halved twice.
    public func positionCount(forSampleCount samples: Int) -> Int {
        let frames = frontEnd.stft.frameCount(forSampleCount: samples)
        return ((frames - 1) / 2 + 1 - 1) / 2 + 1
    }

    /// Sequence, padding mask and masked-mean pooled features of a batch of waveforms.
    public func encode(_ batch: AudioBatch) -> EncodedFeatures {
        let (b, t) = (batch.samples.shape[0], batch.samples.shape[1])
        let mel = frontEnd(batch.samples)  // [B, mels, frames]
        let image = Variable(mel.reshaped(to: [b, configuration.melCount, 1, mel.shape[2]]))
        let convolved = conv2(conv1(image).gelu()).gelu()  // [B, D, 1, T']
        let positions = convolved.shape[3], d = configuration.hiddenSize
        // [B, D, 1, T'] -> [B, D, T'] -> [B, T', D]
        let tokens = convolved.reshaped(to: [b, d, positions]).permuted([0, 2, 1]) + Variable(Self.sinusoids(positions, d))
        let valid = (batch.lengths ?? [Int](repeating: t, count: b)).map { min(positionCount(forSampleCount: $0), positions) }
        let padding = Tensor(shape: [b, positions], scalars: (0..<(b * positions)).map { $0 % positions < valid[$0 / positions] ? 0 : 1 })
        let hasPadding = valid.contains { $0 < positions }
        let sequence = encoder(tokens, keyPaddingMask: hasPadding ? padding : nil)
        let weights = 1 - padding  // [B, T'], 1 = real
        let pooled = (sequence * Variable(weights.reshaped(to: [b, positions, 1]))).sum(alongAxes: [1])
            / Variable(weights.sum(alongAxes: [1], keepDims: true))
        return EncodedFeatures(sequence: sequence, paddingMask: hasPadding ? padding : nil, pooled: pooled)
    }

    /// Sinusoidal positions `[1, count, width]`: sin on the first half of the channels, cos on the
    /// second, with timescales from 1 to 10⁴ (Whisper's `sinusoids`).
    static func sinusoids(_ count: Int, _ width: Int) -> Tensor {
        let half = width / 2
        let increment = logf(10_000) / Float(max(half - 1, 1))
        var values = [Float](repeating: 0, count: count * width)
        for p in 0..<count {
            for i in 0..<half {
                let angle = Float(p) * expf(-increment * Float(i))
                values[p * width + i] = sinf(angle)
                values[p * width + half + i] = cosf(angle)
            }
        }
        return Tensor(shape: [1, count, width], scalars: values)
    }
}
