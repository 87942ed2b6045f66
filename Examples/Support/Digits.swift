import BraidData
import BraidTensor
import Foundation

/// The UCI ML hand-written digits: 1,797 grey-scale 8×8 images of the digits 0–9, each pixel a
/// count 0...16, with their labels — the data of scikit-learn's `sklearn.datasets.load_digits()`,
/// in the same order.
///
/// `load()` reads the copy bundled with `ExampleSupport` as a resource, `digits/digits.bin`
/// (written by `Scripts/make-digits.py`): 1797 × 64 pixel bytes, then 1797 label bytes. Source:
/// E. Alpaydin and C. Kaynak, CC BY 4.0, https://archive.ics.uci.edu/dataset/80.
public struct DigitsDataset: Sendable {
    /// The number of images, 1,797.
    public static let sampleCount = 1797
    /// The side of each square image in pixels, 8.
    public static let imageSide = 8
    /// The largest pixel count, 16; `images` divides by it.
    public static let maximumPixelValue: UInt8 = 16
    /// The size of the binary file: 1797 × 64 pixel bytes and 1797 label bytes, 116,805.
    public static let fileSize = sampleCount * (imageSide * imageSide + 1)

    /// The images, shape [1797, 1, 8, 8] (samples, channels, rows, columns), each pixel's
    /// count 0...16 divided by 16 into [0, 1]. scikit-learn's `load_digits().images` is the same
    /// before scaling.
    public let images: Tensor
    /// The digit each image shows, 0...9, shape [1797].
    public let labels: IntTensor

    /// Reads the copy of the data set bundled with `ExampleSupport`, `digits/digits.bin` in its
    /// resource bundle.
    public static func load() throws(DigitsError) -> DigitsDataset {
        try load(contentsOf: Bundle.module.bundleURL.appendingPathComponent("digits/digits.bin").path)
    }

    /// Reads the binary file at `path` in the layout of the bundled `digits.bin`.
    public static func load(contentsOf path: String) throws(DigitsError) -> DigitsDataset {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
        return try DigitsDataset(bytes: bytes, path: path)
    }

    /// Parses and checks the bytes of a whole binary file; `path` only names the source in errors.
    public init(bytes: [UInt8], path: String = "<memory>") throws(DigitsError) {
        guard bytes.count == Self.fileSize else {
            throw .wrongSize(path: path, expected: Self.fileSize, actual: bytes.count)
        }
        let pixelCount = Self.sampleCount * Self.imageSide * Self.imageSide
        let scale = 1 / Float(Self.maximumPixelValue)
        var outOfRange: (offset: Int, value: UInt8, maximum: UInt8)?
        let images = bytes.withUnsafeBufferPointer { source in
            Tensor(shape: [Self.sampleCount, 1, Self.imageSide, Self.imageSide]) { out in
                var largest: UInt8 = 0
                for i in 0..<pixelCount {
                    largest = max(largest, source[i])
                    out[i] = Float(source[i]) * scale
                }
                if largest > Self.maximumPixelValue,
                   let offset = source[0..<pixelCount].firstIndex(where: { $0 > Self.maximumPixelValue }) {
                    outOfRange = (offset, source[offset], Self.maximumPixelValue)
                }
            }
        }
        if let (offset, value, maximum) = outOfRange {
            throw .valueOutOfRange(path: path, offset: offset, value: value, maximum: maximum)
        }
        var labels = [Int](repeating: 0, count: Self.sampleCount)
        for i in 0..<Self.sampleCount {
            let value = bytes[pixelCount + i]
            guard value <= 9 else { throw .valueOutOfRange(path: path, offset: pixelCount + i, value: value, maximum: 9) }
            labels[i] = Int(value)
        }
        self.images = images
        self.labels = IntTensor(labels)
    }
}
