import Braid
import FuzzSupport

/// Parses one input as an IDX file and reads its elements as floats and, for integer element
/// types, as integers.
func fuzzIDX(_ bytes: [UInt8]) {
    guard let file = attempt({ try IDXFile(bytes: bytes) }) else { return }
    _ = file.tensor()
    if file.elementType.isInteger {
        _ = attempt { try file.intTensor() }
    }
}

/// The program's entry: libFuzzer over `fuzzIDX`.
@_cdecl("fuzz_idx_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc: argc, argv: argv, body: fuzzIDX)
}
