/// Why a PNG or JPEG file could not be read. Every case names the file.
public enum ImageFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file starts with `found` (its first bytes in hex), the signature of neither PNG nor JPEG.
    case unknownFormat(path: String, found: String)
    /// The `format` ("PNG" or "JPEG") file is truncated or corrupt; `reason` is the decoder's message.
    case corrupt(path: String, format: String, reason: String)
    /// The image is `width` × `height` pixels: empty, or more than `limit` pixels, checked before
    /// anything is allocated for them.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// A valid `format` file of a kind that is not decoded (a CMYK JPEG); `reason` names it.
    case unsupported(path: String, format: String, reason: String)
    /// The pixels of a `width` × `height` image could not be allocated.
    case outOfMemory(path: String, width: Int, height: Int)

    /// One sentence naming the file and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read the file: \(reason)"
        case let .unknownFormat(path, found): "\(path): neither a PNG nor a JPEG file: it starts with \(found)"
        case let .corrupt(path, format, reason): "\(path): a truncated or corrupt \(format) file: \(reason)"
        case let .tooLarge(path, width, height, limit):
            "\(path): the image is \(width)×\(height) pixels; it must have between 1 and \(limit)"
        case let .unsupported(path, format, reason): "\(path): \(format): \(reason)"
        case let .outOfMemory(path, width, height): "\(path): cannot allocate the pixels of a \(width)×\(height) image"
        }
    }
}
