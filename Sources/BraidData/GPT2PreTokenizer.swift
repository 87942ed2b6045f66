/// GPT-2's pre-tokenizer: splits text into the pieces that byte-level BPE encodes one by one,
/// as Hugging Face `tokenizers`' `pre_tokenizers.ByteLevel(add_prefix_space:, use_regex=True)`
/// does before it maps each piece's bytes to ``ByteLevelAlphabet`` characters.
///
/// The pieces are the matches, left to right, of GPT-2's pattern
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// matched here by hand, without a regex engine: an English contraction suffix (lower case
/// only: "I'D" is "I", "'", "D"), a run of letters, of digits or of other characters, each
/// with at most one U+0020 space before it, or a run of white space, which leaves its last
/// character to the next piece when a non-space follows ("a   b" is "a", "  ", " b"). Every
/// character is in exactly one piece, so the pieces joined are the text.
///
/// Letters (`\p{L}`), numbers (`\p{N}`) and white space (`\s`) are those of the Oniguruma regex
/// engine inside `tokenizers` (Unicode 16), read from a table that `Scripts/make-bpe-fixtures.py`
/// generates, not from Swift's Unicode properties, whose newer version knows more letters.
/// Combining marks are neither letters nor numbers: "e\u{301}" splits into "e" and "\u{301}".
///
/// ```swift
/// GPT2PreTokenizer().split("I'm here  now!")   // ["I", "'m", " here", " ", " now", "!"]
/// ```
public struct GPT2PreTokenizer: Sendable, Equatable {
    /// Whether a space is put before text that does not start with one, so that its first
    /// word is split as any other (`add_prefix_space`, RoBERTa's setting; GPT-2's is false).
    /// With special tokens, each stretch of text between them gets its own space.
    public var addPrefixSpace: Bool

    /// Creates the pre-tokenizer; `addPrefixSpace` defaults to GPT-2's false.
    public init(addPrefixSpace: Bool = false) {
        self.addPrefixSpace = addPrefixSpace
    }

    /// The pieces of `text`, with its leading space when `addPrefixSpace` adds one: the
    /// pieces of `ByteLevel(add_prefix_space=addPrefixSpace).pre_tokenize_str(text)` before
    /// their byte-level spelling.
    public func split(_ text: String) -> [String] {
        var bytes = Array(text.utf8)
        if addPrefixSpace && !bytes.isEmpty && bytes[0] != UInt8(ascii: " ") { bytes.insert(UInt8(ascii: " "), at: 0) }
        var pieces: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            Self.forEachPiece(of: buffer) { pieces.append(String(decoding: buffer[$0], as: UTF8.self)) }
        }
        return pieces
    }

    // MARK: Matching

    /// What the pattern tells characters apart by.
    package enum CharacterClass: UInt8 {
        case other = 0, letter = 1, number = 2, whitespace = 3
    }

    /// Calls `body` with the byte range of each piece of `text`, valid UTF-8, in order. No
    /// prefix space is added.
    package static func forEachPiece(of text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        basicPlaneClasses.withUnsafeBufferPointer { table in
            let whitespace = CharacterClass.whitespace.rawValue
            let count = text.count
            var start = 0
            while start < count {
                let first = text[start]
                if first == UInt8(ascii: "'"), let length = contractionLength(text, after: start) {
                    body(start..<(start + length))
                    start += length
                    continue
                }
                // At most one U+0020 may stand before a letter, number or other run.
                let runStart = first == UInt8(ascii: " ") && start + 1 < count ? start + 1 : start
                let (runClass, runLength) = characterClass(text, at: runStart, table)
                var end = runStart + runLength
                if runClass != whitespace {
                    while end < count {
                        let (nextClass, length) = characterClass(text, at: end, table)
                        guard nextClass == runClass else { break }
                        end += length
                    }
                } else {
                    // `\s+(?!\S)`: white space up to the end, or all but its last character when
                    // a non-space follows; `\s+` takes a single white-space character before one.
                    end = start
                    var last = start
                    while end < count {
                        let (nextClass, length) = characterClass(text, at: end, table)
                        guard nextClass == whitespace else { break }
                        last = end
                        end += length
                    }
                    if end < count && last > start { end = last }
                }
                body(start..<end)
                start = end
            }
        }
    }

    /// The length of the contraction suffix ('s, 't, 're, 've, 'm, 'll, 'd) at the apostrophe
    /// `apostrophe` of `text`, or `nil` when none starts there.
    package static func contractionLength(_ text: UnsafeBufferPointer<UInt8>, after apostrophe: Int) -> Int? {
        guard apostrophe + 1 < text.count else { return nil }
        switch text[apostrophe + 1] {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 2
        case let second where apostrophe + 2 < text.count:
            switch (second, text[apostrophe + 2]) {
            case (UInt8(ascii: "r"), UInt8(ascii: "e")), (UInt8(ascii: "v"), UInt8(ascii: "e")),
                (UInt8(ascii: "l"), UInt8(ascii: "l")):
                return 3
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// The class (its raw value) and UTF-8 length of the character at byte `index` of the
    /// valid UTF-8 `text`; `table` is `basicPlaneClasses`.
    @inline(__always)
    package static func characterClass(
        _ text: UnsafeBufferPointer<UInt8>, at index: Int, _ table: UnsafeBufferPointer<UInt8>
    ) -> (UInt8, Int) {
        let lead = text[index]
        if lead < 0x80 { return (table[Int(lead)], 1) }
        if lead < 0xE0 { return (table[Int(lead & 0x1F) << 6 | Int(text[index + 1] & 0x3F)], 2) }
        if lead < 0xF0 {
            let value = Int(lead & 0x0F) << 12 | Int(text[index + 1] & 0x3F) << 6 | Int(text[index + 2] & 0x3F)
            return (table[value], 3)
        }
        let value = UInt32(lead & 0x07) << 18 | UInt32(text[index + 1] & 0x3F) << 12
            | UInt32(text[index + 2] & 0x3F) << 6 | UInt32(text[index + 3] & 0x3F)
        return (characterClass(of: value).rawValue, 4)
    }

    /// The class of code point `value`.
    package static func characterClass(of value: UInt32) -> CharacterClass {
        if value < 0x10000 { return CharacterClass(rawValue: basicPlaneClasses[Int(value)])! }
        // The last run starting at or before `value`.
        var low = 0
        var high = classRunStarts.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if classRunStarts[middle] <= value { low = middle } else { high = middle }
        }
        return CharacterClass(rawValue: classRunValues[low])!
    }

    /// The class of each code point U+0000...U+FFFF, expanded from the runs once.
    package static let basicPlaneClasses: [UInt8] = {
        var classes = [UInt8](repeating: 0, count: 0x10000)
        for (run, start) in classRunStarts.enumerated() where start < 0x10000 {
            let end = run + 1 < classRunStarts.count ? min(classRunStarts[run + 1], 0x10000) : 0x10000
            for value in Int(start)..<Int(end) { classes[value] = classRunValues[run] }
        }
        return classes
    }()
}
