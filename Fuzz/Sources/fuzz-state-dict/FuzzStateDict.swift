import Braid
import FuzzSupport

/// Where each input is written for `loadStateDict(from:)`.
let scratch = ScratchDirectory("fuzz-state-dict")

/// Loads one input as a safetensors state dict into a fresh tiny MLP, strictly and then allowing
/// unexpected keys, and runs the model once after each load that succeeds.
func fuzzStateDict(_ bytes: [UInt8]) {
    let path = scratch.write(bytes, to: "input.safetensors")
    for allowUnexpected in [false, true] {
        let model = makeTinyMLP()
        guard attempt({ try model.loadStateDict(from: path) { _ in allowUnexpected } }) != nil else { continue }
        _ = model(Variable(Tensor.ones([2, 4])))
    }
}

/// The program's entry: libFuzzer over `fuzzStateDict`.
@_cdecl("fuzz_state_dict_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc: argc, argv: argv, body: fuzzStateDict)
}
