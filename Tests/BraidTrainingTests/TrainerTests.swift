import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTraining
import Foundation
import Testing

/// The training loop: exact resumption, a non-finite loss, early stopping, prediction.
@Suite struct TrainerTests {
    typealias Fixture = CheckpointTests

    /// A trainer of a fresh dropout model (initialised from `seed`) with Adam over 23 samples in
    /// batches of 5, and the batch-loss closure for it.
    static func makeTrainer(seed: UInt64, checkpoint: String? = nil) -> (Trainer, ([Int]) -> Variable) {
        let (model, _) = Fixture.makeModel(seed: seed)
        let trainer = Trainer(
            model: model, optimizer: Adam(parameters: model.parameters(), learningRate: 0.01),
            loader: DataLoader(count: 23, batchSize: 5, seed: seed &+ 10), checkpointPath: checkpoint, showsProgress: false)
        let loss = { (rows: [Int]) in
            crossEntropy(logits: model(Variable(Fixture.inputs.indexSelect(axis: 0, indices: rows))),
                         targets: IntTensor(rows.map { Fixture.labels[$0] }))
        }
        return (trainer, loss)
    }

    /// A stand-in for one rank of data-parallel training: it zeroes every gradient (so nothing
    /// moves) and "averages" by doubling, so the trainer's use of each shows.
    final class FakeRank: DataParallelTraining {
        let rank: Int
        let model: Module
        var synchronizations = 0
        init(rank: Int, model: Module) { (self.rank, self.model) = (rank, model) }
        func synchronizeGradients() throws {
            synchronizations += 1
            #expect(model.parameters().allSatisfy { $0.grad != nil })
            for parameter in model.parameters() { parameter.grad = Tensor.zeros(parameter.shape) }
        }
        func averageOverRanks(_ values: [Float]) throws -> [Float] { values.map { $0 * 2 } }
        var rankCount: Int { 2 }
        func gatherFromRanks(_ values: [Int]) throws -> [Int] { values + values }
    }

    /// After every backward() and before the update the gradients are synchronised, the epoch
    /// loss is averaged over the ranks, and only rank 0 writes checkpoints.
    @Test(arguments: [0, 1])
    func dataParallelTrainingSynchronisesAveragesAndLeavesWritingToRankZero(rank: Int) throws {
        let directory = try Fixture.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        let (trainer, loss) = Self.makeTrainer(seed: 3, checkpoint: path)
        let (alone, aloneLoss) = Self.makeTrainer(seed: 3)
        alone.optimizer.learningRate = 0
        let expected = try alone.fit(epochs: 1, loss: aloneLoss)
        let before = Fixture.bits(trainer.model)
        let fake = FakeRank(rank: rank, model: trainer.model)
        trainer.dataParallel = fake
        #expect(trainer.isPrimary == (rank == 0))
        let records = try trainer.fit(epochs: 1, loss: loss)
        #expect(fake.synchronizations == 5 && Fixture.bits(trainer.model) == before, "the synchronised (zero) gradients were applied")
        #expect(records[0].trainingLoss == 2 * expected[0].trainingLoss)
        #expect(FileManager.default.fileExists(atPath: path) == (rank == 0))
        // Validation figures are averaged too, so that early stopping decides alike everywhere.
        let validated = try trainer.fit(epochs: 2, validate: { (0.25, 0.5) }, loss: loss)
        #expect(validated[0].validationLoss == 0.5 && validated[0].validationAccuracy == 1)
    }

    @Test func resumingReproducesTheUninterruptedRunBitForBit() throws {
        let directory = try Fixture.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (uninterrupted, loss) = Self.makeTrainer(seed: 1)
        let expected = try uninterrupted.fit(epochs: 4, loss: loss)

        let path = directory + "/run.safetensors"
        let (first, firstLoss) = Self.makeTrainer(seed: 1, checkpoint: path)
        let firstHalf = try first.fit(epochs: 2, loss: firstLoss)
        #expect(firstHalf.map(\.trainingLoss.bitPattern) == expected.prefix(2).map(\.trainingLoss.bitPattern))

        // Differently seeded in every way, then restored: the run continues exactly.
        let (resumed, resumedLoss) = Self.makeTrainer(seed: 77)
        try resumed.resume(from: path)
        #expect(resumed.nextEpoch == 2)
        let secondHalf = try resumed.fit(epochs: 4, loss: resumedLoss)
        #expect(secondHalf.map(\.epoch) == [2, 3])
        #expect(secondHalf.map(\.trainingLoss.bitPattern) == expected.suffix(2).map(\.trainingLoss.bitPattern))
        #expect(Fixture.bits(resumed.model) == Fixture.bits(uninterrupted.model))
    }

