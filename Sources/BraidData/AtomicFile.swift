import Glibc

/// Whole-file I/O shared by the BraidData readers and writers: reading all of a file's bytes, and
/// replacing a file atomically. Each format wraps a `Failure` in its own typed error, which names the file.
enum AtomicFile {
    /// Why a read or write failed: the step and the system's message.
    struct Failure: Error {
        let reason: String
    }

    /// Appends bytes to the temporary file of an atomic write.
    struct Sink {
        fileprivate let fd: Int32

        /// Writes all of `bytes`, retrying short and interrupted writes; false on error, with `errno` set.
        func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var done = 0
            while done < bytes.count {
                let count = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += count
            }
            return true
        }

        /// Writes all of `bytes`; false on error, with `errno` set.
        func append(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { append($0) }
        }
    }

    /// All bytes of the regular file at `path`.
    static func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(reason: SafeTensors.systemError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(reason: SafeTensors.systemError()) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure(reason: "not a regular file") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        var failed = false
        bytes.withUnsafeMutableBytes { buffer in
            while done < buffer.count {
                let count = Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { failed = true }
                if count <= 0 { break }
                done += count
            }
        }
        guard !failed else { throw Failure(reason: SafeTensors.systemError()) }
        // The file shrank after fstat: keep what was there.
        if done < bytes.count { bytes.removeSubrange(done...) }
        return bytes
    }

    /// Replaces the file at `path` with the bytes that `body` appends to `sink`, atomically: they go
    /// to a temporary file in the same directory, which is synced and then renamed over `path`.
    ///
    /// `body` returns false when an append fails, with `errno` set; the temporary file is then removed.
    static func write(to path: String, _ body: (_ sink: Sink) -> Bool) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { path[...$0] } ?? ""
        let fileName = slash.map { path[path.index(after: $0)...] } ?? Substring(path)
        let temporary = "\(directory).\(fileName).tmp-\(String(UInt64.random(in: .min ... .max), radix: 16))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(reason: "cannot create \(temporary): \(SafeTensors.systemError())") }
        func failure(_ step: String) -> Failure {
            let failure = Failure(reason: "\(step) \(temporary): \(SafeTensors.systemError())")
            unlink(temporary)
            return failure
        }
        guard body(Sink(fd: fd)), fsync(fd) == 0 else {
            let error = failure("cannot write")
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure("cannot close") }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename") }
    }
}
