import BraidTensor
import Foundation
import Glibc

#if !_endian(little) || !_pointerBitWidth(_64)
#error("SafeTensors maps little-endian data straight into Float and Int: it needs a 64-bit little-endian host")
#endif

/// A safetensors file opened for reading: the header is parsed and checked when the file is
/// opened, and each `tensor(_:)` call reads that tensor's bytes and converts them.
///
/// The data is read with `pread` from a descriptor kept open, not memory-mapped: a mapping of a
/// file that another process truncates raises SIGBUS when the lost pages are touched, while a read
/// comes back short and becomes `SafeTensorsError.unreadable`. Every value is copied out into a
/// `Tensor` either way, so mapping saved no copy. Copies share one descriptor, which is closed
/// when the last copy goes. The Hugging Face equivalent is
/// `safetensors.safe_open(path, framework="pt")`.
public struct SafeTensors: Sendable {
    /// A regular file open for reading, closed on deinit.
    private final class OpenFile: @unchecked Sendable {
        let path: String
        let descriptor: Int32
        /// The size when the file was opened.
        let size: Int

        init(path: String) throws(SafeTensorsError) {
            self.path = path
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .unreadable(path: path, reason: SafeTensors.systemError()) }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                let reason = SafeTensors.systemError()
                close(descriptor)
                throw .unreadable(path: path, reason: reason)
            }
            guard info.st_mode & S_IFMT == S_IFREG else {
                close(descriptor)
                throw .unreadable(path: path, reason: "not a regular file")
            }
            size = Int(info.st_size)
        }

        deinit { close(descriptor) }

        /// Fills `buffer` with the bytes at `offset`; throws when the file ends first (it shrank
        /// since it was opened) or a read fails.
        func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(SafeTensorsError) {
            var done = 0
            while done < buffer.count {
                let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw .unreadable(path: path, reason: SafeTensors.systemError()) }
                guard count > 0 else {
                    throw .unreadable(
                        path: path,
                        reason: "the file ends at byte \(offset + done), inside data that reaches byte \(offset + buffer.count); "
                            + "it was \(size) bytes when opened and has been truncated since")
                }
                done += count
            }
        }

        /// Overwrites the elements of `array` with the bytes at `offset`.
        func fill<Element: BitwiseCopyable>(_ array: inout [Element], at offset: Int) throws(SafeTensorsError) {
            var failure: SafeTensorsError?
            array.withUnsafeMutableBytes { buffer in
                do throws(SafeTensorsError) { try read(at: offset, into: buffer) } catch { failure = error }
            }
            if let failure { throw failure }
        }

        /// The `count` bytes at `offset`.
        func bytes(at offset: Int, count: Int) throws(SafeTensorsError) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            try fill(&bytes, at: offset)
            return bytes
        }
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
    private let file: OpenFile
    private let dataStart: Int
    private let entries: [String: Entry]

    /// Opens the safetensors file at `path`, checking the whole header against the file size
    /// (`safetensors.safe_open(path, framework="pt")`).
    public init(contentsOf path: String) throws(SafeTensorsError) {
        let file = try OpenFile(path: path)
        guard file.size >= 8 else { throw .truncated(path: path, size: file.size) }
        let prefix = try file.bytes(at: 0, count: 8)
        let headerLength = prefix.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(file.size - 8) else {
            throw .headerTooLong(path: path, headerLength: headerLength, fileSize: file.size)
        }
        let header = Data(try file.bytes(at: 8, count: Int(headerLength)))
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: header) else {
            throw .invalidHeader(path: path, reason: "the header is not valid JSON")
        }
        guard case .object(let object) = json else {
            throw .invalidHeader(path: path, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let value = object["__metadata__"] {
            guard case .object(let fields) = value,
                case let strings = fields.compactMapValues({ if case .string(let text) = $0 { text } else { nil } }),
                strings.count == fields.count
            else {
                throw .invalidHeader(path: path, reason: "'__metadata__' is not an object of strings")
            }
            metadata = strings
        }
        let dataStart = 8 + Int(headerLength)
        var entries: [String: Entry] = [:]
        for key in object.keys.sorted() where key != "__metadata__" {
            entries[key] = try Self.entry(key, object[key]!, dataSize: file.size - dataStart, path: path)
        }
        let filled = entries.filter { $0.value.begin < $0.value.end }
            .sorted { ($0.value.begin, $0.key) < ($1.value.begin, $1.key) }
        // Sorted by start, the first range that overlaps any earlier one overlaps the one just before it.
        for (previous, next) in zip(filled, filled.dropFirst()) where next.value.begin < previous.value.end {
            throw .overlappingTensors(path: path, key: previous.key, other: next.key)
        }
        self.path = path
        self.metadata = metadata
        self.file = file
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
        let offset = dataStart + entry.begin
        if entry.dtype == .f32 {
            var scalars = [Float](repeating: 0, count: entry.shape.elementCount)
            try file.fill(&scalars, at: offset)
            return Tensor(shape: entry.shape, scalars: scalars)
        }
        let data = try file.bytes(at: offset, count: entry.end - entry.begin)
        return data.withUnsafeBytes { raw in
            let bytes = raw.baseAddress!
            return Tensor(shape: entry.shape) { out in
                switch entry.dtype {
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
                case .f32:
                    preconditionFailure("SafeTensors: F32 is read without conversion")
                }
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
        let data = try file.bytes(at: dataStart + entry.begin, count: entry.end - entry.begin)
        let count = entry.shape.elementCount
        let scalars = data.withUnsafeBytes { raw in
            [Int](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count { out[i] = Self.integer(at: i, of: entry.dtype, in: raw.baseAddress!) }
                initialized = count
            }
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
        _ key: String, _ value: JSONValue, dataSize: Int, path: String
    ) throws(SafeTensorsError) -> Entry {
        guard case .object(let fields) = value else {
            throw .invalidHeader(path: path, reason: "tensor '\(key)': the entry is not a JSON object")
        }
        func field(_ name: String) throws(SafeTensorsError) -> JSONValue {
            guard let value = fields[name] else { throw .missingField(path: path, key: key, field: name) }
            return value
        }
        guard case .string(let dtypeName) = try field("dtype") else {
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
        let needed = shape.checkedByteCount(elementSize: dtype.byteCount) ?? .max
        guard needed == end - begin else {
            throw .sizeMismatch(path: path, key: key, shape: shape, dtype: dtype, expected: needed, actual: end - begin)
        }
        return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// `value` as `Int`s when it is a JSON array of integral numbers that fit `Int`.
    private static func integers(_ value: JSONValue) -> [Int]? {
        guard case .array(let values) = value else { return nil }
        var result: [Int] = []
        for value in values {
            guard case .integer(let integer) = value else { return nil }
            result.append(integer)
        }
        return result
    }

    /// The message for the current `errno`.
    static func systemError() -> String { String(cString: strerror(errno)) }
}
