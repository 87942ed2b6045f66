import BraidData
import BraidTensor
import Foundation
import Testing

/// Each test gets its own instance, so its own temporary directory, removed when the test ends.
@Suite final class WAVTests {
    let directory: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("WAVTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        directory = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    // MARK: Building files

    /// `value` as `count` little-endian bytes.
    func le(_ value: Int, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// A chunk: its four-character id, little-endian size, body, and the pad byte after an odd-sized body.
    func chunk(_ id: String, _ body: [UInt8], size: Int? = nil, pad: Bool = true) -> [UInt8] {
        Array(id.utf8) + le(size ?? body.count, 4) + body + (pad && body.count % 2 == 1 ? [0] : [])
    }

    /// A plain 16-byte "fmt " chunk; `blockAlign` defaults to `channels × bits / 8`.
    func fmt(tag: Int = 1, channels: Int, rate: Int = 8000, bits: Int, blockAlign: Int? = nil) -> [UInt8] {
        let align = blockAlign ?? channels * bits / 8
        let body = le(tag, 2) + le(channels, 2) + le(rate, 4) + le(rate * align, 4) + le(align, 2) + le(bits, 2)
        return chunk("fmt ", body)
    }

    /// A 40-byte WAVE_FORMAT_EXTENSIBLE "fmt " chunk whose sub-format GUID starts with `subFormat`.
    func extensibleFmt(subFormat: Int, channels: Int, rate: Int, bits: Int, guidTail: [UInt8]? = nil) -> [UInt8] {
        let align = channels * bits / 8
        let tail = guidTail ?? [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
        let body = le(0xFFFE, 2) + le(channels, 2) + le(rate, 4) + le(rate * align, 4) + le(align, 2) + le(bits, 2)
            + le(22, 2) + le(bits, 2) + le(0, 4) + le(subFormat, 2) + tail
        return chunk("fmt ", body)
    }

    /// A RIFF/WAVE file holding `chunks`.
    func wav(_ chunks: [UInt8]...) -> [UInt8] {
        let body = Array("WAVE".utf8) + chunks.joined()
        return Array("RIFF".utf8) + le(body.count, 4) + body
    }

    func writeFile(_ bytes: [UInt8], name: String = "audio.wav") throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Checks that reading `path` throws `expected` and that its description names every string in `mentioning`.
    func expectReadError(
        _ path: String, _ expected: WAVError, mentioning: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: WAVError.self, sourceLocation: sourceLocation) {
            try WAVAudio.read(contentsOf: path)
        }
        #expect(error == expected, sourceLocation: sourceLocation)
        for text in [path] + mentioning {
            #expect(error?.description.contains(text) == true, "\(error?.description ?? "") lacks \(text)",
                    sourceLocation: sourceLocation)
        }
    }

    // MARK: Round trips

    @Test func pcm16StereoRoundTripAt22050Hz() throws {
        let left: [Float] = [0, 0.5, -1, Float(32767) / 32768, -0.25, Float(3) / 32768]
        let right: [Float] = [1e-9, -0.5, Float(-12345) / 32768, 0.125, 0, -Float(1) / 32768]
        let audio = WAVAudio(sampleRate: 22050, samples: Tensor([left, right]))
        let path = directory + "/stereo.wav"
        try audio.write(to: path)

        let read = try WAVAudio.read(contentsOf: path)
        #expect(read.sampleRate == 22050)
        #expect(read.channelCount == 2 && read.frameCount == 6)
        #expect(read.samples == Tensor([left, [0] + right.dropFirst()]))  // 1e-9 rounds to 0
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(raw.count == 44 + 2 * 2 * 6)
        #expect(Array(raw[20..<24]) == le(1, 2) + le(2, 2))  // PCM, 2 channels
        #expect(Array(raw[24..<28]) == le(22050, 4))
    }

    @Test func float32StereoRoundTripIsExact() throws {
        let samples = Tensor([[0.1, -0.7, 1.5, -3e-8, 0.33333334], [-1, 1, 0.999, -0.5, 2]])
        let audio = WAVAudio(sampleRate: 22050, samples: samples)
        let path = directory + "/float.wav"
        try audio.write(to: path, format: .float32)

        #expect(try WAVAudio.read(contentsOf: path) == audio)
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(raw.count == 58 + 4 * 2 * 5)  // RIFF 12, fmt 26, fact 12, data header 8
        #expect(Array(raw[20..<22]) == le(3, 2))
    }

    @Test func pcm16WritingClipsRoundsToEvenAndZeroesNaN() throws {
        let values: [Float] = [2, -3, 1, .nan, 0.6 / 32768, -.infinity, 2.5 / 32768, -3.5 / 32768]
        let audio = WAVAudio(sampleRate: 8000, samples: Tensor([values]))
        let path = directory + "/clipped.wav"
        try audio.write(to: path)
        let expected: [Float] = [32767, -32768, 32767, 0, 1, -32768, 2, -4].map { $0 / 32768 }
        #expect(try WAVAudio.read(contentsOf: path).samples == Tensor([expected]))
    }

    @Test func writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws {
        let path = try writeFile(Array("not audio".utf8), name: "out.wav")
        let audio = WAVAudio(sampleRate: 44100, samples: Tensor([[0.5, -0.5]]))
        try audio.write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.wav"])
        #expect(try WAVAudio.read(contentsOf: path) == audio)
    }

    @Test func writeIntoAMissingDirectoryThrowsWriteFailed() {
        let path = directory + "/missing/out.wav"
        let error = #expect(throws: WAVError.self) {
            try WAVAudio(sampleRate: 8000, samples: Tensor([[0]])).write(to: path)
        }
        guard case .writeFailed(let errorPath, _)? = error else {
            Issue.record("expected .writeFailed, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(error?.description.contains(path) == true)
    }

    @Test func writeWithoutChannelsThrowsWriteFailed() {
        let path = directory + "/empty.wav"
        let expected = WAVError.writeFailed(path: path, reason: "a WAV file holds 1 to 65535 channels, not 0")
        #expect(throws: expected) {
            try WAVAudio(sampleRate: 8000, samples: Tensor(shape: [0, 3], scalars: [])).write(to: path)
        }
    }

    // MARK: Decoding hand-built files

    @Test func unsigned8BitPCMIsCentredOn128() throws {
        let path = try writeFile(wav(fmt(channels: 1, bits: 8), chunk("data", [0, 128, 255, 64, 192])))
        let audio = try WAVAudio.read(contentsOf: path)
        #expect(audio.sampleRate == 8000)
        #expect(audio.samples == Tensor([[-1, 0, 127.0 / 128, -0.5, 0.5]]))
    }

    @Test func signed24BitPCMScalesBy2To23() throws {
        let values = [-8_388_608, 8_388_607, 1, -2, 4_194_304, 0]
        let data = values.flatMap { le($0, 3) }
        let path = try writeFile(wav(fmt(channels: 2, rate: 96000, bits: 24), chunk("data", data)))
        let audio = try WAVAudio.read(contentsOf: path)
        #expect(audio.sampleRate == 96000)
        let scaled = values.map { Float($0) / 8_388_608 }
        #expect(audio.samples == Tensor([[scaled[0], scaled[2], scaled[4]], [scaled[1], scaled[3], scaled[5]]]))
        #expect(audio.samples[0, 0] == -1 && audio.samples[0, 2] == 0.5)
    }

    @Test func signed32BitPCMScalesBy2To31() throws {
        let values = [Int(Int32.min), Int(Int32.max), 1 << 16, -(1 << 30)]
        let path = try writeFile(wav(fmt(channels: 1, bits: 32), chunk("data", values.flatMap { le($0, 4) })))
        #expect(try WAVAudio.read(contentsOf: path).samples == Tensor([[-1, 1, 1.0 / 32768, -0.5]]))
    }

    @Test func float64IsNarrowedToFloat() throws {
        let values: [Double] = [0.25, -1.0 / 3, 1.5]
        let data = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let path = try writeFile(wav(fmt(tag: 3, channels: 1, bits: 64), chunk("data", data)))
        #expect(try WAVAudio.read(contentsOf: path).samples == Tensor([values.map { Float($0) }]))
    }

    @Test func extensibleHeaderWithPCMSubFormat() throws {
        let values = [100, -200, 300, -32768, 32767, 0]
        let format = extensibleFmt(subFormat: 1, channels: 3, rate: 11025, bits: 16)
        let path = try writeFile(wav(format, chunk("data", values.flatMap { le($0, 2) })))
        let audio = try WAVAudio.read(contentsOf: path)
        #expect(audio.sampleRate == 11025)
        #expect(audio.samples == Tensor([[100, -32768], [-200, 32767], [300, 0]].map { $0.map { Float($0) / 32768 } }))
    }

    @Test func extensibleHeaderWithFloatSubFormat() throws {
        let values: [Float] = [0.75, -0.125]
        let data = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        let format = extensibleFmt(subFormat: 3, channels: 1, rate: 48000, bits: 32)
        let path = try writeFile(wav(format, chunk("data", data)))
        #expect(try WAVAudio.read(contentsOf: path) == WAVAudio(sampleRate: 48000, samples: Tensor([values])))
    }

    @Test func unknownChunksAreSkippedHonouringThePadByte() throws {
        // An odd-sized "LIST" chunk whose pad byte must be skipped, the data chunk before "fmt ",
        // and a trailing odd-sized chunk without its pad byte.
        let list = chunk("LIST", Array("INFOabc".utf8))
        #expect(list.count == 8 + 7 + 1)
        let data = chunk("data", le(16384, 2) + le(-16384, 2))
        let trailing = chunk("junk", [1, 2, 3], pad: false)
        let path = try writeFile(wav(list, data, chunk("cue ", [9]), fmt(channels: 1, bits: 16), trailing))
        #expect(try WAVAudio.read(contentsOf: path).samples == Tensor([[0.5, -0.5]]))
    }

    @Test func aTrailingPartialFrameIsDropped() throws {
        let path = try writeFile(wav(fmt(channels: 2, bits: 16), chunk("data", le(16384, 2) + le(-16384, 2) + [7, 7])))
        #expect(try WAVAudio.read(contentsOf: path).samples == Tensor([[0.5], [-0.5]]))
    }

    @Test func mixToMonoAveragesTheChannels() throws {
        let path = directory + "/stereo.wav"
        let stereo = WAVAudio(sampleRate: 16000, samples: Tensor([[0.5, -1, 0.25], [0, -0.5, -0.25]]))
        try stereo.write(to: path)
        let mono = try WAVAudio.read(contentsOf: path, mixToMono: true)
        #expect(mono == WAVAudio(sampleRate: 16000, samples: Tensor([[0.25, -0.75, 0]])))
        #expect(stereo.mixedToMono() == mono)
        #expect(mono.mixedToMono() == mono)
    }

    @Test func decodingBytesInMemoryNamesTheGivenPath() throws {
        let bytes = wav(fmt(channels: 1, bits: 16), chunk("data", le(-32768, 2)))
        #expect(try WAVAudio(bytes: bytes).samples == Tensor([[-1]]))
        #expect(throws: WAVError.missingDataChunk(path: "clip")) {
            try WAVAudio(bytes: wav(fmt(channels: 1, bits: 16)), path: "clip")
        }
    }

