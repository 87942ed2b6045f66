import ArgumentParser
import ExampleSupport

/// Command-line options of `fusion-compare`.
struct FusionCompareOptions: ParsableArguments {
    /// Every method: the three single modalities, then every fusion head over all three.
    static let allMethods = Modality.allCases.map { "\($0.rawValue)-only" } + FusionMethod.allCases.map(\.rawValue)

    @Option(help: ArgumentHelp("The audio-visual-text digits that make-av-digits writes.", valueName: "path"))
    var data = ".build-data/av-digits.safetensors"

    @OptionGroup var training: TrainingOptions

    @Option(help: "Seeds per method; the table gives the mean ± standard deviation over them.")
    var seeds = 3

    @Option(
        help: ArgumentHelp("Comma-separated methods, of \(allMethods.joined(separator: ",")).", valueName: "m,m,…"),
        transform: { $0.split(separator: ",").map(String.init) })
    var methods = FusionCompareOptions.allMethods

    @Option(help: ArgumentHelp("The JSON report with every seed's accuracy; SVG charts of accuracy and loss go beside it.", valueName: "path"))
    var report = "fusion-compare-report.json"

    func validate() throws {
        try OptionChecks.positive(seeds, "--seeds")
        guard !methods.isEmpty else { throw ValidationError("--methods needs at least one method") }
        if let unknown = methods.first(where: { !Self.allMethods.contains($0) }) {
            throw ValidationError("unknown method '\(unknown)': \(Self.allMethods.joined(separator: ", "))")
        }
        try OptionChecks.writable(report, "--report")
    }
}
