import ArgumentParser
import Foundation

/// make-av-digits: builds the audio-visual-text digits file that fusion-compare trains on.
///
/// Each of the 1,797 committed UCI digits gives `--variants` examples: a degraded image (noise and
/// an occluding patch), the digit's name spoken by espeak-ng with a random voice, speed and pitch,
/// placed at a random offset in a one-second window at 8 kHz with white noise at a random
/// signal-to-noise ratio, and a caption with partial hints. Everything follows from `--seed`.
@main
struct MakeAVDigits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-av-digits",
        abstract: "Build the audio-visual-text digits that fusion-compare trains on (needs espeak-ng).")

    @OptionGroup var options: MakeOptions

    func run() throws {
        let start = Date()
        let dataset = try AudioVisualDigitsBuilder(options: options).build()
        try dataset.write(to: options.output)
        print(String(format: "wrote %d examples to %@ in %.1f s", dataset.count, options.output, Date().timeIntervalSince(start)))
    }
}
