import Foundation

/// A Hugging Face `config.json` being read: its bytes, and the checks every model configuration
/// applies to them, each failure a `ConfigurationError` naming the file, the key, the value found
/// and what is allowed.
package struct ConfigurationReader {
    /// The file.
    package let path: String
    /// Its bytes, or those of the section being read.
    package let data: Data
    /// What error messages put before a key: "" for the file's top level, `"text_config."` for
    /// a nested section.
    package let keyPrefix: String
    /// What the key named must hold, as an error message says it.
    private let expected: (String) -> String

    /// Reads the file at `path`; `expected` gives, for a key, what it must hold.
    package init(path: String, expected: @escaping (String) -> String) throws(ConfigurationError) {
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        (self.path, self.keyPrefix, self.expected) = (path, "", expected)
    }

    /// The section of the same file at `data` (the object under a key), named by `keyPrefix`.
    private init(path: String, data: Data, keyPrefix: String, expected: @escaping (String) -> String) {
        (self.path, self.data, self.keyPrefix, self.expected) = (path, data, keyPrefix, expected)
    }

    /// A reader of the JSON object under `key` (`text_config`), whose errors name its keys as
    /// `key.name`; `nil` when the key is absent or `null`. `expected` gives, for a key of the
    /// section, what it must hold. Throws when the file is not a JSON object or the key holds
    /// something other than an object.
    package func section(_ key: String, expected: @escaping (String) -> String) throws(ConfigurationError) -> ConfigurationReader? {
        guard let members = try? JSONDecoder().decode([String: JSONValue].self, from: data) else { throw .invalidJSON(path: path) }
        switch members[key] {
        case nil, .null?: return nil
        case .object(let object)?:
            // Re-encoding what was just decoded cannot fail.
            let bytes = try! JSONEncoder().encode(object)
            return ConfigurationReader(path: path, data: bytes, keyPrefix: keyPrefix + key + ".", expected: expected)
        default: throw invalid(key, expected: "an object")
        }
    }

    /// The file decoded as `File`; a value of the wrong type under one of the keys that
    /// `isKnown` accepts is an invalid value of that key, anything else invalid JSON.
    package func decode<File: Decodable>(_ type: File.Type, isKnown: (String) -> Bool) throws(ConfigurationError) -> File {
        do { return try JSONDecoder().decode(File.self, from: data) } catch {
            guard let key = (error as? DecodingError)?.topLevelKey, isKnown(key) else { throw .invalidJSON(path: path) }
            throw invalid(key)
        }
    }

    /// `key` holds a value of the wrong type or outside its range.
    package func invalid(_ key: String, expected: String? = nil) -> ConfigurationError {
        .invalidValue(
            path: path, key: keyPrefix + key, found: JSONValue.member(key, of: data)?.description ?? "unreadable",
            expected: expected ?? self.expected(key))
    }

    /// The integer `value` of `key`, which must lie in `range`; `fallback` when absent, and a
    /// missing key when there is no fallback.
    package func integer(_ value: Double?, _ key: String, in range: ClosedRange<Int>, default fallback: Int?) throws(ConfigurationError) -> Int {
        guard let value else {
            guard let fallback else { throw .missingKey(path: path, key: keyPrefix + key) }
            return fallback
        }
        guard let exact = Int(exactly: value), range.contains(exact) else { throw invalid(key) }
        return exact
    }

    /// The number `value` of `key`, which must lie in `range`; `fallback` when absent.
    package func real(_ value: Double?, _ key: String, in range: Range<Double>, default fallback: Float) throws(ConfigurationError) -> Float {
        guard let value else { return fallback }
        guard range.contains(value) else { throw invalid(key) }
        return Float(value)
    }
}
