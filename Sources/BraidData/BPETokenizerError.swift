/// Why a byte-level BPE tokenizer's files could not be loaded, or why ids could not be decoded.
/// Every file case names the file, the line (1-based) where there is one, the value found and
/// what was expected.
///
/// The Hugging Face `tokenizers` equivalent is the `Exception` that `models.BPE.from_file` or
/// `Tokenizer.from_file` raises; Braid is stricter where `tokenizers` silently drops or
/// overwrites data (see the cases).
public enum BPETokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file is missing or could not be read; `reason` says why.
    case unreadable(path: String, reason: String)
    /// The file is not UTF-8 text: `line` holds the first ill-formed byte.
    case invalidUTF8(path: String, line: Int)
    /// The file is not the JSON expected: at `line` and `column` (1-based, the column counted
    /// in bytes), `expected` was expected and `found` was there.
    case invalidJSON(path: String, line: Int, column: Int, expected: String, found: String)
    /// The id of `token` in `vocab.json`, on `line`, is `value`, not an integer in
    /// 0...4294967295 (the ids of `tokenizers` are `UInt32`; it drops entries whose value is not
    /// a number and truncates larger ones).
    case invalidTokenID(path: String, token: String, line: Int, value: String)
    /// `token` is a key of `vocab.json` on both `firstLine` and `secondLine` (`tokenizers`
    /// keeps the second). Tokens are compared byte by byte, so "é" and "e\u{301}" differ.
    case duplicateToken(path: String, token: String, firstLine: Int, secondLine: Int)
    /// `firstToken` and `secondToken` of `vocab.json` both have id `id` (`tokenizers` accepts
    /// this and decodes the id as either).
    case duplicateTokenID(path: String, id: Int, firstToken: String, secondToken: String)
    /// The vocabulary holds more tokens than Braid indexes (2³¹ − 1).
    case tooManyTokens(path: String, count: Int)
    /// `line` of the merges file, `text`, is not two tokens separated by one space.
    case invalidMerge(path: String, line: Int, text: String)
    /// The merge on `line` of the merges file, `merge`, needs `token` in the vocabulary, and
    /// it is not there: one of its two parts, or their concatenation.
    case mergeTokenNotInVocabulary(path: String, line: Int, merge: String, token: String)
    /// The special token `token` is not in the vocabulary file at `path`.
    case missingSpecialToken(path: String, token: String)
    /// The configuration file (`special_tokens_map.json`, `tokenizer_config.json`) is not
    /// valid JSON, or not a JSON object; `reason` says which.
    case invalidConfiguration(path: String, reason: String)
    /// The configuration file's value for `key` is not `expected`.
    case wrongConfigType(path: String, key: String, expected: String)
    /// `id` is not the id of any token; the vocabulary has `vocabularySize` tokens, with ids
    /// from 0 to `largestID`.
    case unknownTokenID(id: Int, vocabularySize: Int, largestID: Int)

    /// One sentence naming the file, the line, key or id, and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .invalidUTF8(path, line):
            "\(path): line \(line) is not valid UTF-8 text"
        case let .invalidJSON(path, line, column, expected, found):
            "\(path): line \(line), column \(column): expected \(expected), found \(found)"
        case let .invalidTokenID(path, token, line, value):
            "\(path): line \(line): the id of '\(token)' is \(value); it must be an integer in 0...4294967295"
        case let .duplicateToken(path, token, firstLine, secondLine):
            "\(path): token '\(token)' appears on both line \(firstLine) and line \(secondLine)"
        case let .duplicateTokenID(path, id, firstToken, secondToken):
            "\(path): tokens '\(firstToken)' and '\(secondToken)' both have id \(id)"
        case let .tooManyTokens(path, count):
            "\(path): \(count) tokens; at most 2147483647 are supported"
        case let .invalidMerge(path, line, text):
            "\(path): line \(line) is '\(text)'; a merge must be two tokens separated by one space"
        case let .mergeTokenNotInVocabulary(path, line, merge, token):
            "\(path): line \(line): the merge '\(merge)' needs '\(token)', which is not in the vocabulary"
        case let .missingSpecialToken(path, token):
            "\(path): the vocabulary has no special token '\(token)'"
        case let .invalidConfiguration(path, reason):
            "\(path): \(reason)"
        case let .wrongConfigType(path, key, expected):
            "\(path): '\(key)' must be \(expected)"
        case let .unknownTokenID(id, 0, _):
            "token id \(id) is not in the vocabulary, which is empty"
        case let .unknownTokenID(id, vocabularySize, largestID):
            "token id \(id) is not in the vocabulary of \(vocabularySize) tokens (ids 0...\(largestID))"
        }
    }
}
