import Braid

/// Trains a `CaptionedShapeClassifier` for `epochs` epochs, saves its weights to `path`, loads them
/// into a newly built classifier, and returns the test metrics of both.
func trainCaptionedShapeClassifier(
    epochs: Int, savingTo path: String
) throws -> (trained: ClassificationMetrics, reloaded: ClassificationMetrics) {
    let training = CaptionedShapes(count: 1200, seed: 1), test = CaptionedShapes(count: 300, seed: 2)
    var generator = RandomGenerator(seed: 3)
    let model = CaptionedShapeClassifier(generator: &generator)
    let trainer = makeTrainer(model, exampleCount: training.count)
}

/// A trainer of `model` with Adam (learning rate 5e-3) over shuffled batches of 64 of
/// `exampleCount` examples, without a progress bar.
func makeTrainer(_ model: Module, exampleCount: Int) -> Trainer {
    Trainer(
        model: model, optimizer: Adam(parameters: model.parameters(), learningRate: 5e-3),
        loader: DataLoader(count: exampleCount, batchSize: 64, seed: 4), showsProgress: false)
}
