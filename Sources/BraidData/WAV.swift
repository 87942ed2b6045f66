import BraidTensor

/// Audio decoded from, or to be encoded into, a RIFF/WAVE (`.wav`) file: planar `Float` samples
/// in [-1, 1] and a sample rate.
///
/// Reading decodes 8-bit unsigned, 16, 24 and 32-bit signed PCM and 32 and 64-bit IEEE float,
/// with a plain or a `WAVE_FORMAT_EXTENSIBLE` format chunk, and skips unknown chunks. Integers
/// scale as in `soundfile` and `librosa`: divided by 2^(bits-1), 8-bit as (x - 128) / 128. The
/// Python equivalent is `soundfile.read(path, dtype="float32", always_2d=True)`, transposed.
public struct WAVAudio: Sendable, Equatable {
    /// Frames per second.
    public var sampleRate: Int
    /// The samples, of shape [channels, frames]; values in [-1, 1] (float files may exceed it).
    public var samples: Tensor

    /// The number of channels, `samples.shape[0]`.
    public var channelCount: Int { samples.shape[0] }
    /// The number of frames (samples per channel), `samples.shape[1]`.
    public var frameCount: Int { samples.shape[1] }

    /// Creates audio from `samples` of shape [channels, frames] at `sampleRate` frames per second.
    public init(sampleRate: Int, samples: Tensor) {
        check(samples.rank == 2, "WAVAudio: samples must have shape [channels, frames], got \(samples.shape)")
        self.sampleRate = sampleRate
        self.samples = samples
    }

    /// Reads the WAV file at `path`; with `mixToMono`, the channels are averaged into shape [1, frames]
    /// (`librosa.load(path, sr=None, mono=mixToMono)`).
    public static func read(contentsOf path: String, mixToMono: Bool = false) throws(WAVError) -> WAVAudio {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
        return try WAVAudio(bytes: bytes, path: path, mixToMono: mixToMono)
    }

    /// Decodes the bytes of a whole WAV file; `path` only names the source in errors. With
    /// `mixToMono`, the channels are averaged into shape [1, frames].
    ///
    /// Chunks are scanned until both `"fmt "` and `"data"` are found; what follows is ignored, and
    /// a trailing partial frame in the data chunk is dropped.
    public init(bytes: [UInt8], path: String = "<memory>", mixToMono: Bool = false) throws(WAVError) {
        if bytes.count >= 4 && !Self.matches(bytes, 0, "RIFF") {
            throw .badMagic(path: path, expected: "RIFF", found: Self.fourCC(bytes, 0))
        }
        guard bytes.count >= 12 else { throw .truncatedHeader(path: path, offset: 0, fileSize: bytes.count) }
        guard Self.matches(bytes, 8, "WAVE") else {
            throw .badMagic(path: path, expected: "WAVE", found: Self.fourCC(bytes, 8))
        }
        var format: (offset: Int, size: Int)?
        var data: (offset: Int, size: Int)?
        var offset = 12
        while (format == nil || data == nil) && offset < bytes.count {
            guard offset + 8 <= bytes.count else {
                throw .truncatedHeader(path: path, offset: offset, fileSize: bytes.count)
            }
            let size = Self.integer(bytes, offset + 4, byteCount: 4)
            let body = offset + 8
            let available = bytes.count - body
            if Self.matches(bytes, offset, "data") {
                guard size <= available else { throw .truncatedData(path: path, declared: size, available: available) }
                if data == nil { data = (body, size) }
            } else {
                guard size <= available else {
                    throw .truncatedChunk(
                        path: path, chunk: Self.fourCC(bytes, offset), offset: offset, declared: size,
                        available: available)
                }
                if format == nil && Self.matches(bytes, offset, "fmt ") { format = (body, size) }
            }
            // Odd-sized chunks are followed by a pad byte, which a file's last chunk may lack.
            offset = min(body + size + size % 2, bytes.count)
        }
        guard let format else { throw .missingFormatChunk(path: path) }
        guard let data else { throw .missingDataChunk(path: path) }

        let layout = try Self.layout(bytes, format: format, path: path)
        let channels = layout.channels
        let frames = data.size / (channels * layout.encoding.byteCount)
        let decoded = bytes.withUnsafeBytes { raw in
            let source = raw.baseAddress! + data.offset
            return Tensor(shape: [channels, frames]) { out in
                switch layout.encoding {
                case .pcm8: Self.deinterleave(UnsignedPCM8.self, source, channels: channels, into: out)
                case .pcm16: Self.deinterleave(PCM16.self, source, channels: channels, into: out)
                case .pcm24: Self.deinterleave(PCM24.self, source, channels: channels, into: out)
                case .pcm32: Self.deinterleave(PCM32.self, source, channels: channels, into: out)
                case .float32: Self.deinterleave(IEEEFloat32.self, source, channels: channels, into: out)
                case .float64: Self.deinterleave(IEEEFloat64.self, source, channels: channels, into: out)
                }
            }
        }
        self.init(sampleRate: layout.sampleRate, samples: decoded)
        if mixToMono { self = mixedToMono() }
    }

