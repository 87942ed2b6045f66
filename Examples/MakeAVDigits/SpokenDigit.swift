import Braid
import ExampleSupport
import Foundation

/// How one digit name is spoken: an `espeak-ng` voice and variant, speed and pitch.
struct SpokenDigit: Sendable {
    /// English accents of espeak-ng, crossed with `variants`.
    static let voices = ["en", "en-us", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-gb-x-gbclan", "en-gb-x-gbcwmd"]
    /// Male and female voice variants.
    static let variants = ["", "+f1", "+f2", "+f3", "+f4", "+m1", "+m2", "+m3", "+m4", "+klatt"]

    let word: String
    let voice: String
    let wordsPerMinute: Int
    let pitch: Int

    /// A random voice, variant, speed (130–220 words a minute) and pitch (20–80 of 0–99).
    init(digit: Int, generator: inout RandomGenerator) {
        word = DigitHints.names[digit]
        voice = Self.voices[Int(generator.next() % UInt64(Self.voices.count))]
            + Self.variants[Int(generator.next() % UInt64(Self.variants.count))]
        wordsPerMinute = 130 + Int(generator.next() % 91)
        pitch = 20 + Int(generator.next() % 61)
    }

    /// Runs `espeak-ng` into a temporary WAV file and returns the samples resampled to
    /// `resampler.outputRate`, with leading and trailing silence (below 2% of the peak) removed.
    func synthesize(resampler: Resampler, scratch: String) throws -> [Float] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["espeak-ng", "-v", voice, "-s", "\(wordsPerMinute)", "-p", "\(pitch)", "-w", scratch, word]
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw SynthesisError("cannot run espeak-ng: \(error)") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SynthesisError("espeak-ng \(process.arguments!.joined(separator: " ")) exited with status \(process.terminationStatus)"
                                 + (process.terminationStatus == 127 ? " (not installed? apt-get install espeak-ng)" : ""))
        }
        let wav = try WAVAudio.read(contentsOf: scratch, mixToMono: true)
        guard wav.sampleRate == resampler.inputRate else {
            throw SynthesisError("\(scratch): espeak-ng wrote \(wav.sampleRate) Hz, expected \(resampler.inputRate) Hz")
        }
        let samples = resampler(wav.samples.reshaped(to: [wav.frameCount])).scalars
        let threshold = 0.02 * (samples.map(abs).max() ?? 0)
        guard let first = samples.firstIndex(where: { abs($0) > threshold }),
              let last = samples.lastIndex(where: { abs($0) > threshold }) else {
            throw SynthesisError("espeak-ng produced silence for '\(word)' with voice \(voice)")
        }
        return Array(samples[first...last])
    }
}

/// Speech synthesis failed; the message says how.
struct SynthesisError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
