import BraidData
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// PNG and JPEG decoding, orientation and PIL's resampler against Pillow 13
/// (`Tests/Fixtures/images/`, written by `Scripts/make-image-fixtures.py`).
@Suite struct BitmapTests {
    let expected: SafeTensors
    init() throws { expected = try Fixtures.open("images/expected.safetensors") }

    /// PIL's array `[height, width, channels]` as a bitmap.
    func pil(_ name: String) throws -> Bitmap {
        let values = try expected.intTensor(name)
        let channels = try #require(Bitmap.Channels(rawValue: values.shape[2]))
        return Bitmap(width: values.shape[1], height: values.shape[0], channels: channels, pixels: values.scalars.map { UInt8($0) })
    }

    static let pngs = [
        "grey.png", "grey-1bit.png", "grey-alpha.png", "rgb.png", "rgba.png", "palette.png", "palette-transparent.png",
        "rgb16.png", "rgb-interlaced.png",
    ]
    static let jpegs = ["rgb.jpg", "grey.jpg", "progressive.jpg"] + (1...8).map { "orientation-\($0).jpg" }

    /// Every PNG kind decodes to PIL's samples exactly, and to PIL's `convert("RGB")`.
    @Test(arguments: pngs) func pngsMatchPIL(_ name: String) throws {
        let image = try Bitmap.read(contentsOf: Fixtures.path("images/" + name))
        #expect(image == (try pil("decoded." + name)))
        #expect(image.convertedToRGB() == (try pil("rgb." + name)))
    }

    /// JPEGs decode as PIL's libjpeg-turbo decodes them (within one level: the libraries'
    /// versions differ), each EXIF orientation turned upright as `exif_transpose` turns it.
    @Test(arguments: jpegs) func jpegsMatchPIL(_ name: String) throws {
        let image = try Bitmap.read(contentsOf: Fixtures.path("images/" + name))
        let reference = try pil("decoded." + name)
        #expect(image.width == reference.width && image.height == reference.height && image.channels == reference.channels)
        let worst = zip(image.pixels, reference.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(worst <= 1, "\(name): samples differ from PIL's by up to \(worst)")
    }

    @Test func orientationCanBeLeftAsStored() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("images/orientation-6.jpg"))))
        let stored = try Bitmap.decodeJPEG(bytes, appliesOrientation: false)
        #expect(stored.width == 24 && stored.height == 40)
        #expect(stored.oriented(exif: 6) == (try Bitmap.decodeJPEG(bytes)))
        #expect(stored.oriented(exif: 6).oriented(exif: 8) == stored)
    }

    /// PIL's bicubic resize, shrinking (antialiased) and enlarging, sample for sample.
    @Test func bicubicResizeIsPILs() throws {
        let wide = try Bitmap.read(contentsOf: Fixtures.path("images/clip/wide.png"))
        #expect(wide.resized(width: 71, height: 45) == (try pil("resize.down")))
        let small = try Bitmap.read(contentsOf: Fixtures.path("images/clip/small.png"))
        #expect(small.resized(width: 130, height: 97) == (try pil("resize.up")))
        #expect(small.resized(width: small.width, height: small.height) == small)
    }

    @Test func tensorIsToTensor() {
        let image = Bitmap(width: 2, height: 1, channels: .rgb, pixels: [0, 51, 255, 102, 153, 204])
        #expect(image.tensor() == Tensor(shape: [3, 1, 2], scalars: [0, 0.4, 0.2, 0.6, 1, 0.8]))
        #expect(image.cropped(left: 1, top: 0, width: 1, height: 1).pixels == [102, 153, 204])
    }

    /// Truncated and corrupt files, a CMYK JPEG, a file of neither kind, a missing file and an
    /// image over the pixel limit each throw naming the file and the problem.
    @Test func badFilesAreTypedErrors() throws {
        func error(_ name: String, pixelLimit: Int = Bitmap.defaultPixelLimit) -> String {
            do {
                _ = try Bitmap.read(contentsOf: Fixtures.path("images/" + name), pixelLimit: pixelLimit)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(error("bad/truncated.png").contains("a truncated or corrupt PNG file"))
        #expect(error("bad/bad-crc.png").contains("a truncated or corrupt PNG file") && error("bad/bad-crc.png").contains("CRC"))
        #expect(error("bad/truncated.jpg").contains("a truncated or corrupt JPEG file"))
        #expect(error("bad/header-only.jpg").contains("a truncated or corrupt JPEG file"))
        #expect(error("bad/cmyk.jpg").contains("CMYK JPEGs are not decoded"))
        #expect(error("bad/text.png").contains("neither a PNG nor a JPEG file: it starts with 74 68 69 73"))
        #expect(error("bad/missing.png").contains("cannot read the file"))
        #expect(error("rgb.png", pixelLimit: 90) == "\(Fixtures.path("images/rgb.png")): the image is 13×7 pixels; it must have between 1 and 90")
        #expect(error("rgb.jpg", pixelLimit: 100).contains("the image is 40×24 pixels"))
        #expect(throws: ImageFileError.corrupt(path: "<memory>", format: "PNG", reason: "the file ends early")) {
            try Bitmap.decodePNG([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0])
        }
    }
}
