import Braid
import FuzzSupport

/// The model folder: the tiny CLIP's `model.safetensors`, written once, and each input as
/// `config.json`.
let scratch: ScratchDirectory = {
    let folder = ScratchDirectory("fuzz-clip-config")
    do {
        try TinyCLIP.writeWeights(to: folder.file("model.safetensors"))
    } catch {
        fatalError("fuzz-clip-config: cannot write the tiny CLIP's weights: \(error)")
    }
    return folder
}()

/// Loads the tiny CLIP with one input as its `config.json` and, when it loads, scores images
/// against texts with it.
func fuzzCLIPConfig(_ bytes: [UInt8]) {
    scratch.write(bytes, to: "config.json")
    guard let model = attempt({ try CLIPModel.load(directory: scratch.path) }) else { return }
    TinyCLIP.runOnce(model)
}

/// The program's entry: libFuzzer over `fuzzCLIPConfig`.
@_cdecl("fuzz_clip_config_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = scratch
    return runFuzzer(argc: argc, argv: argv, body: fuzzCLIPConfig)
}
