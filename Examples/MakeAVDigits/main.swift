// make-av-digits: builds the audio-visual-text digits file that fusion-compare trains on.
//
// Each of the 1,797 committed UCI digits gives `--variants` examples: a degraded image (noise and
// an occluding patch), the digit's name spoken by espeak-ng with a random voice, speed and pitch,
// placed at a random offset in a one-second window at 8 kHz with white noise at a random
// signal-to-noise ratio, and a caption with partial hints. Everything follows from `--seed`.
//
//     swift run -c release make-av-digits [--output PATH] [--seed N] [--variants N] [--snr MIN:MAX]
import Braid
import ExampleSupport
import Foundation

do {
    let options = try MakeOptions.parse(Array(CommandLine.arguments.dropFirst()))
    try OptionError.checkWritable(options.output, flag: "--output", creatingFolder: true)
    let start = Date()
    let dataset = try AudioVisualDigitsBuilder(options: options).build()
    try dataset.write(to: options.output)
    print(String(format: "wrote %d examples to %@ in %.1f s", dataset.count, options.output, Date().timeIntervalSince(start)))
} catch {
    FileHandle.standardError.write(Data("make-av-digits: \(error)\n".utf8))
    exit(1)
}
