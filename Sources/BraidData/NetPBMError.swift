/// Why a PGM or PPM file could not be read or written. Every case names the file.
public enum NetPBMError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file starts with `found` instead of P2, P3, P5 or P6; `found` shows non-printing bytes as `\xNN`.
    case badMagic(path: String, found: String)
    /// The header's `field` (`"width"`, `"height"` or `"maxval"`) is missing or not a valid number;
    /// `reason` says which.
    case malformedHeader(path: String, field: String, reason: String)
    /// The header's maxval is `value`, outside 1...65535.
    case invalidMaxValue(path: String, value: Int)
    /// The image needs `expected` samples (width × height × channels) but the file holds only
    /// `actual`; `expected` is `Int.max` when the size overflows.
    case truncatedPixels(path: String, expected: Int, actual: Int)
    /// Sample `index` (row-major, channels interleaved, counting from 0) is `value`, above the maxval `maxValue`.
    case sampleAboveMaxValue(path: String, index: Int, value: Int, maxValue: Int)
    /// Sample `index` of an ASCII (P2, P3) file is `found`, not a decimal number.
    case invalidSample(path: String, index: Int, found: String)
    /// The image to write has `shape`, not [1, height, width] or [3, height, width].
    case unsupportedShape(path: String, shape: [Int])
    /// Writing the file failed; `reason` says which step and the system's message.
    case writeFailed(path: String, reason: String)

    /// One sentence naming the file and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .badMagic(path, found):
            "\(path): not a PGM or PPM file: it starts with '\(found)' instead of P2, P3, P5 or P6"
        case let .malformedHeader(path, field, reason):
            "\(path): malformed header: \(field) \(reason)"
        case let .invalidMaxValue(path, value):
            "\(path): maxval \(value) is outside 1...65535"
        case let .truncatedPixels(path, expected, actual):
            "\(path): the image needs \(expected == .max ? "more than Int.max" : "\(expected)") samples "
                + "but the file holds \(actual)"
        case let .sampleAboveMaxValue(path, index, value, maxValue):
            "\(path): sample \(index) is \(value), above maxval \(maxValue)"
        case let .invalidSample(path, index, found):
            "\(path): sample \(index) is '\(found)', not a decimal number"
        case let .unsupportedShape(path, shape):
            "\(path): cannot write shape \(shape) as PGM or PPM; it must be [1, height, width] or [3, height, width]"
        case let .writeFailed(path, reason):
            "\(path): cannot write the file: \(reason)"
        }
    }
}
