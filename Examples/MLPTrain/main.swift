// mlp-train: a multilayer perceptron learns to separate two interleaved spirals.
//
// The data are generated from a seed, split into training and held-out points, and the model is
// trained with mini-batch Adam on cross-entropy. The program prints the loss as it falls and the
// held-out accuracy at the end.
//
//     swift run -c release mlp-train [--epochs N] [--seed S] [--points N]
import Braid
import Foundation

do {
    let options = try MLPTrainOptions.parse(CommandLine.arguments.dropFirst())
    let start = Date()
    var generator = RandomGenerator(seed: options.seed)
    let data = TwoSpirals(pointsPerClass: options.points / 2, noise: 0.05, generator: &generator)
    let (train, test) = data.split(heldOutFraction: 0.25, generator: &generator)
    print("two spirals: \(train.labels.count) training points, \(test.labels.count) held out")

    let model = Sequential(
        Linear(inputFeatures: 2, outputFeatures: 64, generator: &generator), Tanh(),
        Linear(inputFeatures: 64, outputFeatures: 64, generator: &generator), Tanh(),
        Linear(inputFeatures: 64, outputFeatures: 2, generator: &generator))
    let optimizer = Adam(parameters: model.parameters(), learningRate: 0.01)
    // Five warm-up epochs, fewer in a run too short for them.
    let schedule = CosineWithWarmup(peak: 0.01, warmupSteps: min(5, options.epochs - 1), totalSteps: options.epochs, minimum: 0.0005)

    for epoch in 0..<options.epochs {
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
        if epoch % 20 == 0 || epoch == options.epochs - 1 {
            let accuracy = model.accuracy(on: train)
            print(String(format: "epoch %4d  loss %.4f  train accuracy %.3f", epoch, totalLoss / Float(batches.count), accuracy))
        }
    }
    model.eval()
    print(String(format: "held-out accuracy %.3f (%d points), %.1f s", model.accuracy(on: test), test.labels.count,
                 Date().timeIntervalSince(start)))
} catch {
    FileHandle.standardError.write(Data("mlp-train: \(error)\n".utf8))
    exit(1)
}
