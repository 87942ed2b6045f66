/// A JSON object key of any name, for objects whose keys are data (a report's result names, a
/// result's figure names).
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == JSONKey {
    /// Every entry whose key is not in `reserved`, decoded as `T`.
    func decodeEntries<T: Decodable>(_ type: T.Type, except reserved: Set<String>) throws -> [String: T] {
        var entries: [String: T] = [:]
        for key in allKeys where !reserved.contains(key.stringValue) { entries[key.stringValue] = try decode(T.self, forKey: key) }
        return entries
    }
}

extension KeyedEncodingContainer where Key == JSONKey {
    /// Encodes each entry under its own key; throws `EncodingError.invalidValue`, naming `owner`,
    /// when a key is one of `reserved`.
    mutating func encodeEntries<T: Encodable>(_ entries: [String: T], except reserved: Set<String>, owner: String) throws {
        for (name, value) in entries {
            guard !reserved.contains(name) else {
                throw EncodingError.invalidValue(value, EncodingError.Context(
                    codingPath: codingPath + [JSONKey(name)],
                    debugDescription: "\(owner): \"\(name)\" is reserved for its own fields"))
            }
            try encode(value, forKey: JSONKey(name))
        }
    }
}
