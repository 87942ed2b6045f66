@testable import BraidData
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// The Hugging Face `tokenizers` reference values in `Tests/Fixtures/bpe/expected.json`,
/// written by `Scripts/make-bpe-fixtures.py` from the byte-level BPE it trains.
struct BPEExpectations: Decodable {
    struct Text: Decodable {
        let text: String
        let tokens: [String]
        let ids: [Int]
        let decoded: String
        let prefixSpaceTokens: [String]
        let prefixSpaceIds: [Int]
    }

    struct PreTokenized: Decodable {
        let text: String
        let pieces: [String]
    }

    struct PartialUTF8: Decodable {
        let bytes: [UInt8]
        let ids: [Int]
        let decoded: String
    }

    struct Word: Decodable {
        let text: String
        let tokens: [String]
    }

    let vocabSize: Int
    let specialTokens: [String]
    let texts: [Text]
    let preTokenized: [PreTokenized]
    let partialUtf8: [PartialUTF8]
    let randomMerges: [Word]

    static func load() throws -> BPEExpectations {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("bpe/expected.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(BPEExpectations.self, from: data)
    }
}

/// Each test gets its own instance, so its own temporary directory, removed when the test ends.
@Suite struct ByteLevelBPETokenizerTests {
    let scratch: TemporaryDirectory
    var directory: String { scratch.path }

    init() throws { scratch = try TemporaryDirectory(prefix: "ByteLevelBPETokenizerTests") }

    /// The tokenizer of the committed fixtures.
    func fixtureTokenizer(addPrefixSpace: Bool? = nil) throws -> ByteLevelBPETokenizer {
        try ByteLevelBPETokenizer(directory: Fixtures.path("bpe"), addPrefixSpace: addPrefixSpace)
    }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String { try scratch.write(text, to: name) }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String { try scratch.write(bytes, to: name) }

    /// `vocab.json` of the 256 byte characters (ids 0...255 in byte order) and then `tokens`.
    func byteVocabulary(_ tokens: [String] = []) -> String {
        let all = ByteLevelAlphabet.characters.map { String($0) } + tokens
        let members = all.enumerated().map { "\(jsonString($0.element)): \($0.offset)" }
        return "{" + members.joined(separator: ",\n") + "}"
    }

    func jsonString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    /// Writes `vocab.json` and `merges.txt` and loads them.
    func tokenizer(
        vocabulary: String, merges: String, specialTokens: [String] = [], addPrefixSpace: Bool = false
    ) throws -> ByteLevelBPETokenizer {
        try ByteLevelBPETokenizer(
            vocabularyFile: write(vocabulary, to: "vocab.json"), mergesFile: write(merges, to: "merges.txt"),
            specialTokens: specialTokens, addPrefixSpace: addPrefixSpace)
    }

