import Foundation
import Glibc

/// The scratch folders of this process, removed when it exits normally.
nonisolated(unsafe) private var scratchPaths: [String] = []

/// A folder of this process for the files a loader reads: one reused path per file name, so
/// that each input overwrites the last one.
///
/// It lives under `$BRAID_FUZZ_SCRATCH` (which `Scripts/fuzz` points at a fresh folder in
/// `/dev/shm` and removes afterwards), else `/dev/shm`, else `$TMPDIR` or `/tmp`, and is named
/// after the target and the process id, so parallel jobs (`-jobs`, `-fork`) never share files.
public struct ScratchDirectory: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// Creates (or reuses) this process's folder called `name`.
    public init(_ name: String) {
        let environment = ProcessInfo.processInfo.environment
        let root = environment["BRAID_FUZZ_SCRATCH"]
            ?? (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : environment["TMPDIR"] ?? "/tmp")
        path = "\(root)/\(name)-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            fatalError("ScratchDirectory: cannot create \(path): \(error)")
        }
        if scratchPaths.isEmpty {
            atexit { for path in scratchPaths { try? FileManager.default.removeItem(atPath: path) } }
        }
        scratchPaths.append(path)
    }

    /// The path of the file `name` in this folder.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `bytes` as the file `name`, replacing it, and returns its path; a failed write is a
    /// harness failure, not a finding, and stops the process.
    @discardableResult
    public func write(_ bytes: [UInt8], to name: String) -> String {
        let target = file(name)
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { fatalError("ScratchDirectory: cannot open \(target): errno \(errno)") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { fatalError("ScratchDirectory: cannot write \(target): errno \(errno)") }
            written += n
        }
        return target
    }

    /// Writes the UTF-8 of `text` as the file `name` and returns its path.
    @discardableResult
    public func write(_ text: String, to name: String) -> String { write(Array(text.utf8), to: name) }

    /// Removes the file `name` if it is there.
    public func remove(_ name: String) { unlink(file(name)) }
}
