import Foundation

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

    /// `text` as an integer in `range`, or an error naming `flag` and the range.
    public static func integer(_ text: String, flag: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw OptionError("\(flag) needs an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// `text` as a positive number, or an error naming `flag`.
    public static func positiveNumber(_ text: String, flag: String) throws -> Float {
        guard let value = Float(text), value > 0, value.isFinite else { throw OptionError("\(flag) needs a positive number, got '\(text)'") }
        return value
    }

    /// Checks, before any work is done, that a file can be written at `path`, given with `flag`:
    /// its folder exists (or, with `creatingFolder`, is created) and is writable, and `path` is not
    /// a folder. So a mistyped `--report` fails at once, not after the training.
    public static func checkWritable(_ path: String, flag: String, creatingFolder: Bool = false) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if creatingFolder {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw OptionError("\(flag) \(path): cannot create the folder \(folder)")
            }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw OptionError("\(flag) \(path): the folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw OptionError("\(flag) \(path): the folder \(folder) is not writable")
        }
        guard !(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue) else {
            throw OptionError("\(flag) \(path): is a folder, not a file")
        }
    }
}
