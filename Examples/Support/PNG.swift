import Braid
import Foundation

/// A minimal PNG encoder for 8-bit RGB images, enough to embed images in SVG and HTML reports
/// without an image library: no compression (zlib "stored" blocks), no filtering.
///
/// The file is the 8-byte signature, then the chunks IHDR (width, height, bit depth 8, colour
/// type 2 = RGB, no interlace), one IDAT and IEND, each with its CRC-32 (ISO 3309, as
/// `zlib.crc32`). IDAT holds a zlib stream (header 0x78 0x01) of stored deflate blocks of up to
/// 65,535 bytes, ending with the Adler-32 of the data: each row is a filter-type byte 0 followed
/// by its red, green, blue bytes. For a small image this is byte for byte what Python's
/// `zlib.compress(data, 0)` makes of the same rows.
public enum PNG {
    /// The PNG file of a `width` × `height` image whose `rgb` bytes run row by row, three per pixel.
    public static func encode(rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        check(width > 0 && height > 0, "PNG: the image must be at least 1×1, got \(width)×\(height)")
        check(rgb.count == 3 * width * height,
              "PNG: \(rgb.count) bytes for a \(width)×\(height) RGB image, expected \(3 * width * height)")
        var rows: [UInt8] = []
        rows.reserveCapacity(height * (3 * width + 1))
        for row in 0..<height {
            rows.append(0)  // filter type: none
            rows += rgb[(row * 3 * width)..<((row + 1) * 3 * width)]
        }
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        appendChunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0], to: &file)
        appendChunk("IDAT", zlibStored(rows), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// The PNG file of an image `[3, H, W]` with values in 0…1 (clamped, then rounded to 0…255).
    public static func encode(_ image: Tensor) -> [UInt8] {
        check(image.rank == 3 && image.shape[0] == 3, "PNG: expected an image [3, H, W], got \(image.shape)")
        let (height, width) = (image.shape[1], image.shape[2])
        let plane = height * width
        let values = image.scalars
        var rgb = [UInt8](repeating: 0, count: 3 * plane)
        for p in 0..<plane {
            for channel in 0..<3 {
                let value = values[channel * plane + p]
                rgb[3 * p + channel] = UInt8((min(1, max(0, value.isNaN ? 0 : value)) * 255).rounded())
            }
        }
        return encode(rgb: rgb, width: width, height: height)
    }

    /// `data:image/png;base64,…` of ``encode(_:)``, for an SVG `<image>` or HTML `<img>`.
    public static func dataURI(_ image: Tensor) -> String {
        "data:image/png;base64," + Data(encode(image)).base64EncodedString()
    }

    /// Appends length, type, data and the CRC-32 of type and data.
    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typed = Array(type.utf8) + data
        file += bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    /// A zlib stream of `data` in stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]  // deflate, 32 KB window; no dictionary, level 0; (0x7801 % 31 == 0)
        var start = 0
        repeat {
            let end = min(data.count, start + 65_535)
            let length = UInt16(end - start)
            out.append(end == data.count ? 1 : 0)  // BFINAL on the last block, BTYPE 00 (stored)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        return out + bigEndian(adler32(data))
    }

    /// The CRC-32 table of the reflected polynomial 0xEDB88320.
    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of `bytes` (`zlib.crc32`).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// The Adler-32 of `bytes` (`zlib.adler32`).
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for chunk in stride(from: 0, to: bytes.count, by: 5552) {  // sums stay below 2³² for 5552 bytes
            for byte in bytes[chunk..<min(bytes.count, chunk + 5552)] {
                a += UInt32(byte)
                b += a
            }
            (a, b) = (a % 65_521, b % 65_521)
        }
        return b << 16 | a
    }

    /// The four bytes of `value`, most significant first.
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
