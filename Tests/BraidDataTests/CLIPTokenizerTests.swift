import BraidData
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// CLIP's tokenizer on OpenAI's real vocabulary against transformers' `CLIPTokenizer`
/// (`Tests/Fixtures/clip/tokenizer/`, written by `Scripts/make-clip-fixtures.py`).
@Suite struct CLIPTokenizerTests {
    struct Expected: Decodable {
        struct Case: Decodable {
            let text: String
            let tokens: [String]
            let ids: [Int]
            let decoded: String
            let decodedWithSpecial: String
            enum CodingKeys: String, CodingKey { case text, tokens, ids, decoded, decodedWithSpecial = "decoded_with_special" }
        }
        struct Batch: Decodable {
            let texts: [String]
            let ids: [[Int]]
            let attentionMask: [[Int]]
            enum CodingKeys: String, CodingKey { case texts, ids, attentionMask = "attention_mask" }
        }
        struct Special: Decodable { let bos, eos, pad: Int }
        let cases: [Case]
        let batch: Batch
        let special: Special
    }

    let tokenizer: CLIPTokenizer
    let expected: Expected
    init() throws {
        tokenizer = try CLIPTokenizer(directory: Fixtures.path("clip/tokenizer"))
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("clip/tokenizer/expected.json")))
        expected = try JSONDecoder().decode(Expected.self, from: data)
    }

    @Test func specialTokensAreCLIPs() {
        #expect(tokenizer.bpe.vocabularySize == 49408 && tokenizer.contextLength == 77)
        #expect(tokenizer.beginningOfTextID == expected.special.bos && tokenizer.endOfTextID == expected.special.eos)
        #expect(tokenizer.paddingID == expected.special.pad)
        #expect(tokenizer.encode("A photo of a cat.") == [49406, 320, 1125, 539, 320, 2368, 269, 49407])
    }

    /// Tokens and ids of every tricky text (accents, Greek, Turkish, CJK, Hangul, emoji, digits,
    /// contractions, special tokens typed in the text, control characters, white-space runs).
    @Test func tokensAndIdsMatchTransformers() {
        for c in expected.cases {
            #expect(tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)")
            #expect(tokenizer.tokenize(c.text) == Array(c.tokens.dropFirst().dropLast()), "\(c.text.debugDescription)")
        }
    }

    @Test func decodingMatchesTransformers() throws {
        for c in expected.cases {
            #expect(try tokenizer.decode(c.ids, skipSpecialTokens: true) == c.decoded, "\(c.text.debugDescription)")
            #expect(try tokenizer.decode(c.ids) == c.decodedWithSpecial, "\(c.text.debugDescription)")
        }
    }

    @Test func batchesArePaddedAndTruncatedTo77() {
        let batch = tokenizer.encodeBatch(expected.batch.texts)
        #expect(batch.inputIds.shape == [expected.batch.texts.count, 77])
        #expect(batch.inputIds.scalars == expected.batch.ids.flatMap { $0 })
        #expect(batch.attentionMask.scalars == expected.batch.attentionMask.flatMap { $0 })
        let short = tokenizer.encodeBatch(["a photo of a dog"], length: 4)
        #expect(short.inputIds.scalars == [49406, 320, 1125, 49407])
        #expect(tokenizer.encodeBatch(expected.batch.texts, padsToLongest: true) == batch)
        let longest = tokenizer.encodeBatch(["a photo", "a"], padsToLongest: true)
        #expect(longest.inputIds.shape == [2, 4] && longest.inputIds.scalars == [49406, 320, 1125, 49407, 49406, 320, 49407, 49407])
        #expect(longest.attentionMask.scalars == [1, 1, 1, 1, 1, 1, 1, 0])
    }

    @Test func preTokenizerSplitsWordsAsCLIP() {
        #expect(CLIPPreTokenizer.split("A photo of 12 CATS!") == ["a", "photo", "of", "1", "2", "cats", "!"])
        #expect(CLIPPreTokenizer.split("I'M  here,\tdon't") == ["i", "'m", "here", ",", "don", "'t"])
        #expect(CLIPPreTokenizer.split("<|ENDOFTEXT|>") == ["<|", "endoftext", "|>"])
        #expect(CLIPPreTokenizer.split("cafe\u{301}") == ["café"])
    }

    /// A `tokenizer_config.json` beside the files names other special tokens; a wrong one is an
    /// error naming the file and key; a special token outside the vocabulary is named.
    @Test func configurationAndBadFilesAreReported() throws {
        let folder = try TemporaryDirectory(prefix: "clip-tokenizer")
        for name in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("clip/tokenizer/" + name), toPath: folder.path + "/" + name)
        }
        try folder.write(#"{"pad_token": {"content": "!", "lstrip": false}, "model_max_length": 77}"#, to: "tokenizer_config.json")
        let padded = try CLIPTokenizer(directory: folder.path)
        #expect(padded.paddingID == 0 && padded.encodeBatch(["a"], length: 5).inputIds.scalars == [49406, 320, 49407, 0, 0])
        try folder.write(#"{"eos_token": 7}"#, to: "tokenizer_config.json")
        #expect { _ = try CLIPTokenizer(directory: folder.path) } throws: { "\($0)".contains("tokenizer_config.json") && "\($0)".contains("eos_token") }
        try folder.write(#"{"bos_token": "<|start|>"}"#, to: "tokenizer_config.json")
        #expect { _ = try CLIPTokenizer(directory: folder.path) } throws: { "\($0)".contains("<|start|>") && "\($0)".contains("vocab.json") }
        #expect { _ = try CLIPTokenizer(directory: folder.path + "/missing") } throws: { "\($0)".contains("vocab.json") }
        #expect(throws: BPETokenizerError.self) { _ = try tokenizer.decode([49408]) }
    }
}
