import Braid
import ExampleSupport
import Foundation

/// Builds `AudioVisualDigits` from the committed UCI digits and espeak-ng.
struct AudioVisualDigitsBuilder {
    let options: MakeOptions
    /// 8 kHz audio, one second per example.
    static let sampleRate = 8000, windowLength = 8000
    /// espeak-ng's output rate.
    static let synthesisRate = 22050

    /// One example's random draws, made in order before any synthesis so the file follows from the seed.
    struct Plan {
        var source: Int, digit: Int, speech: SpokenDigit, signalToNoise: Float, offsetFraction: Float
        var image: [Float], caption: [String], noiseSeed: UInt64
    }

    func build() throws -> AudioVisualDigits {
        let digits = try DigitsDataset.load()
        var generator = RandomGenerator(seed: options.seed)
        var plans: [Plan] = []
        for source in 0..<digits.labels.count {
            let digit = digits.labels.scalars[source]
            let image = digits.images.sliced(axis: 0, start: source, end: source + 1).scalars
            for _ in 0..<options.variants {
                let speech = SpokenDigit(digit: digit, generator: &generator)
                let range = options.signalToNoise
                plans.append(Plan(
                    source: source, digit: digit, speech: speech,
                    signalToNoise: range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUniform(),
                    offsetFraction: generator.nextUniform(), image: DigitHints.degrade(image, generator: &generator),
                    caption: DigitHints.caption(for: digit, generator: &generator), noiseSeed: generator.next()))
            }
        }
        let audio = try synthesize(plans)
        return AudioVisualDigits(
            images: Tensor(shape: [plans.count, 1, 8, 8], scalars: plans.flatMap(\.image)),
            audio: Tensor(shape: [plans.count, Self.windowLength], scalars: audio), sampleRate: Self.sampleRate,
            captions: plans.map(\.caption), digits: plans.map(\.digit), sources: plans.map(\.source),
            signalToNoise: plans.map(\.signalToNoise))
    }

    /// Every plan's noisy one-second window, concatenated; synthesis runs on all cores.
    private func synthesize(_ plans: [Plan]) throws -> [Float] {
        let resampler = Resampler(from: Self.synthesisRate, to: Self.sampleRate)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("make-av-digits-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var audio = [Float](repeating: 0, count: plans.count * Self.windowLength)
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let failures = Failures()
        audio.withUnsafeMutableBufferPointer { output in
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: plans.count, by: workers) where !failures.any {
                    do {
                        let window = try Self.window(plans[index], resampler: resampler, scratch: "\(scratch)/\(worker).wav")
                        for (i, value) in window.enumerated() { output[index * Self.windowLength + i] = value }
                    } catch {
                        failures.record(error)
                    }
                }
            }
        }
        if let error = failures.first { throw error }
        return audio
    }

    /// The speech scaled to a 0.5 peak at a random offset in the window (cut if longer), plus
    /// white noise whose power is the speech's mean power over its duration divided by 10^(SNR/10).
    private static func window(_ plan: Plan, resampler: Resampler, scratch: String) throws -> [Float] {
        var speech = try plan.speech.synthesize(resampler: resampler, scratch: scratch)
        if speech.count > windowLength { speech = Array(speech.prefix(windowLength)) }
        let peak = speech.map(abs).max()!
        speech = speech.map { 0.5 * $0 / peak }
        let power = speech.reduce(0) { $0 + $1 * $1 } / Float(speech.count)
        let noiseScale = (power / powf(10, plan.signalToNoise / 10)).squareRoot()
        var noise = RandomGenerator(seed: plan.noiseSeed)
        var window = (0..<windowLength).map { _ in noiseScale * noise.nextNormal() }
        let offset = Int(plan.offsetFraction * Float(windowLength - speech.count))
        for (i, value) in speech.enumerated() { window[offset + i] += value }
        return window
    }
}

/// The first error of the synthesis workers.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    var any: Bool { lock.withLock { error != nil } }
    var first: (any Error)? { lock.withLock { error } }
    func record(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }
}
