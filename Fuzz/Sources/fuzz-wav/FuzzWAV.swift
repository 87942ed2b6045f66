import Braid
import FuzzSupport

/// Decodes one input as a WAV file, keeping the channels and mixing them to mono.
func fuzzWAV(_ bytes: [UInt8]) {
    _ = attempt { try WAVAudio(bytes: bytes, mixToMono: false) }
    _ = attempt { try WAVAudio(bytes: bytes, mixToMono: true) }
}

/// The program's entry: libFuzzer over `fuzzWAV`.
@_cdecl("fuzz_wav_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc: argc, argv: argv, body: fuzzWAV)
}
