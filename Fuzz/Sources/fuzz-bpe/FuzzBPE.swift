import Braid
import FuzzSupport

/// Where a fuzzed `vocab.json` and `merges.txt` (and the fixed configuration files, when the
/// input asks for them) go.
let scratch = ScratchDirectory("fuzz-bpe")

/// The tokenizer of the fixed files, loaded once.
let fixedTokenizer: ByteLevelBPETokenizer = {
    let folder = ScratchDirectory("fuzz-bpe-fixed")
    folder.write(BPEFixture.vocabularyJSON, to: "vocab.json")
    folder.write(BPEFixture.mergesText, to: "merges.txt")
    folder.write(BPEFixture.specialTokensMapJSON, to: "special_tokens_map.json")
    do {
        let tokenizer = try ByteLevelBPETokenizer(directory: folder.path)
        require(tokenizer.specialTokens == ["<|endoftext|>"], "the fixed special tokens are \(tokenizer.specialTokens)")
        return tokenizer
    } catch {
        fatalError("fuzz-bpe: the fixed tokenizer does not load: \(error)")
    }
}()

/// The fixed tokenizer with every special token and RoBERTa's prefix space.
let prefixTokenizer: ByteLevelBPETokenizer = {
    let folder = ScratchDirectory("fuzz-bpe-prefix")
    do {
        return try ByteLevelBPETokenizer(
            vocabularyFile: folder.write(BPEFixture.vocabularyJSON, to: "vocab.json"),
            mergesFile: folder.write(BPEFixture.mergesText, to: "merges.txt"),
            specialTokens: BPEFixture.specialTokens, addPrefixSpace: true)
    } catch {
        fatalError("fuzz-bpe: the prefix-space tokenizer does not load: \(error)")
    }
}()

/// CLIP's tokenizer on OpenAI's vocabulary (the test fixture; `Scripts/fuzz` runs from the
/// repository root), loaded once.
let clipTokenizer: CLIPTokenizer = {
    do {
        return try CLIPTokenizer(directory: "Tests/Fixtures/clip/tokenizer")
    } catch {
        fatalError("fuzz-bpe: CLIP's tokenizer does not load: \(error)")
    }
}()

/// Encodes `text` with CLIP's tokenizer and stops the process when a property fails: the ids
/// start and end with CLIP's special tokens, `tokenize` agrees with them, they decode, and a
/// batch of the text and an empty one is padded to 8.
func exerciseCLIP(_ text: String) {
    let tokenizer = clipTokenizer
    let ids = tokenizer.encode(text)
    require(ids.first == tokenizer.beginningOfTextID && ids.last == tokenizer.endOfTextID, "CLIP's ids lack their start or end")
    require(tokenizer.tokenize(text).map { tokenizer.bpe.id(of: $0) } == ids.dropFirst().dropLast().map { $0 }, "CLIP's tokenize and encode disagree")
    require(attempt({ try tokenizer.decode(ids, skipSpecialTokens: true) }) != nil, "CLIP's ids do not decode")
    let batch = tokenizer.encodeBatch([text, ""], length: 8)
    require(batch.inputIds.shape == [2, 8] && batch.inputIds.scalars[7] == (ids.count >= 8 ? tokenizer.endOfTextID : tokenizer.paddingID),
            "CLIP's batch is not truncated or padded to 8")
}

/// Stops the process with `message` (in release builds too) when `condition` is false: a finding.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz-bpe: \(message())") }
}

/// A text with words the fixed merges join, special tokens, accents, CJK, emoji and white space.
let sampleText = "hello world<|endoftext|> the café 日本 you're  123\n\n 😀 <|pad|>"

