import Braid
import FuzzSupport

/// The model folder: the tiny GPT-2's `model.safetensors`, written once, and each input as
/// `config.json`.
let scratch: ScratchDirectory = {
    let folder = ScratchDirectory("fuzz-gpt2-config")
    do {
        try TinyGPT2.writeWeights(to: folder.file("model.safetensors"))
    } catch {
        fatalError("fuzz-gpt2-config: cannot write the tiny GPT-2's weights: \(error)")
    }
    return folder
}()

/// Loads the tiny GPT-2 with one input as its `config.json` and, when it loads, generates a few
/// tokens with it.
func fuzzGPT2Config(_ bytes: [UInt8]) {
    scratch.write(bytes, to: "config.json")
    guard let model = attempt({ try GPT2LanguageModel.load(directory: scratch.path) }) else { return }
    TinyGPT2.runOnce(model)
}

/// The program's entry: libFuzzer over `fuzzGPT2Config`.
@_cdecl("fuzz_gpt2_config_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = scratch
    return runFuzzer(argc: argc, argv: argv, body: fuzzGPT2Config)
}
