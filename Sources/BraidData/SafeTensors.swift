import BraidTensor
import Foundation
import Glibc

#if !_endian(little) || !_pointerBitWidth(_64)
#error("SafeTensors maps little-endian data straight into Float and Int: it needs a 64-bit little-endian host")
#endif

/// A safetensors file opened for reading: the header is parsed and checked when the file is
/// opened, and the data is memory-mapped read-only and converted on each `tensor(_:)` call.
///
/// Copies share one mapping, which is unmapped when the last copy goes. The Hugging Face
/// equivalent is `safetensors.safe_open(path, framework="pt")`.
public struct SafeTensors: Sendable {
    /// A read-only mapping of a whole file, unmapped on deinit.
    private final class Mapping: @unchecked Sendable {
        let base: UnsafeRawPointer
        let size: Int

        init(path: String) throws(SafeTensorsError) {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .unreadable(path: path, reason: SafeTensors.systemError()) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: SafeTensors.systemError()) }
            guard info.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
            size = Int(info.st_size)
            guard size >= 8 else { throw .truncated(path: path, size: size) }
            let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
            guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
                throw .unreadable(path: path, reason: SafeTensors.systemError())
            }
            base = UnsafeRawPointer(address)
        }

        deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// One tensor's header entry; `begin` and `end` are byte offsets into the data buffer.
    private struct Entry: Sendable {
        let dtype: DType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    /// The path the file was opened from.
    public let path: String
    /// The header's `__metadata__` strings, empty when it has none (`safe_open(...).metadata()`).
    public let metadata: [String: String]
    private let mapping: Mapping
    private let dataStart: Int
    private let entries: [String: Entry]

    /// Opens the safetensors file at `path`, checking the whole header against the file size
    /// (`safetensors.safe_open(path, framework="pt")`).
    public init(contentsOf path: String) throws(SafeTensorsError) {
        let mapping = try Mapping(path: path)
        let headerLength = UInt64(littleEndian: mapping.base.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(mapping.size - 8) else {
            throw .headerTooLong(path: path, headerLength: headerLength, fileSize: mapping.size)
        }
        let header = Data(bytes: mapping.base + 8, count: Int(headerLength))
        guard let json = try? JSONSerialization.jsonObject(with: header) else {
            throw .invalidHeader(path: path, reason: "the header is not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw .invalidHeader(path: path, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let value = object["__metadata__"] {
            guard let strings = value as? [String: String] else {
                throw .invalidHeader(path: path, reason: "'__metadata__' is not an object of strings")
            }
            metadata = strings
        }
        let dataStart = 8 + Int(headerLength)
        var entries: [String: Entry] = [:]
        for key in object.keys.sorted() where key != "__metadata__" {
            entries[key] = try Self.entry(key, object[key]!, dataSize: mapping.size - dataStart, path: path)
        }
        let filled = entries.filter { $0.value.begin < $0.value.end }
            .sorted { ($0.value.begin, $0.key) < ($1.value.begin, $1.key) }
        // Sorted by start, the first range that overlaps any earlier one overlaps the one just before it.
        for (previous, next) in zip(filled, filled.dropFirst()) where next.value.begin < previous.value.end {
            throw .overlappingTensors(path: path, key: previous.key, other: next.key)
        }
        self.path = path
        self.metadata = metadata
        self.mapping = mapping
        self.dataStart = dataStart
        self.entries = entries
    }

    /// The tensor names in ascending order, without `__metadata__` (`safe_open(...).keys()`).
    public var names: [String] { entries.keys.sorted() }

    /// The stored element type of tensor `name` (`safe_open(...).get_slice(name).get_dtype()`).
    public func dtype(of name: String) throws(SafeTensorsError) -> DType {
        try entry(name).dtype
    }

    /// The shape of tensor `name` (`safe_open(...).get_slice(name).get_shape()`).
    public func shape(of name: String) throws(SafeTensorsError) -> [Int] {
        try entry(name).shape
    }

    /// Reads tensor `name` of any dtype as `Float` values of the stored shape: F16 and BF16
    /// widen exactly, integers and bools convert by value (`safe_open(...).get_tensor(name).float()`).
    public func tensor(_ name: String) throws(SafeTensorsError) -> Tensor {
        let entry = try entry(name)
        let bytes = mapping.base + dataStart + entry.begin
        return Tensor(shape: entry.shape) { out in
            switch entry.dtype {
            case .f32:
                UnsafeMutableRawBufferPointer(out)
                    .copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: entry.end - entry.begin))
            case .f16:
                for i in out.indices {
                    out[i] = Float(bytes.loadUnaligned(fromByteOffset: 2 * i, as: Float16.self))
                }
            case .bf16:
                for i in out.indices {
                    let high = UInt32(bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    out[i] = Float(bitPattern: high << 16)
                }
            case .i64, .i32, .i16, .u8, .bool:
                for i in out.indices { out[i] = Float(Self.integer(at: i, of: entry.dtype, in: bytes)) }
            }
        }
    }

    /// Every tensor by name, read as by ``tensor(_:)`` (`safetensors.torch.load_file(path)`).
    public func tensors() throws(SafeTensorsError) -> [String: Tensor] {
        var values: [String: Tensor] = [:]
        for name in names { values[name] = try tensor(name) }
        return values
    }

    /// Reads tensor `name` of an integer or bool dtype as `Int` values of the stored shape (bools
    /// as 0 and 1); float dtypes throw `.wrongKind` (`safe_open(...).get_tensor(name).long()`).
    public func intTensor(_ name: String) throws(SafeTensorsError) -> IntTensor {
        let entry = try entry(name)
        guard !entry.dtype.isFloatingPoint else { throw .wrongKind(path: path, key: name, dtype: entry.dtype) }
        let bytes = mapping.base + dataStart + entry.begin
        let count = entry.shape.elementCount
        let scalars = [Int](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count { out[i] = Self.integer(at: i, of: entry.dtype, in: bytes) }
            initialized = count
        }
        return IntTensor(shape: entry.shape, scalars: scalars)
    }

    private func entry(_ name: String) throws(SafeTensorsError) -> Entry {
        guard let entry = entries[name] else { throw .missingTensor(path: path, key: name) }
        return entry
    }

    /// Element `i` of integer or bool data at `bytes`.
    private static func integer(at i: Int, of dtype: DType, in bytes: UnsafeRawPointer) -> Int {
        switch dtype {
        case .i64: Int(bytes.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
        case .i32: Int(bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
        case .i16: Int(bytes.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))
        case .u8: Int(bytes.load(fromByteOffset: i, as: UInt8.self))
        case .bool: bytes.load(fromByteOffset: i, as: UInt8.self) == 0 ? 0 : 1
        case .f32, .f16, .bf16: preconditionFailure("SafeTensors: \(dtype.rawValue) is not an integer dtype")
        }
    }

    /// Parses and checks the header entry of tensor `key` against a data buffer of `dataSize` bytes.
    private static func entry(
        _ key: String, _ value: Any, dataSize: Int, path: String
    ) throws(SafeTensorsError) -> Entry {
        guard let fields = value as? [String: Any] else {
            throw .invalidHeader(path: path, reason: "tensor '\(key)': the entry is not a JSON object")
        }
        func field(_ name: String) throws(SafeTensorsError) -> Any {
            guard let value = fields[name] else { throw .missingField(path: path, key: key, field: name) }
            return value
        }
        guard let dtypeName = try field("dtype") as? String else {
            throw .invalidField(path: path, key: key, field: "dtype", expected: "a string")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw .unknownDType(path: path, key: key, dtype: dtypeName)
        }
        guard let shape = integers(try field("shape")) else {
            throw .invalidField(path: path, key: key, field: "shape", expected: "an array of integers")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeDimension(path: path, key: key, shape: shape) }
        guard let offsets = integers(try field("data_offsets")), offsets.count == 2 else {
            throw .invalidField(path: path, key: key, field: "data_offsets", expected: "an array of two integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard 0 <= begin, begin <= end, end <= dataSize else {
            throw .invalidOffsets(path: path, key: key, begin: begin, end: end, dataSize: dataSize)
        }
        var needed = dtype.byteCount
        for dimension in shape {
            let (product, overflow) = needed.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                needed = .max
                break
            }
            needed = product
        }
        guard needed == end - begin else {
            throw .sizeMismatch(path: path, key: key, shape: shape, dtype: dtype, expected: needed, actual: end - begin)
        }
        return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// `value` as `Int`s when it is a JSON array of integral numbers. JSON booleans also arrive
    /// as `NSNumber`, with the `char` type code "c", and are rejected.
    private static func integers(_ value: Any) -> [Int]? {
        guard let values = value as? [Any] else { return nil }
        var result: [Int] = []
        for value in values {
            guard let number = value as? NSNumber, !number.isJSONBoolean,
                let integer = value as? Int
            else { return nil }
            result.append(integer)
        }
        return result
    }

    /// The message for the current `errno`.
    static func systemError() -> String { String(cString: strerror(errno)) }
}
