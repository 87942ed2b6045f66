import Braid
import FuzzSupport

/// Where each input is written as `checkpoint.safetensors`, beside a fixed valid
/// `checkpoint.best.safetensors` (written once) for early-stopping progress that names a best
/// epoch, and where resumed runs write their own checkpoints.
let scratch: ScratchDirectory = {
    let folder = ScratchDirectory("fuzz-checkpoint")
    do {
        try makeTinyMLP().saveStateDict(to: Trainer.bestWeightsPath(for: folder.file("checkpoint.safetensors")))
    } catch {
        fatalError("fuzz-checkpoint: cannot write the best-weights file: \(error)")
    }
    return folder
}()

/// Resumes two fresh tiny training runs, one plain and one with early stopping, from one input as
/// their checkpoint, and trains each that resumes for one more epoch, checkpointing it.
func fuzzCheckpoint(_ bytes: [UInt8]) {
    let path = scratch.write(bytes, to: "checkpoint.safetensors")
    for earlyStopping in [nil, EarlyStopping(patience: 2)] {
        let run = TinyTraining(earlyStopping: earlyStopping, checkpointPath: scratch.file("resumed.safetensors"))
        _ = attempt {
            try run.trainer.resume(from: path)
            try run.fitOneMoreEpoch()
        }
    }
}

/// The program's entry: libFuzzer over `fuzzCheckpoint`.
@_cdecl("fuzz_checkpoint_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = scratch
    return runFuzzer(argc: argc, argv: argv, body: fuzzCheckpoint)
}
