/// A command-line mistake, printed as its message.
public struct OptionError: Error, CustomStringConvertible {
    /// The message.
    public var description: String
    /// An error with `description`.
    public init(_ description: String) { self.description = description }

    /// `text` as a positive integer, or an error naming `flag`.
    public static func positiveInteger(_ text: String, flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw OptionError("\(flag) needs a positive integer, got '\(text)'") }
        return value
    }

    /// `text` as a positive number, or an error naming `flag`.
    public static func positiveNumber(_ text: String, flag: String) throws -> Float {
        guard let value = Float(text), value > 0, value.isFinite else { throw OptionError("\(flag) needs a positive number, got '\(text)'") }
        return value
    }
}
