import BraidTensor

/// An IDX file, the format of MNIST, Fashion-MNIST and EMNIST, read and checked whole.
///
/// The header is two zero bytes, an element-type byte, a dimension-count byte and one big-endian
/// 32-bit size per dimension; the elements follow in row-major order, big-endian, and must fill
/// the rest of the file exactly. Gzip-compressed files (`train-images-idx3-ubyte.gz`, as the
/// datasets are distributed) are not supported: decompress them first, or reading throws
/// `IDXError.badMagic`. The Python equivalent is `idx2numpy.convert_from_file(path)`.
public struct IDXFile: Sendable, Equatable {
    /// The element type named by the header's third byte.
    public enum ElementType: UInt8, Sendable, CaseIterable {
        /// 0x08: unsigned byte, the type of MNIST images and labels.
        case uint8 = 0x08
        /// 0x09: signed byte.
        case int8 = 0x09
        /// 0x0B: 16-bit signed integer.
        case int16 = 0x0B
        /// 0x0C: 32-bit signed integer.
        case int32 = 0x0C
        /// 0x0D: 32-bit IEEE float.
        case float32 = 0x0D
        /// 0x0E: 64-bit IEEE float.
        case float64 = 0x0E

        /// The size of one element in bytes.
        public var byteCount: Int {
            switch self {
            case .uint8, .int8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .float64: 8
            }
        }

        /// Whether the elements are integers, readable with `IDXFile.intTensor()`.
        public var isInteger: Bool {
            switch self {
            case .uint8, .int8, .int16, .int32: true
            case .float32, .float64: false
            }
        }
    }

    /// The path the file was read from.
    public let path: String
    /// The stored element type.
    public let elementType: ElementType
    /// The size of each dimension, outermost first: [60000, 28, 28] for MNIST training images,
    /// [60000] for its labels.
    public let shape: [Int]
    private let bytes: [UInt8]
    private let dataStart: Int

    /// Reads and checks the IDX file at `path`.
    public init(contentsOf path: String) throws(IDXError) {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Parses and checks the bytes of a whole IDX file; `path` only names the source in errors.
    public init(bytes: [UInt8], path: String = "<memory>") throws(IDXError) {
        if bytes.count >= 2 && (bytes[0] != 0 || bytes[1] != 0) {
            throw .badMagic(path: path, found: Array(bytes[0..<2]))
        }
        guard bytes.count >= 4 else { throw .truncatedHeader(path: path, fileSize: bytes.count, needed: 4) }
        guard let elementType = ElementType(rawValue: bytes[2]) else {
            throw .unknownType(path: path, code: bytes[2])
        }
        let rank = Int(bytes[3])
        guard rank > 0 else { throw .noDimensions(path: path) }
        let dataStart = 4 + 4 * rank
        guard bytes.count >= dataStart else {
            throw .truncatedHeader(path: path, fileSize: bytes.count, needed: dataStart)
        }
        let shape = (0..<rank).map { axis in
            bytes[(4 + 4 * axis)..<(8 + 4 * axis)].reduce(0) { $0 << 8 | Int($1) }
        }
        let expected = shape.checkedByteCount(elementSize: elementType.byteCount) ?? .max
        let actual = bytes.count - dataStart
        guard actual >= expected else {
            throw .truncatedData(path: path, shape: shape, elementType: elementType, expected: expected, actual: actual)
        }
        guard actual == expected else { throw .trailingBytes(path: path, expected: expected, actual: actual) }
        self.path = path
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
        self.dataStart = dataStart
    }

    /// The elements as `Float` values of the stored shape, unscaled: MNIST pixels stay in 0...255.
    /// 64-bit floats round to `Float`, and so do 32-bit integers beyond 2^24.
    public func tensor() -> Tensor {
        bytes.withUnsafeBytes { raw in
            let data = raw.baseAddress! + dataStart
            return Tensor(shape: shape) { out in
                switch elementType {
                case .float32:
                    for i in out.indices {
                        let bits = UInt32(bigEndian: data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                        out[i] = Float(bitPattern: bits)
                    }
                case .float64:
                    for i in out.indices {
                        let bits = UInt64(bigEndian: data.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                        out[i] = Float(Double(bitPattern: bits))
                    }
                case .uint8, .int8, .int16, .int32:
                    for i in out.indices { out[i] = Float(Self.integer(at: i, of: elementType, in: data)) }
                }
            }
        }
    }

    /// The elements of an integer file as `Int` values of the stored shape, such as MNIST's class
    /// labels; floating-point files throw `.notInteger`.
    public func intTensor() throws(IDXError) -> IntTensor {
        guard elementType.isInteger else { throw .notInteger(path: path, elementType: elementType) }
        let count = shape.elementCount
        let scalars = bytes.withUnsafeBytes { raw in
            let data = raw.baseAddress! + dataStart
            return [Int](unsafeUninitializedCapacity: count) { out, initialized in
                for i in 0..<count { out[i] = Self.integer(at: i, of: elementType, in: data) }
                initialized = count
            }
        }
        return IntTensor(shape: shape, scalars: scalars)
    }

    /// Element `i` of big-endian integer data at `data`.
    private static func integer(at i: Int, of elementType: ElementType, in data: UnsafeRawPointer) -> Int {
        switch elementType {
        case .uint8: Int(data.load(fromByteOffset: i, as: UInt8.self))
        case .int8: Int(data.load(fromByteOffset: i, as: Int8.self))
        case .int16: Int(Int16(bigEndian: data.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
        case .int32: Int(Int32(bigEndian: data.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
        case .float32, .float64: preconditionFailure("IDXFile: \(elementType) is not an integer type")
        }
    }
}
