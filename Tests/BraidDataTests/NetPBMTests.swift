import BraidData
import BraidTensor
import Foundation
import Testing

/// Each test gets its own instance, so its own temporary directory, removed when the test ends.
@Suite final class NetPBMTests {
    let directory: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("NetPBMTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        directory = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func writeFile(_ bytes: [UInt8], name: String = "image.pnm") throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func writeFile(_ text: String, name: String = "image.pnm") throws -> String {
        try writeFile(Array(text.utf8), name: name)
    }

    /// Checks that reading `path` throws `expected` and that its description names every string in `mentioning`.
    func expectReadError(
        _ path: String, _ expected: NetPBMError, mentioning: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: NetPBMError.self, sourceLocation: sourceLocation) {
            try NetPBM.read(contentsOf: path)
        }
        #expect(error == expected, sourceLocation: sourceLocation)
        for text in [path] + mentioning {
            #expect(error?.description.contains(text) == true, "\(error?.description ?? "") lacks \(text)",
                    sourceLocation: sourceLocation)
        }
    }

    /// `values` divided by `maxValue`, as a tensor of `shape`.
    func scaled(_ values: [Int], by maxValue: Int, shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: values.map { Float($0) / Float(maxValue) })
    }

    // MARK: Reading

    @Test func binaryPGMWithCommentsInTheHeader() throws {
        let header = "P5\n# created by hand\n3 # width\n2\n#maxval next\n255\n"
        let path = try writeFile(Array(header.utf8) + [0, 51, 255, 10, 32, 13], name: "grey.pgm")
        #expect(try NetPBM.read(contentsOf: path) == scaled([0, 51, 255, 10, 32, 13], by: 255, shape: [1, 2, 3]))
    }

    @Test func binaryPPMIsPlanarRGB() throws {
        // Two pixels in one row; the samples include 10 and 13, which are whitespace in the header.
        let pixels: [UInt8] = [255, 10, 13, 0, 200, 100]
        let path = try writeFile(Array("P6 2 1 255\r".utf8) + pixels, name: "rgb.ppm")
        #expect(try NetPBM.read(contentsOf: path) == scaled([255, 0, 10, 200, 13, 100], by: 255, shape: [3, 1, 2]))
    }

    @Test func asciiPGMWithComments() throws {
        let path = try writeFile("P2\n# plain grey\n2 2\n15\n0 15 # end of row\n 7\t3\n", name: "plain.pgm")
        #expect(try NetPBM.read(contentsOf: path) == scaled([0, 15, 7, 3], by: 15, shape: [1, 2, 2]))
    }

    @Test func asciiPPM() throws {
        let path = try writeFile("P3 1 2 100\n100 0 50\n25 75 1\n", name: "plain.ppm")
        #expect(try NetPBM.read(contentsOf: path) == scaled([100, 25, 0, 75, 50, 1], by: 100, shape: [3, 2, 1]))
    }

    @Test func sixteenBitBinaryPGMIsBigEndian() throws {
        let path = try writeFile(Array("P5 3 1 65535\n".utf8) + [0xFF, 0xFF, 0x01, 0x00, 0x00, 0x02], name: "deep.pgm")
        #expect(try NetPBM.read(contentsOf: path) == scaled([65535, 256, 2], by: 65535, shape: [1, 1, 3]))
    }

    @Test func sixteenBitBinaryPPMWithMaxval1000() throws {
        let path = try writeFile(Array("P6 1 1 1000\n".utf8) + [0x03, 0xE8, 0x01, 0xF4, 0x00, 0x00], name: "deep.ppm")
        #expect(try NetPBM.read(contentsOf: path) == Tensor(shape: [3, 1, 1], scalars: [1, 0.5, 0]))
    }

    @Test func maxvalOfOneGivesBlackAndWhite() throws {
        let path = try writeFile(Array("P5 2 1 1\n".utf8) + [1, 0])
        #expect(try NetPBM.read(contentsOf: path) == Tensor(shape: [1, 1, 2], scalars: [1, 0]))
    }

    @Test func bytesAfterTheImageAreIgnored() throws {
        let bytes = Array("P5 1 1 255\n".utf8) + [51] + Array("P5 1 1 255\n".utf8) + [0]
        #expect(try NetPBM.decode(bytes) == Tensor(shape: [1, 1, 1], scalars: [0.2]))
    }

    // MARK: Writing

    @Test(arguments: [1, 3])
    func writeThenReadRoundTripsEightBitValues(channels: Int) throws {
        let values = (0..<(channels * 2 * 3)).map { ($0 * 37) % 256 }
        let image = scaled(values, by: 255, shape: [channels, 2, 3])
        let path = directory + (channels == 1 ? "/out.pgm" : "/out.ppm")
        try NetPBM.write(image, to: path)
        #expect(try NetPBM.read(contentsOf: path) == image)
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let header = channels == 1 ? "P5\n3 2\n255\n" : "P6\n3 2\n255\n"
        #expect(Array(raw.prefix(header.utf8.count)) == Array(header.utf8))
        #expect(raw.count == header.utf8.count + channels * 6)
        if channels == 3 {
            // The first pixel's red, green and blue come from the three planes.
            #expect(Array(raw[header.utf8.count..<(header.utf8.count + 3)]) == [0, 222, 188])
        }
    }

    @Test func writeClipsRoundsAndZeroesNaN() throws {
        let path = directory + "/clipped.pgm"
        try NetPBM.write(Tensor(shape: [1, 1, 5], scalars: [-1, 2, .nan, 0.5, 0.1]), to: path)
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(raw.suffix(5)) == [0, 255, 0, 128, 26])
    }

    @Test func writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws {
        let path = try writeFile("old", name: "out.pgm")
        let image = Tensor(shape: [1, 1, 1], scalars: [1])
        try NetPBM.write(image, to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.pgm"])
        #expect(try NetPBM.read(contentsOf: path) == image)
    }

    @Test(arguments: [[2, 2, 2], [4, 4], [3, 0, 2]])
    func writingAnotherShapeThrowsUnsupportedShape(shape: [Int]) {
        let path = directory + "/out.ppm"
        let image = Tensor(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
        let error = #expect(throws: NetPBMError.self) { try NetPBM.write(image, to: path) }
        #expect(error == .unsupportedShape(path: path, shape: shape))
        #expect(error?.description.contains(path) == true)
    }

    @Test func writeIntoAMissingDirectoryThrowsWriteFailed() {
        let path = directory + "/missing/out.pgm"
        let error = #expect(throws: NetPBMError.self) {
            try NetPBM.write(Tensor(shape: [1, 1, 1], scalars: [0]), to: path)
        }
        guard case .writeFailed(let errorPath, _)? = error else {
            Issue.record("expected .writeFailed, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(error?.description.contains(path) == true)
    }

    // MARK: Reading errors

    @Test func missingFileThrowsUnreadable() {
        let path = directory + "/absent.pgm"
        expectReadError(path, .unreadable(path: path, reason: "No such file or directory"))
    }

    @Test(arguments: [("P4 1 1\n", "P4"), ("GIF89a", "GI"), ("P", "P"), ("\u{1}P5", "\\x01P")])
    func wrongMagicThrowsBadMagic(contents: String, found: String) throws {
        let path = try writeFile(contents)
        expectReadError(path, .badMagic(path: path, found: found), mentioning: ["'\(found)'"])
    }

    @Test(arguments: [
        ("P5 12x 1 255\n", "width", "'12x' is not a decimal number"),
        ("P5 -1 1 255\n", "width", "'-1' is not a decimal number"),
        ("P5 2 # no height\n", "height", "is missing: the header ends before it"),
        ("P2 2 2", "maxval", "is missing: the header ends before it"),
        ("P3\n0 1 255\n", "width", "is 0"),
        ("P5 1 0 255\n", "height", "is 0"),
        ("P51 1 255\n", "width", "is not preceded by whitespace"),
        ("P6 1 1 25.5\n", "maxval", "'25.5' is not a decimal number"),
    ])
    func malformedHeaderThrows(contents: String, field: String, reason: String) throws {
        let path = try writeFile(contents)
        expectReadError(path, .malformedHeader(path: path, field: field, reason: reason), mentioning: [field, reason])
    }

    @Test(arguments: [0, 65536, 1_000_000])
    func maxvalOutsideTheRangeThrowsInvalidMaxValue(maxValue: Int) throws {
        let path = try writeFile("P5 1 1 \(maxValue)\n\0\0")
        expectReadError(path, .invalidMaxValue(path: path, value: maxValue), mentioning: ["\(maxValue)"])
    }

    @Test func shortBinaryRasterThrowsTruncatedPixels() throws {
        let path = try writeFile(Array("P6 2 2 255\n".utf8) + [UInt8](repeating: 9, count: 11))
        expectReadError(path, .truncatedPixels(path: path, expected: 12, actual: 11), mentioning: ["12 samples"])
    }

    @Test func oddByteOfASixteenBitRasterDoesNotCount() throws {
        let path = try writeFile(Array("P5 2 1 300\n".utf8) + [0, 1, 0])
        expectReadError(path, .truncatedPixels(path: path, expected: 2, actual: 1))
    }

    @Test func shortASCIIRasterThrowsTruncatedPixels() throws {
        let path = try writeFile("P2 2 2 9\n1 2 3 # the fourth is missing\n")
        expectReadError(path, .truncatedPixels(path: path, expected: 4, actual: 3), mentioning: ["holds 3"])
    }

    @Test func asciiSampleAboveMaxvalThrows() throws {
        let path = try writeFile("P3 1 1 100\n20 101 0\n")
        expectReadError(
            path, .sampleAboveMaxValue(path: path, index: 1, value: 101, maxValue: 100), mentioning: ["101", "100"])
    }

    @Test func binarySampleAboveMaxvalThrows() throws {
        let path = try writeFile(Array("P5 3 1 200\n".utf8) + [0, 200, 201])
        expectReadError(path, .sampleAboveMaxValue(path: path, index: 2, value: 201, maxValue: 200))
    }

    @Test func nonNumericASCIISampleThrowsInvalidSample() throws {
        let path = try writeFile("P2 2 1 255\n12 x3\n")
        expectReadError(path, .invalidSample(path: path, index: 1, found: "x3"), mentioning: ["'x3'"])
    }
}
