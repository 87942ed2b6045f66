/// Why a tokenizer's files could not be loaded. Every case names the file it is about.
///
/// The Hugging Face `transformers` equivalent is the `OSError` or `ValueError` that
/// `BertTokenizer.from_pretrained` raises.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file is missing or could not be read, or is not UTF-8 text; `reason` says which.
    case unreadable(path: String, reason: String)
    /// The vocabulary file holds no tokens.
    case emptyVocabulary(path: String)
    /// `token` appears on both `firstLine` and `secondLine` (1-based) of the vocabulary file.
    /// Tokens are compared scalar by scalar, so "é" and "e\u{301}" are different tokens.
    case duplicateToken(path: String, token: String, firstLine: Int, secondLine: Int)
    /// The special token `token`, used as `role` (`unk_token`, `cls_token`, `sep_token` or
    /// `pad_token`), is not in the vocabulary file.
    case missingSpecialToken(path: String, role: String, token: String)
    /// The configuration file is not valid JSON, or not a JSON object; `reason` says which.
    case invalidJSON(path: String, reason: String)
    /// The configuration file's value for `key` is not `expected`, for example
    /// `"do_lower_case": "yes"` where a boolean is expected.
    case wrongConfigType(path: String, key: String, expected: String)
    /// The configuration file's value for `key`, `value`, is of the right type but outside what
    /// is `allowed`, for example `"model_max_length": 1`, which leaves no room for [CLS] and [SEP].
    case outOfRange(path: String, key: String, value: String, allowed: String)

    /// One sentence naming the file, the token or key where there is one, and what is wrong.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .emptyVocabulary(path):
            "\(path): the vocabulary file holds no tokens"
        case let .duplicateToken(path, token, firstLine, secondLine):
            "\(path): token '\(token)' appears on both line \(firstLine) and line \(secondLine)"
        case let .missingSpecialToken(path, role, token):
            "\(path): the vocabulary has no \(role) '\(token)'"
        case let .invalidJSON(path, reason):
            "\(path): \(reason)"
        case let .wrongConfigType(path, key, expected):
            "\(path): '\(key)' must be \(expected)"
        case let .outOfRange(path, key, value, allowed):
            "\(path): '\(key)' is \(value); it must be \(allowed)"
        }
    }
}
