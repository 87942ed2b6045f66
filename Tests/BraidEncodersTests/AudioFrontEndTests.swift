import BraidData
import BraidEncoders
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// The audio front end against `Tests/Fixtures/audio.safetensors`, written by
/// `Scripts/make-audio-fixtures.py` (librosa 0.11 and SciPy on a 1.25 s espeak-ng sentence).
@Suite struct AudioFrontEndTests {
    let fixture: SafeTensors

    init() throws { fixture = try Fixtures.open("audio.safetensors") }

    static func largestMagnitude(_ t: Tensor) -> Float { t.scalars.reduce(0) { max($0, abs($1)) } }

    // MARK: - FFT

    /// `np.fft.rfft` of random signals: 512 (radix 4 and 2), 400 (a 200-point complex transform,
    /// radices 4, 2, 5, 5) and 37 (a prime: Bluestein), within 1e-4 of the largest magnitude;
    /// measured: 1.0e-7, 1.1e-7 and 9.6e-8 of it.
    @Test(arguments: [37, 400, 512])
    func fftMatchesNumPy(length: Int) throws {
        let x = try fixture.tensor("fft.\(length).x")
        let (real, imaginary) = RealFFT(length: length)(x)
        let expectedReal = try fixture.tensor("fft.\(length).real")
        let expectedImaginary = try fixture.tensor("fft.\(length).imag")
        var peak: Float = 0
        for k in 0..<expectedReal.count {
            peak = max(peak, (expectedReal[flat: k] * expectedReal[flat: k] + expectedImaginary[flat: k] * expectedImaginary[flat: k]).squareRoot())
        }
        expectClose(real, expectedReal, relative: 0, absolute: 1e-4 * peak, "real part, n = \(length)")
        expectClose(imaginary, expectedImaginary, relative: 0, absolute: 1e-4 * peak, "imaginary part, n = \(length)")
    }

