import BraidTensor
import Foundation
import Glibc

/// BERT's WordPiece tokenizer: text to token ids and back, matching Hugging Face's
/// `BertTokenizer` (in `transformers` 5 the class that `BertTokenizerFast` names, backed by
/// the Rust `tokenizers` library) token for token.
///
/// Encoding runs in three steps:
/// 1. The special tokens (`[UNK]`, `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`) are found in the raw
///    text, exactly and case-sensitively, leftmost-longest first; each becomes its own token and
///    is never cleaned, lowercased or split. `[cls]` is not a special token.
/// 2. The text between them goes through `BasicTokenizer`: cleaning, CJK spacing, accent
///    stripping and lowercasing, and splitting into words and punctuation marks.
/// 3. Each word is split greedily into the longest vocabulary pieces, left to right, every
///    piece after the first looked up with the `##` prefix. A word of more than
///    `maxInputCharsPerWord` (100) Unicode scalars, or one that cannot be split into
///    vocabulary pieces, becomes the unknown token as a whole.
///
/// Tokens are compared scalar by scalar: unlike `String` equality, "é" and "e\u{301}" are
/// different tokens, as they are for Hugging Face.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(directory: "all-MiniLM-L6-v2")
/// tokenizer.tokenize("Café déjà vu")       // ["cafe", "de", "##ja", "vu"]
/// tokenizer.encode("Café déjà vu")         // [101, 7668, 2139, 3900, 24728, 102]
/// let batch = tokenizer.encodeBatch(["a first text", "a second"], maxLength: 128)
/// ```
public struct WordPieceTokenizer: Sendable {
    /// How `encodeBatch` pads rows to one length.
    public enum Padding: Sendable, Equatable {
        /// To the longest row of the batch (`padding="longest"`).
        case longest
        /// To the batch's `maxLength`, or `modelMaxLength` when it has none
        /// (`padding="max_length"`).
        case maxLength
    }

    /// The strings of the special tokens, which must be in the vocabulary (the mask token may
    /// be missing from it, and is then not special).
    public struct SpecialTokens: Sendable, Equatable {
        /// The unknown token (`unk_token`), which replaces words that WordPiece cannot split.
        public var unknown: String
        /// The classifier token (`cls_token`) that starts every encoded sequence.
        public var classifier: String
        /// The separator token (`sep_token`) that ends every encoded text.
        public var separator: String
        /// The padding token (`pad_token`) of `encodeBatch`.
        public var padding: String
        /// The mask token (`mask_token`) of masked language modelling, or `nil` for none.
        public var mask: String?

        /// Creates special tokens; the defaults are BERT's.
        public init(
            unknown: String = "[UNK]", classifier: String = "[CLS]", separator: String = "[SEP]",
            padding: String = "[PAD]", mask: String? = "[MASK]"
        ) {
            self.unknown = unknown
            self.classifier = classifier
            self.separator = separator
            self.padding = padding
            self.mask = mask
        }
    }

    /// One encoded text or text pair, before padding.
    public struct Encoding: Sendable, Equatable {
        /// The token ids (`input_ids`).
        public var ids: [Int]
        /// 0 for the tokens of the first text, 1 for those of the second (`token_type_ids`).
        public var tokenTypeIds: [Int]

        /// Creates an encoding; the two arrays must have the same length.
        public init(ids: [Int], tokenTypeIds: [Int]) {
            check(ids.count == tokenTypeIds.count, "Encoding: \(ids.count) ids but \(tokenTypeIds.count) type ids")
            self.ids = ids
            self.tokenTypeIds = tokenTypeIds
        }
    }

    /// A special token's scalars and id, for finding it in raw text.
    private struct SpecialPattern: Sendable {
        let scalars: [Unicode.Scalar]
        let id: Int
    }

