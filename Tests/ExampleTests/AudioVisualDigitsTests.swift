import Braid
import ExampleSupport
import Foundation
import Testing

/// The audio-visual-text digits file: round trip, and a clear error for each kind of bad file.
@Suite struct AudioVisualDigitsTests {
    /// Three examples with 16 audio samples each.
    static func sample() -> AudioVisualDigits {
        AudioVisualDigits(
            images: Tensor(shape: [3, 1, 8, 8], scalars: (0..<192).map { Float($0) / 192 }),
            audio: Tensor(shape: [3, 16], scalars: (0..<48).map { sinf(Float($0)) }), sampleRate: 8000,
            captions: [["an", "even", "number"], ["no", "description"], ["the", "digit", "seven"]],
            digits: [4, 1, 7], sources: [10, 11, 12], signalToNoise: [-3, 0, -12.5])
    }

    /// A fresh path in the temporary directory.
    static func temporaryPath() -> String {
        NSTemporaryDirectory() + "braid-av-digits-" + UUID().uuidString + ".safetensors"
    }

    @Test func writeThenReadGivesTheSameDataset() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let original = Self.sample()
        try original.write(to: path)
        let read = try AudioVisualDigits(contentsOf: path)
        #expect(read.images == original.images)
        #expect(read.audio == original.audio)
        #expect(read.sampleRate == 8000)
        #expect(read.captions == original.captions)
        #expect(read.digits == original.digits)
        #expect(read.sources == original.sources)
        #expect(read.signalToNoise == original.signalToNoise)
        let subset = read.subset([2, 0])
        #expect(subset.digits == [7, 4])
        #expect(subset.audio.scalars == Array(original.audio.scalars[32..<48] + original.audio.scalars[0..<16]))
    }

    /// Writes `tensors`, `intTensors` and `metadata` and returns the error reading them gives.
    static func error(
        _ tensors: [String: Tensor], _ intTensors: [String: IntTensor], metadata: [String: String]
    ) throws -> AudioVisualDigitsError {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensors.write(tensors, intTensors: intTensors, metadata: metadata, to: path)
        let error = try #require(throws: AudioVisualDigitsError.self) { try AudioVisualDigits(contentsOf: path) }
        #expect(error.path == path)
        #expect(error.description.hasPrefix(path))
        return error
    }

    static let goodTensors: [String: Tensor] = [
        "images": Tensor.zeros([2, 1, 8, 8]), "audio": Tensor.zeros([2, 10]), "snr_db": Tensor.zeros([2]),
    ]
    static let goodIntTensors: [String: IntTensor] = [
        "digits": IntTensor(shape: [2], scalars: [3, 9]), "sources": IntTensor(shape: [2], scalars: [0, 1]),
    ]
    static let goodMetadata = ["sample_rate": "8000", "captions": #"["a b", "c"]"#]

    @Test func theCheckedFileItselfReads() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensors.write(Self.goodTensors, intTensors: Self.goodIntTensors, metadata: Self.goodMetadata, to: path)
        #expect(try AudioVisualDigits(contentsOf: path).captions == [["a", "b"], ["c"]])
    }

    @Test func wrongDtypeNamesTheEntry() throws {
        var tensors = Self.goodTensors, ints = Self.goodIntTensors
        ints["digits"] = nil
        tensors["digits"] = Tensor.zeros([2])
        let error = try Self.error(tensors, ints, metadata: Self.goodMetadata)
        #expect(error.field == "digits")
        #expect(error.reason == "expected i64 of rank 1, found f32 [2]")
    }

    @Test func wrongShapeNamesTheEntryAndBothShapes() throws {
        var tensors = Self.goodTensors
        tensors["images"] = Tensor.zeros([2, 8, 8, 1])
        let error = try Self.error(tensors, Self.goodIntTensors, metadata: Self.goodMetadata)
        #expect(error.field == "images")
        #expect(error.reason == "expected shape [2, 1, 8, 8] for 2 examples, found [2, 8, 8, 1]")

        tensors = Self.goodTensors
        tensors["audio"] = Tensor.zeros([3, 10])
        #expect(try Self.error(tensors, Self.goodIntTensors, metadata: Self.goodMetadata).field == "audio")
    }

    @Test func missingEntriesAndMetadataAreNamed() throws {
        var tensors = Self.goodTensors
        tensors["snr_db"] = nil
        #expect(try Self.error(tensors, Self.goodIntTensors, metadata: Self.goodMetadata).reason == "missing")

        var metadata = Self.goodMetadata
        metadata["sample_rate"] = "fast"
        #expect(try Self.error(Self.goodTensors, Self.goodIntTensors, metadata: metadata).field == "sample_rate")

        metadata = Self.goodMetadata
        metadata["captions"] = #"["only one"]"#
        let error = try Self.error(Self.goodTensors, Self.goodIntTensors, metadata: metadata)
        #expect(error.field == "captions")
        #expect(error.reason == "expected a JSON array of 2 strings in the metadata")
    }

    @Test func digitsOutOfRangeAreRejected() throws {
        var ints = Self.goodIntTensors
        ints["digits"] = IntTensor(shape: [2], scalars: [3, 10])
        let error = try Self.error(Self.goodTensors, ints, metadata: Self.goodMetadata)
        #expect(error.reason == "example 1 has digit 10, expected 0...9")
    }

    @Test func aTruncatedFileThrowsSafeTensorsError() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.sample().write(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 9).write(to: URL(fileURLWithPath: path))
        #expect(throws: SafeTensorsError.self) { try AudioVisualDigits(contentsOf: path) }
    }
}
