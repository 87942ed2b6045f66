/// Why a safetensors file could not be read or written. Every case names the file; cases about
/// one tensor also name its key.
///
/// The Hugging Face `safetensors` equivalent is `SafetensorError`.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or mapped; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file has `size` bytes, fewer than the 8 of the header-length prefix.
    case truncated(path: String, size: Int)
    /// The header-length prefix says `headerLength` bytes, more than follow it in a `fileSize`-byte file.
    case headerTooLong(path: String, headerLength: UInt64, fileSize: Int)
    /// The header is not a JSON object, or its `__metadata__` is not an object of strings.
    case invalidHeader(path: String, reason: String)
    /// The entry for tensor `key` has no `field` (`dtype`, `shape` or `data_offsets`).
    case missingField(path: String, key: String, field: String)
    /// The entry for tensor `key` has a `field` that is not `expected`.
    case invalidField(path: String, key: String, field: String, expected: String)
    /// The entry for tensor `key` has a dtype that is not a `DType`.
    case unknownDType(path: String, key: String, dtype: String)
    /// The entry for tensor `key` has a shape with a negative dimension.
    case negativeDimension(path: String, key: String, shape: [Int])
    /// The entry for tensor `key` has `data_offsets` that are not a range inside the `dataSize`-byte data buffer.
    case invalidOffsets(path: String, key: String, begin: Int, end: Int, dataSize: Int)
    /// The data of tensors `key` and `other` overlap.
    case overlappingTensors(path: String, key: String, other: String)
    /// The shape and dtype of tensor `key` need `expected` bytes but its `data_offsets` span `actual`.
    case sizeMismatch(path: String, key: String, shape: [Int], dtype: DType, expected: Int, actual: Int)
    /// The file has no tensor named `key`.
    case missingTensor(path: String, key: String)
    /// Tensor `key` has floating-point `dtype` but was read as an `IntTensor`.
    case wrongKind(path: String, key: String, dtype: DType)
    /// Tensor `key` was passed to `write` both as a `Tensor` and as an `IntTensor`.
    case duplicateTensor(path: String, key: String)
    /// Writing the file failed; `reason` says which step and the system's message.
    case writeFailed(path: String, reason: String)

    /// One sentence naming the file, the tensor where there is one, and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .truncated(path, size):
            "\(path): the file has \(size) bytes, too few for the 8-byte header length"
        case let .headerTooLong(path, headerLength, fileSize):
            "\(path): header length \(headerLength) runs past the end of the \(fileSize)-byte file"
        case let .invalidHeader(path, reason):
            "\(path): \(reason)"
        case let .missingField(path, key, field):
            "\(path): tensor '\(key)': missing field '\(field)'"
        case let .invalidField(path, key, field, expected):
            "\(path): tensor '\(key)': field '\(field)' must be \(expected)"
        case let .unknownDType(path, key, dtype):
            "\(path): tensor '\(key)': unknown or unsupported dtype '\(dtype)'"
        case let .negativeDimension(path, key, shape):
            "\(path): tensor '\(key)': shape \(shape) has a negative dimension"
        case let .invalidOffsets(path, key, begin, end, dataSize):
            "\(path): tensor '\(key)': data_offsets [\(begin), \(end)] are not a range inside the "
                + "\(dataSize)-byte data buffer"
        case let .overlappingTensors(path, key, other):
            "\(path): tensors '\(key)' and '\(other)' have overlapping data_offsets"
        case let .sizeMismatch(path, key, shape, dtype, expected, actual):
            "\(path): tensor '\(key)': shape \(shape) of \(dtype.rawValue) needs \(expected) bytes "
                + "but data_offsets span \(actual)"
        case let .missingTensor(path, key):
            "\(path): no tensor named '\(key)'"
        case let .wrongKind(path, key, dtype):
            "\(path): tensor '\(key)' has floating-point dtype \(dtype.rawValue); read it with tensor(_:)"
        case let .duplicateTensor(path, key):
            "\(path): tensor '\(key)' is given both as a Tensor and as an IntTensor"
        case let .writeFailed(path, reason):
            "\(path): cannot write the file: \(reason)"
        }
    }
}
