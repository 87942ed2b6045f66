import BraidTensor
import Foundation

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

        do {
            try AtomicFile.write(to: path) { sink in
                var written = withUnsafeBytes(of: UInt64(json.count).littleEndian) { sink.append($0) }
                    && sink.append(json)
                for name in names where written {
                    written =
                        tensors[name]?.scalars.withUnsafeBytes { sink.append($0) }
                        ?? intTensors[name]!.scalars.withUnsafeBytes { sink.append($0) }
                }
                return written
            }
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }
}
