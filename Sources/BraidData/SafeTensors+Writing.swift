import BraidTensor
import Foundation
import Glibc

extension SafeTensors {
    /// Writes `tensors` as F32 and `intTensors` as I64, with string `metadata`, to a safetensors
    /// file at `path` (`safetensors.torch.save_file(tensors, path, metadata)`).
    ///
    /// Keys are sorted, the data buffer starts 8-byte aligned, and the write is atomic: the bytes
    /// go to a temporary file in the same directory, which is synced and then renamed over `path`.
    public static func write(
        _ tensors: [String: Tensor], intTensors: [String: IntTensor] = [:], metadata: [String: String] = [:],
        to path: String
    ) throws(SafeTensorsError) {
        if let key = intTensors.keys.sorted().first(where: { tensors[$0] != nil }) {
            throw .duplicateTensor(path: path, key: key)
        }
        guard tensors["__metadata__"] == nil, intTensors["__metadata__"] == nil else {
            throw .writeFailed(path: path, reason: "'__metadata__' is reserved and cannot name a tensor")
        }
        let names = (Array(tensors.keys) + Array(intTensors.keys)).sorted()
        var header: [String: Any] = metadata.isEmpty ? [:] : ["__metadata__": metadata]
        var offset = 0
        for name in names {
            let (dtype, shape) = tensors[name].map { (DType.f32, $0.shape) } ?? (DType.i64, intTensors[name]!.shape)
            let end = offset + shape.elementCount * dtype.byteCount
            header[name] = ["dtype": dtype.rawValue, "shape": shape, "data_offsets": [offset, end]]
            offset = end
        }
        // Cannot fail: the header holds only strings, integers, arrays and dictionaries.
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: options))
        json += repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8)

        let slash = path.lastIndex(of: "/")
        let directory = slash.map { path[...$0] } ?? ""
        let fileName = slash.map { path[path.index(after: $0)...] } ?? Substring(path)
        let temporary = "\(directory).\(fileName).tmp-\(String(UInt64.random(in: .min ... .max), radix: 16))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed(path: path, reason: "cannot create \(temporary): \(systemError())") }
        func failure(_ step: String) -> SafeTensorsError {
            let error = SafeTensorsError.writeFailed(path: path, reason: "\(step) \(temporary): \(systemError())")
            unlink(temporary)
            return error
        }
        var written = withUnsafeBytes(of: UInt64(json.count).littleEndian) { writeAll(fd, $0) }
            && json.withUnsafeBytes { writeAll(fd, $0) }
        for name in names where written {
            written =
                tensors[name]?.scalars.withUnsafeBytes { writeAll(fd, $0) }
                ?? intTensors[name]!.scalars.withUnsafeBytes { writeAll(fd, $0) }
        }
        guard written, fsync(fd) == 0 else {
            let error = failure("cannot write")
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure("cannot close") }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename") }
    }

    /// Writes all of `bytes` to `fd`, retrying short and interrupted writes; false on error, with `errno` set.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
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
}
