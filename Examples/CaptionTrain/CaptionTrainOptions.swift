import ArgumentParser
import ExampleSupport
import Foundation

/// Command-line options of `caption-train`.
struct CaptionTrainOptions: ParsableArguments {
    @Option(help: "Epochs of the captioner; each passes every training scene with all its reference captions.")
    var epochs = 7

    @Option(help: "Epochs of the unconditional language model; one is enough without an image (more lower its validation loss by under 2%).")
    var baselineEpochs = 1

    @Option(help: "Scenes per batch; each brings all its reference captions (3 to 5), its image encoded once.")
    var batchSize = 32

    @Option(name: .customLong("lr"), help: "AdamW's peak learning rate: linear warm-up over the first 5% of steps, then a cosine decay to 1% of it.")
    var learningRate: Float = 2e-3

    @Option(help: ArgumentHelp("Write a JSON line per step and per epoch of both models to this file as training goes.", valueName: "file.jsonl"))
    var log: String?

    @Option(help: "Seed of the scenes, the initialisation and the order of the batches.")
    var seed: UInt64 = 1

    @OptionGroup var scenes: ShapeSceneOptions

    @Option(help: "Beams of the beam search that captions the test scenes (1: greedy).")
    var beams = 4

    @Option(help: "Label smoothing of the cross-entropy.")
    var labelSmoothing: Float = 0.1

    @Option(help: "Decoder layers of the captioner and of the unconditional model.")
    var decoderLayers = 3

    @Option(help: ArgumentHelp(
        "Weight of the grounding loss: the first decoder layer's state at each object's colour and shape word predicts where that object lies, and at the shape word also where the object named next lies (0: captions only, no grounding head).",
        valueName: "weight"))
    var groundingWeight: Float = 3

    @Option(help: ArgumentHelp(
        "The JSON report; the SVG of the training curves (.svg) and the contact sheet of test captions (.sheet.svg) go beside it.",
        valueName: "path"))
    var report = "caption-train-report.json"

    /// The training curves' SVG beside the report: `run.json` → `run.svg`.
    var curvesPath: String { (report as NSString).deletingPathExtension + ".svg" }
    /// The contact sheet beside the report: `run.json` → `run.sheet.svg`.
    var sheetPath: String { (report as NSString).deletingPathExtension + ".sheet.svg" }

    func validate() throws {
        try OptionChecks.positive(epochs, "--epochs")
        try OptionChecks.positive(baselineEpochs, "--baseline-epochs")
        try OptionChecks.positive(batchSize, "--batch-size")
        try OptionChecks.positive(learningRate, "--lr")
        if let log { try OptionChecks.writable(log, "--log") }
        try OptionChecks.positive(beams, "--beams")
        try OptionChecks.positive(decoderLayers, "--decoder-layers")
        guard groundingWeight >= 0 && groundingWeight.isFinite else {
            throw ValidationError("--grounding-weight must be finite and at least 0, got \(groundingWeight)")
        }
        guard labelSmoothing >= 0 && labelSmoothing < 1 else {
            throw ValidationError("--label-smoothing must be in [0, 1), got \(labelSmoothing)")
        }
        // The curves and the sheet go beside the report, so one check covers all three.
        try OptionChecks.writable(report, "--report")
    }
}