    /// Checks that `body` throws `expected` and that its description names every string in `mentioning`.
    func expectError(
        _ expected: BPETokenizerError, mentioning: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        let error = #expect(throws: BPETokenizerError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error == expected, sourceLocation: sourceLocation)
        for text in mentioning {
            #expect(error?.description.contains(text) == true, "\(error?.description ?? "") lacks \(text)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Feeds `ids` one by one to an incremental decoder; the pieces and the final flush.
    func decodeIncrementally(_ tokenizer: ByteLevelBPETokenizer, _ ids: [Int]) throws -> (pieces: [String], final: String) {
        var decoder = tokenizer.makeIncrementalDecoder()
        let pieces = try ids.map { id throws(BPETokenizerError) in try decoder.append(id) }
        return (pieces, decoder.finish())
    }

    // MARK: Hugging Face reference values

    @Test func loadsTheFixtureDirectory() throws {
        let tokenizer = try fixtureTokenizer()
        let expected = try BPEExpectations.load()
        #expect(tokenizer.vocabularySize == expected.vocabSize)
        #expect(tokenizer.specialTokens == expected.specialTokens)
        #expect(!tokenizer.addPrefixSpace)
        #expect(tokenizer.id(of: "<|endoftext|>") == 0)
        #expect(tokenizer.id(of: "Ġ") == tokenizer.encode(" ").first)
        #expect(tokenizer.id(of: "not a token") == nil)
        #expect(tokenizer.token(of: 1) == "<|pad|>")
        #expect(tokenizer.token(of: expected.vocabSize) == nil && tokenizer.token(of: -1) == nil)
        #expect(tokenizer.isSpecial(0) && tokenizer.isSpecial(1) && !tokenizer.isSpecial(2) && !tokenizer.isSpecial(-1))
        #expect(try fixtureTokenizer(addPrefixSpace: true).addPrefixSpace)
    }

    @Test func tokensIdsAndDecodingMatchHuggingFace() throws {
        let tokenizer = try fixtureTokenizer()
        let texts = try BPEExpectations.load().texts
        #expect(texts.count >= 20)
        for item in texts {
            let text = item.text.debugDescription
            #expect(tokenizer.tokenize(item.text) == item.tokens, "\(text)")
            #expect(tokenizer.encode(item.text) == item.ids, "\(text)")
            #expect(try tokenizer.decode(item.ids) == item.decoded, "\(text)")
            #expect(try tokenizer.decodeBytes(item.ids) == Array(item.text.utf8), "\(text)")
            let incremental = try decodeIncrementally(tokenizer, item.ids)
            #expect(incremental.pieces.joined() + incremental.final == item.decoded, "\(text)")
            #expect(!incremental.pieces.contains { $0.unicodeScalars.contains("\u{FFFD}") }, "\(text)")
            #expect(incremental.final.isEmpty, "\(text)")
        }
    }

    @Test func prefixSpaceMatchesHuggingFace() throws {
        let tokenizer = try fixtureTokenizer(addPrefixSpace: true)
        for item in try BPEExpectations.load().texts {
            #expect(tokenizer.tokenize(item.text) == item.prefixSpaceTokens, "\(item.text.debugDescription)")
            #expect(tokenizer.encode(item.text) == item.prefixSpaceIds, "\(item.text.debugDescription)")
        }
    }

    @Test func preTokenizerMatchesHuggingFace() throws {
        let cases = try BPEExpectations.load().preTokenized
        #expect(cases.count >= 300)
        for item in cases {
            #expect(GPT2PreTokenizer().split(item.text) == item.pieces, "\(item.text.debugDescription)")
        }
    }

    @Test func randomMergeTablesMatchHuggingFace() throws {
        let tokenizer = try ByteLevelBPETokenizer(
            vocabularyFile: Fixtures.path("bpe/random/vocab.json"), mergesFile: Fixtures.path("bpe/random/merges.txt"))
        let words = try BPEExpectations.load().randomMerges
        #expect(words.contains { $0.text.utf8.count > BPEMerges.scanLimit })
        #expect(words.contains { $0.text.utf8.count <= BPEMerges.scanLimit })
        for word in words {
            #expect(tokenizer.tokenize(word.text) == word.tokens, "\(word.text)")
        }
    }

    /// Bytes that are not UTF-8: `decode` replaces each ill-formed part with U+FFFD as
    /// `tokenizers` does; the incremental decoder holds a cut character back until `finish`.
    @Test func partialCharactersMatchHuggingFace() throws {
        let tokenizer = try fixtureTokenizer()
        let cases = try BPEExpectations.load().partialUtf8
        #expect(cases.count >= 8)
        for item in cases {
            #expect(try tokenizer.decode(item.ids) == item.decoded, "\(item.bytes)")
            #expect(try tokenizer.decodeBytes(item.ids) == item.bytes, "\(item.bytes)")
            let incremental = try decodeIncrementally(tokenizer, item.ids)
            #expect(incremental.pieces.joined() + incremental.final == item.decoded, "\(item.bytes)")
        }
    }

    @Test func incrementalDecoderHoldsBackACutCharacter() throws {
        let tokenizer = try fixtureTokenizer()
        let byteIDs = ByteLevelAlphabet.characters.map { tokenizer.id(of: String($0))! }
        // "日" is E6 97 A5, "😀" is F0 9F 98 80: fed one byte at a time.
        var decoder = tokenizer.makeIncrementalDecoder()
        #expect(try decoder.append(byteIDs[0x61]) == "a")
        #expect(try decoder.append(byteIDs[0xE6]) == "")
        #expect(try decoder.append(byteIDs[0x97]) == "")
        #expect(decoder.pendingByteCount == 2)
        #expect(try decoder.append(byteIDs[0xA5]) == "日")
        for byte in [0xF0, 0x9F, 0x98] as [Int] { #expect(try decoder.append(byteIDs[byte]) == "") }
        #expect(try decoder.append(byteIDs[0x80]) == "😀")
        // Cut short at the end: `finish` gives one U+FFFD, as `decode` does.
        #expect(try decoder.append(byteIDs[0xE6]) == "")
        #expect(try decoder.append(byteIDs[0x97]) == "")
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(decoder.pendingByteCount == 0 && decoder.finish() == "")
        #expect(try tokenizer.decode([byteIDs[0x61], byteIDs[0xE6], byteIDs[0x97]]) == "a\u{FFFD}")
        // A cut character followed by one that cannot continue it is replaced at once.
        #expect(try decoder.append(byteIDs[0xE6]) == "")
        #expect(try decoder.append(byteIDs[0x41]) == "\u{FFFD}A")
        // Never valid, so never held back: F0 80, ED A0 (a surrogate), a stray continuation.
        #expect(try decoder.append(byteIDs[0xF0]) == "")
        #expect(try decoder.append(byteIDs[0x80]) == "\u{FFFD}\u{FFFD}")
        #expect(try decoder.append(byteIDs[0xED]) == "")
        #expect(try decoder.append(byteIDs[0xA0]) == "\u{FFFD}\u{FFFD}")
        #expect(try decoder.append(byteIDs[0xBF]) == "\u{FFFD}")
        // A whole multi-byte token after a held-back lead byte.
        let nihon = tokenizer.encode("日本語")
        #expect(try decoder.append(byteIDs[0xC3]) == "")
        #expect(try decoder.append(byteIDs[0xA9]) == "é")
        #expect(try nihon.map { id throws(BPETokenizerError) in try decoder.append(id) }.joined() == "日本語")
    }

    @Test func incompleteSuffixLengths() {
        let cases: [([UInt8], Int)] = [
            ([], 0), ([0x61], 0), ([0xC3], 1), ([0xC3, 0xA9], 0), ([0xE6, 0x97], 2), ([0xE6], 1),
            ([0xE0, 0x9F], 0), ([0xE0, 0xA0], 2), ([0xED, 0x9F], 2), ([0xED, 0xA0], 0), ([0xF0, 0x8F], 0),
            ([0xF0, 0x90, 0x80], 3), ([0xF4, 0x8F, 0xBF], 3), ([0xF4, 0x90], 0), ([0xF5], 0), ([0xC0], 0),
            ([0x80, 0x80, 0x80], 0), ([0xE6, 0x97, 0xA5], 0), ([0x61, 0xF0, 0x9F, 0x98], 3), ([0xE6, 0x41], 0),
        ]
        for (bytes, length) in cases {
            #expect(ByteLevelBPETokenizer.IncrementalDecoder.incompleteSuffixLength(bytes) == length, "\(bytes)")
        }
    }

    // MARK: Decoding

    @Test func unknownTokenIDThrowsNamingTheIDAndTheVocabularySize() throws {
        let tokenizer = try fixtureTokenizer()
        for id in [1000, -1, Int.max] {
            expectError(.unknownTokenID(id: id, vocabularySize: 1000, largestID: 999), mentioning: ["\(id)", "1000 tokens"]) {
                _ = try tokenizer.decode([2, id, 3])
            }
        }
        expectError(.unknownTokenID(id: 5000, vocabularySize: 1000, largestID: 999)) { _ = try tokenizer.decodeBytes([5000]) }
        var decoder = tokenizer.makeIncrementalDecoder()
        #expect(try decoder.append(tokenizer.id(of: "Ã")!) == "")
        expectError(.unknownTokenID(id: 1000, vocabularySize: 1000, largestID: 999)) { _ = try decoder.append(1000) }
        // The failed call changed nothing: the held-back byte is still there.
        #expect(decoder.pendingByteCount == 1)
        #expect(try decoder.append(tokenizer.id(of: "©")!) == "é")
    }

    @Test func specialTokensCanBeSkippedWhenDecoding() throws {
        let tokenizer = try fixtureTokenizer()
        let ids = tokenizer.encode("hello<|endoftext|>world<|pad|>")
        #expect(try tokenizer.decode(ids) == "hello<|endoftext|>world<|pad|>")
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == "helloworld")
        var decoder = tokenizer.makeIncrementalDecoder(skipSpecialTokens: true)
        #expect(try ids.map { id throws(BPETokenizerError) in try decoder.append(id) }.joined() == "helloworld")
    }

    // MARK: Small vocabularies

    @Test func specialTokensAreLeftmostLongestAndEachStretchGetsItsPrefixSpace() throws {
        // The reference is `tokenizers` with the same vocabulary, merges and added tokens.
        let specials = ["<|endoftext|>", "<s>", "<|end"]
        let plain = try tokenizer(vocabulary: byteVocabulary(specials), merges: "", specialTokens: specials)
        let text = "hello<|endoftext|>world <s> x<|end"
        let expected: [String] = ["h", "e", "l", "l", "o", "<|endoftext|>", "w", "o", "r", "l", "d", "Ġ", "<s>", "Ġ", "x", "<|end"]
        #expect(plain.tokenize(text) == expected)
        let prefixed = try tokenizer(vocabulary: byteVocabulary(specials), merges: "", specialTokens: specials, addPrefixSpace: true)
        #expect(prefixed.tokenize(text) == ["Ġ", "h", "e", "l", "l", "o", "<|endoftext|>", "Ġ", "w", "o", "r", "l", "d", "Ġ",
                                            "<s>", "Ġ", "x", "<|end"])
        #expect(prefixed.tokenize("") == [] && prefixed.tokenize("<s><s>") == ["<s>", "<s>"])
        #expect(prefixed.tokenize(" a") == ["Ġ", "a"])
        // Given twice or empty, a special token counts once.
        let twice = try tokenizer(vocabulary: byteVocabulary(specials), merges: "", specialTokens: ["<s>", "", "<s>"])
        #expect(twice.specialTokens == ["<s>"])
    }

