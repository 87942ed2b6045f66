extension DecodingError {
    /// The key of the top-level JSON object under which decoding failed: the value there, or one
    /// inside it, is missing or of the wrong type. `nil` when the input is not JSON or not an object.
    package var topLevelKey: String? {
        switch self {
        case .keyNotFound(let key, let context): (context.codingPath + [key]).first?.stringValue
        case .typeMismatch(_, let context), .valueNotFound(_, let context): context.codingPath.first?.stringValue
        case .dataCorrupted(let context): context.codingPath.first?.stringValue
        @unknown default: nil
        }
    }
}
