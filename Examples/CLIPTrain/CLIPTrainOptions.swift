import ArgumentParser
import ExampleSupport
import Foundation

/// Command-line options of `clip-train`.
struct CLIPTrainOptions: ParsableArguments {
    @Option(help: "Epochs; each passes every training scene once, with one of its reference captions.")
    var epochs = 20

    @Option(help: "Scenes per batch: the other scenes of a batch are each pair's negatives.")
    var batchSize = 128

    @Option(name: .customLong("lr"), help: "AdamW's peak learning rate: linear warm-up over the first 5% of steps, then a cosine decay to 1% of it.")
    var learningRate: Float = 1e-3

    @Option(help: "Width of both towers (a multiple of 4, their heads) and of the joint embedding space.")
    var width = 128

    @Option(help: "Layers of the vision transformer.")
    var visionLayers = 3

    @Option(help: "Layers of the text transformer.")
    var textLayers = 2

    @Option(help: "The fraction of training pairs made colour-free: the caption loses its colour words (\"a box left of a small disc\") and the image turns grey, so that shape is also learned apart from colour.")
    var colourDropout: Float = 0.3

    @Option(help: ArgumentHelp("Write a JSON line per step and per epoch to this file as training goes.", valueName: "file.jsonl"))
    var log: String?

    @Option(help: "Seed of the scenes, the initialisation, the captions drawn and the order of the batches.")
    var seed: UInt64 = 1

    @OptionGroup var scenes: ShapeSceneOptions

    @Option(help: ArgumentHelp(
        "The JSON report; the SVG of the training curves (.svg) and the heat map of test similarities (.heatmap.svg) go beside it.",
        valueName: "path"))
    var report = "clip-train-report.json"

    /// The training curves' SVG beside the report: `run.json` → `run.svg`.
    var curvesPath: String { (report as NSString).deletingPathExtension + ".svg" }
    /// The similarity heat map beside the report: `run.json` → `run.heatmap.svg`.
    var heatMapPath: String { (report as NSString).deletingPathExtension + ".heatmap.svg" }

    func validate() throws {
        try OptionChecks.positive(epochs, "--epochs")
        guard batchSize >= 2 else { throw ValidationError("--batch-size must be at least 2 (a pair needs a negative), got \(batchSize)") }
        try OptionChecks.positive(learningRate, "--lr")
        guard width > 0 && width % 4 == 0 else { throw ValidationError("--width must be a positive multiple of 4, got \(width)") }
        guard (0...1).contains(colourDropout) else { throw ValidationError("--colour-dropout must be in 0...1, got \(colourDropout)") }
        try OptionChecks.positive(visionLayers, "--vision-layers")
        try OptionChecks.positive(textLayers, "--text-layers")
        if let log { try OptionChecks.writable(log, "--log") }
        // The curves and the heat map go beside the report, so one check covers all three.
        try OptionChecks.writable(report, "--report")
    }
}
