import Braid
import Foundation

/// A dataset file that does not hold what an audio-visual-text digits file must; names the file,
/// the entry and what was expected.
public struct AudioVisualDigitsError: Error, Equatable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The tensor or metadata entry at fault.
    public var field: String
    /// What was expected, and what was found.
    public var reason: String
    /// Creates the error.
    public init(path: String, field: String, reason: String) { (self.path, self.field, self.reason) = (path, field, reason) }
    /// `path: entry 'field': reason`.
    public var description: String { "\(path): entry '\(field)': \(reason)" }
}

/// The audio-visual-text digits of `fusion-compare`: for each example a degraded 8×8 UCI digit,
/// the digit's name spoken by `espeak-ng` (varied voice, speed and pitch) in noise at a random
/// signal-to-noise ratio, and a caption with partial hints, all about the same digit.
///
/// Stored as safetensors: `images` F32 `[N, 1, 8, 8]`, `audio` F32 `[N, S]` (mono at the
/// `sample_rate` metadata value), `digits` I64 `[N]` in 0...9, `sources` I64 `[N]` (the UCI
/// image each example came from, for splitting by source), `snr_db` F32 `[N]`, and the captions
/// as a JSON array of N strings in the `captions` metadata entry.
public struct AudioVisualDigits: Sendable {
    /// Degraded images `[N, 1, 8, 8]`.
    public var images: Tensor
    /// Noisy speech `[N, S]`.
    public var audio: Tensor
    /// The audio's sample rate in hertz.
    public var sampleRate: Int
    /// Caption word lists.
    public var captions: [[String]]
    /// The digit of each example.
    public var digits: [Int]
    /// The source UCI image of each example.
    public var sources: [Int]
    /// The speech-to-noise ratio of each example's audio in decibels.
    public var signalToNoise: [Float]

    /// The number of examples.
    public var count: Int { digits.count }

    /// Bundles the parts; every array has one entry per example.
    public init(images: Tensor, audio: Tensor, sampleRate: Int, captions: [[String]], digits: [Int], sources: [Int],
                signalToNoise: [Float]) {
        let n = digits.count
        check(images.shape == [n, 1, 8, 8] && audio.rank == 2 && audio.shape[0] == n && captions.count == n
                     && sources.count == n && signalToNoise.count == n,
                     "AudioVisualDigits: images \(images.shape), audio \(audio.shape), \(captions.count) captions, "
                     + "\(sources.count) sources and \(signalToNoise.count) SNRs for \(n) digits")
        (self.images, self.audio, self.sampleRate, self.captions) = (images, audio, sampleRate, captions)
        (self.digits, self.sources, self.signalToNoise) = (digits, sources, signalToNoise)
    }

    /// Reads and checks the file at `path`: every entry present with its dtype and shape, digits
    /// in 0...9, one caption per example. Throws `SafeTensorsError` for a file that is not
    /// safetensors and `AudioVisualDigitsError` for one that is but holds something else.
    public init(contentsOf path: String) throws {
        let file = try SafeTensors(contentsOf: path)
        func check(_ name: String, _ dtype: DType, rank: Int) throws -> [Int] {
            guard file.names.contains(name) else { throw AudioVisualDigitsError(path: path, field: name, reason: "missing") }
            let (found, shape) = (try file.dtype(of: name), try file.shape(of: name))
            guard found == dtype, shape.count == rank else {
                throw AudioVisualDigitsError(path: path, field: name, reason: "expected \(dtype) of rank \(rank), found \(found) \(shape)")
            }
            return shape
        }
        let n = try check("digits", .i64, rank: 1)[0]
        func expect(_ name: String, _ dtype: DType, _ shape: [Int?]) throws {
            let found = try check(name, dtype, rank: shape.count)
            guard zip(found, shape).allSatisfy({ $1 == nil || $0 == $1 }) else {
                let wanted = shape.map { $0.map(String.init) ?? "S" }.joined(separator: ", ")
                throw AudioVisualDigitsError(path: path, field: name, reason: "expected shape [\(wanted)] for \(n) examples, found \(found)")
            }
        }
        try expect("images", .f32, [n, 1, 8, 8])
        try expect("audio", .f32, [n, nil])
        try expect("sources", .i64, [n])
        try expect("snr_db", .f32, [n])
        guard let rate = file.metadata["sample_rate"].flatMap(Int.init), rate > 0 else {
            throw AudioVisualDigitsError(path: path, field: "sample_rate", reason: "expected a positive integer in the metadata")
        }
        guard let text = file.metadata["captions"], let captions = try? JSONDecoder().decode([String].self, from: Data(text.utf8)),
              captions.count == n else {
            throw AudioVisualDigitsError(path: path, field: "captions", reason: "expected a JSON array of \(n) strings in the metadata")
        }
        let digits = try file.intTensor("digits").scalars
        if let bad = digits.firstIndex(where: { !(0...9).contains($0) }) {
            throw AudioVisualDigitsError(path: path, field: "digits", reason: "example \(bad) has digit \(digits[bad]), expected 0...9")
        }
        self.init(images: try file.tensor("images"), audio: try file.tensor("audio"), sampleRate: rate,
                  captions: captions.map { $0.split(separator: " ").map(String.init) }, digits: digits,
                  sources: try file.intTensor("sources").scalars, signalToNoise: try file.tensor("snr_db").scalars)
    }

    /// Writes the dataset to `path` atomically (a temporary file, then a rename).
    public func write(to path: String) throws {
        let captionText = String(decoding: try JSONEncoder().encode(captions.map { $0.joined(separator: " ") }), as: UTF8.self)
        try SafeTensors.write(
            ["images": images, "audio": audio, "snr_db": Tensor(shape: [count], scalars: signalToNoise)],
            intTensors: ["digits": IntTensor(shape: [count], scalars: digits), "sources": IntTensor(shape: [count], scalars: sources)],
            metadata: ["sample_rate": "\(sampleRate)", "captions": captionText], to: path)
    }

    /// The examples at `rows`, in that order.
    public func subset(_ rows: [Int]) -> AudioVisualDigits {
        AudioVisualDigits(
            images: images.indexSelect(axis: 0, indices: rows), audio: audio.indexSelect(axis: 0, indices: rows),
            sampleRate: sampleRate, captions: rows.map { captions[$0] }, digits: rows.map { digits[$0] },
            sources: rows.map { sources[$0] }, signalToNoise: rows.map { signalToNoise[$0] })
    }
}
