import BraidData
import BraidTensor
import Foundation
import Testing

/// Each test gets its own instance, so its own temporary directory, removed when the test ends.
@Suite final class IDXTests {
    let directory: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("IDXTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        directory = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// An IDX header: two zero bytes, the type code, the dimension count and big-endian 32-bit sizes.
    func header(type: UInt8, shape: [Int]) -> [UInt8] {
        let sizes = shape.flatMap { size in (0..<4).map { UInt8(truncatingIfNeeded: size >> (24 - 8 * $0)) } }
        return [0, 0, type, UInt8(shape.count)] + sizes
    }

    /// The big-endian bytes of `values`.
    func bigEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }
    }

    func writeFile(_ bytes: [UInt8], name: String = "data-idx-ubyte") throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Checks that reading `path` throws `expected` and that its description names every string in `mentioning`.
    func expectReadError(
        _ path: String, _ expected: IDXError, mentioning: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: IDXError.self, sourceLocation: sourceLocation) { try IDXFile(contentsOf: path) }
        #expect(error == expected, sourceLocation: sourceLocation)
        for text in [path] + mentioning {
            #expect(error?.description.contains(text) == true, "\(error?.description ?? "") lacks \(text)",
                    sourceLocation: sourceLocation)
        }
    }

    // MARK: Reading

    @Test func unsignedByteImagesReadAsFloatAndInt() throws {
        let pixels: [UInt8] = [0, 1, 2, 3, 128, 255, 7, 8, 9, 10, 11, 254]
        let path = try writeFile(header(type: 0x08, shape: [2, 2, 3]) + pixels, name: "images-idx3-ubyte")
        let file = try IDXFile(contentsOf: path)
        #expect(file.path == path)
        #expect(file.elementType == .uint8)
        #expect(file.shape == [2, 2, 3])
        #expect(file.tensor() == Tensor(shape: [2, 2, 3], scalars: pixels.map { Float($0) }))
        #expect(try file.intTensor() == IntTensor(shape: [2, 2, 3], scalars: pixels.map { Int($0) }))
    }

    @Test func unsignedByteLabelsReadAsIntTensor() throws {
        let path = try writeFile(header(type: 0x08, shape: [5]) + [7, 2, 1, 0, 9], name: "labels-idx1-ubyte")
        #expect(try IDXFile(contentsOf: path).intTensor() == IntTensor([7, 2, 1, 0, 9]))
    }

    @Test func signedBytesAreSigned() throws {
        let path = try writeFile(header(type: 0x09, shape: [3]) + [0xFF, 0x80, 0x7F])
        let file = try IDXFile(contentsOf: path)
        #expect(file.elementType == .int8)
        #expect(file.tensor() == Tensor([-1, -128, 127]))
        #expect(try file.intTensor() == IntTensor([-1, -128, 127]))
    }

    @Test func int16IsBigEndian() throws {
        let path = try writeFile(header(type: 0x0B, shape: [1, 3]) + bigEndian([-300, 32767, -32768] as [Int16]))
        let file = try IDXFile(contentsOf: path)
        #expect(file.tensor() == Tensor([[-300, 32767, -32768]]))
        #expect(try file.intTensor() == IntTensor(shape: [1, 3], scalars: [-300, 32767, -32768]))
    }

    @Test func int32IsBigEndian() throws {
        let path = try writeFile(header(type: 0x0C, shape: [3]) + bigEndian([-70000, 1 << 20, .min] as [Int32]))
        let file = try IDXFile(contentsOf: path)
        #expect(file.tensor() == Tensor([-70000, 1_048_576, -2_147_483_648]))
        #expect(try file.intTensor() == IntTensor([-70000, 1 << 20, Int(Int32.min)]))
    }

    @Test func float32IsBigEndian() throws {
        let values: [Float] = [1.5, -0.1, .infinity]
        let path = try writeFile(header(type: 0x0D, shape: [3, 1]) + bigEndian(values.map(\.bitPattern)))
        #expect(try IDXFile(contentsOf: path).tensor() == Tensor(shape: [3, 1], scalars: values))
    }

    @Test func float64IsNarrowedToFloat() throws {
        let values: [Double] = [0.1, -2.75, 1e300]
        let path = try writeFile(header(type: 0x0E, shape: [3]) + bigEndian(values.map(\.bitPattern)))
        #expect(try IDXFile(contentsOf: path).tensor() == Tensor([0.1, -2.75, .infinity]))
    }

    @Test func emptyDimensionReadsAsEmptyTensor() throws {
        let path = try writeFile(header(type: 0x08, shape: [0, 28, 28]))
        let file = try IDXFile(contentsOf: path)
        #expect(file.tensor() == Tensor(shape: [0, 28, 28], scalars: []))
    }

    @Test func bytesInMemoryNameTheGivenPath() throws {
        #expect(try IDXFile(bytes: header(type: 0x08, shape: [2]) + [3, 4]).intTensor() == IntTensor([3, 4]))
        #expect(throws: IDXError.noDimensions(path: "labels")) { try IDXFile(bytes: [0, 0, 8, 0], path: "labels") }
    }

    // MARK: Errors

    @Test(arguments: [IDXFile.ElementType.float32, .float64])
    func intTensorOfFloatsThrowsNotInteger(type: IDXFile.ElementType) throws {
        let path = try writeFile(header(type: type.rawValue, shape: [1]) + [UInt8](repeating: 0, count: type.byteCount))
        let error = #expect(throws: IDXError.self) { try IDXFile(contentsOf: path).intTensor() }
        #expect(error == .notInteger(path: path, elementType: type))
        #expect(error?.description.contains(path) == true)
    }

    @Test func missingFileThrowsUnreadable() {
        let path = directory + "/absent-idx1-ubyte"
        expectReadError(path, .unreadable(path: path, reason: "No such file or directory"))
    }

    @Test func nonZeroFirstBytesThrowBadMagic() throws {
        let path = try writeFile([0x00, 0x01, 0x08, 0x01, 0, 0, 0, 0])
        expectReadError(path, .badMagic(path: path, found: [0x00, 0x01]), mentioning: ["00 01"])
    }

    @Test func gzippedFileThrowsBadMagicSayingSo() throws {
        let path = try writeFile([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0], name: "train-labels-idx1-ubyte.gz")
        expectReadError(path, .badMagic(path: path, found: [0x1F, 0x8B]), mentioning: ["gzip"])
    }

    @Test func unknownTypeCodeThrows() throws {
        let path = try writeFile([0, 0, 0x0A, 1, 0, 0, 0, 1, 5])
        expectReadError(path, .unknownType(path: path, code: 0x0A), mentioning: ["0x0A"])
    }

    @Test func zeroDimensionsThrowsNoDimensions() throws {
        let path = try writeFile([0, 0, 0x08, 0])
        expectReadError(path, .noDimensions(path: path), mentioning: ["zero dimensions"])
    }

    @Test func fileShorterThanTheHeaderThrowsTruncatedHeader() throws {
        let short = try writeFile([0, 0, 0x08], name: "short")
        expectReadError(short, .truncatedHeader(path: short, fileSize: 3, needed: 4))
        let path = try writeFile([0, 0, 0x08, 2, 0, 0, 0, 3, 0, 0])
        expectReadError(path, .truncatedHeader(path: path, fileSize: 10, needed: 12), mentioning: ["12-byte"])
    }

    @Test func dataShorterThanTheShapeThrowsTruncatedData() throws {
        let path = try writeFile(header(type: 0x0B, shape: [2, 3]) + [UInt8](repeating: 1, count: 11))
        expectReadError(
            path, .truncatedData(path: path, shape: [2, 3], elementType: .int16, expected: 12, actual: 11),
            mentioning: ["[2, 3]", "12"])
    }

    @Test func overflowingShapeThrowsTruncatedData() throws {
        let huge = Int(UInt32.max)
        let path = try writeFile(header(type: 0x0E, shape: [huge, huge, huge]))
        let expected = IDXError.truncatedData(
            path: path, shape: [huge, huge, huge], elementType: .float64, expected: .max, actual: 0)
        expectReadError(path, expected, mentioning: ["more than Int.max"])
    }

    /// The overflowed product of the first three sizes used to be reset by the final 0, so the
    /// header passed and `tensor()` trapped computing strides.
    @Test func overflowHiddenBehindAZeroDimensionThrowsTruncatedData() throws {
        let huge = Int(UInt32.max)
        let path = try writeFile(header(type: 0x08, shape: [huge, huge, huge, 0]))
        let expected = IDXError.truncatedData(
            path: path, shape: [huge, huge, huge, 0], elementType: .uint8, expected: .max, actual: 0)
        expectReadError(path, expected, mentioning: ["more than Int.max"])
    }

    @Test func trailingBytesThrow() throws {
        let path = try writeFile(header(type: 0x08, shape: [2]) + [1, 2, 3])
        expectReadError(path, .trailingBytes(path: path, expected: 2, actual: 3), mentioning: ["1 more"])
    }
}
