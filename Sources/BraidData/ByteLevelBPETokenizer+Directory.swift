import Foundation
import Glibc

extension ByteLevelBPETokenizer {
    /// The keys of the special tokens in `special_tokens_map.json` and `tokenizer_config.json`,
    /// in the order `specialTokens` lists them.
    private static let specialTokenKeys = [
        "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token",
    ]

    /// Loads a Hugging Face tokenizer folder of GPT-2's or RoBERTa's kind
    /// (`GPT2TokenizerFast.from_pretrained(directory)` without `tokenizer.json`): `vocab.json`
    /// and `merges.txt`, with the special tokens of `special_tokens_map.json` and
    /// `tokenizer_config.json` where they are there.
    ///
    /// From each of the two configuration files the special tokens are `bos_token`,
    /// `eos_token`, `unk_token`, `sep_token`, `pad_token`, `cls_token`, `mask_token` (a string,
    /// an object whose `content` is a string, as `AddedToken` is saved, or null) and the list
    /// `additional_special_tokens`; `tokenizer_config.json`'s `add_prefix_space` (a boolean or
    /// null, default false) sets ``addPrefixSpace`` unless `addPrefixSpace` is given. Other
    /// keys are ignored, `added_tokens_decoder` too, and so are an `AddedToken`'s `lstrip` and
    /// `rstrip` flags. Throws what `init(vocabularyFile:mergesFile:specialTokens:addPrefixSpace:)`
    /// throws, and `invalidConfiguration` or `wrongConfigType` naming the file and key.
    public init(directory: String, addPrefixSpace: Bool? = nil) throws(BPETokenizerError) {
        func file(_ name: String) -> String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }
        var specialTokens: [String] = []
        var configuredPrefixSpace: Bool?
        for name in ["special_tokens_map.json", "tokenizer_config.json"] {
            let path = file(name)
            guard access(path, F_OK) == 0 else { continue }
            let config = try Self.configuration(at: path)
            for key in Self.specialTokenKeys {
                if let token = try Self.tokenContent(config[key], key: key, path: path) { specialTokens.append(token) }
            }
            switch config["additional_special_tokens"] {
            case nil, .null?:
                break
            case .array(let values)?:
                for value in values {
                    guard let token = try? Self.tokenContent(value, key: "", path: path) else {
                        throw .wrongConfigType(
                            path: path, key: "additional_special_tokens",
                            expected: "an array of strings or objects with a string 'content'")
                    }
                    specialTokens.append(token)
                }
            default:
                throw .wrongConfigType(
                    path: path, key: "additional_special_tokens", expected: "an array of strings or objects with a string 'content'")
            }
            if name == "tokenizer_config.json" {
                switch config["add_prefix_space"] {
                case nil, .null?: break
                case .bool(let value)?: configuredPrefixSpace = value
                default: throw .wrongConfigType(path: path, key: "add_prefix_space", expected: "a boolean or null")
                }
            }
        }
        try self.init(
            vocabularyFile: file("vocab.json"), mergesFile: file("merges.txt"), specialTokens: specialTokens,
            addPrefixSpace: addPrefixSpace ?? configuredPrefixSpace ?? false)
    }

    /// The top-level members of the JSON object in the file at `path`.
    package static func configuration(at path: String) throws(BPETokenizerError) -> [String: JSONValue] {
        let file = try BPEFile(path: path)
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(file.bytes)) else {
            throw .invalidConfiguration(path: path, reason: "the file is not valid JSON")
        }
        guard case .object(let members) = value else {
            throw .invalidConfiguration(path: path, reason: "the file is not a JSON object")
        }
        return members
    }

    /// The token of a special-token value: a string, or an `AddedToken` object's string
    /// `content`; `nil` for null or no value.
    package static func tokenContent(_ value: JSONValue?, key: String, path: String) throws(BPETokenizerError) -> String? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let token)?:
            return token
        case .object(let members)? :
            if case .string(let token)? = members["content"] { return token }
        default:
            break
        }
        throw .wrongConfigType(path: path, key: key, expected: "a string, an object with a string 'content', or null")
    }
}
