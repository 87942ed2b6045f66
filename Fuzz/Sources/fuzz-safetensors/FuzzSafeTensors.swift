import Braid
import FuzzSupport

/// Where each input is written for `SafeTensors(contentsOf:)`.
let scratch = ScratchDirectory("fuzz-safetensors")

/// Opens one input as a safetensors file and reads every tensor, as floats and, for integer and
/// bool dtypes, as integers.
func fuzzSafeTensors(_ bytes: [UInt8]) {
    let path = scratch.write(bytes, to: "input.safetensors")
    guard let file = attempt({ try SafeTensors(contentsOf: path) }) else { return }
    _ = file.metadata
    for name in file.names {
        _ = attempt { try file.shape(of: name) }
        _ = attempt { try file.tensor(name) }
        if let dtype = attempt({ try file.dtype(of: name) }), !dtype.isFloatingPoint {
            _ = attempt { try file.intTensor(name) }
        }
    }
}

/// The program's entry: libFuzzer over `fuzzSafeTensors`.
@_cdecl("fuzz_safetensors_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc: argc, argv: argv, body: fuzzSafeTensors)
}
