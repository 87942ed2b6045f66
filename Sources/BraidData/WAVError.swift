/// Why a WAV file could not be read or written. Every case names the file.
///
/// The `soundfile` (libsndfile) equivalent is `soundfile.LibsndfileError`.
public enum WAVError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The four bytes at the start of the RIFF header (`"RIFF"`) or of its form type (`"WAVE"`) are
    /// `found` instead of `expected`; `found` shows non-printing bytes as `\xNN`.
    case badMagic(path: String, expected: String, found: String)
    /// The `fileSize`-byte file ends inside the 12-byte RIFF header or the 8-byte chunk header at `offset`.
    case truncatedHeader(path: String, offset: Int, fileSize: Int)
    /// Chunk `chunk` at `offset` declares `declared` bytes but only `available` follow its header.
    case truncatedChunk(path: String, chunk: String, offset: Int, declared: Int, available: Int)
    /// The file has no `"fmt "` chunk.
    case missingFormatChunk(path: String)
    /// The file has no `"data"` chunk.
    case missingDataChunk(path: String)
    /// The `"data"` chunk declares `declared` bytes but the file ends after `available`.
    case truncatedData(path: String, declared: Int, available: Int)
    /// The `"fmt "` chunk is too short for its format or holds an impossible value.
    case invalidFormatChunk(path: String, reason: String)
    /// The samples use an encoding this reader does not decode, such as `"MS ADPCM (format tag 0x0002)"`
    /// or `"12-bit PCM"`.
    case unsupportedEncoding(path: String, encoding: String)
    /// The `"fmt "` chunk declares zero channels.
    case zeroChannels(path: String)
    /// The `"fmt "` chunk's block align is not `channels × bytesPerSample`.
    case inconsistentBlockAlign(path: String, blockAlign: Int, channels: Int, bytesPerSample: Int)
    /// Writing the file failed; `reason` says which step and the system's message.
    case writeFailed(path: String, reason: String)

    /// One sentence naming the file and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .badMagic(path, expected, found):
            "\(path): not a WAV file: expected '\(expected)' but found '\(found)'"
        case let .truncatedHeader(path, offset, fileSize):
            "\(path): the \(fileSize)-byte file ends inside the header at offset \(offset)"
        case let .truncatedChunk(path, chunk, offset, declared, available):
            "\(path): chunk '\(chunk)' at offset \(offset) declares \(declared) bytes but only \(available) follow"
        case let .missingFormatChunk(path):
            "\(path): the file has no 'fmt ' chunk"
        case let .missingDataChunk(path):
            "\(path): the file has no 'data' chunk"
        case let .truncatedData(path, declared, available):
            "\(path): the 'data' chunk declares \(declared) bytes but the file ends after \(available)"
        case let .invalidFormatChunk(path, reason):
            "\(path): invalid 'fmt ' chunk: \(reason)"
        case let .unsupportedEncoding(path, encoding):
            "\(path): unsupported sample encoding \(encoding); supported are 8, 16, 24 and 32-bit PCM "
                + "and 32 and 64-bit IEEE float"
        case let .zeroChannels(path):
            "\(path): the 'fmt ' chunk declares zero channels"
        case let .inconsistentBlockAlign(path, blockAlign, channels, bytesPerSample):
            "\(path): block align \(blockAlign) is not \(channels) channels × \(bytesPerSample) bytes per sample"
        case let .writeFailed(path, reason):
            "\(path): cannot write the file: \(reason)"
        }
    }
}
