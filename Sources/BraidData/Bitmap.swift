import BraidTensor
import CBraidImageCodecs

/// A decoded 8-bit image: `height` rows of `width` pixels, each of ``channels-swift.property``
/// interleaved samples, as `numpy.asarray(PIL.Image)` holds it (`[height, width, channels]`).
///
/// ``read(contentsOf:pixelLimit:)`` decodes PNG and JPEG files (told apart by their signature)
/// through libpng and libjpeg-turbo and turns a JPEG upright by its EXIF orientation, as
/// transformers' `load_image` does with `ImageOps.exif_transpose`; ``convertedToRGB()`` is PIL's
/// `convert("RGB")`, and ``tensor()`` torchvision's `to_tensor`.
///
/// ```swift
/// let image = try Bitmap.read(contentsOf: "cat.jpg").convertedToRGB()
/// let pixels = image.tensor()   // [3, height, width] in [0, 1]
/// ```
public struct Bitmap: Sendable, Equatable {
    /// What each pixel's samples are.
    public enum Channels: Int, Sendable {
        /// One grey level.
        case grey = 1
        /// Grey and alpha.
        case greyAlpha = 2
        /// Red, green, blue.
        case rgb = 3
        /// Red, green, blue, alpha.
        case rgba = 4
    }

    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The samples of each pixel.
    public let channels: Channels
    /// The samples, row by row, each pixel's channels together: `width × height × channels.rawValue` bytes.
    public var pixels: [UInt8]

    /// An image of `pixels`, which must hold `width × height × channels.rawValue` samples.
    public init(width: Int, height: Int, channels: Channels, pixels: [UInt8]) {
        check(width > 0 && height > 0, "Bitmap: the image must be at least 1×1, got \(width)×\(height)")
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        check(!overflow && pixels.count / channels.rawValue == area && pixels.count % channels.rawValue == 0,
              "Bitmap: \(pixels.count) samples for a \(width)×\(height) image of \(channels.rawValue) channels")
        (self.width, self.height, self.channels, self.pixels) = (width, height, channels, pixels)
    }

    /// The most pixels a decoded file may have by default: PIL's limit for a decompression bomb
    /// error, 2 × 89,478,485.
    public static let defaultPixelLimit = 178_956_970