    // MARK: Reading errors

    @Test func missingFileThrowsUnreadable() {
        let path = directory + "/absent.wav"
        expectReadError(path, .unreadable(path: path, reason: "No such file or directory"))
    }

    @Test func directoryThrowsUnreadable() {
        expectReadError(directory, .unreadable(path: directory, reason: "not a regular file"))
    }

    @Test func wrongRIFFMagicThrowsBadMagic() throws {
        var bytes = wav(fmt(channels: 1, bits: 16), chunk("data", []))
        bytes.replaceSubrange(0..<4, with: Array("RIFX".utf8))
        let path = try writeFile(bytes)
        expectReadError(path, .badMagic(path: path, expected: "RIFF", found: "RIFX"), mentioning: ["RIFX"])
    }

    @Test func wrongWAVEMagicThrowsBadMagic() throws {
        var bytes = wav(fmt(channels: 1, bits: 16), chunk("data", []))
        bytes.replaceSubrange(8..<12, with: [0x41, 0x56, 0x49, 0x00])
        let path = try writeFile(bytes)
        expectReadError(path, .badMagic(path: path, expected: "WAVE", found: "AVI\\x00"), mentioning: ["WAVE"])
    }

    @Test func fileEndingInsideTheRIFFHeaderThrowsTruncatedHeader() throws {
        let path = try writeFile(Array("RIFF\u{4}\0\0\0WA".utf8))
        expectReadError(path, .truncatedHeader(path: path, offset: 0, fileSize: 10), mentioning: ["10-byte"])
    }

