/// Why the hand-written digits file could not be read. Every case names the file.
public enum DigitsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file has `actual` bytes instead of the `expected` 116,805 (1797 × 64 pixel bytes and
    /// 1797 label bytes).
    case wrongSize(path: String, expected: Int, actual: Int)
    /// The byte at `offset` is `value`, above `maximum` (16 for a pixel, 9 for a label).
    case valueOutOfRange(path: String, offset: Int, value: UInt8, maximum: UInt8)

    /// One sentence naming the file and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .wrongSize(path, expected, actual):
            "\(path): the file has \(actual) bytes, but the digits data set is \(expected) bytes "
                + "(1797 × 64 pixels, then 1797 labels)"
        case let .valueOutOfRange(path, offset, value, maximum):
            "\(path): byte \(offset) is \(value), above the largest \(maximum == 9 ? "label" : "pixel value") \(maximum)"
        }
    }
}
