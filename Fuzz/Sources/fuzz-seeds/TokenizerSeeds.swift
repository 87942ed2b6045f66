import FuzzSupport

/// Seeds of `fuzz-tokenizer` (see its input scheme): texts for the fixed tokenizer behind even
/// control bytes, and a vocabulary, a 0x00 and a text behind odd ones, with and without the fixed
/// configuration, including CRLF lines and a vocabulary that lacks `[SEP]`.
func writeTokenizerSeeds(_ folder: SeedFolder) throws {
    let texts = [
        "The quick brown fox jumps over the lazy dog.",
        "Hello, World! unaffable café déjà vu 日本語",
        "[CLS] some [MASK] text [SEP] more\nsecond line\n\nfox-jumped!?",
        "I love 🍕 and 🚀!! \u{301}e\u{0} \u{200B}x",
    ]
    for (i, text) in texts.enumerated() {
        try folder.write("fixed-\(i).txt", [UInt8(i * 4 * 8 % 256)] + Array(text.utf8))
    }
    let vocabulary = Array(TokenizerFixture.vocabularyFile.utf8)
    try folder.write("vocab-with-config.txt", [0x03] + vocabulary + [0] + Array(texts[1].utf8))
    try folder.write("vocab-no-config.txt", [0x11] + vocabulary + [0] + Array(texts[0].utf8))
    try folder.write("vocab-crlf.txt", [0x05] + Array("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nab\r\n##c\r\n".utf8) + [0] + Array("abc ab ## abcc".utf8))
    try folder.write("vocab-no-sep.txt", [0x01] + Array("[PAD]\n[UNK]\n[CLS]\nx\n".utf8) + [0] + Array("x".utf8))
}
