import Braid
import Foundation

/// Trains a `MultimodalClassifier` with cross-entropy and Adam over seeded shuffled batches, and
/// evaluates it.
struct Trainer {
    let model: MultimodalClassifier
    let optimizer: Adam
    let batchSize: Int
    let seed: UInt64
    let name: String
    let checkpoint: String?
    let resume: String?

    init(model: MultimodalClassifier, learningRate: Float, batchSize: Int, seed: UInt64, name: String,
         checkpoint: String?, resume: String?) {
        self.model = model
        optimizer = Adam(parameters: model.parameters(), learningRate: learningRate)
        (self.batchSize, self.seed, self.name, self.checkpoint, self.resume) = (batchSize, seed, name, checkpoint, resume)
    }

    /// A loss that is NaN or infinite stops training at that step; the last checkpoint (written
    /// after the previous epoch) stays as it was.
    struct NonFiniteLoss: Error, CustomStringConvertible {
        let step: Int
        var description: String { "the loss became NaN or infinite at step \(step); training stopped" }
    }

    /// Trains for `epochs` epochs over `count` examples and returns one record per epoch.
    func fit(
        epochs: Int, count: Int, labels: [Int], batch: ([Int]) -> (Variable, TokenizedBatch)
    ) throws -> [EpochRecord] {
        let loader = DataLoader(count: count, batchSize: batchSize, shuffle: true, dropLast: false, seed: seed)
        var firstEpoch = 0
        if let resume {
            // Weights, Adam state, the data order and every dropout stream, so the run continues
            // exactly as if it had not stopped.
            let state = try Checkpoint.load(from: resume, into: model, optimizer: optimizer)
            if let order = state.generators["loader"] { loader.generator = order }
            model.restoreRandomGenerators(state.generators)
            firstEpoch = state.epoch + 1
            print("resumed \(name) from \(resume) after epoch \(state.epoch + 1)")
        }
        print("training \(name)")
        var progress = ProgressBar(epochs: epochs, stepsPerEpoch: loader.batchCount)
        var records: [EpochRecord] = []
        var step = 0
        model.train()
        for epoch in firstEpoch..<max(firstEpoch, epochs) {
            let start = Date()
            var total: Float = 0
            for (index, rows) in loader.enumerated() {
                let (images, captions) = batch(rows)
                optimizer.zeroGrad()
                let loss = crossEntropy(
                    logits: try model(images: images, captions: captions), targets: IntTensor(rows.map { labels[$0] }))
                step += 1
                guard loss.value.scalar.isFinite else { throw NonFiniteLoss(step: step) }
                loss.backward()
                optimizer.step()
                total += loss.value.scalar
                progress.update(epoch: epoch, step: index + 1, loss: total / Float(index + 1), samples: rows.count)
            }
            let record = EpochRecord(epoch: epoch, trainingLoss: total / Float(loader.batchCount), seconds: Date().timeIntervalSince(start))
            progress.finishEpoch(record: record)
            records.append(record)
            if let checkpoint {
                var generators = model.namedRandomGenerators()
                generators["loader"] = loader.generator
                try Checkpoint.save(to: checkpoint, model: model, optimizer: optimizer, generators: generators, epoch: epoch)
            }
        }
        return records
    }

    /// Accuracy, precision, recall and F1 on `count` held-out examples.
    func evaluate(
        count: Int, labels: [Int], classCount: Int, batch: ([Int]) -> (Variable, TokenizedBatch)
    ) throws -> ClassificationMetrics {
        model.eval()
        var predictions: [Int] = []
        for rows in DataLoader(count: count, batchSize: 256, shuffle: false, seed: 0) {
            let (images, captions) = batch(rows)
            let logits = try withoutGradients { try model(images: images, captions: captions) }
            predictions += logits.value.argmax(alongAxis: 1).scalars
        }
        return ClassificationMetrics(predictions: predictions, labels: labels, classCount: classCount)
    }
}