    /// Every length from 1 to 80 and a few larger ones (radices 2–13, Bluestein for 17, 19, 23, …,
    /// odd and even lengths, batched rows) against a direct DFT in `Double`, within 1e-5 of the
    /// largest magnitude; measured: 2.7e-7 at worst.
    /// A WAV file's 32-bit sample rate can be prime: the filter is refused with the reason
    /// instead of 10¹¹ taps being allocated.
    @Test func resamplingBetweenNearlyCoprimeRatesStopsWithTheReason() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Resampler(from: 4_294_967_291, to: 16_000)
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(printed.contains("Resampler: 4294967291 → 16000 Hz reduces to 16000/4294967291"), "\(printed)")
        #expect(Resampler(from: 44_101, to: 16_000).halfLength == 441_010)
    }

    @Test func fftMatchesADirectTransformForManyLengths() {
        for length in Array(1...80) + [97, 121, 169, 243, 255, 256, 289, 384, 1000, 1024] {
            let x = randomTensor([2, length], seed: UInt64(length))
            let (real, imaginary) = RealFFT(length: length)(x)
            #expect(real.shape == [2, length / 2 + 1] && imaginary.shape == real.shape)
            for row in 0..<2 {
                var expectedReal = [Float](), expectedImaginary = [Float](), peak = 0.0
                for k in 0...(length / 2) {
                    var sr = 0.0, si = 0.0
                    for n in 0..<length {
                        let angle = -2 * Double.pi * Double((k * n) % length) / Double(length)
                        sr += Double(x[row, n]) * cos(angle)
                        si += Double(x[row, n]) * sin(angle)
                    }
                    expectedReal.append(Float(sr))
                    expectedImaginary.append(Float(si))
                    peak = max(peak, (sr * sr + si * si).squareRoot())
                }
                let bins = length / 2 + 1
                let r = Tensor(Array(real.scalars[(row * bins)..<((row + 1) * bins)]))
                let i = Tensor(Array(imaginary.scalars[(row * bins)..<((row + 1) * bins)]))
                expectClose(r, Tensor(expectedReal), relative: 0, absolute: 1e-5 * Float(peak), "real, n = \(length)")
                expectClose(i, Tensor(expectedImaginary), relative: 0, absolute: 1e-5 * Float(peak), "imaginary, n = \(length)")
            }
        }
    }

    // MARK: - STFT and mel

    /// The power of `librosa.stft(y, n_fft=400, hop_length=160, center=True, pad_mode="reflect")`
    /// within 1e-3 relative, with an absolute floor of 1e-9 of the largest bin (−90 dB; 38 % of
    /// the bins are below −60 dB, some of them exact zeros in the clip's silence). Measured: 7.7e-7
    /// relative for bins above −20 dB, 3.8e-5 above −60 dB, 2.6e-4 above −80 dB.
    @Test func powerSpectrogramMatchesLibrosa() throws {
        let clip = try fixture.tensor("clip.16000")
        let expected = try fixture.tensor("stft.power")
        let stft = ShortTimeFourierTransform(fftLength: 400, hopLength: 160)
        let power = stft.powerSpectrogram(clip)
        #expect(stft.frameCount(forSampleCount: clip.count) == expected.shape[1])
        let floor = 1e-9 * Self.largestMagnitude(expected)
        expectClose(power, expected, relative: 1e-3, absolute: floor)
    }

    /// `librosa.filters.mel` for both scales and normalisations, with and without fmin/fmax, within
    /// 1e-5 relative plus 1e-5 of the largest weight; measured: at most 7.2e-8 of the largest weight
    /// (librosa rounds to float32 twice with Slaney normalisation, Braid once).
    @Test(arguments: [
        ("mel.htk.filterbank", 400, 80, Float(0), Float?.none, MelScale.htk, MelNormalization.none),
        ("mel.slaney.filterbank", 400, 80, 0, nil, .slaney, .slaney),
        ("filterbank.htk_slaney_norm", 512, 40, 20, 7600, .htk, .slaney),
        ("filterbank.slaney_no_norm", 512, 40, 20, 7600, .slaney, .none),
    ])
    func filterbankMatchesLibrosa(
        key: String, fftLength: Int, melCount: Int, minimum: Float, maximum: Float?, scale: MelScale,
        normalization: MelNormalization
    ) throws {
        let bank = MelFilterbank(
            sampleRate: 16000, fftLength: fftLength, melCount: melCount, minimumFrequency: minimum,
            maximumFrequency: maximum, scale: scale, normalization: normalization)
        let expected = try fixture.tensor(key)
        let peak = Self.largestMagnitude(expected)
        expectClose(bank.weights, expected, relative: 1e-5, absolute: 1e-5 * peak, "\(key)")
    }

    /// `librosa.feature.melspectrogram(..., pad_mode="reflect")` and its `power_to_db`, for
    /// (htk=True, norm=None) and (htk=False, norm="slaney"). Mel power within 1e-3 relative with
    /// an absolute floor of 1e-10 of the spectrogram's maximum (−100 dB); measured: 6.6e-7
    /// relative above −20 dB, 2.8e-5 above −60 dB, 3.9e-4 above −100 dB. Decibels within 1e-3
    /// relative plus 0.0043 dB, the change 10·log₁₀(1.001) that a 1e-3 relative power error
    /// makes; measured: 6.3e-4 dB at most.
    @Test(arguments: [("htk", MelScale.htk, MelNormalization.none), ("slaney", .slaney, .slaney)])
    func melSpectrogramMatchesLibrosa(name: String, scale: MelScale, normalization: MelNormalization) throws {
        let clip = try fixture.tensor("clip.16000")
        let mel = MelSpectrogram(scale: scale, normalization: normalization)
        let power = mel(clip)
        let expected = try fixture.tensor("mel.\(name).power")
        let floor = 1e-10 * Self.largestMagnitude(expected)
        expectClose(power, expected, relative: 1e-3, absolute: floor, "mel power, \(name)")

        let decibels = MelSpectrogram(scale: scale, normalization: normalization, compression: .decibels())(clip)
        let expectedDecibels = try fixture.tensor("mel.\(name).db")
        expectClose(decibels, expectedDecibels, relative: 1e-3, absolute: 0.0043, "power_to_db, \(name)")
        // power_to_db alone, on librosa's own mel power.
        let fromLibrosaPower = SpectrogramCompression.decibels()(try fixture.tensor("mel.\(name).power"))
        expectClose(fromLibrosaPower, expectedDecibels, relative: 1e-5, absolute: 1e-4, "power_to_db alone, \(name)")
    }

    /// ln(M + 1e-6) of the mel power, against the same of librosa's.
    @Test func naturalLogMelMatchesLibrosasPower() throws {
        let clip = try fixture.tensor("clip.16000")
        let logMel = MelSpectrogram(compression: .naturalLog())(clip)
        let expected = try fixture.tensor("mel.slaney.power").log(offset: 1e-6)
        expectClose(logMel, expected, relative: 1e-3, absolute: 1e-3, "ln(M + 1e-6)")
    }

    /// A batch `[B, T]` gives each row's spectrogram, `[B, melCount, frames]`.
    @Test func batchesMatchSingleSignals() throws {
        let clip = try fixture.tensor("clip.16000")
        let first = Tensor(Array(clip.scalars[0..<8000])), second = Tensor(Array(clip.scalars[8000..<16000]))
        let mel = MelSpectrogram(compression: .decibels())
        let batch = mel(Tensor.stack([first, second]))
        #expect(batch.shape == [2, 80, 51])
        #expect(batch == Tensor.stack([mel(first), mel(second)]))
    }

    /// Reflect padding mirrors without repeating the edge sample, and zero padding pads zeros:
    /// the first centred frame of a ramp.
    @Test func centredPaddingModes() {
        let ramp = Tensor((0..<16).map { Float($0) })
        let reflect = ShortTimeFourierTransform(fftLength: 8, hopLength: 4, padding: .reflect)
        let zeros = ShortTimeFourierTransform(fftLength: 8, hopLength: 4, padding: .zeros)
        #expect(reflect.frameCount(forSampleCount: 16) == 5)
        // Frame 0 is window · [4 3 2 1 0 1 2 3] (reflect) or window · [0 0 0 0 0 1 2 3] (zeros);
        // its DC bin is the window-weighted sum.
        let window = reflect.window.scalars
        let reflectDC = zip(window, [4, 3, 2, 1, 0, 1, 2, 3] as [Float]).map(*).reduce(0, +)
        let zerosDC = zip(window, [0, 0, 0, 0, 0, 1, 2, 3] as [Float]).map(*).reduce(0, +)
        #expect(abs(reflect(ramp).real[0, 0] - reflectDC) < 1e-5)
        #expect(abs(zeros(ramp).real[0, 0] - zerosDC) < 1e-5)
        #expect(abs(window[2] - 0.5) < 1e-7 && window[0] == 0 && abs(window[4] - 1) < 1e-7, "periodic Hann")
    }

    // MARK: - Resampling

    /// `scipy.signal.resample_poly(x, 320, 441)` of the 22050 Hz clip (float64, stored as float32),
    /// within 1e-6 absolute on a clip that peaks at 0.69; measured: 1.8e-7.
    @Test func resamplingMatchesSciPy() throws {
        let clip = try fixture.tensor("clip.22050")
        let expected = try fixture.tensor("clip.16000")
        let resampled = Resampler(from: 22050, to: 16000)(clip)
        #expect(resampled.shape == expected.shape)
        expectClose(resampled, expected, relative: 0, absolute: 1e-6)
    }

    /// The least-squares a·sin + b·cos of `frequency` over `range` of `y` sampled at `rate`, and
    /// the largest residual.
    static func fitSinusoid(_ y: Tensor, frequency: Double, rate: Double, range: Range<Int>)
        -> (amplitude: Double, phase: Double, residual: Double)
    {
        var ss = 0.0, cc = 0.0, sc = 0.0, ys = 0.0, yc = 0.0
        for n in range {
            let angle = 2 * Double.pi * frequency * Double(n) / rate
            let s = sin(angle), c = cos(angle), value = Double(y[n])
            ss += s * s; cc += c * c; sc += s * c; ys += value * s; yc += value * c
        }
        let det = ss * cc - sc * sc
        let a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det
        var residual = 0.0
        for n in range {
            let angle = 2 * Double.pi * frequency * Double(n) / rate
            residual = max(residual, abs(Double(y[n]) - a * sin(angle) - b * cos(angle)))
        }
        return ((a * a + b * b).squareRoot(), atan2(b, a), residual)
    }

    /// A 1 kHz sine of amplitude 0.5 resampled 44100 → 16000 Hz stays a 1 kHz sine of amplitude
    /// 0.5. Away from the edges (100 output samples, more than the filter's reach), a fit of a
    /// 1 kHz sinusoid gives amplitude 0.500551 (the Kaiser β = 5 filter's passband gain at 1 kHz;
    /// scipy.signal.resample_poly gives the same 0.500551), phase 3e-9 rad and a largest residual
    /// of 2.1e-5. The frequency, from the phase drift between the first and last 1000 samples,
    /// is 1 kHz within 1e-8 Hz (tested to 1e-4 Hz).
    @Test func resampledSineKeepsFrequencyAndAmplitude() {
        let input = Tensor((0..<44100).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 44100)) })
        let output = Resampler(from: 44100, to: 16000)(input)
        #expect(output.shape == [16000])
        let whole = Self.fitSinusoid(output, frequency: 1000, rate: 16000, range: 100..<15900)
        #expect(abs(whole.amplitude - 0.5) < 1e-3, "amplitude \(whole.amplitude)")
        #expect(abs(whole.phase) < 1e-4, "phase \(whole.phase)")
        #expect(whole.residual < 5e-5, "residual \(whole.residual)")

        let head = Self.fitSinusoid(output, frequency: 1000, rate: 16000, range: 100..<1100)
        let tail = Self.fitSinusoid(output, frequency: 1000, rate: 16000, range: 14900..<15900)
        let frequency = 1000 + (tail.phase - head.phase) / (2 * Double.pi * (14900 - 100) / 16000)
        #expect(abs(frequency - 1000) < 1e-4, "frequency \(frequency)")
    }

    /// Equal rates give the signal back; a batch resamples each row.
    @Test func equalRatesAndBatches() {
        let x = randomTensor([2, 50], seed: 7)
        #expect(Resampler(from: 16000, to: 16000)(x) == x)
        let down = Resampler(from: 48000, to: 16000)
        let batch = down(x)
        #expect(batch.shape == [2, 17])
        #expect(Tensor(Array(batch.scalars[0..<17])) == down(Tensor(Array(x.scalars[0..<50]))))
    }
}

private extension Tensor {
    func log(offset: Float) -> Tensor { Tensor(shape: shape, scalars: scalars.map { logf($0 + offset) }) }
}
