import ArgumentParser

/// The training options that the example trainers share: `--epochs`, `--batch-size`, `--lr`.
public struct TrainingOptions: ParsableArguments {
    @Option(help: "Epochs of training for each model.")
    public var epochs = 12

    @Option(help: "Examples per batch.")
    public var batchSize = 64

    @Option(name: .customLong("lr"), help: "Adam's learning rate.")
    public var learningRate: Float = 2e-3

    /// The defaults (12 epochs, batches of 64, learning rate 2e-3).
    public init() {}

    /// Checks that every value is positive (and the learning rate finite).
    public func validate() throws {
        try OptionChecks.positive(epochs, "--epochs")
        try OptionChecks.positive(batchSize, "--batch-size")
        try OptionChecks.positive(learningRate, "--lr")
    }
}
