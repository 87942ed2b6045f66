import ArgumentParser
import Foundation

/// The checks the example programs' `validate()` methods share; each throws a `ValidationError`
/// naming the option, so swift-argument-parser prints it with the usage and exits with status 64.
public enum OptionChecks {
    /// Throws unless `value`, given with `flag`, is positive.
    public static func positive<Value: Comparable & Numeric>(_ value: Value, _ flag: String) throws {
        guard value > 0 else { throw ValidationError("\(flag) must be positive, got \(value)") }
    }

    /// Throws unless `value`, given with `flag`, is a finite positive number.
    public static func positive(_ value: Float, _ flag: String) throws {
        guard value > 0, value.isFinite else { throw ValidationError("\(flag) must be a positive number, got \(value)") }
    }

    /// Checks, before any work is done, that a file can be written at `path`, given with `flag`:
    /// its folder exists (or, with `creatingFolder`, is created) and is writable, and `path` is not
    /// a folder. So a mistyped `--report` fails at once, not after the training.
    public static func writable(_ path: String, _ flag: String, creatingFolder: Bool = false) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if creatingFolder {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw ValidationError("\(flag) \(path): cannot create the folder \(folder)")
            }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("\(flag) \(path): the folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw ValidationError("\(flag) \(path): the folder \(folder) is not writable")
        }
        guard !(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue) else {
            throw ValidationError("\(flag) \(path): is a folder, not a file")
        }
    }
}