    @Test func fileEndingInsideAChunkHeaderThrowsTruncatedHeader() throws {
        let bytes = wav(fmt(channels: 1, bits: 16)) + Array("data".utf8) + [4, 0]
        let path = try writeFile(bytes)
        expectReadError(path, .truncatedHeader(path: path, offset: 36, fileSize: 42), mentioning: ["offset 36"])
    }

    @Test func chunkLongerThanTheFileThrowsTruncatedChunk() throws {
        let bytes = wav(chunk("LIST", [1, 2, 3, 4], size: 100))
        let path = try writeFile(bytes)
        expectReadError(
            path, .truncatedChunk(path: path, chunk: "LIST", offset: 12, declared: 100, available: 4),
            mentioning: ["'LIST'", "100"])
    }

    @Test func fileWithoutFmtThrowsMissingFormatChunk() throws {
        let path = try writeFile(wav(chunk("data", [0, 0])))
        expectReadError(path, .missingFormatChunk(path: path), mentioning: ["'fmt '"])
    }

    @Test func fileWithoutDataThrowsMissingDataChunk() throws {
        let path = try writeFile(wav(fmt(channels: 1, bits: 16), chunk("LIST", [])))
        expectReadError(path, .missingDataChunk(path: path), mentioning: ["'data'"])
    }

