import Braid
import ExampleSupport
import Foundation
import Testing

@Suite struct PNGTests {
    /// Python's PNG of the same 3×2 image, with zlib's own stored blocks and CRC-32:
    /// ```python
    /// rows = b"".join(b"\0" + rgb[r * 9:(r + 1) * 9] for r in range(2))
    /// chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", binascii.crc32(t + d))
    /// png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0))
    ///        + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))
    /// ```
    static let pythonBytes = """
        89504e470d0a1a0a0000000d49484452000000030000000208020000001216f14d0000001f494441547801011400ebff00ff000000\
        ff000000ff00ffff00804020000000429605dc5556dd6b0000000049454e44ae426082
        """

    @Test func aSmallImageIsByteForByteWhatPythonWrites() {
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0, 128, 64, 32, 0, 0, 0]
        let png = PNG.encode(rgb: rgb, width: 3, height: 2)
        #expect(png.map { String(format: "%02x", $0) }.joined() == Self.pythonBytes)
    }

    /// 160×160 rows of 481 bytes need two stored blocks (65,535 and 11,425 bytes). zlib cuts its
    /// stored blocks elsewhere, so the hash is of the file the snippet above builds with the
    /// encoder's 65,535-byte blocks instead of `zlib.compress` (its IDAT `zlib.decompress`es back to
    /// the rows), FNV-1a over all 77,033 bytes.
    @Test func aLargeImageSpansStoredBlocks() {
        let side = 160
        var rgb: [UInt8] = []
        for y in 0..<side {
            for x in 0..<side {
                for c in 0..<3 {
                    let value: Int = (x * 7 + y * 3 + c * 11) % 256
                    rgb.append(UInt8(value))
                }
            }
        }
        let png = PNG.encode(rgb: rgb, width: side, height: side)
        #expect(png.count == 77_033)
        let hash = png.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        #expect(hash == 0x5ce4_728f_2d2c_1e61)
        // The IDAT data: zlib header, then block headers at 2 and 2 + 5 + 65,535.
        let idat = 8 + 25 + 8
        #expect(Array(png[idat..<(idat + 7)]) == [0x78, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x00])
        let second = idat + 2 + 5 + 65_535
        #expect(Array(png[second..<(second + 5)]) == [0x01, 0xA1, 0x2C, 0x5E, 0xD3])
        #expect(Array(png.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test func tensorsAreClampedAndRounded() {
        let image = Tensor(shape: [3, 1, 2], scalars: [-0.5, 0.5, 1.5, 0.2, 1, .nan])
        let png = PNG.encode(image)
        let firstPixel = 49  // signature, IHDR, IDAT length and type, zlib header, block header, filter byte
        let pixels: [UInt8] = Array(png[firstPixel..<(firstPixel + 6)])
        #expect(pixels == [0, 255, 255, 128, 51, 0])
        let uri = PNG.dataURI(image)
        #expect(uri.hasPrefix("data:image/png;base64,"))
        #expect(Data(base64Encoded: String(uri.dropFirst(22))).map { Array($0) } == png)
    }
}
