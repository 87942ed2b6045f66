import Braid
import FuzzSupport

/// Decodes one input as a PNG or a JPEG (by its first byte's lowest bit when it has neither
/// signature, so that both decoders see mutated bytes of every kind) with a pixel limit of
/// 2^20, and puts what decodes through CLIP's preprocessing at a small size.
func fuzzImage(_ bytes: [UInt8]) {
    let isPNG = bytes.first == 0x89 || (bytes.first != 0xFF && bytes.first.map { $0 & 1 == 1 } == true)
    let image = isPNG
        ? attempt { try Bitmap.decodePNG(bytes, pixelLimit: 1 << 20) }
        : attempt { try Bitmap.decodeJPEG(bytes, pixelLimit: 1 << 20) }
    guard let image else { return }
    _ = CLIPImageProcessor(shortestEdge: 8, cropSize: 8)(image)
}

/// The program's entry: libFuzzer over `fuzzImage`.
@_cdecl("fuzz_image_main")
func fuzzMain(argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc: argc, argv: argv, body: fuzzImage)
}