    @Test func dataChunkShorterThanDeclaredThrowsTruncatedData() throws {
        let path = try writeFile(wav(fmt(channels: 1, bits: 16), chunk("data", [0, 0, 1, 0], size: 1000)))
        expectReadError(path, .truncatedData(path: path, declared: 1000, available: 4), mentioning: ["1000"])
    }

    @Test(arguments: [
        (2, 4, "MS ADPCM (format tag 0x0002)"),
        (7, 8, "µ-law (format tag 0x0007)"),
        (0x1234, 16, "format tag 0x1234"),
        (1, 12, "12-bit PCM"),
        (3, 16, "16-bit IEEE float"),
    ])
    func unsupportedCodecThrowsUnsupportedEncoding(tag: Int, bits: Int, name: String) throws {
        let path = try writeFile(wav(fmt(tag: tag, channels: 1, bits: bits, blockAlign: 2), chunk("data", [0, 0])))
        expectReadError(path, .unsupportedEncoding(path: path, encoding: name), mentioning: [name])
    }

    @Test func extensibleWithAnUnknownSubFormatThrowsUnsupportedEncoding() throws {
        let tail: [UInt8] = [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x72]
        let path = try writeFile(
            wav(extensibleFmt(subFormat: 1, channels: 1, rate: 8000, bits: 16, guidTail: tail), chunk("data", [0, 0])))
        let guid = "01000000000010008000" + "00AA00389B72"
        expectReadError(path, .unsupportedEncoding(path: path, encoding: "extensible sub-format GUID \(guid)"))
    }

    @Test func zeroChannelsThrows() throws {
        let path = try writeFile(wav(fmt(channels: 0, bits: 16, blockAlign: 2), chunk("data", [0, 0])))
        expectReadError(path, .zeroChannels(path: path), mentioning: ["zero channels"])
    }

    @Test func blockAlignDisagreeingWithChannelsThrowsInconsistentBlockAlign() throws {
        let path = try writeFile(wav(fmt(channels: 2, bits: 16, blockAlign: 2), chunk("data", [0, 0, 0, 0])))
        expectReadError(
            path, .inconsistentBlockAlign(path: path, blockAlign: 2, channels: 2, bytesPerSample: 2),
            mentioning: ["block align 2"])
    }

    @Test func shortFmtChunkThrowsInvalidFormatChunk() throws {
        let path = try writeFile(wav(chunk("fmt ", le(1, 2) + le(1, 2) + le(8000, 4) + le(16000, 4) + le(2, 2)),
                                     chunk("data", [0, 0])))
        expectReadError(
            path, .invalidFormatChunk(path: path, reason: "14 bytes, fewer than the 16 of a PCM format"),
            mentioning: ["14 bytes"])
    }
}