    @Test func nonFiniteLossStopsWithTheStepAndKeepsTheLastCheckpoint() throws {
        let directory = try Fixture.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        let (trainer, loss) = Self.makeTrainer(seed: 2, checkpoint: path)
        _ = try trainer.fit(epochs: 1, loss: loss)
        let saved = try Data(contentsOf: URL(fileURLWithPath: path))
        let weights = Fixture.bits(trainer.model)

        var calls = 0
        let error = try #require(throws: NonFiniteLossError.self) {
            _ = try trainer.fit(epochs: 3) { rows in
                calls += 1
                return calls == 3 ? loss(rows) * Variable(Tensor(Float.nan)) : loss(rows)
            }
        }
        // Epoch 0 had 5 steps; the third of epoch 1 is step 8.
        #expect(error == NonFiniteLossError(step: 8, epoch: 1))
        #expect(error.description.contains("step 8"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == saved)
        #expect(Fixture.bits(trainer.model) != weights)  // two good steps were taken, not saved
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files == ["run.safetensors"])
    }

    @Test func earlyStoppingStopsAndPutsBackTheBestWeights() throws {
        let (trainer, loss) = Self.makeTrainer(seed: 3)
        trainer.earlyStopping = EarlyStopping(patience: 2)
        let validationLosses: [Float] = [1.0, 0.5, 0.6, 0.7, 0.1, 0.1]
        var weightsAfterEpoch: [[String: [UInt32]]] = []
        let records = try trainer.fit(epochs: 6, validate: {
            weightsAfterEpoch.append(Fixture.bits(trainer.model))
            return (validationLosses[weightsAfterEpoch.count - 1], nil)
        }, loss: loss)
        #expect(records.map(\.epoch) == [0, 1, 2, 3])
        #expect(records.map(\.validationLoss) == [1.0, 0.5, 0.6, 0.7])
        #expect(Fixture.bits(trainer.model) == weightsAfterEpoch[1])
        #expect(Fixture.bits(trainer.model) != weightsAfterEpoch[3])
    }

    @Test func earlyStoppingResumesToTheSameStopAndWeights() throws {
        let directory = try Fixture.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let validationLosses: [Float] = [1.0, 0.5, 0.6, 0.7, 0.1, 0.1]
        func run(_ trainer: Trainer, epochs: Int, _ loss: ([Int]) -> Variable) throws -> [EpochRecord] {
            try trainer.fit(epochs: epochs, validate: { (validationLosses[trainer.nextEpoch], nil) }, loss: loss)
        }
        let (uninterrupted, loss) = Self.makeTrainer(seed: 5)
        uninterrupted.earlyStopping = EarlyStopping(patience: 2)
        #expect(try run(uninterrupted, epochs: 6, loss).map(\.epoch) == [0, 1, 2, 3])

        let path = directory + "/run.safetensors"
        let (first, firstLoss) = Self.makeTrainer(seed: 5, checkpoint: path)
        first.earlyStopping = EarlyStopping(patience: 2)
        _ = try run(first, epochs: 2, firstLoss)
        #expect(FileManager.default.fileExists(atPath: directory + "/run.best.safetensors"))

        let (resumed, resumedLoss) = Self.makeTrainer(seed: 50)
        resumed.earlyStopping = EarlyStopping(patience: 2)
        try resumed.resume(from: path)
        #expect(resumed.earlyStopping?.bestEpoch == 1)
        #expect(try run(resumed, epochs: 6, resumedLoss).map(\.epoch) == [2, 3])
        #expect(Fixture.bits(resumed.model) == Fixture.bits(uninterrupted.model))

        // A stopped run trains no further.
        let before = Fixture.bits(resumed.model)
        #expect(try run(resumed, epochs: 6, resumedLoss).isEmpty)
        #expect(Fixture.bits(resumed.model) == before)
    }

    @Test func badEarlyStoppingStateOnResumeThrowsAndChangesNothing() throws {
        let directory = try Fixture.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors", bestPath = directory + "/run.best.safetensors"
        let (first, firstLoss) = Self.makeTrainer(seed: 6, checkpoint: path)
        first.earlyStopping = EarlyStopping(patience: 3)
        _ = try first.fit(epochs: 2, validate: { (1 / Float(first.nextEpoch + 1), nil) }, loss: firstLoss)
        let bestBytes = try Data(contentsOf: URL(fileURLWithPath: bestPath))

        func expectUnchangedAfterFailedResume<E: Error>(_ kind: E.Type) throws -> E {
            let (trainer, _) = Self.makeTrainer(seed: 60)
            trainer.earlyStopping = EarlyStopping(patience: 3)
            let before = Fixture.bits(trainer.model)
            let error = try #require(throws: kind) { try trainer.resume(from: path) }
            #expect(Fixture.bits(trainer.model) == before)
            #expect(trainer.nextEpoch == 0)
            #expect(trainer.earlyStopping == EarlyStopping(patience: 3))
            return error
        }

        // A truncated best-weights file.
        try bestBytes.prefix(bestBytes.count / 2).write(to: URL(fileURLWithPath: bestPath))
        _ = try expectUnchangedAfterFailedResume(SafeTensorsError.self)

        // No best-weights file although the progress names a best epoch.
        try FileManager.default.removeItem(atPath: bestPath)
        let missing = try expectUnchangedAfterFailedResume(CheckpointError.self)
        #expect(missing.reason.contains("best epoch 2 has no weights file"))

        // Another model's best weights.
        let (other, _) = Fixture.makeModel(seed: 1, hidden: 8)
        try other.saveStateDict(to: bestPath)
        let mismatch = try expectUnchangedAfterFailedResume(StateDictError.self)
        #expect(mismatch.shapeMismatches.map(\.key).contains("0.weight"))

        // Progress that is not JSON.
        try bestBytes.write(to: URL(fileURLWithPath: bestPath))
        try Checkpoint.save(to: path, model: first.model, optimizer: first.optimizer, generators: [:], epoch: 1,
                            metadata: ["early_stopping": "patience three"])
        let malformed = try expectUnchangedAfterFailedResume(CheckpointError.self)
        #expect(malformed.key == "__metadata__.early_stopping")
        #expect(malformed.reason == "expected early-stopping progress as JSON: The given data was not valid JSON.")

        // Progress no run can reach: an Int.max count overflowed at the next epoch.
        let unreachable = #"{"patience": 3, "minimumImprovement": 0, "mode": {"minimize": {}}, "epochsWithoutImprovement": 9223372036854775807}"#
        try Checkpoint.save(to: path, model: first.model, optimizer: first.optimizer, generators: [:], epoch: 1,
                            metadata: ["early_stopping": unreachable])
        let overflowing = try expectUnchangedAfterFailedResume(CheckpointError.self)
        #expect(overflowing.reason.hasSuffix("epochsWithoutImprovement is 9223372036854775807; it must be in 0...2147483647"))
    }

    /// A schedule sets every update's learning rate from the run's step, across a resume too, and
    /// clipping caps the gradient: the loss 1000·w has gradient 1000, clipped to norm 2, so with
    /// SGD each step moves w by 2·lr, lr halving every step from 1.
    @Test func scheduleAndClippingShapeEveryUpdate() throws {
        let directory = try Fixture.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        func makeTrainer() -> (Trainer, Variable, LearningRates) {
            let model = Linear(weight: Variable(Tensor(shape: [1, 1], scalars: [0]), requiresGrad: true))
            let trainer = Trainer(
                model: model, optimizer: SGD(parameters: model.parameters(), learningRate: 99),
                loader: DataLoader(count: 3, batchSize: 1, seed: 0), checkpointPath: path, showsProgress: false)
            trainer.schedule = StepDecay(initial: 1, stepSize: 1, gamma: 0.5)
            trainer.maxGradientNorm = 2
            let rates = LearningRates()
            trainer.observers = [rates]
            return (trainer, model.weight, rates)
        }
        let (first, firstWeight, firstRates) = makeTrainer()
        _ = try first.fit(epochs: 1) { _ in firstWeight.sum() * 1000 }
        #expect(firstRates.values == [1, 0.5, 0.25])
        #expect(abs(firstWeight.value.scalars[0] + 2 * 1.75) < 1e-5)
        let (resumed, weight, rates) = makeTrainer()
        try resumed.resume(from: path)
        _ = try resumed.fit(epochs: 2) { _ in weight.sum() * 1000 }
        #expect(rates.values == [0.125, 0.0625, 0.03125])
        #expect(abs(weight.value.scalars[0] + 2 * 1.96875) < 1e-5, "\(weight.value.scalars)")
    }

    @Test func predictKeepsTheOrderAndRunsInEvaluationMode() throws {
        let (trainer, _) = Self.makeTrainer(seed: 4)
        let model = trainer.model as! Sequential
        var sawTraining = false
        let predictions = try trainer.predict(count: 23, batchSize: 4) { rows in
            sawTraining = sawTraining || model.isTraining
            return model(Variable(Fixture.inputs.indexSelect(axis: 0, indices: rows)))
        }
        let all = withoutGradients { model.eval(); return model(Variable(Fixture.inputs)).value.argmax(alongAxis: 1).scalars }
        #expect(!sawTraining)
        #expect(predictions == all)
        #expect(!model.isTraining)
        let metrics = try trainer.evaluate(labels: Fixture.labels, classCount: 3, batchSize: 4) { rows in
            model(Variable(Fixture.inputs.indexSelect(axis: 0, indices: rows)))
        }
        #expect(metrics == ClassificationMetrics(predictions: all, labels: Fixture.labels, classCount: 3))
        _ = try trainer.fit(epochs: 1) { _ in
            #expect(model.isTraining)
            return Variable(Tensor(0), requiresGrad: true)
        }
    }
}

/// The learning rate of every step a trainer reports.
private final class LearningRates: TrainingObserver {
    var values: [Float] = []
    func trainerDidFinishStep(_ record: StepRecord) throws { values.append(record.learningRate) }
}
