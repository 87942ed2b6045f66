import Foundation

/// CLIP's pre-tokenizer: lower-cases text and splits it into the words that its byte-level BPE
/// encodes one by one, as the `normalizers` and `pre_tokenizers` of transformers'
/// `CLIPTokenizer` do.
///
/// Normalisation: NFC, each run of white space to one U+0020, then lower case, character by
/// character ("ΟΔΟΣ" is "οδοσ", "İ" is "i̇"). Splitting: the matches, left to right, of
///
///     <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
///
/// with the white space between them dropped, each match then split again by GPT-2's pattern
/// (``GPT2PreTokenizer``), as `pre_tokenizers.ByteLevel` does after `Split`: "<|endoftext|>"
/// typed in capitals is lower-cased into a match, which GPT-2's pattern cuts into "<|",
/// "endoftext", "|>". Numbers are split digit by digit; letters, numbers and white space are
/// Oniguruma's, as in ``GPT2PreTokenizer``.
///
/// ```swift
/// CLIPPreTokenizer.split("A photo of 12 CATS!")   // ["a", "photo", "of", "1", "2", "cats", "!"]
/// ```
public enum CLIPPreTokenizer {
    /// The words of `text` after normalisation.
    public static func split(_ text: String) -> [String] {
        var words: [String] = []
        normalized(text).withUnsafeBufferPointer { buffer in
            forEachWord(of: buffer) { words.append(String(decoding: buffer[$0], as: UTF8.self)) }
        }
        return words
    }

    /// The UTF-8 of `text` normalised: NFC, white-space runs to one space, lower case.
    package static func normalized(_ text: String) -> [UInt8] {
        var collapsed = String.UnicodeScalarView()
        var inWhitespace = false
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            let isWhitespace = GPT2PreTokenizer.characterClass(of: scalar.value) == .whitespace
            if !isWhitespace { collapsed.append(scalar) } else if !inWhitespace { collapsed.append(" ") }
            inWhitespace = isWhitespace
        }
        return Array(String(collapsed).lowercased().utf8)
    }

    /// Calls `body` with the byte range of each word of the normalised, valid UTF-8 `text`, in order.
    package static func forEachWord(of text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        forEachMatch(of: text) { match in
            GPT2PreTokenizer.forEachPiece(of: UnsafeBufferPointer(rebasing: text[match])) { piece in
                body((match.lowerBound + piece.lowerBound)..<(match.lowerBound + piece.upperBound))
            }
        }
    }

    /// The two special tokens that CLIP's pattern matches whole.
    private static let specialMatches = [Array("<|startoftext|>".utf8), Array("<|endoftext|>".utf8)]

    /// Calls `body` with the byte range of each match of CLIP's pattern in `text`.
    private static func forEachMatch(of text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        GPT2PreTokenizer.basicPlaneClasses.withUnsafeBufferPointer { table in
            typealias Class = GPT2PreTokenizer.CharacterClass
            let count = text.count
            var start = 0
            while start < count {
                if text[start] == UInt8(ascii: "<"),
                   let special = specialMatches.first(where: { UnsafeBufferPointer(rebasing: text[start...]).starts(with: $0) }) {
                    body(start..<(start + special.count))
                    start += special.count
                    continue
                }
                if text[start] == UInt8(ascii: "'"), let length = GPT2PreTokenizer.contractionLength(text, after: start) {
                    body(start..<(start + length))
                    start += length
                    continue
                }
                let (runClass, runLength) = GPT2PreTokenizer.characterClass(text, at: start, table)
                var end = start + runLength
                switch runClass {
                case Class.whitespace.rawValue:
                    start = end
                    continue
                case Class.letter.rawValue, Class.other.rawValue:
                    while end < count {
                        let (nextClass, length) = GPT2PreTokenizer.characterClass(text, at: end, table)
                        guard nextClass == runClass else { break }
                        end += length
                    }
                default:
                    break  // a number is a match of its own
                }
                body(start..<end)
                start = end
            }
        }
    }
}