    /// The channels averaged into one, shape [1, frames] (`librosa.to_mono`); mono audio, and audio
    /// without channels, is returned as is.
    public func mixedToMono() -> WAVAudio {
        let channels = channelCount
        let frames = frameCount
        guard channels > 1 else { return self }
        let mono = samples.withUnsafeBufferPointer { source in
            Tensor(shape: [1, frames]) { out in
                for frame in 0..<frames { out[frame] = 0 }
                for channel in 0..<channels {
                    let row = channel * frames
                    for frame in 0..<frames { out[frame] += source[row + frame] }
                }
                let count = Float(channels)
                for frame in 0..<frames { out[frame] /= count }
            }
        }
        return WAVAudio(sampleRate: sampleRate, samples: mono)
    }

    /// Writes the audio to a WAV file at `path` in `format`, atomically: the bytes go to a temporary
    /// file in the same directory, which is synced and then renamed over `path`
    /// (`soundfile.write(path, samples.T, sampleRate, subtype="PCM_16" or "FLOAT")`).
    ///
    /// `.pcm16` clips samples to [-1, 1], scales by 32768 and rounds half to even, saturating at
    /// 32767, so that reading gives back every multiple of 1/32768 exactly; NaN becomes 0.
    /// `.float32` stores the values unchanged.
    public func write(to path: String, format: WAVSampleFormat = .pcm16) throws(WAVError) {
        let channels = channelCount
        let frames = frameCount
        guard (1...0xFFFF).contains(channels) else {
            throw .writeFailed(path: path, reason: "a WAV file holds 1 to 65535 channels, not \(channels)")
        }
        guard (1...Int(UInt32.max)).contains(sampleRate) else {
            throw .writeFailed(path: path, reason: "sample rate \(sampleRate) does not fit the 32-bit field")
        }
        let bytesPerSample = format == .pcm16 ? 2 : 4
        let blockAlign = channels * bytesPerSample
        let (dataSize, overflow) = frames.multipliedReportingOverflow(by: blockAlign)
        guard !overflow, dataSize <= Int(UInt32.max) - 64 else {
            throw .writeFailed(path: path, reason: "\(frames) frames are too many for a WAV file")
        }
        var header: [UInt8] = []
        let formatSize = format == .pcm16 ? 16 : 18
        let factSize = format == .pcm16 ? 0 : 12
        Self.append("RIFF", to: &header)
        Self.append(4 + (8 + formatSize) + factSize + 8 + dataSize, byteCount: 4, to: &header)
        Self.append("WAVE", to: &header)
        Self.append("fmt ", to: &header)
        Self.append(formatSize, byteCount: 4, to: &header)
        Self.append(format == .pcm16 ? 1 : 3, byteCount: 2, to: &header)
        Self.append(channels, byteCount: 2, to: &header)
        Self.append(sampleRate, byteCount: 4, to: &header)
        Self.append(sampleRate * blockAlign, byteCount: 4, to: &header)
        Self.append(blockAlign, byteCount: 2, to: &header)
        Self.append(8 * bytesPerSample, byteCount: 2, to: &header)
        if format == .float32 {
            // A non-PCM format chunk carries an extension size, and the file a "fact" chunk with the frame count.
            Self.append(0, byteCount: 2, to: &header)
            Self.append("fact", to: &header)
            Self.append(4, byteCount: 4, to: &header)
            Self.append(frames, byteCount: 4, to: &header)
        }
        Self.append("data", to: &header)
        Self.append(dataSize, byteCount: 4, to: &header)

        var payload = [UInt8](repeating: 0, count: dataSize)
        samples.withUnsafeBufferPointer { source in
            payload.withUnsafeMutableBytes { out in
                switch format {
                case .pcm16: Self.interleave(PCM16.self, source, channels: channels, into: out.baseAddress!)
                case .float32: Self.interleave(IEEEFloat32.self, source, channels: channels, into: out.baseAddress!)
                }
            }
        }
        do {
            try AtomicFile.write(to: path) { sink in sink.append(header) && sink.append(payload) }
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }
}

/// The sample encoding `WAVAudio.write(to:format:)` writes.
public enum WAVSampleFormat: Sendable, Equatable {
    /// 16-bit signed PCM, format tag 1 (`soundfile` subtype `"PCM_16"`).
    case pcm16
    /// 32-bit IEEE float, format tag 3 (`soundfile` subtype `"FLOAT"`).
    case float32
}

// MARK: Reading helpers

extension WAVAudio {
    /// A decodable sample encoding.
    private enum Encoding {
        case pcm8, pcm16, pcm24, pcm32, float32, float64

