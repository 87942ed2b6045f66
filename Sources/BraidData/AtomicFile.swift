import Glibc

/// Whole-file I/O shared by Braid's readers and writers: reading all of a file's bytes, and
/// replacing a file atomically. Each format wraps a `Failure` in its own typed error, which names the file.
package enum AtomicFile {
    /// Why a read or write failed: the step and the system's message.
    package struct Failure: Error {
        /// The step that failed and the system's message.
        package let reason: String
    }

    /// Appends bytes to the temporary file of an atomic write.
    package struct Sink {
        fileprivate let fd: Int32

        /// Writes all of `bytes`, retrying short and interrupted writes; false on error, with `errno` set.
        package func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
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
        package func append(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { append($0) }
        }
    }

    /// All bytes of the regular file at `path`.
    package static func read(_ path: String) throws(Failure) -> [UInt8] {
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
    /// to a temporary file in the same directory, `.<name>.tmp-<process id>-<random>`, which is
    /// synced and then renamed over `path`.
    ///
    /// A process killed during a write leaves its temporary file behind; each write first removes
    /// the temporary files of the same target whose process is gone (and those named before the
    /// process id was part of the name), so they cannot pile up.
    ///
    /// `body` returns false when an append fails, with `errno` set; the temporary file is then removed.
    package static func write(to path: String, _ body: (_ sink: Sink) -> Bool) throws(Failure) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let fileName = slash.map { path[path.index(after: $0)...] } ?? Substring(path)
        let prefix = ".\(fileName).tmp-"
        removeStaleTemporaries(in: directory, prefix: prefix)
        let temporary = "\(directory)\(prefix)\(getpid())-\(String(UInt64.random(in: .min ... .max), radix: 16))"
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

    /// Replaces the file at `path` with `bytes`, atomically; see ``write(to:_:)``.
    package static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        try write(to: path) { $0.append(bytes) }
    }

    /// Removes the files in `directory` (`""` for the current one) named `prefix` then a process id
    /// that no longer runs, or then no process id at all. Best effort: a file that cannot be removed stays.
    private static func removeStaleTemporaries(in directory: String, prefix: String) {
        guard let folder = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(folder) }
        // The name is read in place up to its NUL: readdir's records are only as long as their
        // names, so copying the whole `dirent` (`entry.pointee`) can read past the end of the
        // buffer, which crashed when a record ended at the end of a page.
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(folder) {
            let name = String(cString: UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self))
            guard name.hasPrefix(prefix) else { continue }
            let suffix = name.dropFirst(prefix.count)
            let owner = suffix.firstIndex(of: "-").flatMap { pid_t(suffix[..<$0]) }
            if let owner, owner == getpid() || kill(owner, 0) == 0 || errno != ESRCH { continue }
            unlink(directory + name)
        }
    }
}
