import Braid
import FuzzSupport

/// The model folder: the tiny encoder's `model.safetensors`, written once, and each input as
/// `config.json`.
let scratch: ScratchDirectory = {
    let folder = ScratchDirectory("fuzz-bert-config")
    do {
        try TinyTextEncoder.writeWeights(to: folder.file("model.safetensors"))
    } catch {
        fatalError("fuzz-bert-config: cannot write the tiny encoder's weights: \(error)")
    }
    return folder
}()

/// Loads the tiny encoder with one input as its `config.json` and, when it loads, encodes a
/// small batch with it.
func fuzzBertConfig(_ bytes: [UInt8]) {
    scratch.write(bytes, to: "config.json")
    guard let encoder = attempt({ try TextEncoder.load(directory: scratch.path) }) else { return }
    TinyTextEncoder.runOnce(encoder)
}

/// The program's entry: libFuzzer over `fuzzBertConfig`.
@_cdecl("fuzz_bert_config_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = scratch
    return runFuzzer(argc: argc, argv: argv, body: fuzzBertConfig)
}
