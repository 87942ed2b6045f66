// fusion-compare: every fusion head against the single modalities on audio-visual-text digits.
//
// The data (built once by make-av-digits; Scripts/fusion-compare does both) pairs each degraded
// UCI digit image with the digit's name spoken by espeak-ng in noise and a partial-hint caption.
// Each method trains the same encoders (text, image, audio) with Adam for the same epochs over
// several seeds, and a MultiBench-style table gives test accuracy mean ± std, parameters and
// training time per method.
//
//     swift run -c release fusion-compare [--data PATH] [--epochs N] [--seeds N] [--methods …]
import Braid
import Foundation

do {
    let options = try FusionCompareOptions.parse(Array(CommandLine.arguments.dropFirst()))
    try FusionComparison(options: options).run()
} catch {
    FileHandle.standardError.write(Data("fusion-compare: \(error)\n".utf8))
    exit(1)
}
