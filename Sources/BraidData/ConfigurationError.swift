/// A model configuration file that cannot be used, naming the file and the problem.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(path: String, reason: String)
    /// The file is not a JSON object.
    case invalidJSON(path: String)
    /// A required key is absent.
    case missingKey(path: String, key: String)
    /// A key holds `found`, a value of the wrong type or outside its range.
    case invalidValue(path: String, key: String, found: String, expected: String)
    /// The file at `path` does not agree with the configuration or checkpoint beside it; `reason`
    /// names both and what differs.
    case mismatch(path: String, reason: String)
    /// The checkpoint is of an architecture this loader does not build.
    case unsupportedArchitecture(path: String, found: String, expected: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the configuration (\(reason))"
        case .invalidJSON(let path): "\(path): the configuration is not a JSON object"
        case .missingKey(let path, let key): "\(path): missing key '\(key)'"
        case .invalidValue(let path, let key, let found, let expected): "\(path): '\(key)' is \(found); it must be \(expected)"
        case .mismatch(let path, let reason): "\(path): \(reason)"
        case .unsupportedArchitecture(let path, let found, let expected):
            "\(path): a checkpoint of architecture '\(found)', expected \(expected)"
        }
    }
}
