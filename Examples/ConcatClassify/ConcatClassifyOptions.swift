import ArgumentParser
import ExampleSupport

/// Command-line options of `concat-classify`.
struct ConcatClassifyOptions: ParsableArguments {
    /// What the classifier predicts.
    enum Task: String, CaseIterable, ExpressibleByArgument { case digit, highLow = "high-low" }
    /// Which text encoder the models use.
    enum TextEncoderKind: String, CaseIterable, ExpressibleByArgument { case small, minilm }

    @OptionGroup var training: TrainingOptions

    @Option(help: "Seed of the split, the captions, the initialisation and the batches.")
    var seed: UInt64 = 1

    @Option(help: "The digit itself (10 classes) or whether it is 5 or more (2 classes).")
    var task = Task.digit

    @Option(help: "The fusion head of the fused model.")
    var fusion = FusionMethod.early

    @Option(help: "A small transformer trained from scratch, or a BERT-family checkpoint given with --model.")
    var textEncoder = TextEncoderKind.small

    @Option(name: .customLong("model"), help: ArgumentHelp("A Hugging Face BERT checkpoint folder for --text-encoder minilm.", valueName: "folder"))
    var modelFolder: String?

    @Option(help: ArgumentHelp("Where to write a checkpoint of the fused model after every epoch.", valueName: "path"))
    var save: String?

    @Option(help: ArgumentHelp("A checkpoint of the fused model to continue from, bit for bit.", valueName: "path"))
    var resume: String?

    @Flag(help: """
        Train as one rank of an MPI job (mpirun -np N concat-classify --distributed): each rank takes its share of \
        every epoch in batches of --batch-size, the gradients are averaged over the ranks and batch norm takes the \
        statistics of every rank's batch, so N ranks train as one process with batches N times larger; rank 0 alone \
        prints, writes the report, the log and the checkpoint.
        """)
    var distributed = false

    @Option(help: ArgumentHelp("The JSON report; its SVG of the training curves goes beside it.", valueName: "path"))
    var report = "concat-classify-report.json"

    func validate() throws {
        if textEncoder == .minilm && modelFolder == nil {
            throw ValidationError("--text-encoder minilm needs --model <checkpoint folder>")
        }
        // The report's SVG goes beside it, so one check covers both.
        try OptionChecks.writable(report, "--report")
        if let save { try OptionChecks.writable(save, "--save") }
    }
}
