/// The fixed valid tokenizer files of the tokenizer targets: a small WordPiece vocabulary with
/// BERT's special tokens, whole words, `##` pieces, punctuation, accented and CJK tokens, and the
/// `tokenizer_config.json` of all-MiniLM-L6-v2 with a 16-token `model_max_length`.
public enum TokenizerFixture {
    /// The vocabulary, one token a line as in `vocab.txt`.
    public static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "brown", "fox", "jump", "##s", "##ed",
        "##ing", "over", "lazy", "dog", "un", "##aff", "##able", "hello", "world", "some", "text", "more",
        "café", "cafe", "de", "##ja", "vu", "日", "本", "語", ".", ",", "!", "?", "'", "-", "a", "##b", "b",
    ]

    /// The contents of `vocab.txt`.
    public static var vocabularyFile: String { vocabulary.joined(separator: "\n") + "\n" }

    /// A `tokenizer_config.json` naming BERT's special tokens.
    public static let configJSON = """
        {"do_lower_case": true, "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", \
        "cls_token": "[CLS]", "mask_token": "[MASK]", "tokenize_chinese_chars": true, "strip_accents": null, \
        "tokenizer_class": "BertTokenizer", "model_max_length": 16}
        """
}
