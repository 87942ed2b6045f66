import BraidData
import BraidTensor
import Foundation
import Testing

/// Each test gets its own instance, so its own temporary directory, removed when the test ends.
@Suite final class SafeTensorsTests {
    let directory: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("SafeTensorsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        directory = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes a safetensors file from a header JSON string and raw data bytes; returns its path.
    func writeFile(header: String, data: [UInt8] = [], name: String = "model.safetensors") throws -> String {
        let json = Array(header.utf8)
        let length = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init)
        return try writeFile(bytes: length + json + data, name: name)
    }

    func writeFile(bytes: [UInt8], name: String = "model.safetensors") throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Checks that opening `path` throws `expected` and that its description names every string in `mentioning`.
    func expectOpenError(
        _ path: String, _ expected: SafeTensorsError, mentioning: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: SafeTensorsError.self, sourceLocation: sourceLocation) {
            try SafeTensors(contentsOf: path)
        }
        #expect(error == expected, sourceLocation: sourceLocation)
        for text in [path] + mentioning {
            #expect(error?.description.contains(text) == true, "\(error?.description ?? "") lacks \(text)",
                    sourceLocation: sourceLocation)
        }
    }

    /// The little-endian bytes of `values`.
    func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
    }

    // MARK: Round trip

    @Test func roundTripOfFloatAndIntTensorsWithMetadata() throws {
        let tensors = [
            "layer.weight": Tensor(shape: [2, 3], scalars: [1, -2.5, 3.25, 0, .pi, -1e-30]),
            "layer.bias": Tensor([0.5, -0.125, 7]),
            "scale": Tensor(Float(42)),
            "empty": Tensor(shape: [0, 4], scalars: []),
        ]
        let ids = IntTensor(shape: [2, 2], scalars: [-7, 0, 1 << 40, Int.max])
        let metadata = ["format": "pt", "note": "round trip"]
        let path = directory + "/model.safetensors"
        try SafeTensors.write(tensors, intTensors: ["ids": ids], metadata: metadata, to: path)

        let file = try SafeTensors(contentsOf: path)
        #expect(file.path == path)
        #expect(file.names == ["empty", "ids", "layer.bias", "layer.weight", "scale"])
        #expect(file.metadata == metadata)
        for (name, tensor) in tensors {
            #expect(try file.tensor(name) == tensor)
            #expect(try file.shape(of: name) == tensor.shape)
            #expect(try file.dtype(of: name) == .f32)
        }
        #expect(try file.intTensor("ids") == ids)
        #expect(try file.dtype(of: "ids") == .i64)
        #expect(try file.tensor("ids") == Tensor(shape: [2, 2], scalars: [-7, 0, Float(1 << 40), Float(Int.max)]))

        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = raw[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect((8 + headerLength) % 8 == 0)
        #expect(raw.count == 8 + headerLength + 4 * (6 + 3 + 1) + 8 * 4)
    }

    @Test func integralDoublesInTheHeaderAreAccepted() throws {
        let path = try writeFile(
            header: #"{"w": {"dtype": "U8", "shape": [2.0], "data_offsets": [0, 2.0]}}"#, data: [3, 4])
        #expect(try SafeTensors(contentsOf: path).intTensor("w") == IntTensor([3, 4]))
    }

    // MARK: Conversion from stored dtypes

    @Test func f16ConvertsToFloat() throws {
        let path = try writeFile(
            header: #"{"h": {"dtype": "F16", "shape": [2, 2], "data_offsets": [0, 8]}}"#,
            data: bytes([0x3C00, 0xC100, 0x3800, 0x7BFF] as [UInt16]))
        let file = try SafeTensors(contentsOf: path)
        #expect(try file.dtype(of: "h") == .f16)
        #expect(try file.tensor("h") == Tensor(shape: [2, 2], scalars: [1, -2.5, 0.5, 65504]))
    }

    @Test func bf16ConvertsToFloat() throws {
        let path = try writeFile(
            header: #"{"b": {"dtype": "BF16", "shape": [4], "data_offsets": [0, 8]}}"#,
            data: bytes([0x3F80, 0xC000, 0x4049, 0x3E20] as [UInt16]))
        #expect(try SafeTensors(contentsOf: path).tensor("b") == Tensor([1, -2, 3.140625, 0.15625]))
    }

    @Test func i32ConvertsToFloatAndInt() throws {
        let values: [Int32] = [-1, .max, 0, .min]
        let path = try writeFile(
            header: #"{"i": {"dtype": "I32", "shape": [4], "data_offsets": [0, 16]}}"#, data: bytes(values))
        let file = try SafeTensors(contentsOf: path)
        #expect(try file.intTensor("i") == IntTensor([-1, 2_147_483_647, 0, -2_147_483_648]))
        #expect(try file.tensor("i") == Tensor([-1, 2_147_483_648, 0, -2_147_483_648]))
    }

    @Test func i16ConvertsToFloatAndInt() throws {
        let values: [Int16] = [-32768, 1, 32767]
        let path = try writeFile(
            header: #"{"s": {"dtype": "I16", "shape": [3], "data_offsets": [0, 6]}}"#, data: bytes(values))
        let file = try SafeTensors(contentsOf: path)
        #expect(try file.intTensor("s") == IntTensor([-32768, 1, 32767]))
        #expect(try file.tensor("s") == Tensor([-32768, 1, 32767]))
    }

    @Test func u8ConvertsToFloatAndInt() throws {
        let path = try writeFile(
            header: #"{"u": {"dtype": "U8", "shape": [3, 1], "data_offsets": [0, 3]}}"#, data: [0, 200, 255])
        let file = try SafeTensors(contentsOf: path)
        #expect(try file.intTensor("u") == IntTensor(shape: [3, 1], scalars: [0, 200, 255]))
        #expect(try file.tensor("u") == Tensor(shape: [3, 1], scalars: [0, 200, 255]))
    }

    @Test func boolConvertsToZeroAndOne() throws {
        let path = try writeFile(
            header: #"{"m": {"dtype": "BOOL", "shape": [4], "data_offsets": [0, 4]}}"#, data: [1, 0, 1, 1])
        let file = try SafeTensors(contentsOf: path)
        #expect(try file.dtype(of: "m") == .bool)
        #expect(try file.intTensor("m") == IntTensor([1, 0, 1, 1]))
        #expect(try file.tensor("m") == Tensor([1, 0, 1, 1]))
    }

    @Test func tensorsAfterTheFirstReadFromTheirOffsets() throws {
        let header = #"{"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}, "#
            + #""b": {"dtype": "I16", "shape": [1], "data_offsets": [2, 4]}}"#
        let path = try writeFile(header: header, data: [9, 8] + bytes([-300] as [Int16]))
        let file = try SafeTensors(contentsOf: path)
        #expect(try file.intTensor("a") == IntTensor([9, 8]))
        #expect(try file.intTensor("b") == IntTensor([-300]))
    }

    // MARK: Reading errors

    @Test func intTensorOfAFloatTensorThrowsWrongKind() throws {
        let path = directory + "/f.safetensors"
        try SafeTensors.write(["w": Tensor([1, 2])], to: path)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensors(contentsOf: path).intTensor("w") }
        #expect(error == .wrongKind(path: path, key: "w", dtype: .f32))
    }

    @Test func absentNameThrowsMissingTensor() throws {
        let path = directory + "/f.safetensors"
        try SafeTensors.write(["w": Tensor([1, 2])], to: path)
        let file = try SafeTensors(contentsOf: path)
        let expected = SafeTensorsError.missingTensor(path: path, key: "nope")
        #expect(throws: expected) { try file.tensor("nope") }
        #expect(throws: expected) { try file.intTensor("nope") }
        #expect(throws: expected) { try file.shape(of: "nope") }
        #expect(throws: expected) { try file.dtype(of: "nope") }
        #expect(expected.description.contains(path) && expected.description.contains("'nope'"))
    }

    @Test func missingFileThrowsUnreadable() {
        let path = directory + "/absent.safetensors"
        expectOpenError(path, .unreadable(path: path, reason: "No such file or directory"))
    }

    @Test func fileShorterThanEightBytesThrowsTruncated() throws {
        let path = try writeFile(bytes: [1, 0, 0])
        expectOpenError(path, .truncated(path: path, size: 3), mentioning: ["3 bytes"])
    }

    @Test func headerLengthBeyondTheFileThrowsHeaderTooLong() throws {
        let path = try writeFile(bytes: bytes([100] as [UInt64]) + Array("{}".utf8))
        expectOpenError(path, .headerTooLong(path: path, headerLength: 100, fileSize: 10), mentioning: ["100"])
    }

    @Test func headerThatIsNotJSONThrowsInvalidHeader() throws {
        let path = try writeFile(header: #"{"w": {"dtype": "F32""#)
        expectOpenError(path, .invalidHeader(path: path, reason: "the header is not valid JSON"))
    }

    @Test func headerThatIsNotAnObjectThrowsInvalidHeader() throws {
        let path = try writeFile(header: "[1, 2]")
        expectOpenError(path, .invalidHeader(path: path, reason: "the header is not a JSON object"))
    }

    @Test func metadataThatIsNotStringsThrowsInvalidHeader() throws {
        let path = try writeFile(header: #"{"__metadata__": {"epoch": 3}}"#)
        expectOpenError(path, .invalidHeader(path: path, reason: "'__metadata__' is not an object of strings"))
    }

    @Test(arguments: ["dtype", "shape", "data_offsets"])
    func entryWithoutAFieldThrowsMissingField(field: String) throws {
        var entry: [String: Any] = ["dtype": "U8", "shape": [1], "data_offsets": [0, 1]]
        entry[field] = nil
        let header = String(decoding: try JSONSerialization.data(withJSONObject: ["w": entry]), as: UTF8.self)
        let path = try writeFile(header: header, data: [0])
        expectOpenError(path, .missingField(path: path, key: "w", field: field), mentioning: ["'w'", field])
    }

    @Test(arguments: [
        ("dtype", #"5"#, "a string"),
        ("shape", #""[1]""#, "an array of integers"),
        ("shape", #"[true]"#, "an array of integers"),
        ("shape", #"[1.5]"#, "an array of integers"),
        ("shape", #"[1e20]"#, "an array of integers"),
        ("data_offsets", #"[0, 1e300]"#, "an array of two integers"),
        ("data_offsets", #"[0, "1"]"#, "an array of two integers"),
        ("data_offsets", #"[0]"#, "an array of two integers"),
    ])
    func entryWithAWronglyTypedFieldThrowsInvalidField(field: String, value: String, expected: String) throws {
        let fields = ["dtype": #""U8""#, "shape": "[1]", "data_offsets": "[0, 1]"].merging([field: value]) { $1 }
        let header = #"{"w": {"# + fields.map { #""\#($0)": \#($1)"# }.joined(separator: ", ") + "}}"
        let path = try writeFile(header: header, data: [0])
        expectOpenError(
            path, .invalidField(path: path, key: "w", field: field, expected: expected), mentioning: ["'w'", field])
    }

    @Test func unknownDTypeThrows() throws {
        let path = try writeFile(
            header: #"{"w": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}"#, data: [0, 0, 0, 0, 0, 0, 0, 0])
        expectOpenError(path, .unknownDType(path: path, key: "w", dtype: "F64"), mentioning: ["'w'", "F64"])
    }

    @Test func negativeDimensionThrows() throws {
        let path = try writeFile(
            header: #"{"w": {"dtype": "U8", "shape": [2, -1], "data_offsets": [0, 2]}}"#, data: [0, 0])
        expectOpenError(path, .negativeDimension(path: path, key: "w", shape: [2, -1]), mentioning: ["'w'", "[2, -1]"])
    }

    @Test(arguments: [(0, 5), (3, 2), (-1, 0)])
    func offsetsOutsideTheDataThrowInvalidOffsets(begin: Int, end: Int) throws {
        let shape = max(end - begin, 0)
        let header = #"{"w": {"dtype": "U8", "shape": [\#(shape)], "data_offsets": [\#(begin), \#(end)]}}"#
        let path = try writeFile(header: header, data: [0, 0, 0, 0])
        expectOpenError(
            path, .invalidOffsets(path: path, key: "w", begin: begin, end: end, dataSize: 4),
            mentioning: ["'w'", "[\(begin), \(end)]"])
    }

    @Test func overlappingOffsetsThrowNamingBothTensors() throws {
        let header =
            #"{"a": {"dtype": "U8", "shape": [3], "data_offsets": [0, 3]}, "#
            + #""b": {"dtype": "U8", "shape": [2], "data_offsets": [4, 6]}, "#
            + #""c": {"dtype": "I16", "shape": [1], "data_offsets": [2, 4]}}"#
        let path = try writeFile(header: header, data: [UInt8](repeating: 0, count: 6))
        expectOpenError(path, .overlappingTensors(path: path, key: "a", other: "c"), mentioning: ["'a'", "'c'"])
    }

    @Test func shapeThatDisagreesWithTheOffsetsThrowsSizeMismatch() throws {
        let header = #"{"encoder.weight": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 40]}}"#
        let path = try writeFile(header: header, data: [UInt8](repeating: 0, count: 48))
        let expected = SafeTensorsError.sizeMismatch(
            path: path, key: "encoder.weight", shape: [3, 4], dtype: .f32, expected: 48, actual: 40)
        expectOpenError(path, expected)
        #expect(
            expected.description
                == "\(path): tensor 'encoder.weight': shape [3, 4] of F32 needs 48 bytes but data_offsets span 40")
    }

    /// A zero dimension makes the byte count 0, but the other dimensions' product still overflows
    /// the strides of any tensor of that shape.
    @Test func overflowHiddenBehindAZeroDimensionThrowsSizeMismatch() throws {
        let huge = 1 << 62
        let header = #"{"x": {"dtype": "F32", "shape": [0, \#(huge), \#(huge)], "data_offsets": [0, 0]}}"#
        let path = try writeFile(header: header)
        expectOpenError(
            path, .sizeMismatch(path: path, key: "x", shape: [0, huge, huge], dtype: .f32, expected: .max, actual: 0))
    }

    /// A file truncated after it was opened: a memory mapping would raise SIGBUS on the lost pages;
    /// reads come back short and throw.
    @Test(arguments: [DType.f32, .i64])
    func fileTruncatedAfterOpeningThrowsUnreadable(dtype: DType) throws {
        let path = directory + "/shrinking.safetensors"
        let values = (0..<4096).map { Float($0) }
        if dtype == .i64 {
            try SafeTensors.write([:], intTensors: ["x": IntTensor(shape: [4096], scalars: values.map { Int($0) })], to: path)
        } else {
            try SafeTensors.write(["x": Tensor(values)], to: path)
        }
        let file = try SafeTensors(contentsOf: path)
        #expect(truncate(path, 100) == 0)
        let error = #expect(throws: SafeTensorsError.self) {
            if dtype == .i64 { _ = try file.intTensor("x") } else { _ = try file.tensor("x") }
        }
        guard case .unreadable(let errorPath, let reason)? = error else {
            Issue.record("expected .unreadable, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(reason.contains("truncated"))
    }

    // MARK: Writing

    @Test func writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws {
        let path = try writeFile(bytes: Array("not a safetensors file".utf8), name: "out.safetensors")
        try SafeTensors.write(["x": Tensor([1, 2, 3])], intTensors: ["n": IntTensor([4])], to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.safetensors"])
        let file = try SafeTensors(contentsOf: path)
        #expect(file.names == ["n", "x"])
        #expect(try file.tensor("x") == Tensor([1, 2, 3]))
        #expect(file.metadata.isEmpty)
    }

    /// A save killed before its rename leaves `.<name>.tmp-…` behind (10 of 26 kills did); the
    /// next save of the same target removes those of processes that are gone.
    @Test func writeRemovesStaleTemporariesOfItsTarget() throws {
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let gone = finished.processIdentifier
        let stale = [".out.safetensors.tmp-9f3a1c", ".out.safetensors.tmp-\(gone)-77aa"]
        let kept = [".out.safetensors.tmp-\(getpid())-1234", ".out.safetensors.tmp-1-5678", ".other.safetensors.tmp-\(gone)-1"]
        for name in stale + kept { _ = try writeFile(bytes: [1, 2, 3], name: name) }
        try SafeTensors.write(["x": Tensor([1])], to: directory + "/out.safetensors")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(left == (kept + ["out.safetensors"]).sorted())
    }

    @Test func writeIntoAMissingDirectoryThrowsWriteFailed() throws {
        let path = directory + "/missing/out.safetensors"
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensors.write(["x": Tensor([1])], to: path) }
        guard case .writeFailed(let errorPath, _)? = error else {
            Issue.record("expected .writeFailed, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(error?.description.contains(path) == true)
        #expect(!FileManager.default.fileExists(atPath: directory + "/missing"))
    }

    @Test func nameGivenAsBothTensorAndIntTensorThrowsDuplicateTensor() throws {
        let path = directory + "/out.safetensors"
        #expect(throws: SafeTensorsError.duplicateTensor(path: path, key: "x")) {
            try SafeTensors.write(["x": Tensor([1])], intTensors: ["x": IntTensor([1])], to: path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
