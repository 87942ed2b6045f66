import BraidTensor
import ExampleSupport
import Foundation
import Testing

@Suite struct DigitsTests {
    /// `sklearn.datasets.load_digits().data[0]`, a 0.
    static let firstRow: [Float] = [
        0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
        0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0,
    ]

    /// `sklearn.datasets.load_digits().data[-1]`, an 8.
    static let lastRow: [Float] = [
        0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15, 8, 15, 0, 0, 0, 0, 5, 16, 16, 10, 0, 0,
        0, 0, 12, 15, 15, 12, 0, 0, 0, 4, 16, 6, 4, 16, 6, 0, 0, 8, 16, 10, 8, 16, 8, 0, 0, 1, 8, 12, 14, 12, 1, 0,
    ]

    @Test func bundledCopyHasTheShapesAndFirstImage() throws {
        let digits = try DigitsDataset.load()
        #expect(digits.images.shape == [1797, 1, 8, 8])
        #expect(digits.labels.shape == [1797])
        #expect(Array(digits.images.scalars[0..<64]) == Self.firstRow.map { $0 / 16 })
        #expect(Array(digits.labels.scalars[0..<12]) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
        #expect(digits.images.scalars.min() == 0 && digits.images.scalars.max() == 1)
    }

    @Test func labelHistogramMatchesScikitLearn() throws {
        let digits = try DigitsDataset.load()
        var histogram = [Int](repeating: 0, count: 10)
        for label in digits.labels.scalars { histogram[label] += 1 }
        // numpy.bincount(load_digits().target)
        #expect(histogram == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        #expect(histogram.allSatisfy { (174...183).contains($0) })
    }

    /// The pixel counts and labels are those of the base64 copy once compiled into BraidData
    /// (`DigitsData.swift`): its sums, last image and labels, and the FNV-1a hash of its 116,805
    /// bytes, computed from that copy before it was removed.
    @Test func bundledCopyHoldsTheFormerlyEmbeddedBytes() throws {
        let digits = try DigitsDataset.load()
        let pixels = digits.images.scalars.map { UInt8(exactly: $0 * 16)! }
        let labels = digits.labels.scalars.map { UInt8($0) }
        #expect(pixels.reduce(0) { $0 + Int($1) } == 561_718)
        #expect(labels.reduce(0) { $0 + Int($1) } == 8070)
        #expect(Array(digits.images.scalars[(1796 * 64)...]) == Self.lastRow.map { $0 / 16 })
        #expect(Array(labels.suffix(12)) == [7, 9, 5, 4, 8, 8, 4, 9, 0, 8, 9, 8])
        let hash = (pixels + labels).reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        #expect(hash == 0x9975_5255_092d_82a1)
    }

    @Test func wrongSizeNamesFileAndExpectedSize() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0, count: 1000).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: DigitsError.self) { try DigitsDataset.load(contentsOf: path) }
        #expect(error == .wrongSize(path: path, expected: 116_805, actual: 1000))
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("116805") == true)
    }

    @Test func missingFileIsUnreadable() {
        let error = #expect(throws: DigitsError.self) { try DigitsDataset.load(contentsOf: "/nonexistent/digits.bin") }
        guard case .unreadable(let path, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == "/nonexistent/digits.bin")
    }

    @Test func outOfRangeValuesAreRejected() throws {
        var bytes = [UInt8](repeating: 0, count: DigitsDataset.fileSize)
        bytes[70] = 17
        #expect(throws: DigitsError.valueOutOfRange(path: "<memory>", offset: 70, value: 17, maximum: 16)) {
            try DigitsDataset(bytes: bytes)
        }
        bytes[70] = 16
        bytes[1797 * 64 + 5] = 10
        #expect(throws: DigitsError.valueOutOfRange(path: "<memory>", offset: 1797 * 64 + 5, value: 10, maximum: 9)) {
            try DigitsDataset(bytes: bytes)
        }
    }
}
