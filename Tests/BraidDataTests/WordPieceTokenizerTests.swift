import BraidData
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// The Hugging Face reference values in `Tests/Fixtures/tokenizer/expected.json`, written by
/// `Scripts/make-tokenizer-fixtures.py` from the all-MiniLM-L6-v2 tokenizer.
struct TokenizerExpectations: Decodable {
    struct Sentence: Decodable {
        let text: String
        let tokens: [String]
        let inputIds: [Int]
        let decoded: String
        let decodedSkipSpecial: String
    }

    struct Truncated: Decodable {
        let text: String
        let maxLength: Int
        let inputIds: [Int]
    }

    struct Pair: Decodable {
        let first: String
        let second: String
        let maxLength: Int?
        let inputIds: [Int]
        let tokenTypeIds: [Int]
    }

    struct Options: Decodable {
        let lowercase: Bool
        let stripAccents: Bool?
        let texts: [String]
        let tokens: [[String]]
    }

    struct Batch: Decodable {
        let texts: [String]
        let padding: String
        let maxLength: Int?
        let inputIds: [[Int]]
        let attentionMask: [[Int]]
        let tokenTypeIds: [[Int]]
    }

    let sentences: [Sentence]
    let truncated: [Truncated]
    let pairs: [Pair]
    let options: [Options]
    let batches: [Batch]

    static func load() throws -> TokenizerExpectations {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tokenizer/expected.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(TokenizerExpectations.self, from: data)
    }
}

/// Each test gets its own instance, so its own temporary directory, removed when the test ends.
@Suite struct WordPieceTokenizerTests {
    let scratch: TemporaryDirectory
    var directory: String { scratch.path }

    init() throws { scratch = try TemporaryDirectory(prefix: "WordPieceTokenizerTests") }

