/// A fusion head was given a different set of modalities from the one it was built with.
///
/// Thrown (as a typed error) by every head's `callAsFunction(_:)` before any computation; the
/// description names every missing and every unexpected modality, in sorted order.
public struct FusionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The head that rejected its input (`"EarlyFusion"`).
    public var head: String
    /// The modalities the head was built with, sorted.
    public var expected: [String]
    /// Expected modalities absent from the input, sorted.
    public var missing: [String]
    /// Input modalities the head was not built with, sorted.
    public var unexpected: [String]

    /// An error for `head` with the given sorted name lists.
    public init(head: String, expected: [String], missing: [String], unexpected: [String]) {
        self.head = head
        self.expected = expected
        self.missing = missing
        self.unexpected = unexpected
    }

    /// For example `GatedFusion: missing modality "audio"; unexpected modality "video" (expected "audio", "text")`.
    public var description: String {
        func list(_ names: [String]) -> String { names.map { "\"\($0)\"" }.joined(separator: ", ") }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing modalit\(missing.count == 1 ? "y" : "ies") \(list(missing))") }
        if !unexpected.isEmpty {
            parts.append("unexpected modalit\(unexpected.count == 1 ? "y" : "ies") \(list(unexpected))")
        }
        return "\(head): \(parts.joined(separator: "; ")) (expected \(list(expected)))"
    }

    /// Throws when `given` differs from `expected` (both compared as sets); custom heads call it
    /// before any computation.
    public static func check(head: String, expected: [String], given: some Collection<String>) throws(FusionError) {
        let expectedSet = Set(expected), givenSet = Set(given)
        guard expectedSet != givenSet else { return }
        throw FusionError(
            head: head, expected: expected.sorted(), missing: expectedSet.subtracting(givenSet).sorted(),
            unexpected: givenSet.subtracting(expectedSet).sorted())
    }
}
