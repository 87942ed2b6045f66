import Braid
import FuzzSupport

/// Where a fuzzed `vocab.txt` (and the fixed configuration, when the input asks for it) goes.
let scratch = ScratchDirectory("fuzz-tokenizer")

/// The tokenizer of the fixed vocabulary and configuration, loaded once.
let fixedTokenizer: WordPieceTokenizer = {
    let folder = ScratchDirectory("fuzz-tokenizer-fixed")
    folder.write(TokenizerFixture.vocabularyFile, to: "vocab.txt")
    folder.write(TokenizerFixture.configJSON, to: "tokenizer_config.json")
    do {
        return try WordPieceTokenizer(directory: folder.path)
    } catch {
        fatalError("fuzz-tokenizer: the fixed tokenizer does not load: \(error)")
    }
}()

/// Tokenizes one input. Its first byte `c` chooses: when even, the fixed tokenizer and the rest
/// of the input as text; when odd, the rest up to the first 0x00 byte is `vocab.txt` (with the
/// fixed `tokenizer_config.json` beside it when bit 1 of `c` is set) and what follows the 0x00 is
/// the text. The text, decoded from UTF-8 with repairs, goes through `exerciseTokenizer` with
/// `maxLength` 2 + (c >> 2) % 32.
func fuzzTokenizer(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    let rest = bytes.dropFirst()
    let tokenizer: WordPieceTokenizer
    var text = rest
    if control % 2 == 0 {
        tokenizer = fixedTokenizer
    } else {
        let end = rest.firstIndex(of: 0) ?? rest.endIndex
        scratch.write(Array(rest[..<end]), to: "vocab.txt")
        text = end == rest.endIndex ? [] : rest[(end + 1)...]
        if control & 2 != 0 {
            scratch.write(TokenizerFixture.configJSON, to: "tokenizer_config.json")
        } else {
            scratch.remove("tokenizer_config.json")
        }
        guard let loaded = attempt({ try WordPieceTokenizer(directory: scratch.path) }) else { return }
        tokenizer = loaded
    }
    exerciseTokenizer(tokenizer, text: String(decoding: text, as: UTF8.self), maxLength: 2 + Int(control >> 2) % 32)
}

/// The program's entry: libFuzzer over `fuzzTokenizer`.
@_cdecl("fuzz_tokenizer_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = fixedTokenizer
    return runFuzzer(argc: argc, argv: argv, body: fuzzTokenizer)
}
