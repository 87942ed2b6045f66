import ArgumentParser
import ExampleSupport

/// Command-line options of `make-av-digits`.
struct MakeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The dataset file to write (its folder is created).", valueName: "path"))
    var output = ".build-data/av-digits.safetensors"

    @Option(help: "Seed of the degradations, voices, placements, noise and captions.")
    var seed: UInt64 = 1

    @Option(help: "Examples made from each of the 1,797 digits.")
    var variants = 2

    @Option(name: .customLong("snr"), help: ArgumentHelp("The range of signal-to-noise ratios in decibels.", valueName: "min:max"))
    var signalToNoiseText = "-25:0"

    /// The `--snr` range; valid once `validate()` has passed.
    var signalToNoise: ClosedRange<Float> { Self.decibels(signalToNoiseText)! }

    /// `text` as MIN:MAX decibels with MIN ≤ MAX, both finite, or `nil`.
    static func decibels(_ text: String) -> ClosedRange<Float>? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Float($0) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low.isFinite, high.isFinite, low <= high else { return nil }
        return low...high
    }

    func validate() throws {
        try OptionChecks.positive(variants, "--variants")
        guard Self.decibels(signalToNoiseText) != nil else {
            throw ValidationError("--snr needs MIN:MAX in decibels, got '\(signalToNoiseText)'")
        }
        try OptionChecks.writable(output, "--output", creatingFolder: true)
    }
}
