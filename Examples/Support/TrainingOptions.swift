import ArgumentParser
import Braid

/// The training options that the example trainers share: `--epochs`, `--batch-size`, `--lr`, `--log`.
public struct TrainingOptions: ParsableArguments {
    /// `--epochs`: epochs of training for each model.
    @Option(help: "Epochs of training for each model.")
    public var epochs = 12

    /// `--batch-size`: examples per batch.
    @Option(help: "Examples per batch.")
    public var batchSize = 64

    /// `--lr`: Adam's learning rate.
    @Option(name: .customLong("lr"), help: "Adam's learning rate.")
    public var learningRate: Float = 2e-3

    /// `--log`: a JSON-lines file for the step and epoch records, or `nil` for none.
    @Option(help: ArgumentHelp("Write a JSON line per step and per epoch to this file as training goes (appending when resuming).", valueName: "file.jsonl"))
    public var log: String?

    /// The defaults (12 epochs, batches of 64, learning rate 2e-3, no log).
    public init() {}

    /// Checks that every value is positive (and the learning rate finite).
    public func validate() throws {
        try OptionChecks.positive(epochs, "--epochs")
        try OptionChecks.positive(batchSize, "--batch-size")
        try OptionChecks.positive(learningRate, "--lr")
        if let log { try OptionChecks.writable(log, "--log") }
    }

    /// The `--log` file's logger (appending when `appending`, for a resumed run), or `nil` without `--log`.
    public func makeLogger(appending: Bool = false) throws -> JSONLinesLogger? {
        try log.map { try JSONLinesLogger(path: $0, appending: appending) }
    }
}
