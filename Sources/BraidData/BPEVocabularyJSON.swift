/// The reader of a BPE `vocab.json`: one JSON object of token → id, and nothing else.
///
/// A small parser of its own rather than `JSONDecoder`, for three reasons: a Swift
/// `[String: Int]` merges keys that are canonically equivalent ("é" and "e\u{301}"), which
/// are different tokens; `JSONDecoder` keeps one of two equal keys without a word; and its
/// errors name no line. Keys are read as the bytes their JSON string spells, escapes
/// (`\u0120`, surrogate pairs) decoded.
package enum BPEVocabularyJSON {
    /// One `"token": id` member.
    package struct Entry: Sendable, Equatable {
        /// The token's UTF-8 bytes.
        package var token: [UInt8]
        /// Its id, in 0...UInt32.max.
        package var id: Int
        /// The byte offset of the key's opening quote, for the line of an error.
        package var offset: Int
    }

    /// The members of `file` in the order written. Throws `invalidJSON` when the file is not a
    /// JSON object, `invalidTokenID` when a value is not an integer in 0...4294967295, and
    /// `duplicateToken` naming both lines when a key is given twice.
    package static func entries(of file: BPEFile) throws(BPETokenizerError) -> [Entry] {
        var reader = Reader(file: file)
        return try reader.object()
    }

    private struct Reader {
        let file: BPEFile
        var position = 0

        init(file: BPEFile) { self.file = file }

        var bytes: [UInt8] { file.bytes }

        mutating func object() throws(BPETokenizerError) -> [Entry] {
            skipWhitespace()
            try expect(UInt8(ascii: "{"), "'{' (vocab.json must be a JSON object of token to id)")
            var entries: [Entry] = []
            var seen: [[UInt8]: Int] = [:]
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                position += 1
            } else {
                while true {
                    skipWhitespace()
                    let offset = position
                    guard peek == UInt8(ascii: "\"") else { throw error(expected: "a token in double quotes") }
                    let token = try string()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"), "':' after the token")
                    skipWhitespace()
                    let id = try tokenID(token, keyOffset: offset)
                    if let first = seen.updateValue(offset, forKey: token) {
                        throw .duplicateToken(
                            path: file.path, token: String(decoding: token, as: UTF8.self),
                            firstLine: file.line(at: first), secondLine: file.line(at: offset))
                    }
                    entries.append(Entry(token: token, id: id, offset: offset))
                    skipWhitespace()
                    if peek == UInt8(ascii: ",") {
                        position += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"), "',' or '}' after an id")
                    break
                }
            }
            skipWhitespace()
            guard position == bytes.count else { throw error(expected: "the end of the file after the object") }
            return entries
        }

        /// The byte at `position`, or `nil` at the end.
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        mutating func expect(_ byte: UInt8, _ expected: String) throws(BPETokenizerError) {
            guard peek == byte else { throw error(expected: expected) }
            position += 1
        }

        /// `invalidJSON` at `at` (default `position`), showing the character found there.
        func error(expected: String, at: Int? = nil) -> BPETokenizerError {
            let offset = at ?? position
            var found = "the end of the file"
            if offset < bytes.count {
                var end = offset + 1
                while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
                let character = String(decoding: bytes[offset..<end], as: UTF8.self)
                found = character.unicodeScalars.first!.properties.generalCategory == .control
                    ? "U+\(String(character.unicodeScalars.first!.value, radix: 16, uppercase: true))"
                    : "'\(character)'"
            }
            return .invalidJSON(
                path: file.path, line: file.line(at: offset), column: file.column(at: offset), expected: expected, found: found)
        }

        /// The id after a key: a JSON integer in 0...UInt32.max, or `invalidTokenID` showing the value.
        mutating func tokenID(_ token: [UInt8], keyOffset: Int) throws(BPETokenizerError) -> Int {
            let start = position
            let file = file
            let invalid = { (value: String) in
                BPETokenizerError.invalidTokenID(
                    path: file.path, token: String(decoding: token, as: UTF8.self), line: file.line(at: keyOffset), value: value)
            }
            guard let first = peek else { throw error(expected: "an id") }
            switch first {
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (text, isInteger) = try number()
                guard isInteger, let id = Int(text), id <= Int(UInt32.max) else { throw invalid(text) }
                return id
            case UInt8(ascii: "\""):
                let value = String(decoding: try string(), as: UTF8.self)
                throw invalid(value.count > 40 ? "\"\(value.prefix(40))…\"" : "\"\(value)\"")
            case UInt8(ascii: "{"):
                throw invalid("an object")
            case UInt8(ascii: "["):
                throw invalid("an array")
            default:
                for literal in ["true", "false", "null"] where bytes[start...].starts(with: literal.utf8) {
                    throw invalid(literal)
                }
                throw error(expected: "an id")
            }
        }

        /// A JSON number's text, and whether it is an integer (no sign, fraction or exponent).
        mutating func number() throws(BPETokenizerError) -> (String, Bool) {
            let start = position
            var isInteger = true
            func digits() -> Int {
                let from = position
                while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
                return position - from
            }
            if peek == UInt8(ascii: "-") {
                position += 1
                isInteger = false
            }
            if peek == UInt8(ascii: "0") {
                position += 1
            } else if digits() == 0 {
                throw error(expected: "a digit")
            }
            if peek == UInt8(ascii: ".") {
                position += 1
                isInteger = false
                guard digits() > 0 else { throw error(expected: "a digit after '.'") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                position += 1
                isInteger = false
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { throw error(expected: "a digit in the exponent") }
            }
            return (String(decoding: bytes[start..<position], as: UTF8.self), isInteger)
        }

        /// The bytes of the JSON string at `position`, escapes decoded.
        mutating func string() throws(BPETokenizerError) -> [UInt8] {
            position += 1  // the opening quote
            var result: [UInt8] = []
            while true {
                guard let byte = peek else { throw error(expected: "'\"' closing the string") }
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return result
                case UInt8(ascii: "\\"):
                    position += 1
                    guard let escaped = peek else { throw error(expected: "an escape after '\\'") }
                    let simple: [UInt8: UInt8] = [
                        UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
                        UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
                    ]
                    if let value = simple[escaped] {
                        position += 1
                        result.append(value)
                    } else if escaped == UInt8(ascii: "u") {
                        try appendUnicodeEscape(to: &result)
                    } else {
                        throw error(expected: "one of \" \\ / b f n r t u after '\\'")
                    }
                case ..<0x20:
                    throw error(expected: "a control character to be escaped in a string")
                default:
                    result.append(byte)
                    position += 1
                }
            }
        }

        /// Decodes `\uXXXX` (with `position` at the `u`), a surrogate pair as one scalar.
        mutating func appendUnicodeEscape(to result: inout [UInt8]) throws(BPETokenizerError) {
            let escapeStart = position - 1
            var value = try hexQuad()
            if (0xD800..<0xDC00).contains(value) {
                guard bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                    throw error(expected: "a low surrogate '\\uDC00'...'\\uDFFF' after a high surrogate", at: escapeStart)
                }
                position += 1
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error(expected: "a low surrogate '\\uDC00'...'\\uDFFF' after a high surrogate", at: escapeStart)
                }
                value = 0x10000 + (value - 0xD800) << 10 + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(value) {
                throw error(expected: "a high surrogate before a low surrogate", at: escapeStart)
            }
            UTF8.encode(Unicode.Scalar(value)!) { result.append($0) }
        }

        /// The value of the four hex digits after the `u` at `position`.
        mutating func hexQuad() throws(BPETokenizerError) -> UInt32 {
            position += 1
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek, let digit = Int(String(UnicodeScalar(byte)), radix: 16) else {
                    throw error(expected: "four hex digits after '\\u'")
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }
    }
}
