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

    @Flag(help: """
        Train as one rank of an MPI job (mpirun -np N fusion-compare --distributed): each rank takes its share of \
        every epoch in batches of --batch-size, the gradients are averaged over the ranks and batch norm takes the \
        statistics of every rank's batch; rank 0 alone prints, writes the report, the charts and the log.
        """)
    var distributed = false

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
