/// A problem an example program found while running (a missing data file, too little data),
/// printed as its message.
public struct ExampleError: Error, CustomStringConvertible {
    /// The message.
    public var description: String
    /// An error with `description`.
    public init(_ description: String) { self.description = description }
}
