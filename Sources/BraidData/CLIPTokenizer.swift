import BraidTensor
import Glibc

/// CLIP's tokenizer: the byte-level BPE of OpenAI's CLIP with its text cleaning, matching
/// transformers' `CLIPTokenizer` (a `tokenizers` BPE with `end_of_word_suffix="</w>"`) id for id.
///
/// Text is normalised and split into words by ``CLIPPreTokenizer`` (NFC, white space collapsed,
/// lower case); each word's bytes start as byte-level symbols, the last one the token of its
/// character with `</w>` after it, and `merges.txt` joins them as in ``ByteLevelBPETokenizer``.
/// `<|startoftext|>` and `<|endoftext|>` typed in the text are found first, exactly, and become
/// their own ids. ``encode(_:maxLength:)`` puts `<|startoftext|>` before the words and
/// `<|endoftext|>` after them; ``encodeBatch(_:length:padsToLongest:)`` pads and truncates to CLIP's 77.
/// Decoding joins the tokens' bytes, turns every `</w>` into a space and trims the ends, so
/// "A photo of a cat." comes back as "a photo of a cat .".
///
/// ```swift
/// let tokenizer = try CLIPTokenizer(directory: "clip-vit-base-patch32")
/// tokenizer.encode("A photo of a cat.")   // [49406, 320, 1125, 539, 320, 2368, 269, 49407]
/// ```
public struct CLIPTokenizer: Sendable {
    /// The byte-level BPE under CLIP's scheme, which knows the special tokens.
    public let bpe: ByteLevelBPETokenizer
    /// The id of `<|startoftext|>` (`bos_token`).
    public let beginningOfTextID: Int
    /// The id of `<|endoftext|>` (`eos_token`), the token each text is pooled at.
    public let endOfTextID: Int
    /// The id that pads a batch (`pad_token`, `<|endoftext|>` in OpenAI's CLIP).
    public let paddingID: Int
    /// The length ``encodeBatch(_:length:padsToLongest:)`` pads and truncates to by default, 77 in CLIP.
    public let contextLength: Int

    /// Loads `vocab.json` and `merges.txt` (read as ``ByteLevelBPETokenizer`` reads them) with
    /// CLIP's special tokens, each of which must be in the vocabulary; `unknownToken` stands for a
    /// byte the vocabulary lacks (CLIP's vocabulary lacks none).
    public init(
        vocabularyFile: String, mergesFile: String, beginningOfText: String = "<|startoftext|>",
        endOfText: String = "<|endoftext|>", padding: String = "<|endoftext|>", unknownToken: String = "<|endoftext|>",
        contextLength: Int = 77
    ) throws(BPETokenizerError) {
        check(contextLength >= 2, "CLIPTokenizer: context length \(contextLength) must hold <|startoftext|> and <|endoftext|>")
        bpe = try ByteLevelBPETokenizer(
            vocabularyFile: vocabularyFile, mergesFile: mergesFile, specialTokens: [beginningOfText, endOfText, padding, unknownToken],
            addPrefixSpace: false, scheme: .clip, unknownToken: unknownToken)
        // The special tokens were checked to be in the vocabulary.
        (beginningOfTextID, endOfTextID, paddingID) = (bpe.id(of: beginningOfText)!, bpe.id(of: endOfText)!, bpe.id(of: padding)!)
        self.contextLength = contextLength
    }

