/// One of a BPE tokenizer's text files, read whole and checked to be UTF-8, with the line of
/// any byte for error messages.
package struct BPEFile {
    /// The path, as errors name it.
    package let path: String
    /// The file's bytes, valid UTF-8.
    package let bytes: [UInt8]

    /// Reads the file at `path`; throws `unreadable` or, naming the line, `invalidUTF8`.
    package init(path: String) throws(BPETokenizerError) {
        let bytes: [UInt8]
        do { bytes = try AtomicFile.read(path) } catch { throw .unreadable(path: path, reason: error.reason) }
        try self.init(path: path, bytes: bytes)
    }

    /// Wraps `bytes` as the contents of `path`; throws `invalidUTF8` naming the line.
    package init(path: String, bytes: [UInt8]) throws(BPETokenizerError) {
        if String(validating: bytes, as: UTF8.self) == nil {
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes.makeIterator()
            var offset = 0
            while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
            throw .invalidUTF8(path: path, line: Self.line(at: offset, in: bytes))
        }
        self.path = path
        self.bytes = bytes
    }

    /// The 1-based line of byte `offset`.
    package func line(at offset: Int) -> Int { Self.line(at: offset, in: bytes) }

    /// The 1-based column, in bytes, of byte `offset`.
    package func column(at offset: Int) -> Int {
        offset - (bytes[..<min(offset, bytes.count)].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
    }

    private static func line(at offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<min(offset, bytes.count)].count { $0 == UInt8(ascii: "\n") } + 1
    }
}
