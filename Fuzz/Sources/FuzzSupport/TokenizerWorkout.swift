import Braid

/// Runs every encoding entry point of `tokenizer` on `text`: `tokenize`, `encode` with and without
/// special tokens and truncated to `maxLength`, `decode` of the ids, `encode(pair:)` of the two
/// halves of `text`, and `encodeBatch` of its lines (and of the pair) with `.longest` and
/// `.maxLength` padding, the latter also to `modelMaxLength` when the tokenizer has one.
///
/// `maxLength` must be at least 2, the room for `[CLS]` and `[SEP]`; pairs get `maxLength + 1`,
/// the room for their three special tokens.
public func exerciseTokenizer(_ tokenizer: WordPieceTokenizer, text: String, maxLength: Int) {
    precondition(maxLength >= 2, "exerciseTokenizer: maxLength \(maxLength) leaves no room for [CLS] and [SEP]")
    _ = tokenizer.tokenize(text)
    let ids = tokenizer.encode(text)
    _ = tokenizer.decode(ids)
    _ = tokenizer.decode(ids, skipSpecialTokens: true)
    _ = tokenizer.encode(text, addSpecialTokens: false)
    _ = tokenizer.encode(text, maxLength: maxLength)

    let scalars = Array(text.unicodeScalars)
    let middle = scalars.count / 2
    var first = "", second = ""
    first.unicodeScalars.append(contentsOf: scalars[..<middle])
    second.unicodeScalars.append(contentsOf: scalars[middle...])
    _ = tokenizer.encode(pair: first, second)
    _ = tokenizer.encode(pair: first, second, addSpecialTokens: false, maxLength: maxLength + 1)
    _ = tokenizer.encode(pair: first, second, maxLength: maxLength + 1)

    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    _ = tokenizer.encodeBatch(lines)
    _ = tokenizer.encodeBatch(lines, maxLength: maxLength)
    _ = tokenizer.encodeBatch(lines, maxLength: maxLength, padding: .maxLength)
    _ = tokenizer.encodeBatch(pairs: [(first, second), (second, first)], maxLength: maxLength + 1, padding: .maxLength)
    if tokenizer.modelMaxLength != nil {
        _ = tokenizer.encodeBatch(lines, padding: .maxLength)
    }
}