        var byteCount: Int {
            switch self {
            case .pcm8: 1
            case .pcm16: 2
            case .pcm24: 3
            case .pcm32, .float32: 4
            case .float64: 8
            }
        }
    }

    /// The last 14 bytes of the `KSDATAFORMAT_SUBTYPE_PCM` and `_IEEE_FLOAT` GUIDs, whose first two
    /// bytes are the format tag.
    private static let subFormatSuffix: [UInt8] = [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]

    /// Parses and checks the `"fmt "` chunk at `format`.
    private static func layout(
        _ bytes: [UInt8], format: (offset: Int, size: Int), path: String
    ) throws(WAVError) -> (channels: Int, sampleRate: Int, encoding: Encoding) {
        let start = format.offset
        guard format.size >= 16 else {
            throw .invalidFormatChunk(path: path, reason: "\(format.size) bytes, fewer than the 16 of a PCM format")
        }
        let tag = integer(bytes, start, byteCount: 2)
        let channels = integer(bytes, start + 2, byteCount: 2)
        let sampleRate = integer(bytes, start + 4, byteCount: 4)
        let blockAlign = integer(bytes, start + 12, byteCount: 2)
        let bits = integer(bytes, start + 14, byteCount: 2)
        var code = tag
        if tag == 0xFFFE {
            guard format.size >= 40, integer(bytes, start + 16, byteCount: 2) >= 22 else {
                let reason = "an extensible format needs 40 bytes with a 22-byte extension"
                throw .invalidFormatChunk(path: path, reason: reason)
            }
            code = integer(bytes, start + 24, byteCount: 2)
            guard bytes[(start + 26)..<(start + 40)].elementsEqual(subFormatSuffix) else {
                let guid = bytes[(start + 24)..<(start + 40)].map { hex(Int($0), digits: 2) }.joined()
                throw .unsupportedEncoding(path: path, encoding: "extensible sub-format GUID \(guid)")
            }
        }
        guard channels > 0 else { throw .zeroChannels(path: path) }
        guard sampleRate > 0 else { throw .invalidFormatChunk(path: path, reason: "sample rate 0") }
        let encoding: Encoding
        switch (code, bits) {
        case (1, 8): encoding = .pcm8
        case (1, 16): encoding = .pcm16
        case (1, 24): encoding = .pcm24
        case (1, 32): encoding = .pcm32
        case (3, 32): encoding = .float32
        case (3, 64): encoding = .float64
        case (1, _): throw .unsupportedEncoding(path: path, encoding: "\(bits)-bit PCM")
        case (3, _): throw .unsupportedEncoding(path: path, encoding: "\(bits)-bit IEEE float")
        default: throw .unsupportedEncoding(path: path, encoding: formatName(code))
        }
        guard blockAlign == channels * encoding.byteCount else {
            throw .inconsistentBlockAlign(
                path: path, blockAlign: blockAlign, channels: channels, bytesPerSample: encoding.byteCount)
        }
        return (channels, sampleRate, encoding)
    }

    /// A format tag's registered name and its value, such as `"MS ADPCM (format tag 0x0002)"`.
    private static func formatName(_ tag: Int) -> String {
        let names = [
            0x0002: "MS ADPCM", 0x0006: "A-law", 0x0007: "µ-law", 0x0011: "IMA ADPCM", 0x0031: "GSM 6.10",
            0x0050: "MPEG", 0x0055: "MPEG Layer 3", 0x2000: "AC-3",
        ]
        let value = "format tag 0x\(hex(tag, digits: 4))"
        return names[tag].map { "\($0) (\(value))" } ?? value
    }

    /// `value` in upper-case hexadecimal, zero-padded to `digits`.
    private static func hex(_ value: Int, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: Swift.max(digits - text.count, 0)) + text
    }

    /// Whether the four bytes at `offset` spell `code`.
    private static func matches(_ bytes: [UInt8], _ offset: Int, _ code: StaticString) -> Bool {
        code.withUTF8Buffer { bytes[offset..<(offset + 4)].elementsEqual($0) }
    }

