/// Why an IDX file could not be read. Every case names the file.
public enum IDXError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The first two bytes are `found`, not the zeros an IDX file starts with. Gzip-compressed
    /// files (`1F 8B`) land here.
    case badMagic(path: String, found: [UInt8])
    /// The `fileSize`-byte file ends inside its header, which needs `needed` bytes.
    case truncatedHeader(path: String, fileSize: Int, needed: Int)
    /// The third byte, the element type, is `code`, which is not one of 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E.
    case unknownType(path: String, code: UInt8)
    /// The fourth byte declares zero dimensions.
    case noDimensions(path: String)
    /// The header declares `shape` of `elementType`, which needs `expected` data bytes, but `actual` follow.
    /// `expected` is `Int.max` when the size overflows.
    case truncatedData(path: String, shape: [Int], elementType: IDXFile.ElementType, expected: Int, actual: Int)
    /// The file has `actual` data bytes after the header, more than the `expected` that its shape needs.
    case trailingBytes(path: String, expected: Int, actual: Int)
    /// The file holds floating-point `elementType` but was read as an `IntTensor`.
    case notInteger(path: String, elementType: IDXFile.ElementType)

    /// One sentence naming the file and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .badMagic(path, found):
            found == [0x1F, 0x8B]
                ? "\(path): the file is gzip-compressed; decompress it (gunzip) before reading"
                : "\(path): not an IDX file: it starts with bytes "
                    + "\(found.map(hexDigits).joined(separator: " ")) instead of 00 00"
        case let .truncatedHeader(path, fileSize, needed):
            "\(path): the \(fileSize)-byte file ends inside its \(needed)-byte header"
        case let .unknownType(path, code):
            "\(path): unknown element type code 0x\(hexDigits(code))"
        case let .noDimensions(path):
            "\(path): the header declares zero dimensions"
        case let .truncatedData(path, shape, elementType, expected, actual):
            "\(path): shape \(shape) of \(elementType) needs \(expected == .max ? "more than Int.max" : "\(expected)") "
                + "data bytes but the file has \(actual)"
        case let .trailingBytes(path, expected, actual):
            "\(path): the file has \(actual) data bytes, \(actual - expected) more than the \(expected) its shape needs"
        case let .notInteger(path, elementType):
            "\(path): the elements are \(elementType), not integers; read them with tensor()"
        }
    }
}
