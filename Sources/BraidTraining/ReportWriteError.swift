/// A run report, plot or log could not be written. A report or plot file at `path` is as it was
/// before; a log keeps the lines written until then.
public struct ReportWriteError: Error, Equatable, CustomStringConvertible {
    /// The file that was to be written.
    public var path: String
    /// The step that failed and the system's message.
    public var reason: String

    /// An error about writing `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The file and the reason in one line.
    public var description: String { "\(path): cannot write the report: \(reason)" }
}
