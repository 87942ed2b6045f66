import Braid
import Foundation
import FuzzSupport

/// Seeds of `fuzz-checkpoint`: the checkpoints a tiny training run writes after its first epoch,
/// without and with early stopping (whose progress is in the metadata), one saved by
/// `Checkpoint.save` at epoch 5 (each checked by resuming from it), and a truncated one; and two
/// that must be rejected: an all-zero loader generator (which would never leave 0) and epoch
/// `Int.max` (whose next epoch overflows).
func writeCheckpointSeeds(_ folder: SeedFolder) throws {
    let work = NSTemporaryDirectory() + "braid-fuzz-seeds-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    for (name, stopping) in [("epoch0.safetensors", nil), ("early-stopping.safetensors", EarlyStopping(patience: 2))] {
        let path = "\(work)/\(name)"
        try TinyTraining(earlyStopping: stopping, checkpointPath: path).fitOneMoreEpoch()
        try folder.write(name, [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }
    let run = TinyTraining()
    try Checkpoint.save(
        to: folder.file("epoch5.safetensors"), model: run.model, optimizer: run.trainer.optimizer,
        generators: ["loader": run.trainer.loader.generator], epoch: 5, metadata: ["note": "seed"])
    // States `Checkpoint.save` refuses to write, patched into a valid file: the all-zero
    // generator state and the largest epoch.
    try folder.write(
        "zero-rng.safetensors", try patching("rng.loader", with: [UInt8](repeating: 0, count: 32), in: folder.read("epoch5.safetensors")))
    try folder.write("epoch-max.safetensors", try patching("epoch", with: littleEndian(.max, 8), in: folder.read("epoch0.safetensors")))
    for name in ["epoch0", "early-stopping", "epoch5"] {
        try TinyTraining().trainer.resume(from: folder.file("\(name).safetensors"))
    }
    try folder.write("truncated.safetensors", Array(try folder.read("epoch0.safetensors").dropLast(16)))
}

/// The safetensors `file` with the data of its entry `name` replaced by `bytes` (of the same length).
func patching(_ name: String, with bytes: [UInt8], in file: [UInt8]) throws -> [UInt8] {
    let headerLength = file[..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
    let header = try JSONSerialization.jsonObject(with: Data(file[8..<(8 + headerLength)])) as? [String: Any]
    guard let entry = header?[name] as? [String: Any], let offsets = entry["data_offsets"] as? [Int],
        offsets[1] - offsets[0] == bytes.count
    else { throw CocoaError(.fileReadCorruptFile) }
    var patched = file
    patched.replaceSubrange((8 + headerLength + offsets[0])..<(8 + headerLength + offsets[1]), with: bytes)
    return patched
}