/// Encodes and decodes `text` with `tokenizer` and stops the process when a property fails:
/// the pre-tokenizer's pieces join to the text, `tokenize` and `encode` agree, `encode`'s ids
/// decode, the incremental decoder's pieces join to `decode`'s text, and, with `roundTrip` (a
/// vocabulary of all 256 bytes, no prefix space), the decoded bytes are the text's. Then
/// decodes `idBytes` read as 16-bit ids, which may be unknown.
func exerciseBPE(_ tokenizer: ByteLevelBPETokenizer, text: String, roundTrip: Bool, idBytes: ArraySlice<UInt8>) {
    let pieces = tokenizer.preTokenizer.split(text)
    let spaced = tokenizer.addPrefixSpace && !text.isEmpty && !text.hasPrefix(" ") ? " " + text : text
    require(pieces.joined().utf8.elementsEqual(spaced.utf8), "the pieces do not join to the text")
    let ids = tokenizer.encode(text)
    let tokens = tokenizer.tokenize(text)
    require(tokens.map { tokenizer.id(of: $0) } == ids, "tokenize and encode disagree")
    let bytes: [UInt8]
    let decoded: String
    do {
        bytes = try tokenizer.decodeBytes(ids)
        decoded = try tokenizer.decode(ids)
        var decoder = tokenizer.makeIncrementalDecoder()
        var joined = ""
        for id in ids { joined += try decoder.append(id) }
        joined += decoder.finish()
        require(joined == decoded, "the incremental decoder's text differs from decode's")
    } catch {
        fatalError("fuzz-bpe: the ids of encode do not decode: \(error)")
    }
    if roundTrip {
        require(bytes.elementsEqual(text.utf8), "decodeBytes(encode(text)) is not the text")
    }
    var arbitrary: [Int] = []
    var index = idBytes.startIndex
    while index + 1 < idBytes.endIndex {
        arbitrary.append(Int(idBytes[index]) | Int(idBytes[index + 1]) << 8)
        index += 2
    }
    if attempt({ try tokenizer.decode(arbitrary) }) != nil {
        var decoder = tokenizer.makeIncrementalDecoder(skipSpecialTokens: true)
        var joined = ""
        for id in arbitrary { joined += (try? decoder.append(id)) ?? "" }
        joined += decoder.finish()
        require(joined == (try? tokenizer.decode(arbitrary, skipSpecialTokens: true)),
                "the incremental decoder's text differs from decode's")
    }
}

/// Loads or picks a tokenizer for one input and exercises it. The first byte `c` chooses: when
/// even with bit 3 set, CLIP's tokenizer on the rest of the input as text; when even otherwise, the fixed tokenizer (with the prefix space and both special tokens when bit 1 is set)
/// and the rest of the input as the text and as ids; when odd, the rest up to the first 0x00
/// byte is `vocab.json` and what follows it `merges.txt`, with the fixed
/// `special_tokens_map.json` beside them when bit 1 of `c` is set and a `tokenizer_config.json`
/// setting `add_prefix_space` when bit 2 is; a tokenizer that loads encodes a fixed text.
func fuzzBPE(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    let rest = bytes.dropFirst()
    if control % 2 == 0 && control & 8 != 0 {
        exerciseCLIP(String(decoding: rest, as: UTF8.self))
        return
    }
    if control % 2 == 0 {
        let tokenizer = control & 2 == 0 ? fixedTokenizer : prefixTokenizer
        exerciseBPE(
            tokenizer, text: String(decoding: rest, as: UTF8.self), roundTrip: !tokenizer.addPrefixSpace, idBytes: rest)
        return
    }
    let end = rest.firstIndex(of: 0) ?? rest.endIndex
    scratch.write(Array(rest[..<end]), to: "vocab.json")
    scratch.write(end == rest.endIndex ? [] : Array(rest[(end + 1)...]), to: "merges.txt")
    if control & 2 != 0 {
        scratch.write(BPEFixture.specialTokensMapJSON, to: "special_tokens_map.json")
    } else {
        scratch.remove("special_tokens_map.json")
    }
    if control & 4 != 0 {
        scratch.write(BPEFixture.prefixSpaceConfigJSON, to: "tokenizer_config.json")
    } else {
        scratch.remove("tokenizer_config.json")
    }
    guard let tokenizer = attempt({ try ByteLevelBPETokenizer(directory: scratch.path) }) else { return }
    exerciseBPE(tokenizer, text: sampleText, roundTrip: false, idBytes: rest.prefix(64))
}

/// The program's entry: libFuzzer over `fuzzBPE`.
@_cdecl("fuzz_bpe_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = fixedTokenizer
    _ = prefixTokenizer
    _ = clipTokenizer
    return runFuzzer(argc: argc, argv: argv, body: fuzzBPE)
}
