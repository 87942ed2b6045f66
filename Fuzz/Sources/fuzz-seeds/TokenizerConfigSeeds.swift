import Foundation

/// Seeds of `fuzz-tokenizer-config`: all-MiniLM-L6-v2's `tokenizer_config.json` (copied from
/// `Tests/Fixtures/tokenizer/`), and variants with `AddedToken` objects, the `int(1e30)` "no
/// limit", other casing options, nulls, a special token outside the vocabulary, and a
/// `model_max_length` of 1, which leaves no room for `[CLS]` and `[SEP]`.
func writeTokenizerConfigSeeds(_ folder: SeedFolder, fixtures: String) throws {
    let real = try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/tokenizer/tokenizer_config.json"))
    try folder.write("minilm.json", [UInt8](real))
    try folder.write("added-tokens.json", """
        {"unk_token": {"content": "[UNK]", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, \
        "special": true}, "cls_token": {"content": "[CLS]"}, "mask_token": {"content": "[MASK]"}, "model_max_length": 12}
        """)
    try folder.write("no-limit.json", #"{"model_max_length": 1000000000000000019884624838656, "do_lower_case": true}"#)
    try folder.write("cased.json", #"{"do_lower_case": false, "strip_accents": true, "tokenize_chinese_chars": false, "model_max_length": 6}"#)
    try folder.write("nulls.json", #"{"strip_accents": null, "model_max_length": null, "mask_token": null, "pad_token": "[PAD]"}"#)
    try folder.write("unknown-token.json", #"{"unk_token": "<unk>", "model_max_length": 8}"#)
    try folder.write("max-length-1.json", #"{"model_max_length": 1}"#)
    try folder.write("empty.json", "{}")
}
