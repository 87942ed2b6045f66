import ArgumentParser
import BraidDistributed

/// fusion-compare: every fusion head against the single modalities on audio-visual-text digits.
///
/// The data (built once by make-av-digits; Scripts/fusion-compare does both) pairs each degraded
/// UCI digit image with the digit's name spoken by espeak-ng in noise and a partial-hint caption.
/// Each method trains the same encoders (text, image, audio) with Adam for the same epochs over
/// several seeds, and a MultiBench-style table gives test accuracy mean ± std, parameters and
/// training time per method.
@main
struct FusionCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fusion-compare",
        abstract: "Every fusion head against the single modalities on audio-visual-text digits.",
        discussion: "Build the data first with make-av-digits (Scripts/fusion-compare does both).")

    @OptionGroup var options: FusionCompareOptions

    func run() throws {
        guard options.distributed else { return try FusionComparison(options: options).run() }
        ProcessGroup.abortingOnError { try FusionComparison(options: options).run() }
    }
}
