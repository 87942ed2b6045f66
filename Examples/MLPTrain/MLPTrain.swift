import ArgumentParser
import Braid
import ExampleSupport
import Foundation

/// mlp-train: a multilayer perceptron learns to separate two interleaved spirals.
///
/// The data are generated from a seed, split into training and held-out points, and the model is
/// trained with mini-batch Adam on cross-entropy. The program prints the loss as it falls and the
/// held-out accuracy at the end.
@main
struct MLPTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp-train",
        abstract: "A multilayer perceptron learns to separate two interleaved spirals.",
        discussion: "Adam on cross-entropy with a cosine schedule; prints the loss as it falls and the held-out accuracy.")

    @Option(help: "Epochs of training.")
    var epochs = 200

    @Option(help: "Seed of the data, the split, the initialisation and the batches.")
    var seed: UInt64 = 7

    @Option(help: "Points in all, 8...1000000; a quarter is held out.")
    var points = 1000

    func validate() throws {
        try OptionChecks.positive(epochs, "--epochs")
        guard (8...1_000_000).contains(points) else { throw ValidationError("--points must be in 8...1000000, got \(points)") }
    }

    func run() throws {
        let start = Date()
        var generator = RandomGenerator(seed: seed)
        let data = TwoSpirals(pointsPerClass: points / 2, noise: 0.05, generator: &generator)
        let (train, test) = data.split(heldOutFraction: 0.25, generator: &generator)
        print("two spirals: \(train.labels.count) training points, \(test.labels.count) held out")

        let model = Sequential(
            Linear(inputFeatures: 2, outputFeatures: 64, generator: &generator), Tanh(),
            Linear(inputFeatures: 64, outputFeatures: 64, generator: &generator), Tanh(),
            Linear(inputFeatures: 64, outputFeatures: 2, generator: &generator))
        let optimizer = Adam(parameters: model.parameters(), learningRate: 0.01)
        // Five warm-up epochs, fewer in a run too short for them.
        let schedule = CosineWithWarmup(peak: 0.01, warmupSteps: min(5, epochs - 1), totalSteps: epochs, minimum: 0.0005)

        for epoch in 0..<epochs {
            optimizer.learningRate = schedule.learningRate(at: epoch)
            var totalLoss: Float = 0
            let batches = train.batches(size: 64, generator: &generator)
            for (points, labels) in batches {
                optimizer.zeroGrad()
                let loss = crossEntropy(logits: model(Variable(points)), targets: labels)
                loss.backward()
                optimizer.step()
                totalLoss += loss.value.scalar
            }
            if epoch % 20 == 0 || epoch == epochs - 1 {
                let accuracy = model.accuracy(on: train)
                print(String(format: "epoch %4d  loss %.4f  train accuracy %.3f", epoch, totalLoss / Float(batches.count), accuracy))
            }
        }
        model.eval()
        print(String(format: "held-out accuracy %.3f (%d points), %.1f s", model.accuracy(on: test), test.labels.count,
                     Date().timeIntervalSince(start)))
    }
}