    /// The all-MiniLM-L6-v2 tokenizer of the committed fixtures.
    func fixtureTokenizer() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(directory: Fixtures.path("tokenizer"))
    }

    /// Writes `text` to `name` in the temporary directory; returns its path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String { try scratch.write(text, to: name) }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String { try scratch.write(bytes, to: name) }

    /// A small vocabulary: BERT's special tokens, then `tokens`, one a line.
    func vocabulary(_ tokens: [String]) -> String {
        (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + tokens).joined(separator: "\n") + "\n"
    }

    /// Checks that `body` throws `expected` and that its description names every string in `mentioning`.
    func expectError(
        _ expected: TokenizerError, mentioning: [String],
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> WordPieceTokenizer
    ) {
        let error = #expect(throws: TokenizerError.self, sourceLocation: sourceLocation) { _ = try body() }
        #expect(error == expected, sourceLocation: sourceLocation)
        for text in mentioning {
            #expect(error?.description.contains(text) == true, "\(error?.description ?? "") lacks \(text)",
                    sourceLocation: sourceLocation)
        }
    }

    // MARK: Hugging Face reference values

    @Test func loadsTheFixtureDirectory() throws {
        let tokenizer = try fixtureTokenizer()
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.vocabulary.count == 30522)
        #expect(tokenizer.basicTokenizer == BasicTokenizer(lowercase: true, stripAccents: nil, tokenizeChineseChars: true))
        #expect(tokenizer.modelMaxLength == 512)
        #expect(tokenizer.specialTokens == WordPieceTokenizer.SpecialTokens())
        let ids: [Int] = [tokenizer.padTokenID, tokenizer.unkTokenID, tokenizer.clsTokenID, tokenizer.sepTokenID]
        #expect(ids == [0, 100, 101, 102])
        #expect(tokenizer.maskTokenID == 103)
        #expect(tokenizer.id(of: "##ing") == 2075)
        #expect(tokenizer.id(of: "not a token") == nil)
        #expect(tokenizer.token(of: 101) == "[CLS]")
        #expect(tokenizer.token(of: 30522) == nil && tokenizer.token(of: -1) == nil)
        #expect(tokenizer.isSpecial(103) && !tokenizer.isSpecial(104))
    }

    @Test func tokensAndIdsMatchHuggingFace() throws {
        let tokenizer = try fixtureTokenizer()
        let expected = try TokenizerExpectations.load()
        #expect(expected.sentences.count >= 16)
        for sentence in expected.sentences {
            #expect(tokenizer.tokenize(sentence.text) == sentence.tokens, "\(sentence.text.debugDescription)")
            #expect(tokenizer.encode(sentence.text) == sentence.inputIds, "\(sentence.text.debugDescription)")
            let ids = sentence.tokens.map { tokenizer.id(of: $0) ?? -1 }
            #expect(tokenizer.encode(sentence.text, addSpecialTokens: false) == ids, "\(sentence.text.debugDescription)")
        }
    }

    @Test func decodeMatchesHuggingFace() throws {
        let tokenizer = try fixtureTokenizer()
        for sentence in try TokenizerExpectations.load().sentences {
            #expect(tokenizer.decode(sentence.inputIds) == sentence.decoded, "\(sentence.text.debugDescription)")
            #expect(tokenizer.decode(sentence.inputIds, skipSpecialTokens: true) == sentence.decodedSkipSpecial,
                    "\(sentence.text.debugDescription)")
        }
    }

    @Test func truncationMatchesHuggingFace() throws {
        let tokenizer = try fixtureTokenizer()
        for item in try TokenizerExpectations.load().truncated {
            #expect(tokenizer.encode(item.text, maxLength: item.maxLength) == item.inputIds, "\(item.text) \(item.maxLength)")
        }
    }

    @Test func pairEncodingsMatchHuggingFace() throws {
        let tokenizer = try fixtureTokenizer()
        for pair in try TokenizerExpectations.load().pairs {
            let encoding = tokenizer.encode(pair: pair.first, pair.second, maxLength: pair.maxLength)
            #expect(encoding == .init(ids: pair.inputIds, tokenTypeIds: pair.tokenTypeIds),
                    "\(pair.first) | \(pair.second) | \(pair.maxLength.map(String.init) ?? "nil")")
        }
    }

    @Test func casingOptionsMatchHuggingFace() throws {
        let vocabularyFile = Fixtures.path("tokenizer/vocab.txt")
        let options = try TokenizerExpectations.load().options
        #expect(options.count == 3)
        for option in options {
            let tokenizer = try WordPieceTokenizer(
                vocabularyFile: vocabularyFile, lowercase: option.lowercase, stripAccents: option.stripAccents)
            for (text, tokens) in zip(option.texts, option.tokens) {
                #expect(tokenizer.tokenize(text) == tokens, "\(text) lowercase \(option.lowercase) strip \(option.stripAccents as Any)")
            }
        }
    }

    @Test func batchEncodingsMatchHuggingFace() throws {
        let tokenizer = try fixtureTokenizer()
        let batches = try TokenizerExpectations.load().batches
        #expect(batches.map(\.padding) == ["longest", "max_length"])
        for batch in batches {
            let padding: WordPieceTokenizer.Padding = batch.padding == "longest" ? .longest : .maxLength
            let encoded = tokenizer.encodeBatch(batch.texts, maxLength: batch.maxLength, padding: padding)
            let shape = [batch.inputIds.count, batch.inputIds[0].count]
            #expect(encoded.batchSize == batch.texts.count)
            #expect(encoded.inputIds == IntTensor(shape: shape, scalars: batch.inputIds.flatMap { $0 }), "\(batch.padding)")
            #expect(encoded.attentionMask == IntTensor(shape: shape, scalars: batch.attentionMask.flatMap { $0 }), "\(batch.padding)")
            #expect(encoded.tokenTypeIds == IntTensor(shape: shape, scalars: batch.tokenTypeIds.flatMap { $0 }), "\(batch.padding)")
        }
    }

    @Test func pairBatchesPadTheirEncodings() throws {
        let tokenizer = try fixtureTokenizer()
        let pairs = [("How old are you?", "I'm 6 years old."), ("one two", "three")]
        let batch = tokenizer.encodeBatch(pairs: pairs)
        let rows = pairs.map { tokenizer.encode(pair: $0.0, $0.1) }
        let length = rows.map(\.ids.count).max()!
        #expect(batch.sequenceLength == length)
        for (i, row) in rows.enumerated() {
            let padding = length - row.ids.count
            let slice = (i * length)..<((i + 1) * length)
            #expect(Array(batch.inputIds.scalars[slice]) == row.ids + Array(repeating: tokenizer.padTokenID, count: padding))
            #expect(Array(batch.tokenTypeIds.scalars[slice]) == row.tokenTypeIds + Array(repeating: 0, count: padding))
            #expect(Array(batch.attentionMask.scalars[slice]) == Array(repeating: 1, count: row.ids.count) + Array(repeating: 0, count: padding))
        }
        let fixed = tokenizer.encodeBatch(pairs: pairs, maxLength: 8, padding: .maxLength)
        #expect(fixed.inputIds.shape == [2, 8])
        #expect(Array(fixed.inputIds.scalars[0..<8]) == tokenizer.encode(pair: pairs[0].0, pairs[0].1, maxLength: 8).ids)
        #expect(tokenizer.encodeBatch([]).inputIds.shape == [0, 0])
    }

    // MARK: WordPiece on small vocabularies

    @Test func wordPieceIsGreedyLongestMatchFirst() throws {
        let path = try write(vocabulary(["un", "unaff", "##aff", "##able", "a", "##a", "##b", "x"]), to: "vocab.txt")
        let tokenizer = try WordPieceTokenizer(vocabularyFile: path)
        #expect(tokenizer.tokenize("unaffable") == ["unaff", "##able"])
        #expect(tokenizer.tokenize("unable UNAFFABLE") == ["un", "##able", "unaff", "##able"])
        // One piece that cannot be matched makes the whole word unknown.
        #expect(tokenizer.tokenize("unaffablex xa") == ["[UNK]", "x", "##a"])
        // At most 100 scalars per word: 100 still splits, 101 is unknown.
        #expect(tokenizer.tokenize(String(repeating: "a", count: 100)) == ["a"] + Array(repeating: "##a", count: 99))
        #expect(tokenizer.tokenize(String(repeating: "a", count: 101) + " b") == ["[UNK]", "[UNK]"])
        #expect(tokenizer.encode("ab", addSpecialTokens: false) == [9, 11])
        #expect(tokenizer.encode("unaffable", maxLength: 3) == [2, 6, 3])
    }

    @Test func tokensCompareScalarsExactly() throws {
        // "é" precomposed and decomposed are equal as Swift strings, but distinct vocabulary tokens.
        let path = try write(vocabulary(["\u{E9}", "e\u{301}", "e"]), to: "vocab.txt")
        let cased = try WordPieceTokenizer(vocabularyFile: path, lowercase: false)
        #expect(cased.id(of: "\u{E9}") == 5)
        #expect(cased.id(of: "e\u{301}") == 6)
        #expect(cased.encode("\u{E9} e\u{301}", addSpecialTokens: false) == [5, 6])
        let stripped = try WordPieceTokenizer(vocabularyFile: path, lowercase: false, stripAccents: true)
        #expect(stripped.encode("\u{E9} e\u{301}", addSpecialTokens: false) == [7, 7])
    }

    @Test func specialTokensAreFoundInRawTextOnly() throws {
        let path = try write(vocabulary(["a", "b", "[", "]", "cl", "##s"]), to: "vocab.txt")
        let tokenizer = try WordPieceTokenizer(vocabularyFile: path)
        #expect(tokenizer.tokenize("a[CLS]b [cls] [MASK][SEP]") == ["a", "[CLS]", "b", "[", "cl", "##s", "]", "[MASK]", "[SEP]"])
        #expect(tokenizer.decode([2, 5, 7, 10, 1, 3], skipSpecialTokens: true) == "a [s")
        #expect(tokenizer.decode([10, 5, 99, -1, 0]) == "##s a [PAD]")
    }

    @Test func configurationSetsOptionsAndSpecialTokens() throws {
        try write(["<pad>", "<unk>", "<s>", "</s>", "Hello", "hello", "é", "e"].joined(separator: "\r\n"), to: "vocab.txt")
        try write(
            """
            {"do_lower_case": false, "strip_accents": true, "tokenize_chinese_chars": false,
             "model_max_length": 1000000000000000019884624838656, "never_split": null,
             "unk_token": {"__type": "AddedToken", "content": "<unk>", "lstrip": false},
             "cls_token": "<s>", "sep_token": "</s>", "pad_token": "<pad>", "mask_token": null}
            """, to: "tokenizer_config.json")
        let tokenizer = try WordPieceTokenizer(directory: directory)
        #expect(tokenizer.basicTokenizer == BasicTokenizer(lowercase: false, stripAccents: true, tokenizeChineseChars: false))
        #expect(tokenizer.modelMaxLength == nil)
        let ids: [Int] = [tokenizer.padTokenID, tokenizer.unkTokenID, tokenizer.clsTokenID, tokenizer.sepTokenID]
        #expect(ids == [0, 1, 2, 3])
        // "[MASK]" is the default mask token and is not in this vocabulary.
        #expect(tokenizer.maskTokenID == nil)
        #expect(tokenizer.tokenize("Hello hello É é 日本") == ["Hello", "hello", "<unk>", "e", "<unk>"])
        #expect(tokenizer.encode("<s>Hello") == [2, 2, 4, 3])
        #expect(tokenizer.id(of: "Hello") == 4)  // "\r\n" line ends are stripped
    }

    @Test func maxLengthPaddingFallsBackToModelMaxLength() throws {
        try write(vocabulary(["a", "b"]), to: "vocab.txt")
        try write(#"{"model_max_length": 4}"#, to: "tokenizer_config.json")
        let tokenizer = try WordPieceTokenizer(directory: directory + "/")
        let batch = tokenizer.encodeBatch(["a b a", "b"], padding: .maxLength)
        #expect(batch.inputIds == IntTensor(shape: [2, 4], scalars: [2, 5, 6, 3, 2, 6, 3, 0]))
        #expect(batch.attentionMask == IntTensor(shape: [2, 4], scalars: [1, 1, 1, 1, 1, 1, 1, 0]))
        #expect(batch.tokenTypeIds == IntTensor(shape: [2, 4], scalars: Array(repeating: 0, count: 8)))
    }

    // MARK: Errors

    @Test func missingVocabularyFileThrows() {
        let path = directory + "/missing.txt"
        expectError(.unreadable(path: path, reason: "No such file or directory"), mentioning: [path]) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
        let inDirectory = directory + "/vocab.txt"
        expectError(.unreadable(path: inDirectory, reason: "No such file or directory"), mentioning: [inDirectory]) {
            try WordPieceTokenizer(directory: directory)
        }
    }

    @Test func unreadableVocabularyFileThrows() throws {
        expectError(.unreadable(path: directory, reason: "not a regular file"), mentioning: [directory]) {
            try WordPieceTokenizer(vocabularyFile: directory)
        }
        let path = try write(Array("[UNK]\n".utf8) + [0xC3, 0x28, 0x0A], to: "vocab.txt")
        expectError(.unreadable(path: path, reason: "the file is not valid UTF-8 text"), mentioning: [path, "UTF-8"]) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
    }

    @Test func emptyVocabularyThrows() throws {
        let path = try write("", to: "vocab.txt")
        expectError(.emptyVocabulary(path: path), mentioning: [path]) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
    }

    @Test func duplicateTokenThrowsWithBothLines() throws {
        let path = try write(vocabulary(["hello", "world", "hello"]), to: "vocab.txt")
        expectError(
            .duplicateToken(path: path, token: "hello", firstLine: 6, secondLine: 8),
            mentioning: [path, "'hello'", "line 6", "line 8"]
        ) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
    }

    @Test(arguments: [("[UNK]", "unk_token"), ("[CLS]", "cls_token"), ("[SEP]", "sep_token"), ("[PAD]", "pad_token")])
    func missingSpecialTokenThrows(token: String, role: String) throws {
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "word"].filter { $0 != token }
        let path = try write(tokens.joined(separator: "\n"), to: "vocab.txt")
        expectError(.missingSpecialToken(path: path, role: role, token: token), mentioning: [path, role, token]) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
    }

    @Test func configurationThatIsNotJSONThrows() throws {
        try write(vocabulary([]), to: "vocab.txt")
        let path = try write(#"{"do_lower_case": true,"#, to: "tokenizer_config.json")
        expectError(.invalidJSON(path: path, reason: "the file is not valid JSON"), mentioning: [path, "JSON"]) {
            try WordPieceTokenizer(directory: directory)
        }
        try write(#"["do_lower_case"]"#, to: "tokenizer_config.json")
        expectError(.invalidJSON(path: path, reason: "the file is not a JSON object"), mentioning: [path, "object"]) {
            try WordPieceTokenizer(directory: directory)
        }
    }

    @Test(arguments: [
        ("do_lower_case", #""yes""#, "a boolean"),
        ("do_lower_case", "1", "a boolean"),
        ("strip_accents", #""no""#, "a boolean or null"),
        ("tokenize_chinese_chars", "[]", "a boolean"),
        ("model_max_length", #""512""#, "an integer"),
        ("model_max_length", "true", "an integer"),
        ("unk_token", "5", "a string or an object with a string 'content'"),
        ("mask_token", #"{"text": "[MASK]"}"#, "a string or an object with a string 'content'"),
        ("cls_token", #"{"content": 5}"#, "a string or an object with a string 'content'"),
    ])
    func configurationValueOfWrongTypeThrows(_ value: (key: String, json: String, expected: String)) throws {
        let (key, json, expected) = value
        try write(vocabulary([]), to: "vocab.txt")
        let path = try write("{\"\(key)\": \(json)}", to: "tokenizer_config.json")
        expectError(.wrongConfigType(path: path, key: key, expected: expected), mentioning: [path, "'\(key)'", expected]) {
            try WordPieceTokenizer(directory: directory)
        }
    }

    /// A length of 1 left no room for [CLS] and [SEP] (a precondition failed in `encodeBatch`); 10¹⁷
    /// asked padding for 6.4·10¹⁸ bytes.
    @Test(arguments: ["-1", "0", "1", "2.5", "1048577", "100000000000000000"])
    func modelMaxLengthOutsideItsRangeThrows(json: String) throws {
        try write(vocabulary([]), to: "vocab.txt")
        let path = try write("{\"model_max_length\": \(json)}", to: "tokenizer_config.json")
        let error = #expect(throws: TokenizerError.self) { try WordPieceTokenizer(directory: directory) }
        guard case .outOfRange(let errorPath, "model_max_length", _, let allowed)? = error else {
            Issue.record("expected .outOfRange, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(allowed.contains("2...1048576"))
        #expect(error?.description.contains("'model_max_length' is ") == true)
    }

    @Test(arguments: [("2", 2), ("1048576", 1 << 20), ("1e30", nil), ("1000000000000000019884624838656", nil)])
    func modelMaxLengthAtItsLimitsLoads(json: String, expected: Int?) throws {
        try write(vocabulary([]), to: "vocab.txt")
        try write("{\"model_max_length\": \(json)}", to: "tokenizer_config.json")
        #expect(try WordPieceTokenizer(directory: directory).modelMaxLength == expected)
    }
}
