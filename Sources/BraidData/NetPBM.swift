import BraidTensor

/// Reading and writing greyscale PGM and colour PPM images (the Netpbm formats).
///
/// Reading accepts binary P5 (grey) and P6 (RGB) and their ASCII forms P2 and P3, with any maxval
/// from 1 to 65535 (binary samples above 255 take two big-endian bytes) and `#` comments in the
/// header. Images come back as a `Tensor` of shape [channels, height, width], 1 or 3 channels,
/// scaled to [0, 1] by dividing by maxval: the layout and scale of
/// `torchvision.transforms.functional.to_tensor(PIL.Image.open(path))`.
public enum NetPBM {
    /// Reads the first image of the PGM or PPM file at `path` as shape [channels, height, width] in [0, 1].
    public static func read(contentsOf path: String) throws(NetPBMError) -> Tensor {
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
        return try decode(bytes, path: path)
    }

    /// Decodes the first image in the bytes of a PGM or PPM file as shape [channels, height, width]
    /// in [0, 1]; `path` only names the source in errors. Bytes after the image are ignored.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(NetPBMError) -> Tensor {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), [2, 3, 5, 6].contains(bytes[1] &- UInt8(ascii: "0"))
        else {
            var found = ""
            for byte in bytes.prefix(2) {
                found += (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x\(hexDigits(byte))"
            }
            throw .badMagic(path: path, found: found)
        }
        let kind = bytes[1] - UInt8(ascii: "0")
        let channels = kind == 3 || kind == 6 ? 3 : 1
        let isASCII = kind == 2 || kind == 3
        var scanner = Scanner(bytes: bytes, offset: 2)
        let width = try scanner.headerField("width", path: path)
        guard width > 0 else { throw .malformedHeader(path: path, field: "width", reason: "is 0") }
        let height = try scanner.headerField("height", path: path)
        guard height > 0 else { throw .malformedHeader(path: path, field: "height", reason: "is 0") }
        let maxValue = try scanner.headerField("maxval", path: path)
        guard (1...0xFFFF).contains(maxValue) else { throw .invalidMaxValue(path: path, value: maxValue) }
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        let (count, overflow2) = area.multipliedReportingOverflow(by: channels)

        var samples: [UInt16]
        if isASCII {
            guard !overflow, !overflow2 else { throw .truncatedPixels(path: path, expected: .max, actual: 0) }
            // Each sample takes at least a digit and a separator: reserve no more than the file can hold.
            samples = []
            samples.reserveCapacity(Swift.min(count, (bytes.count - scanner.offset) / 2 + 1))
            for index in 0..<count {
                scanner.skipSeparators()
                guard let token = scanner.token() else {
                    throw .truncatedPixels(path: path, expected: count, actual: index)
                }
                guard let value = Scanner.number(token) else {
                    throw .invalidSample(path: path, index: index, found: String(decoding: token, as: UTF8.self))
                }
                guard value <= maxValue else {
                    throw .sampleAboveMaxValue(path: path, index: index, value: value, maxValue: maxValue)
                }
                samples.append(UInt16(value))
            }
        } else {
            scanner.skipRasterDelimiter()
            let bytesPerSample = maxValue > 0xFF ? 2 : 1
            let available = (bytes.count - scanner.offset) / bytesPerSample
            guard !overflow, !overflow2, count <= available else {
                throw .truncatedPixels(path: path, expected: overflow || overflow2 ? .max : count, actual: available)
            }
            samples = [UInt16](repeating: 0, count: count)
            var offset = scanner.offset
            for index in 0..<count {
                var value = Int(bytes[offset])
                if bytesPerSample == 2 { value = value << 8 | Int(bytes[offset + 1]) }
                guard value <= maxValue else {
                    throw .sampleAboveMaxValue(path: path, index: index, value: value, maxValue: maxValue)
                }
                samples[index] = UInt16(value)
                offset += bytesPerSample
            }
        }

        let scale = Float(maxValue)
        return samples.withUnsafeBufferPointer { source in
            Tensor(shape: [channels, height, width]) { out in
                var index = 0
                for pixel in 0..<area {
                    for channel in 0..<channels {
                        out[channel * area + pixel] = Float(source[index]) / scale
                        index += 1
                    }
                }
            }
        }
    }