    /// The cleaning, normalization and splitting that runs before WordPiece.
    public let basicTokenizer: BasicTokenizer
    /// The special token strings.
    public let specialTokens: SpecialTokens
    /// The longest input the model accepts (`model_max_length`), or `nil` when unknown. Only
    /// `encodeBatch(padding: .maxLength)` without a `maxLength` uses it.
    public var modelMaxLength: Int?
    /// The `model_max_length` values that `init(directory:)` accepts: room for [CLS] and [SEP],
    /// and no more than 2²⁰ tokens, beyond the longest context of any WordPiece model, so that
    /// padding a batch to it stays a small allocation.
    public static let allowedModelMaxLengths = 2...(1 << 20)
    /// Words of more Unicode scalars than this become the unknown token (`max_input_chars_per_word`).
    public let maxInputCharsPerWord = 100
    /// The tokens in id order: `vocabulary[id]` is the token with that id (line `id + 1` of `vocab.txt`).
    public let vocabulary: [String]
    /// The id of the unknown token.
    public let unkTokenID: Int
    /// The id of the classifier token.
    public let clsTokenID: Int
    /// The id of the separator token.
    public let sepTokenID: Int
    /// The id of the padding token.
    public let padTokenID: Int
    /// The id of the mask token, or `nil` when there is none in the vocabulary.
    public let maskTokenID: Int?

    /// Every token's id, keyed by its UTF-8 bytes so that lookups compare scalars exactly.
    private let tokenIDs: [[UInt8]: Int]
    /// The id of every `##` token, keyed by the UTF-8 bytes after the `##`.
    private let continuationIDs: [[UInt8]: Int]
    /// The most scalars of any vocabulary piece, `##` not counted: no longer piece can match.
    private let longestPiece: Int
    /// The ids of the special tokens, which `decode` can skip.
    private let specialTokenIDs: Set<Int>
    /// The special tokens to find in raw text, longest first.
    private let specialPatterns: [SpecialPattern]

    /// The prefix of continuation pieces.
    private static let continuationPrefix: [UInt8] = Array("##".utf8)

    /// Loads the vocabulary file at `vocabularyFile`, one token a line (`vocab.txt`), with the
    /// given options (`BertTokenizer(vocab_file, do_lower_case=lowercase, strip_accents=stripAccents)`).
    ///
    /// Lines end with "\n" or "\r\n"; a token's id is its line number less one.
    /// `stripAccents: nil` strips accents exactly when lowercasing, as Hugging Face does.
    /// Throws when the file cannot be read or is not UTF-8, holds no tokens or a token twice,
    /// or lacks the unknown, classifier, separator or padding token.
    public init(
        vocabularyFile: String, lowercase: Bool = true, stripAccents: Bool? = nil,
        tokenizeChineseChars: Bool = true, specialTokens: SpecialTokens = SpecialTokens(),
        modelMaxLength: Int? = nil
    ) throws(TokenizerError) {
        let path = vocabularyFile
        let bytes = try Self.read(path)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .unreadable(path: path, reason: "the file is not valid UTF-8 text")
        }
        var vocabulary: [String] = []
        var tokenIDs: [[UInt8]: Int] = [:]
        var continuationIDs: [[UInt8]: Int] = [:]
        var longestPiece = 0
        var lineStart = 0
        while lineStart < bytes.count {
            let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = Array(bytes[lineStart..<newline])
            lineStart = newline + 1
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            let id = vocabulary.count
            let token = String(decoding: line, as: UTF8.self)
            if let first = tokenIDs[line] {
                throw .duplicateToken(path: path, token: token, firstLine: first + 1, secondLine: id + 1)
            }
            tokenIDs[line] = id
            var piece = line[...]
            if line.starts(with: Self.continuationPrefix) {
                piece = line.dropFirst(Self.continuationPrefix.count)
                continuationIDs[Array(piece)] = id
            }
            // Counting the bytes that start a scalar counts the scalars.
            longestPiece = max(longestPiece, piece.count { $0 & 0xC0 != 0x80 })
            vocabulary.append(token)
        }
        guard !vocabulary.isEmpty else { throw .emptyVocabulary(path: path) }

        func id(_ token: String, role: String) throws(TokenizerError) -> Int {
            guard let id = tokenIDs[Array(token.utf8)] else {
                throw .missingSpecialToken(path: path, role: role, token: token)
            }
            return id
        }
        unkTokenID = try id(specialTokens.unknown, role: "unk_token")
        clsTokenID = try id(specialTokens.classifier, role: "cls_token")
        sepTokenID = try id(specialTokens.separator, role: "sep_token")
        padTokenID = try id(specialTokens.padding, role: "pad_token")
        maskTokenID = specialTokens.mask.flatMap { tokenIDs[Array($0.utf8)] }

