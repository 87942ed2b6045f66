import Braid

/// Trains a `CaptionedDigitClassifier` for `epochs` epochs, saves its weights to `path`, loads them
/// into a newly built classifier, and returns the test metrics of both.
func trainCaptionedDigitClassifier(
    epochs: Int, savingTo path: String
) throws -> (trained: ClassificationMetrics, reloaded: ClassificationMetrics) {
    let (training, test) = try CaptionedDigits(seed: 1).split()
    var generator = RandomGenerator(seed: 2)
    let model = CaptionedDigitClassifier(generator: &generator)
    let trainer = makeTrainer(model, exampleCount: training.count)

    let history = try trainer.fit(epochs: epochs) { rows in
        crossEntropy(logits: try model(training, rows: rows), targets: training.labels(rows))
    }
    print("training loss by epoch:", history.map(\.trainingLoss))
}

/// A trainer of `model` with Adam (learning rate 5e-3) over shuffled batches of 64 of
/// `exampleCount` examples, without a progress bar.
func makeTrainer(_ model: Module, exampleCount: Int) -> Trainer {
    Trainer(
        model: model, optimizer: Adam(parameters: model.parameters(), learningRate: 5e-3),
        loader: DataLoader(count: exampleCount, batchSize: 64, seed: 3), showsProgress: false)
}