    /// `tokenizers` keeps the last rank of a pair listed twice (its merges are a hash map).
    @Test func aPairListedTwiceKeepsItsLastRank() throws {
        let vocabulary = #"{"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4}"#
        #expect(try tokenizer(vocabulary: vocabulary, merges: "a b\nb c\n").tokenize("abc") == ["ab", "c"])
        #expect(try tokenizer(vocabulary: vocabulary, merges: "a b\nb c\na b\n").tokenize("abc") == ["a", "bc"])
    }

    /// A byte whose character is not in the vocabulary is left out, and its neighbours can
    /// then merge, as in `tokenizers`.
    @Test func bytesMissingFromTheVocabularyAreLeftOut() throws {
        let tokenizer = try tokenizer(vocabulary: #"{"a": 0, "c": 1, "ac": 2}"#, merges: "a c")
        #expect(tokenizer.tokenize("abc") == ["ac"])
        #expect(tokenizer.encode("b b") == [])
    }

    @Test func idsMayHaveGaps() throws {
        let tokenizer = try tokenizer(vocabulary: #"{"a": 7, "b": 3, "ab": 40}"#, merges: "#version: 0.2\na b")
        #expect(tokenizer.vocabularySize == 3)
        // "Ġ" is not in the vocabulary, so the spaces are left out.
        #expect(tokenizer.encode("ab a b") == [40, 7, 3])
        #expect(tokenizer.encode("aba") == [40, 7])
        #expect(tokenizer.token(of: 40) == "ab" && tokenizer.token(of: 4) == nil && tokenizer.id(of: "b") == 3)
        #expect(try tokenizer.decode([40, 3, 7]) == "abba")
        expectError(.unknownTokenID(id: 4, vocabularySize: 3, largestID: 40), mentioning: ["4", "3 tokens", "0...40"]) {
            _ = try tokenizer.decode([4])
        }
    }

    @Test func emptyVocabularyLoadsAndEncodesNothing() throws {
        let tokenizer = try tokenizer(vocabulary: " { } \n", merges: "#version: 0.2\n")
        #expect(tokenizer.vocabularySize == 0)
        #expect(tokenizer.encode("anything") == [])
        expectError(.unknownTokenID(id: 0, vocabularySize: 0, largestID: -1), mentioning: ["empty"]) { _ = try tokenizer.decode([0]) }
    }

    /// JSON escapes are decoded, and tokens compare byte by byte.
    @Test func vocabularyKeysAreComparedByteByByte() throws {
        let tokenizer = try tokenizer(
            vocabulary: #"{"\u00e9": 0, "e\u0301": 1, "\ud83d\ude00": 2, "\"\\\/\b\f\n\r\t": 3, "Ġ": 4}"#, merges: "")
        #expect(tokenizer.id(of: "\u{E9}") == 0)
        #expect(tokenizer.id(of: "e\u{301}") == 1)
        #expect(tokenizer.id(of: "😀") == 2)
        #expect(tokenizer.id(of: "\"\\/\u{8}\u{C}\n\r\t") == 3)
        // A token spelled outside the byte alphabet decodes to its own UTF-8, one inside it to the
        // bytes it spells: "é" is byte E9, not UTF-8 by itself.
        #expect(try tokenizer.decodeBytes([2, 4, 0]) == Array("😀 ".utf8) + [0xE9])
        #expect(try tokenizer.decode([2, 4, 0]) == "😀 \u{FFFD}")
    }

    @Test func scanningAndHeapMergingAgree() {
        var generator = RandomGenerator(seed: 5)
        for trial in 0..<200 {
            let symbols = 6
            var rules: [BPEMerges.Rule] = []
            for _ in 0..<Int(generator.next() % 40) {
                rules.append(.init(
                    left: Int32(generator.next() % UInt64(symbols)), right: Int32(generator.next() % UInt64(symbols)),
                    merged: Int32(generator.next() % UInt64(symbols))))
            }
            let merges = BPEMerges(rules)
            let word = (0..<Int(1 + generator.next() % 100)).map { _ in Int32(generator.next() % UInt64(symbols)) }
            #expect(merges.merged(word, useHeap: false) == merges.merged(word, useHeap: true), "trial \(trial): \(word)")
        }
    }

    // MARK: Alphabet and pre-tokenizer

    @Test func byteLevelAlphabetIsGPT2s() {
        let characters = ByteLevelAlphabet.characters
        #expect(characters.count == 256 && Set(characters).count == 256)
        #expect(characters[0x20] == "Ġ" && characters[0x0A] == "Ċ" && characters[0x41] == "A" && characters[0xAD] == "Ń")
        #expect(characters[0] == "\u{100}" && characters.map(\.value).max() == 0x143)
        for byte in 0...255 { #expect(ByteLevelAlphabet.byte(of: characters[byte]) == UInt8(byte)) }
        let everyByte = (0...255).map(UInt8.init)
        #expect(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(everyByte)) == everyByte)
        #expect(ByteLevelAlphabet.encode(Array(" hello\n".utf8)) == "ĠhelloĊ")
        #expect(ByteLevelAlphabet.decode("日") == nil && ByteLevelAlphabet.byte(of: " ") == nil)
    }

    @Test func preTokenizerSplitsAsGPT2sPattern() {
        let split = GPT2PreTokenizer().split
        #expect(split("I'm here  now!") == ["I", "'m", " here", " ", " now", "!"])
        #expect(split("a   b") == ["a", "  ", " b"])
        #expect(split("a \n b  ") == ["a", " \n", " b", "  "])
        #expect(split("x's'sa 'll") == ["x", "'s", "'s", "a", " '", "ll"])
        #expect(split("\u{3000}x") == ["\u{3000}", "x"])
        #expect(split("") == [] && split(" ") == [" "])
        #expect(GPT2PreTokenizer(addPrefixSpace: true).split("hi there") == [" hi", " there"])
        #expect(GPT2PreTokenizer(addPrefixSpace: true).split(" hi") == [" hi"])
    }

    /// Oniguruma's classes, not Swift's: U+088F is a letter since Unicode 17, but not to
    /// `tokenizers`, whose split the fixtures test.
    @Test func characterClassesAreThoseOfTokenizers() {
        let classOf = GPT2PreTokenizer.characterClass(of:)
        #expect(classOf(0x41) == .letter && classOf(0x35) == .number && classOf(0x20) == .whitespace && classOf(0x21) == .other)
        #expect(classOf(0x65E5) == .letter && classOf(0x0663) == .number && classOf(0x3000) == .whitespace)
        #expect(classOf(0x0301) == .other && classOf(0x1F600) == .other && classOf(0x20000) == .letter)
        #expect(classOf(0x088F) == .other && classOf(0x10FFFF) == .other)
        let starts = GPT2PreTokenizer.classRunStarts
        #expect(starts.first == 0 && zip(starts, starts.dropFirst()).allSatisfy { $0 < $1 })
        #expect(starts.count == GPT2PreTokenizer.classRunValues.count)
    }

    @Test func piecesJoinToTheText() {
        var generator = RandomGenerator(seed: 9)
        let pool: [Unicode.Scalar] = [" ", " ", "\t", "\n", "\u{A0}", "a", "Z", "'", "s", "1", "!", "\u{301}", "日", "😀", "\u{10940}"]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(generator.next() % 20) { text.unicodeScalars.append(pool[Int(generator.next() % UInt64(pool.count))]) }
            let pieces = GPT2PreTokenizer().split(text)
            #expect(pieces.joined().utf8.elementsEqual(text.utf8), "\(text.debugDescription)")
            #expect(!pieces.contains(""))
        }
    }

    // MARK: Configuration

    @Test func directoryReadsSpecialTokensAndThePrefixSpaceOption() throws {
        try write(byteVocabulary(["<s>", "</s>", "<pad>", "<mask>", "<extra>"]), to: "vocab.json")
        try write("#version: 0.2\n", to: "merges.txt")
        try write(#"{"bos_token": "<s>", "eos_token": {"content": "</s>", "lstrip": false}, "mask_token": null, "additional_special_tokens": ["<extra>"]}"#,
                  to: "special_tokens_map.json")
        try write(#"{"add_prefix_space": true, "pad_token": "<pad>", "model_max_length": 512, "errors": "replace"}"#,
                  to: "tokenizer_config.json")
        let tokenizer = try ByteLevelBPETokenizer(directory: directory)
        #expect(tokenizer.specialTokens == ["<s>", "</s>", "<extra>", "<pad>"])
        #expect(tokenizer.addPrefixSpace)
        #expect(tokenizer.tokenize("<s>hi<pad>") == ["<s>", "Ġ", "h", "i", "<pad>"])
        #expect(try !ByteLevelBPETokenizer(directory: directory + "/", addPrefixSpace: false).addPrefixSpace)
        // Without configuration files: no special tokens, no prefix space.
        try FileManager.default.removeItem(atPath: directory + "/special_tokens_map.json")
        try FileManager.default.removeItem(atPath: directory + "/tokenizer_config.json")
        let bare = try ByteLevelBPETokenizer(directory: directory)
        #expect(bare.specialTokens == [] && !bare.addPrefixSpace)
    }

    @Test func configurationThatIsNotAJSONObjectThrows() throws {
        try write(byteVocabulary(), to: "vocab.json")
        try write("", to: "merges.txt")
        let path = try write(#"{"bos_token": "#, to: "special_tokens_map.json")
        expectError(.invalidConfiguration(path: path, reason: "the file is not valid JSON"), mentioning: [path, "JSON"]) {
            _ = try ByteLevelBPETokenizer(directory: directory)
        }
        try write(#"["<s>"]"#, to: "special_tokens_map.json")
        expectError(.invalidConfiguration(path: path, reason: "the file is not a JSON object"), mentioning: [path, "object"]) {
            _ = try ByteLevelBPETokenizer(directory: directory)
        }
    }

    @Test(arguments: [
        ("special_tokens_map.json", "bos_token", "5", "a string, an object with a string 'content', or null"),
        ("special_tokens_map.json", "eos_token", #"{"text": "</s>"}"#, "a string, an object with a string 'content', or null"),
        ("tokenizer_config.json", "pad_token", "[]", "a string, an object with a string 'content', or null"),
        ("special_tokens_map.json", "additional_special_tokens", #""<s>""#, "an array of strings or objects with a string 'content'"),
        ("tokenizer_config.json", "additional_special_tokens", "[null]", "an array of strings or objects with a string 'content'"),
        ("tokenizer_config.json", "add_prefix_space", #""yes""#, "a boolean or null"),
    ])
    func configurationValueOfWrongTypeThrows(_ value: (file: String, key: String, json: String, expected: String)) throws {
        try write(byteVocabulary(), to: "vocab.json")
        try write("", to: "merges.txt")
        let path = try write("{\"\(value.key)\": \(value.json)}", to: value.file)
        expectError(.wrongConfigType(path: path, key: value.key, expected: value.expected), mentioning: [path, "'\(value.key)'"]) {
            _ = try ByteLevelBPETokenizer(directory: directory)
        }
    }

    // MARK: Malformed files

    @Test func missingOrUnreadableFilesThrow() throws {
        let merges = try write("", to: "merges.txt")
        let missing = directory + "/missing.json"
        expectError(.unreadable(path: missing, reason: "No such file or directory"), mentioning: [missing]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: missing, mergesFile: merges)
        }
        expectError(.unreadable(path: directory, reason: "not a regular file"), mentioning: [directory]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: directory, mergesFile: merges)
        }
        let vocabulary = try write("{}", to: "vocab.json")
        expectError(.unreadable(path: missing, reason: "No such file or directory")) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: missing)
        }
        try FileManager.default.removeItem(atPath: merges)
        expectError(.unreadable(path: merges, reason: "No such file or directory")) {
            _ = try ByteLevelBPETokenizer(directory: directory)
        }
    }

    @Test func filesThatAreNotUTF8Throw() throws {
        let vocabulary = try write(Array("{\"a\": 0,\n\"".utf8) + [0xC3, 0x28] + Array("\": 1}".utf8), to: "vocab.json")
        let merges = try write("", to: "merges.txt")
        expectError(.invalidUTF8(path: vocabulary, line: 2), mentioning: [vocabulary, "line 2", "UTF-8"]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: merges)
        }
        try write(#"{"a": 0}"#, to: "vocab.json")
        try write(Array("#version: 0.2\na a\n".utf8) + [0xFF], to: "merges.txt")
        expectError(.invalidUTF8(path: merges, line: 3), mentioning: [merges, "line 3"]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: merges)
        }
    }

    @Test(arguments: [
        ("[]", 1, 1, "'{' (vocab.json must be a JSON object of token to id)", "'['"),
        ("", 1, 1, "'{' (vocab.json must be a JSON object of token to id)", "the end of the file"),
        ("\u{FEFF}{}", 1, 1, "'{' (vocab.json must be a JSON object of token to id)", "'\u{FEFF}'"),
        (#"{"a": 0,}"#, 1, 9, "a token in double quotes", "'}'"),
        (#"{a: 0}"#, 1, 2, "a token in double quotes", "'a'"),
        ("{\"a\" 0}", 1, 6, "':' after the token", "'0'"),
        ("{\"a\": 0\n \"b\": 1}", 2, 2, "',' or '}' after an id", "'\"'"),
        (#"{"a": 0"#, 1, 8, "',' or '}' after an id", "the end of the file"),
        (#"{"a": 01}"#, 1, 8, "',' or '}' after an id", "'1'"),
        (#"{"a": 0} {}"#, 1, 10, "the end of the file after the object", "'{'"),
        (#"{"a": 0, "b"#, 1, 12, "'\"' closing the string", "the end of the file"),
        ("{\"a\tb\": 0}", 1, 4, "a control character to be escaped in a string", "U+9"),
        (#"{"a\x": 0}"#, 1, 5, "one of \" \\ / b f n r t u after '\\'", "'x'"),
        (#"{"\u12G4": 0}"#, 1, 7, "four hex digits after '\\u'", "'G'"),
        (#"{"\ud83d": 0}"#, 1, 3, "a low surrogate '\\uDC00'...'\\uDFFF' after a high surrogate", "'\\'"),
        (#"{"\ude00": 0}"#, 1, 3, "a high surrogate before a low surrogate", "'\\'"),
        (#"{"a": -}"#, 1, 8, "a digit", "'}'"),
        (#"{"a": 1.}"#, 1, 9, "a digit after '.'", "'}'"),
        (#"{"a": 1e}"#, 1, 9, "a digit in the exponent", "'}'"),
        (#"{"a": nope}"#, 1, 7, "an id", "'n'"),
    ] as [(String, Int, Int, String, String)])
    func vocabularyThatIsNotAJSONObjectOfIDsThrows(_ value: (json: String, line: Int, column: Int, expected: String, found: String)) throws {
        let vocabulary = try write(value.json, to: "vocab.json")
        let merges = try write("", to: "merges.txt")
        expectError(
            .invalidJSON(path: vocabulary, line: value.line, column: value.column, expected: value.expected, found: value.found),
            mentioning: [vocabulary, "line \(value.line)", "column \(value.column)"]
        ) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: merges)
        }
    }

    /// `tokenizers` drops entries whose value is not a number and truncates ids above 2³² − 1;
    /// Braid rejects both.
    @Test(arguments: [
        ("-1", "-1"), ("1.0", "1.0"), ("1e2", "1e2"), ("4294967296", "4294967296"),
        ("99999999999999999999999", "99999999999999999999999"), (#""7""#, #""7""#), ("true", "true"), ("null", "null"),
        ("{}", "an object"), ("[1]", "an array"),
        (#""a long string value that goes on and on and on""#, #""a long string value that goes on and on …""#),
    ])
    func tokenIDThatIsNotAnIntegerInRangeThrows(json: String, shown: String) throws {
        let vocabulary = try write("{\"a\": 0,\n \"é\": \(json)}", to: "vocab.json")
        let merges = try write("", to: "merges.txt")
        expectError(.invalidTokenID(path: vocabulary, token: "é", line: 2, value: shown), mentioning: [vocabulary, "'é'", shown, "line 2"]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: merges)
        }
    }

    @Test func largestTokenIDLoads() throws {
        let tokenizer = try tokenizer(vocabulary: #"{"a": 4294967295, "b": 0}"#, merges: "")
        #expect(tokenizer.encode("ab") == [4294967295, 0])
        #expect(try tokenizer.decode([4294967295]) == "a")
    }

    @Test func duplicateTokenThrowsWithBothLines() throws {
        // "\u0041" is "A": the keys are compared after their escapes are decoded.
        let vocabulary = try write("{\"A\": 0,\n\"b\": 1,\n\"\\u0041\": 2}", to: "vocab.json")
        let merges = try write("", to: "merges.txt")
        expectError(.duplicateToken(path: vocabulary, token: "A", firstLine: 1, secondLine: 3),
                    mentioning: [vocabulary, "'A'", "line 1", "line 3"]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: merges)
        }
    }

    @Test func duplicateTokenIDThrowsWithBothTokens() throws {
        let vocabulary = try write(#"{"x": 0, "b": 5, "a": 5}"#, to: "vocab.json")
        let merges = try write("", to: "merges.txt")
        expectError(.duplicateTokenID(path: vocabulary, id: 5, firstToken: "b", secondToken: "a"),
                    mentioning: [vocabulary, "'b'", "'a'", "id 5"]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: merges)
        }
    }

    /// Lines are counted as in the file, `#version` lines included, as `tokenizers` counts them.
    @Test(arguments: [
        ("a b c\n", 1, "a b c"), ("a\n", 1, "a"), ("a b\n\n", 2, ""), ("#version: 0.2\na b\nb  a\n", 3, "b  a"),
        ("a\tb", 1, "a\tb"), ("a b\r\n\r\n", 2, ""),
    ])
    func mergeLineThatIsNotTwoTokensThrows(merges: String, line: Int, text: String) throws {
        let vocabulary = try write(#"{"a": 0, "b": 1, "ab": 2, "ba": 3}"#, to: "vocab.json")
        let path = try write(merges, to: "merges.txt")
        expectError(.invalidMerge(path: path, line: line, text: text), mentioning: [path, "line \(line)", "'\(text)'"]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: path)
        }
    }

    @Test func mergeFileLinesAreReadAsTokenizersReadsThem() throws {
        let vocabulary = #"{"a": 0, "b": 1, "ab": 2}"#
        // "\r\n" line ends, a final line without "\n", `#version` lines anywhere.
        for merges in ["a b\r\n", "a b", "#version: 0.2\r\na b\n#version again\n"] {
            #expect(try tokenizer(vocabulary: vocabulary, merges: merges).tokenize("ab") == ["ab"], "\(merges.debugDescription)")
        }
    }

    @Test(arguments: [
        ("a x", "x"), ("x a", "x"), ("b a", "ba"), ("a ", ""), ("#version: 0.2\na b\nb b", "bb"),
        // A "\r" not followed by "\n" stays part of the token.
        ("a b\r", "b\r"),
    ])
    func mergeOutsideTheVocabularyThrows(merges: String, token: String) throws {
        let vocabulary = try write(#"{"a": 0, "b": 1, "ab": 2}"#, to: "vocab.json")
        let path = try write(merges, to: "merges.txt")
        let lastLine = merges.split(separator: "\n", omittingEmptySubsequences: false)
        expectError(
            .mergeTokenNotInVocabulary(path: path, line: lastLine.count, merge: String(lastLine.last!), token: token),
            mentioning: [path, "line \(lastLine.count)", "'\(token)'"]
        ) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: path)
        }
    }

    @Test func missingSpecialTokenThrows() throws {
        let vocabulary = try write(byteVocabulary(["<s>"]), to: "vocab.json")
        let merges = try write("", to: "merges.txt")
        expectError(.missingSpecialToken(path: vocabulary, token: "<|endoftext|>"), mentioning: [vocabulary, "'<|endoftext|>'"]) {
            _ = try ByteLevelBPETokenizer(vocabularyFile: vocabulary, mergesFile: merges, specialTokens: ["<s>", "<|endoftext|>"])
        }
        try write(#"{"unk_token": "<unk>"}"#, to: "tokenizer_config.json")
        expectError(.missingSpecialToken(path: vocabulary, token: "<unk>")) { _ = try ByteLevelBPETokenizer(directory: directory) }
    }
}