    /// Loads a Hugging Face CLIP tokenizer folder: `vocab.json`, `merges.txt` and, where it is
    /// there, `tokenizer_config.json`, whose `bos_token`, `eos_token`, `pad_token` and `unk_token`
    /// (strings or `AddedToken` objects) replace CLIP's defaults; the context is CLIP's 77. Throws what
    /// ``init(vocabularyFile:mergesFile:beginningOfText:endOfText:padding:unknownToken:contextLength:)``
    /// throws, and `invalidConfiguration` or `wrongConfigType` naming the file and key.
    public init(directory: String) throws(BPETokenizerError) {
        func file(_ name: String) -> String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }
        var tokens = ["bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>"]
        let configurationPath = file("tokenizer_config.json")
        if access(configurationPath, F_OK) == 0 {
            let configuration = try ByteLevelBPETokenizer.configuration(at: configurationPath)
            for key in tokens.keys.sorted() {
                if let token = try ByteLevelBPETokenizer.tokenContent(configuration[key], key: key, path: configurationPath) {
                    tokens[key] = token
                }
            }
        }
        try self.init(
            vocabularyFile: file("vocab.json"), mergesFile: file("merges.txt"), beginningOfText: tokens["bos_token"]!,
            endOfText: tokens["eos_token"]!, padding: tokens["pad_token"]!, unknownToken: tokens["unk_token"]!,
            contextLength: 77)
    }

    /// The tokens of `text`'s words as spelled in the vocabulary ("cat</w>"), without the
    /// start and end tokens.
    public func tokenize(_ text: String) -> [String] { bpe.tokenize(text) }

    /// `<|startoftext|>`, the ids of `text`, `<|endoftext|>` (`tokenizer(text)["input_ids"]`);
    /// with `maxLength`, the words are cut so that the whole is at most that long and still ends
    /// in `<|endoftext|>` (`truncation=True, max_length=maxLength`).
    public func encode(_ text: String, maxLength: Int? = nil) -> [Int] {
        var words = bpe.encode(text)
        if let maxLength {
            check(maxLength >= 2, "CLIPTokenizer: max length \(maxLength) must hold <|startoftext|> and <|endoftext|>")
            words = Array(words.prefix(maxLength - 2))
        }
        return [beginningOfTextID] + words + [endOfTextID]
    }

    /// `texts` encoded, truncated and padded on the right to `length` tokens each (by default
    /// ``contextLength``): `tokenizer(texts, padding="max_length", max_length=length,
    /// truncation=True)`; with `padsToLongest`, only to the longest text's length, if shorter
    /// (`padding=True`). The attention mask is 1 over each text's tokens, its start and end
    /// included; token types are all 0.
    public func encodeBatch(_ texts: [String], length: Int? = nil, padsToLongest: Bool = false) -> TokenizedBatch {
        let rows = texts.map { encode($0, maxLength: length ?? contextLength) }
        let length = padsToLongest ? rows.map(\.count).max() ?? 2 : length ?? contextLength
        var ids: [Int] = [], mask: [Int] = []
        ids.reserveCapacity(texts.count * length)
        mask.reserveCapacity(texts.count * length)
        for row in rows {
            ids += row + [Int](repeating: paddingID, count: length - row.count)
            mask += [Int](repeating: 1, count: row.count) + [Int](repeating: 0, count: length - row.count)
        }
        let shape = [texts.count, length]
        return TokenizedBatch(
            inputIds: IntTensor(shape: shape, scalars: ids), attentionMask: IntTensor(shape: shape, scalars: mask),
            tokenTypeIds: IntTensor(shape: shape, scalars: [Int](repeating: 0, count: ids.count)))
    }

    /// The text of `ids` (`tokenizer.decode(ids, skip_special_tokens=skipSpecialTokens)`): the
    /// tokens' bytes read as UTF-8 (ill-formed parts replaced by U+FFFD), each `</w>` a space,
    /// white space trimmed from both ends. Throws `unknownTokenID` for an id no token has.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws(BPETokenizerError) -> String {
        // On bytes and scalars, not characters: a combining mark after "</w>" or a space joins
        // its character, and would hide it from a string search.
        var bytes = try bpe.decodeBytes(ids, skipSpecialTokens: skipSpecialTokens)
        let suffix = Array("</w>".utf8)
        var i = 0
        while i + suffix.count <= bytes.count {
            if bytes[i..<(i + suffix.count)].elementsEqual(suffix) {
                bytes.replaceSubrange(i..<(i + suffix.count), with: [UInt8(ascii: " ")])
            }
            i += 1
        }
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map(scalars.index(after:)) ?? start
        return String(String.UnicodeScalarView(scalars[start..<max(start, end)]))
    }
}
