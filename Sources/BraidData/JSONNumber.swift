import Foundation

extension NSNumber {
    /// Whether `JSONSerialization` made this number from `true` or `false`. Booleans arrive as
    /// `NSNumber` with the `char` type code "c", and on Linux `is Bool` also matches 0 and 1, so
    /// every configuration reader checks the type code.
    package var isJSONBoolean: Bool { String(cString: objCType) == "c" }
}