    /// The four bytes at `offset` as text, with non-printing bytes as `\xNN`.
    private static func fourCC(_ bytes: [UInt8], _ offset: Int) -> String {
        var text = ""
        for byte in bytes[offset..<Swift.min(offset + 4, bytes.count)] {
            text += (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x\(hex(Int(byte), digits: 2))"
        }
        return text
    }

    /// The unsigned little-endian integer of `byteCount` bytes at `offset`.
    private static func integer(_ bytes: [UInt8], _ offset: Int, byteCount: Int) -> Int {
        var value = 0
        for i in (0..<byteCount).reversed() { value = value << 8 | Int(bytes[offset + i]) }
        return value
    }

    /// Decodes interleaved frames at `source` into `out`, planar of shape [channels, frames].
    private static func deinterleave<Codec: SampleCodec>(
        _ codec: Codec.Type, _ source: UnsafeRawPointer, channels: Int, into out: UnsafeMutableBufferPointer<Float>
    ) {
        let frames = out.count / channels
        var sample = source
        for frame in 0..<frames {
            for channel in 0..<channels {
                out[channel * frames + frame] = Codec.decode(sample)
                sample += Codec.byteCount
            }
        }
    }

    // MARK: Writing helpers

    /// Encodes planar `source` of shape [channels, frames] into interleaved frames at `out`.
    private static func interleave<Codec: SampleEncoding>(
        _ codec: Codec.Type, _ source: UnsafeBufferPointer<Float>, channels: Int, into out: UnsafeMutableRawPointer
    ) {
        let frames = source.count / channels
        var sample = out
        for frame in 0..<frames {
            for channel in 0..<channels {
                Codec.encode(source[channel * frames + frame], to: sample)
                sample += Codec.byteCount
            }
        }
    }

    /// Appends the four ASCII bytes of `code`.
    private static func append(_ code: StaticString, to bytes: inout [UInt8]) {
        code.withUTF8Buffer { bytes += $0 }
    }

    /// Appends `value` as an unsigned little-endian integer of `byteCount` bytes.
    private static func append(_ value: Int, byteCount: Int, to bytes: inout [UInt8]) {
        for i in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }
}

/// One sample encoding: its size and its conversion to a `Float` in [-1, 1].
private protocol SampleCodec {
    static var byteCount: Int { get }
    static func decode(_ sample: UnsafeRawPointer) -> Float
}

/// A sample encoding that `WAVAudio.write(to:format:)` writes.
private protocol SampleEncoding: SampleCodec {
    static func encode(_ value: Float, to sample: UnsafeMutableRawPointer)
}

/// 8-bit unsigned PCM, silence at 128.
private enum UnsignedPCM8: SampleCodec {
    static var byteCount: Int { 1 }
    static func decode(_ sample: UnsafeRawPointer) -> Float {
        (Float(sample.load(as: UInt8.self)) - 128) / 128
    }
}

/// 16-bit signed little-endian PCM.
private enum PCM16: SampleCodec {
    static var byteCount: Int { 2 }
    static func decode(_ sample: UnsafeRawPointer) -> Float {
        Float(Int16(littleEndian: sample.loadUnaligned(as: Int16.self))) / 32768
    }
}

/// 24-bit signed little-endian PCM.
private enum PCM24: SampleCodec {
    static var byteCount: Int { 3 }
    static func decode(_ sample: UnsafeRawPointer) -> Float {
        let low = Int32(sample.load(as: UInt8.self)) | Int32(sample.load(fromByteOffset: 1, as: UInt8.self)) << 8
        let value = low | Int32(sample.load(fromByteOffset: 2, as: Int8.self)) << 16
        return Float(value) / 8_388_608
    }
}

extension PCM16: SampleEncoding {
    /// Clips to [-1, 1], scales by 32768 and rounds to nearest even, saturating at 32767; NaN becomes 0.
    static func encode(_ value: Float, to sample: UnsafeMutableRawPointer) {
        let clipped = value.isNaN ? 0 : Swift.min(Swift.max(value, -1), 1)
        let integer = Int16(clamping: Int32((clipped * 32768).rounded(.toNearestOrEven)))
        sample.storeBytes(of: integer.littleEndian, as: Int16.self)
    }
}

/// 32-bit signed little-endian PCM.
private enum PCM32: SampleCodec {
    static var byteCount: Int { 4 }
    static func decode(_ sample: UnsafeRawPointer) -> Float {
        Float(Int32(littleEndian: sample.loadUnaligned(as: Int32.self))) / 2_147_483_648
    }
}

/// 32-bit little-endian IEEE float.
private enum IEEEFloat32: SampleCodec {
    static var byteCount: Int { 4 }
    static func decode(_ sample: UnsafeRawPointer) -> Float {
        Float(bitPattern: UInt32(littleEndian: sample.loadUnaligned(as: UInt32.self)))
    }
}

extension IEEEFloat32: SampleEncoding {
    static func encode(_ value: Float, to sample: UnsafeMutableRawPointer) {
        sample.storeBytes(of: value.bitPattern.littleEndian, as: UInt32.self)
    }
}

/// 64-bit little-endian IEEE float, narrowed to `Float`.
private enum IEEEFloat64: SampleCodec {
    static var byteCount: Int { 8 }
    static func decode(_ sample: UnsafeRawPointer) -> Float {
        Float(Double(bitPattern: UInt64(littleEndian: sample.loadUnaligned(as: UInt64.self))))
    }
}