    /// Writes `image` of shape [1, height, width] as a binary PGM (P5) or [3, height, width] as a
    /// binary PPM (P6), 8 bits per sample with maxval 255, atomically: the bytes go to a temporary
    /// file in the same directory, which is synced and then renamed over `path`.
    ///
    /// Values are clipped to [0, 1], scaled by 255 and rounded to nearest; NaN becomes 0.
    public static func write(_ image: Tensor, to path: String) throws(NetPBMError) {
        let shape = image.shape
        guard shape.count == 3, shape[0] == 1 || shape[0] == 3, shape[1] > 0, shape[2] > 0 else {
            throw .unsupportedShape(path: path, shape: shape)
        }
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let area = height * width
        let header = Array("P\(channels == 1 ? 5 : 6)\n\(width) \(height)\n255\n".utf8)
        var pixels = [UInt8](repeating: 0, count: image.count)
        image.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { out in
                var index = 0
                for pixel in 0..<area {
                    for channel in 0..<channels {
                        let value = source[channel * area + pixel]
                        let clipped = value.isNaN ? 0 : Swift.min(Swift.max(value, 0), 1)
                        out[index] = UInt8((clipped * 255).rounded())
                        index += 1
                    }
                }
            }
        }
        do {
            try AtomicFile.write(to: path) { sink in sink.append(header) && sink.append(pixels) }
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }

    /// Reads whitespace-separated decimal tokens and `#` comments from a header or an ASCII raster.
    private struct Scanner {
        let bytes: [UInt8]
        var offset: Int

        /// Whether `byte` is Netpbm whitespace: space, tab, line feed, vertical tab, form feed or carriage return.
        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || (0x09...0x0D).contains(byte)
        }

        /// Skips whitespace and comments, each from `#` to the end of its line.
        mutating func skipSeparators() {
            while offset < bytes.count {
                if bytes[offset] == UInt8(ascii: "#") {
                    while offset < bytes.count && bytes[offset] != 0x0A && bytes[offset] != 0x0D { offset += 1 }
                } else if Self.isWhitespace(bytes[offset]) {
                    offset += 1
                } else {
                    return
                }
            }
        }

        /// The bytes up to the next whitespace or `#`, or nil at the end of the file.
        mutating func token() -> ArraySlice<UInt8>? {
            let start = offset
            while offset < bytes.count && !Self.isWhitespace(bytes[offset]) && bytes[offset] != UInt8(ascii: "#") {
                offset += 1
            }
            return offset > start ? bytes[start..<offset] : nil
        }

        /// Skips the single whitespace byte that ends a binary header; a comment there runs up to
        /// and includes the line end.
        mutating func skipRasterDelimiter() {
            if offset < bytes.count && bytes[offset] == UInt8(ascii: "#") { skipSeparators() }
            if offset < bytes.count && Self.isWhitespace(bytes[offset]) { offset += 1 }
        }

        /// The next header number, after whitespace or comments, named `field` in errors.
        mutating func headerField(_ field: String, path: String) throws(NetPBMError) -> Int {
            let before = offset
            skipSeparators()
            if offset == before && before < bytes.count {
                throw .malformedHeader(path: path, field: field, reason: "is not preceded by whitespace")
            }
            guard let token = token() else {
                throw .malformedHeader(path: path, field: field, reason: "is missing: the header ends before it")
            }
            guard let value = Self.number(token) else {
                let text = String(decoding: token, as: UTF8.self)
                throw .malformedHeader(path: path, field: field, reason: "'\(text)' is not a decimal number")
            }
            return value
        }

        /// The value of a token of 1 to 18 decimal digits, or nil.
        static func number(_ token: ArraySlice<UInt8>) -> Int? {
            guard (1...18).contains(token.count) else { return nil }
            var value = 0
            for byte in token {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }
}
