import Braid
import Foundation

/// The fixed valid files of `fuzz-bpe`: a byte-level BPE vocabulary of the 256 byte characters,
/// two special tokens and the results of a few merges (English words, an accented letter, a CJK
/// character, runs of spaces and newlines, digits, a contraction), and GPT-2's special tokens map.
public enum BPEFixture {
    /// The special tokens, found in raw text.
    public static let specialTokens = ["<|endoftext|>", "<|pad|>"]

    /// The merges, in rank order, as byte-level tokens.
    public static let merges: [(String, String)] = [
        ("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"), ("Ġa", "n"), ("Ġan", "d"), ("e", "r"),
        ("Ã", "©"), ("c", "a"), ("ca", "f"), ("caf", "Ã©"), ("Ġ", "Ġ"), ("ĠĠ", "ĠĠ"), ("Ċ", "Ċ"), ("æ", "Ĺ"),
        ("æĹ", "¥"), ("'", "s"), ("o", "u"), ("Ġ", "y"), ("Ġy", "ou"), ("1", "2"), ("12", "3"), ("ð", "Ł"),
        ("Ġ", "w"), ("Ġw", "or"), ("o", "r"), ("Ġwor", "l"), ("Ġworl", "d"), ("l", "l"), ("he", "ll"), ("hell", "o"),
    ]

    /// The tokens in id order: the special tokens, the byte characters, then each merge's result.
    public static var tokens: [String] {
        var tokens = specialTokens + ByteLevelAlphabet.characters.map { String($0) }
        for (left, right) in merges where !tokens.contains(left + right) { tokens.append(left + right) }
        return tokens
    }

    /// The contents of `vocab.json`: one member a token, ids in order.
    public static var vocabularyJSON: String {
        let members = tokens.enumerated().map { id, token in
            String(decoding: try! JSONEncoder().encode(token), as: UTF8.self) + ": \(id)"
        }
        return "{" + members.joined(separator: ",\n ") + "}\n"
    }

    /// The contents of `merges.txt`, with its `#version` line.
    public static var mergesText: String {
        "#version: 0.2\n" + merges.map { "\($0.0) \($0.1)\n" }.joined()
    }

    /// A `special_tokens_map.json` naming `<|endoftext|>` as GPT-2's does.
    public static let specialTokensMapJSON = """
        {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": {"content": "<|endoftext|>", \
        "lstrip": false, "normalized": true, "rstrip": false, "single_word": false}}
        """

    /// A `tokenizer_config.json` that sets RoBERTa's `add_prefix_space`.
    public static let prefixSpaceConfigJSON = #"{"add_prefix_space": true, "model_max_length": 1024}"#
}