    /// Reads the PNG or JPEG file at `path` (told apart by its first bytes), a JPEG turned
    /// upright by its EXIF orientation. See ``decodePNG(_:path:pixelLimit:)`` and
    /// ``decodeJPEG(_:path:pixelLimit:appliesOrientation:)``.
    public static func read(contentsOf path: String, pixelLimit: Int = defaultPixelLimit) throws(ImageFileError) -> Bitmap {
        let bytes: [UInt8]
        do { bytes = try AtomicFile.read(path) } catch { throw .unreadable(path: path, reason: error.reason) }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return try decodePNG(bytes, path: path, pixelLimit: pixelLimit)
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return try decodeJPEG(bytes, path: path, pixelLimit: pixelLimit) }
        throw .unknownFormat(path: path, found: bytes.prefix(8).map(hexDigits).joined(separator: " ") + (bytes.isEmpty ? "nothing" : ""))
    }

    /// Decodes a PNG file's bytes (`path` only names the source in errors): 8-bit grey, grey
    /// and alpha, RGB and RGBA, with palettes expanded to RGB (RGBA where they have
    /// transparency), grey of 1, 2 and 4 bits widened to 8 and 16-bit samples cut to their high
    /// byte, as PIL reads 16-bit colour; interlaced files too. No gamma correction is applied
    /// (PIL applies none). Throws `corrupt` for a truncated or damaged file and `tooLarge` for
    /// one of more than `pixelLimit` pixels.
    public static func decodePNG(
        _ bytes: [UInt8], path: String = "<memory>", pixelLimit: Int = defaultPixelLimit
    ) throws(ImageFileError) -> Bitmap {
        try decode(bytes, path: path, format: "PNG", pixelLimit: pixelLimit, braid_png_decode).image
    }

    /// Decodes a JPEG file's bytes (`path` only names the source in errors), baseline or
    /// progressive, to grey or RGB with PIL's decoder settings (islow IDCT, fancy upsampling).
    /// With `appliesOrientation`, the image is turned by its EXIF orientation (1–8) as
    /// `ImageOps.exif_transpose` turns it. Throws `corrupt` for a truncated or damaged file,
    /// `unsupported` for CMYK and YCCK files, `tooLarge` for more than `pixelLimit` pixels.
    public static func decodeJPEG(
        _ bytes: [UInt8], path: String = "<memory>", pixelLimit: Int = defaultPixelLimit, appliesOrientation: Bool = true
    ) throws(ImageFileError) -> Bitmap {
        let (image, orientation) = try decode(bytes, path: path, format: "JPEG", pixelLimit: pixelLimit, braid_jpeg_decode)
        return appliesOrientation ? image.oriented(exif: orientation) : image
    }

    /// Runs a C decoder over `bytes` and wraps what it gives.
    private static func decode(
        _ bytes: [UInt8], path: String, format: String, pixelLimit: Int,
        _ decoder: (UnsafePointer<UInt8>?, Int, Int, UnsafeMutablePointer<braid_image>?) -> Int32
    ) throws(ImageFileError) -> (image: Bitmap, orientation: Int) {
        var image = braid_image()
        let status = bytes.withUnsafeBufferPointer { decoder($0.baseAddress, $0.count, max(pixelLimit, 0), &image) }
        defer { braid_image_free(&image) }
        let (width, height) = (Int(image.width), Int(image.height))
        switch Int(status) {
        case Int(BRAID_IMAGE_OK): break
        case Int(BRAID_IMAGE_TOO_LARGE): throw .tooLarge(path: path, width: width, height: height, limit: pixelLimit)
        case Int(BRAID_IMAGE_UNSUPPORTED): throw .unsupported(path: path, format: format, reason: message(of: &image))
        case Int(BRAID_IMAGE_OUT_OF_MEMORY): throw .outOfMemory(path: path, width: width, height: height)
        default: throw .corrupt(path: path, format: format, reason: message(of: &image))
        }
        let channels = Channels(rawValue: Int(image.channels))!
        let pixels = [UInt8](UnsafeBufferPointer(start: image.pixels, count: width * height * channels.rawValue))
        return (Bitmap(width: width, height: height, channels: channels, pixels: pixels), Int(image.orientation))
    }

    /// The decoder's message.
    private static func message(of image: inout braid_image) -> String {
        withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The image as RGB, as PIL's `convert("RGB")` makes it: grey copied to all three channels,
    /// alpha dropped (not composited).
    public func convertedToRGB() -> Bitmap {
        guard channels != .rgb else { return self }
        let stride = channels.rawValue
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            for c in 0..<3 { rgb[3 * i + c] = pixels[stride * i + (stride >= 3 ? c : 0)] }
        }
        return Bitmap(width: width, height: height, channels: .rgb, pixels: rgb)
    }

    /// The image turned upright from EXIF orientation `orientation` (`ImageOps.exif_transpose`):
    /// 2 mirrored, 3 turned 180°, 4 flipped, 5 transposed, 6 turned 90° clockwise, 7 transversed,
    /// 8 turned 90° anticlockwise; any other value leaves it as it is.
    public func oriented(exif orientation: Int) -> Bitmap {
        guard (2...8).contains(orientation) else { return self }
        let swaps = orientation >= 5
        let (outWidth, outHeight) = swaps ? (height, width) : (width, height)
        let stride = channels.rawValue
        var out = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let (sx, sy): (Int, Int)
                switch orientation {
                case 2: (sx, sy) = (width - 1 - x, y)
                case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
                case 4: (sx, sy) = (x, height - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, height - 1 - x)
                case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
                default: (sx, sy) = (width - 1 - y, x)
                }
                let (from, to) = (stride * (sy * width + sx), stride * (y * outWidth + x))
                for c in 0..<stride { out[to + c] = pixels[from + c] }
            }
        }
        return Bitmap(width: outWidth, height: outHeight, channels: channels, pixels: out)
    }

    /// The samples as floats in [0, 1], `[channels, height, width]` (torchvision's `to_tensor`).
    public func tensor() -> Tensor {
        let (stride, area) = (channels.rawValue, width * height)
        var planes = [Float](repeating: 0, count: pixels.count)
        for i in 0..<area {
            for c in 0..<stride { planes[c * area + i] = Float(pixels[stride * i + c]) / 255 }
        }
        return Tensor(shape: [stride, height, width], scalars: planes)
    }
}