        var specialIDs: Set<Int> = [unkTokenID, clsTokenID, sepTokenID, padTokenID]
        if let maskTokenID { specialIDs.insert(maskTokenID) }
        specialPatterns = specialIDs.sorted()
            .map { SpecialPattern(scalars: Array(vocabulary[$0].unicodeScalars), id: $0) }
            .filter { !$0.scalars.isEmpty }
            .sorted { $0.scalars.count > $1.scalars.count }
        specialTokenIDs = specialIDs
        basicTokenizer = BasicTokenizer(
            lowercase: lowercase, stripAccents: stripAccents, tokenizeChineseChars: tokenizeChineseChars)
        self.specialTokens = specialTokens
        self.modelMaxLength = modelMaxLength
        self.vocabulary = vocabulary
        self.tokenIDs = tokenIDs
        self.continuationIDs = continuationIDs
        self.longestPiece = longestPiece
    }

    /// Loads a Hugging Face tokenizer folder (`BertTokenizer.from_pretrained(directory)`): the
    /// vocabulary from `vocab.txt`, and the options from `tokenizer_config.json` when it is there.
    ///
    /// The configuration keys read are `do_lower_case` (default true), `strip_accents` (a
    /// boolean or null, default null), `tokenize_chinese_chars` (default true),
    /// `model_max_length` (an integer; values of 10¹⁸ and more, such as the `int(1e30)` that
    /// `transformers` writes for "no limit", mean none) and `unk_token`, `cls_token`,
    /// `sep_token`, `pad_token` and `mask_token` (each a string, or an object whose `content`
    /// is a string, as `AddedToken` is saved). Other keys are ignored; a null value counts as
    /// absent. Throws what `init(vocabularyFile:)` throws, and when the configuration is not
    /// a JSON object or one of those keys has a value of the wrong type.
    public init(directory: String) throws(TokenizerError) {
        func file(_ name: String) -> String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }
        let configPath = file("tokenizer_config.json")
        var lowercase = true
        var stripAccents: Bool? = nil
        var tokenizeChineseChars = true
        var specialTokens = SpecialTokens()
        var modelMaxLength: Int? = nil
        if access(configPath, F_OK) == 0 {
            let config = try Configuration.read(configPath)
            lowercase = config.lowercase ?? lowercase
            stripAccents = config.stripAccents
            tokenizeChineseChars = config.tokenizeChineseChars ?? tokenizeChineseChars
            modelMaxLength = try config.maxLength(in: configPath)
            specialTokens.unknown = config.unknown?.content ?? specialTokens.unknown
            specialTokens.classifier = config.classifier?.content ?? specialTokens.classifier
            specialTokens.separator = config.separator?.content ?? specialTokens.separator
            specialTokens.padding = config.padding?.content ?? specialTokens.padding
            specialTokens.mask = config.mask?.content ?? specialTokens.mask
        }
        try self.init(
            vocabularyFile: file("vocab.txt"), lowercase: lowercase, stripAccents: stripAccents,
            tokenizeChineseChars: tokenizeChineseChars, specialTokens: specialTokens,
            modelMaxLength: modelMaxLength)
    }

    // MARK: Vocabulary

    /// The number of tokens in the vocabulary (`len(tokenizer)`).
    public var vocabularySize: Int { vocabulary.count }

    /// The id of `token`, or `nil` when it is not in the vocabulary (`convert_tokens_to_ids`,
    /// without the fallback to the unknown token's id). The comparison is scalar by scalar.
    public func id(of token: String) -> Int? {
        tokenIDs[Array(token.utf8)]
    }

    /// The token with id `id`, or `nil` when there is none (`convert_ids_to_tokens`).
    public func token(of id: Int) -> String? {
        vocabulary.indices.contains(id) ? vocabulary[id] : nil
    }

    /// Whether `id` is the id of a special token: unknown, classifier, separator, padding or mask.
    public func isSpecial(_ id: Int) -> Bool {
        specialTokenIDs.contains(id)
    }

    // MARK: Encoding

    /// The tokens of `text`, without the classifier and separator tokens that `encode` adds
    /// (`tokenizer.tokenize(text)`).
    public func tokenize(_ text: String) -> [String] {
        tokenIDs(of: text).map { vocabulary[$0] }
    }

    /// The token ids of `text` (`tokenizer(text)["input_ids"]` or `tokenizer.encode(text)`):
    /// with `addSpecialTokens`, `[CLS] tokens [SEP]`.
    ///
    /// With a `maxLength`, the tokens are cut at the end so that the result has at most
    /// `maxLength` ids, the special tokens still included (`max_length=maxLength, truncation=True`);
    /// `maxLength` must leave room for them.
    public func encode(_ text: String, addSpecialTokens: Bool = true, maxLength: Int? = nil) -> [Int] {
        encoding(text, addSpecialTokens: addSpecialTokens, maxLength: maxLength).ids
    }

    /// The token ids and token type ids of a text pair (`tokenizer(first, second)`): with
    /// `addSpecialTokens`, `[CLS] first [SEP] second [SEP]`, type 0 up to the first `[SEP]`
    /// and 1 after it.
    ///
    /// With a `maxLength`, tokens are removed from the end of the longer text, as the
    /// `tokenizers` library's `longest_first` truncation does: when both texts are too long,
    /// the first keeps half the room (rounded down) and the second the rest. The
    /// pure-Python `BertTokenizerLegacy` breaks ties the other way.
    public func encode(
        pair first: String, _ second: String, addSpecialTokens: Bool = true, maxLength: Int? = nil
    ) -> Encoding {
        var a = tokenIDs(of: first)
        var b = tokenIDs(of: second)
        if let maxLength {
            let room = maxLength - (addSpecialTokens ? 3 : 0)
            check(room >= 0, "WordPieceTokenizer: maxLength \(maxLength) leaves no room for the special tokens")
            if a.count + b.count > room {
                // The `tokenizers` LongestFirst strategy, on the shorter length n1 and the longer n2.
                let swapped = a.count > b.count
                var (n1, n2) = swapped ? (b.count, a.count) : (a.count, b.count)
                n2 = n1 > room ? n1 : max(n1, room - n1)
                if n1 + n2 > room {
                    n1 = room / 2
                    n2 = n1 + room % 2
                }
                if swapped { swap(&n1, &n2) }
                a = Array(a.prefix(n1))
                b = Array(b.prefix(n2))
            }
        }
        guard addSpecialTokens else {
            return Encoding(ids: a + b, tokenTypeIds: Array(repeating: 0, count: a.count) + Array(repeating: 1, count: b.count))
        }
        return Encoding(
            ids: [clsTokenID] + a + [sepTokenID] + b + [sepTokenID],
            tokenTypeIds: Array(repeating: 0, count: a.count + 2) + Array(repeating: 1, count: b.count + 1))
    }

    /// Encodes each text and pads the rows to one length (`tokenizer(texts, padding=...)`); see
    /// `encode(_:addSpecialTokens:maxLength:)` for the truncation to `maxLength`.
    ///
    /// `.longest` pads to the longest row; `.maxLength` pads, and truncates, to `maxLength`, or
    /// to `modelMaxLength` when `maxLength` is `nil` (one of them must be set). Special tokens
    /// are always added.
    public func encodeBatch(_ texts: [String], maxLength: Int? = nil, padding: Padding = .longest) -> TokenizedBatch {
        let limit = paddingLimit(maxLength, padding)
        return pad(texts.map { encoding($0, addSpecialTokens: true, maxLength: limit) }, limit: limit, padding: padding)
    }

    /// Encodes each text pair and pads the rows to one length (`tokenizer(firsts, seconds,
    /// padding=...)`); see `encode(pair:_:addSpecialTokens:maxLength:)` for the truncation and
    /// `encodeBatch(_:maxLength:padding:)` for the padding.
    public func encodeBatch(
        pairs: [(String, String)], maxLength: Int? = nil, padding: Padding = .longest
    ) -> TokenizedBatch {
        let limit = paddingLimit(maxLength, padding)
        return pad(pairs.map { encode(pair: $0.0, $0.1, maxLength: limit) }, limit: limit, padding: padding)
    }

    /// The truncation length of a batch: `maxLength`, or for `.maxLength` padding without
    /// one, `modelMaxLength`.
    private func paddingLimit(_ maxLength: Int?, _ padding: Padding) -> Int? {
        guard padding == .maxLength, maxLength == nil else { return maxLength }
        guard let modelMaxLength else {
            checkFailed("WordPieceTokenizer: .maxLength padding needs a maxLength or a modelMaxLength")
        }
        return modelMaxLength
    }

    /// Pads `encodings` to the longest of them, or for `.maxLength` to `limit`.
    private func pad(_ encodings: [Encoding], limit: Int?, padding: Padding) -> TokenizedBatch {
        let longest = encodings.map(\.ids.count).max() ?? 0
        let length = padding == .maxLength ? limit! : longest
        return TokenizedBatch(padding: encodings, to: length, paddingID: padTokenID)
    }

    /// One text's ids and type ids, truncated to `maxLength` with the special tokens kept.
    private func encoding(_ text: String, addSpecialTokens: Bool, maxLength: Int?) -> Encoding {
        var ids = tokenIDs(of: text)
        if let maxLength {
            let room = maxLength - (addSpecialTokens ? 2 : 0)
            check(room >= 0, "WordPieceTokenizer: maxLength \(maxLength) leaves no room for the special tokens")
            if ids.count > room { ids.removeLast(ids.count - room) }
        }
        if addSpecialTokens { ids = [clsTokenID] + ids + [sepTokenID] }
        return Encoding(ids: ids, tokenTypeIds: Array(repeating: 0, count: ids.count))
    }

    /// The ids of `text`'s tokens: special tokens found in the raw text, and the WordPiece
    /// pieces of the words of the text between them.
    private func tokenIDs(of text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids: [Int] = []
        var segmentStart = 0
        var i = 0
        while i < scalars.count {
            guard let pattern = specialPatterns.first(where: { scalars[i...].starts(with: $0.scalars) }) else {
                i += 1
                continue
            }
            appendPieces(of: scalars[segmentStart..<i], to: &ids)
            ids.append(pattern.id)
            i += pattern.scalars.count
            segmentStart = i
        }
        appendPieces(of: scalars[segmentStart...], to: &ids)
        return ids
    }

    /// Appends the WordPiece ids of each word of `segment`, which holds no special token.
    private func appendPieces(of segment: ArraySlice<Unicode.Scalar>, to ids: inout [Int]) {
        guard !segment.isEmpty else { return }
        for word in basicTokenizer.words(in: segment) {
            appendPieces(ofWord: word, to: &ids)
        }
    }

    /// Greedy longest-match-first WordPiece: appends the pieces of `word`, or the unknown
    /// token when it is too long or cannot be split.
    private func appendPieces(ofWord word: [Unicode.Scalar], to ids: inout [Int]) {
        guard word.count <= maxInputCharsPerWord else {
            ids.append(unkTokenID)
            return
        }
        var bytes: [UInt8] = []
        var offsets = [0]  // offsets[k]: the byte offset of scalar k
        for scalar in word {
            UTF8.encode(scalar) { bytes.append($0) }
            offsets.append(bytes.count)
        }
        var pieces: [Int] = []
        var start = 0
        while start < word.count {
            let table = start == 0 ? tokenIDs : continuationIDs
            var end = min(word.count, start + longestPiece)
            var found: Int?
            while end > start {
                if let id = table[Array(bytes[offsets[start]..<offsets[end]])] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unkTokenID)
                return
            }
            pieces.append(found)
            start = end
        }
        ids.append(contentsOf: pieces)
    }

    // MARK: Decoding

    /// The text of `ids` (`tokenizer.decode(ids, skip_special_tokens=skipSpecialTokens)`):
    /// the tokens joined by spaces, except that `##` pieces join the token before them, and
    /// ".", "?", "!" and "," join the token before them (the `tokenizers` WordPiece decoder's
    /// cleanup, applied token by token).
    ///
    /// Ids outside the vocabulary are skipped. Accents and case removed by encoding do not
    /// come back.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        var text: [UInt8] = []
        var first = true
        for id in ids where vocabulary.indices.contains(id) && !(skipSpecialTokens && isSpecial(id)) {
            var piece = Array(vocabulary[id].utf8)
            if !first {
                if piece.starts(with: Self.continuationPrefix) {
                    piece.removeFirst(Self.continuationPrefix.count)
                } else {
                    piece.insert(UInt8(ascii: " "), at: 0)
                }
            }
            first = false
            text += Self.cleanup(piece)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The replacements of the `tokenizers` WordPiece decoder's `cleanup`, in its order.
    private static let cleanupReplacements: [([UInt8], [UInt8])] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
        (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// `piece` with each replacement applied in turn, every occurrence left to right (Rust's `str::replace`).
    private static func cleanup(_ piece: [UInt8]) -> [UInt8] {
        var text = piece
        for (target, replacement) in cleanupReplacements where text.count >= target.count {
            var result: [UInt8] = []
            var i = 0
            while i < text.count {
                if text[i...].starts(with: target) {
                    result += replacement
                    i += target.count
                } else {
                    result.append(text[i])
                    i += 1
                }
            }
            text = result
        }
        return text
    }

    // MARK: Files

    /// All bytes of the regular file at `path`.
    private static func read(_ path: String) throws(TokenizerError) -> [UInt8] {
        do { return try AtomicFile.read(path) } catch { throw .unreadable(path: path, reason: error.reason) }
    }

    /// The options of a `tokenizer_config.json` as `JSONDecoder` reads them, each `nil` when
    /// absent or null; other keys are ignored.
    private struct Configuration: Decodable {
        let lowercase, stripAccents, tokenizeChineseChars: Bool?
        /// A `Double`, because Hugging Face writes `int(1e30)` for "no limit", which no `Int` holds.
        let modelMaxLength: Double?
        let unknown, classifier, separator, padding, mask: Token?

        enum CodingKeys: String, CodingKey {
            case lowercase = "do_lower_case", stripAccents = "strip_accents"
            case tokenizeChineseChars = "tokenize_chinese_chars", modelMaxLength = "model_max_length"
            case unknown = "unk_token", classifier = "cls_token", separator = "sep_token", padding = "pad_token"
            case mask = "mask_token"

            /// What the key must hold, as `wrongConfigType` says it.
            var expected: String {
                switch self {
                case .lowercase, .tokenizeChineseChars: "a boolean"
                case .stripAccents: "a boolean or null"
                case .modelMaxLength: "an integer"
                case .unknown, .classifier, .separator, .padding, .mask: "a string or an object with a string 'content'"
                }
            }
        }

        /// A special token: a string, or an `AddedToken` object's string `content`.
        struct Token: Decodable {
            let content: String

            private enum CodingKeys: CodingKey { case content }

            init(from decoder: any Decoder) throws {
                if let string = try? decoder.singleValueContainer().decode(String.self) {
                    content = string
                } else {
                    content = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .content)
                }
            }
        }

        /// Reads and decodes the configuration file at `path`; a value of the wrong type throws
        /// `wrongConfigType` naming its key.
        static func read(_ path: String) throws(TokenizerError) -> Configuration {
            let bytes = try WordPieceTokenizer.read(path)
            do { return try JSONDecoder().decode(Configuration.self, from: Data(bytes)) } catch {
                let decodingError = error as? DecodingError
                if let key = decodingError?.topLevelKey.flatMap(CodingKeys.init(rawValue:)) {
                    throw .wrongConfigType(path: path, key: key.rawValue, expected: key.expected)
                }
                if case .typeMismatch? = decodingError {
                    throw .invalidJSON(path: path, reason: "the file is not a JSON object")
                }
                throw .invalidJSON(path: path, reason: "the file is not valid JSON")
            }
        }

        /// `model_max_length` as an integer in ``WordPieceTokenizer/allowedModelMaxLengths``;
        /// `nil` when absent or 10¹⁸ and more (Hugging Face's `int(1e30)` "no limit"). `path`
        /// names the file in the error.
        func maxLength(in path: String) throws(TokenizerError) -> Int? {
            guard let value = modelMaxLength, !(value >= 1e18 && value == value.rounded()) else { return nil }
            let allowed = WordPieceTokenizer.allowedModelMaxLengths
            guard let integer = Int(exactly: value), allowed.contains(integer) else {
                throw .outOfRange(
                    path: path, key: CodingKeys.modelMaxLength.rawValue, value: JSONValue(value).description,
                    allowed: "an integer in \(allowed.lowerBound)...\(allowed.upperBound) (room for [CLS] and [SEP]), "
                        + "or 1e18 and more for no limit")
            }
            return integer
        }
    }
}
