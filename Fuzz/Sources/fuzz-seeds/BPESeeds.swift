import Foundation
import FuzzSupport

/// Seeds of `fuzz-bpe` (see its input scheme): texts for the fixed tokenizer behind even
/// control bytes (with the prefix space behind 0x02), the same in capitals for CLIP's behind
/// 0x08, and a `vocab.json`, a 0x00 and a
/// `merges.txt` behind odd ones: the fixed files with and without the configuration files, the
/// random-merges fixture of `Tests/Fixtures/bpe/random/`, and files with a duplicate id, a
/// merge outside the vocabulary, a missing special token and escapes in the keys.
func writeBPESeeds(_ folder: SeedFolder, fixtures: String) throws {
    let texts = [
        "hello world the café 日本 you're 123",
        "hello<|endoftext|>world <|pad|> a  \n b\n\n\n  trailing  ",
        "I'm we'll they've don't I'D 12345 3.14 e\u{301} 👨‍👩‍👧‍👦 🇫🇷\u{3000}x",
    ]
    for (i, text) in texts.enumerated() {
        try folder.write("fixed-\(i).txt", [UInt8(i % 2 * 2)] + Array(text.utf8))
        try folder.write("clip-\(i).txt", [0x08] + Array(text.uppercased().utf8))
    }
    // Not UTF-8 (the first two bytes of "日"), and as ids a special token, byte tokens and unknown ids.
    try folder.write("bytes.bin", [0x00, 0xE6, 0x97, 0x00, 0x00, 0x01, 0x02, 0x01, 0xFF, 0xFF, 0x20, 0x01, 0xE8, 0x03])
    let vocabulary = Array(BPEFixture.vocabularyJSON.utf8)
    let merges = Array(BPEFixture.mergesText.utf8)
    try folder.write("files.txt", [0x01] + vocabulary + [0] + merges)
    try folder.write("files-special.txt", [0x03] + vocabulary + [0] + merges)
    try folder.write("files-prefix.txt", [0x07] + vocabulary + [0] + merges)
    let random = try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/bpe/random/vocab.json"))
    let randomMerges = try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/bpe/random/merges.txt"))
    try folder.write("random.txt", [0x01] + [UInt8](random) + [0] + [UInt8](randomMerges))
    try folder.write("duplicate-id.txt", [0x01] + Array(#"{"a": 0, "b": 0}"#.utf8) + [0])
    try folder.write("merge-outside.txt", [0x01] + Array(#"{"a": 0, "b": 1}"#.utf8) + [0] + Array("a b\r\n".utf8))
    try folder.write("no-special.txt", [0x03] + Array(#"{"a": 0}"#.utf8) + [0] + Array("#version: 0.2\n".utf8))
    try folder.write("escapes.txt", [0x05] + Array(#"{"\u0120": 0, "\ud83d\ude00": 1, "a": 2, "\u0120a": 3}"#.utf8) + [0]
        + Array("\u{120} a".utf8))
}
