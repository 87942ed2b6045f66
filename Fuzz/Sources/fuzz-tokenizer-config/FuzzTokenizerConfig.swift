import Braid
import FuzzSupport

/// The tokenizer folder: the fixed `vocab.txt`, written once, and each input as
/// `tokenizer_config.json`.
let scratch: ScratchDirectory = {
    let folder = ScratchDirectory("fuzz-tokenizer-config")
    folder.write(TokenizerFixture.vocabularyFile, to: "vocab.txt")
    return folder
}()

/// A text with words, pieces, punctuation, accents, CJK and special tokens of the fixed vocabulary.
let sampleText = "Some text, more text! The quick brown fox jumped [MASK] the lazy dogs. Café déjà vu 日本語 [UNK]"

/// Loads a tokenizer with one input as its `tokenizer_config.json`; when it loads, runs
/// `exerciseTokenizer` on a fixed text and, when the configuration gave a `model_max_length`,
/// pads a batch to it.
func fuzzTokenizerConfig(_ bytes: [UInt8]) {
    scratch.write(bytes, to: "tokenizer_config.json")
    guard let tokenizer = attempt({ try WordPieceTokenizer(directory: scratch.path) }) else { return }
    exerciseTokenizer(tokenizer, text: sampleText, maxLength: 8)
    if tokenizer.modelMaxLength != nil {
        _ = tokenizer.encodeBatch(["some text", "more"], padding: .maxLength)
    }
}

/// The program's entry: libFuzzer over `fuzzTokenizerConfig`.
@_cdecl("fuzz_tokenizer_config_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = scratch
    return runFuzzer(argc: argc, argv: argv, body: fuzzTokenizerConfig)
}
