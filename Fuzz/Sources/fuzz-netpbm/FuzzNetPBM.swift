import Braid
import FuzzSupport

/// Decodes one input as a PGM or PPM image.
func fuzzNetPBM(_ bytes: [UInt8]) {
    _ = attempt { try NetPBM.decode(bytes) }
}

/// The program's entry: libFuzzer over `fuzzNetPBM`.
@_cdecl("fuzz_netpbm_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc: argc, argv: argv, body: fuzzNetPBM)
}
