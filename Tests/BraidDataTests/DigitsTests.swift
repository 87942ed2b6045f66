import BraidData
import BraidTensor
import Foundation
import Testing

@Suite struct DigitsTests {
    /// The absolute path of the committed `Data/digits/digits.bin`.
    static let filePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/digits/digits.bin").path

    /// `sklearn.datasets.load_digits().data[0]`, a 0.
    static let firstRow: [Float] = [
        0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
        0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0,
    ]

    @Test func embeddedCopyHasTheShapesAndFirstImage() throws {
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

    @Test func fileMatchesEmbeddedCopy() throws {
        let file = try DigitsDataset.load(contentsOf: Self.filePath)
        let embedded = try DigitsDataset.load()
        #expect(file.images == embedded.images)
        #expect(file.labels == embedded.labels)
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
