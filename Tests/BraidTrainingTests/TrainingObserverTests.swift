import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTraining
import Foundation
import Testing

/// Records what the trainer reports.
private final class Recorder: TrainingObserver {
    var steps: [StepRecord] = []
    var epochs: [(record: EpochRecord, elapsed: Double)] = []
    func trainerDidFinishStep(_ record: StepRecord) throws { steps.append(record) }
    func trainerDidFinishEpoch(_ record: EpochRecord, elapsed: Double) throws { epochs.append((record, elapsed)) }
}

/// Fails at the third step.
private final class FailingObserver: TrainingObserver {
    struct Failure: Error {}
    func trainerDidFinishStep(_ record: StepRecord) throws { if record.step == 3 { throw Failure() } }
}

@Suite struct TrainingObserverTests {
    typealias Fixture = CheckpointTests

    @Test func observersHearEveryStepAndEpochInOrder() throws {
        let (trainer, loss) = TrainerTests.makeTrainer(seed: 3)
        let recorder = Recorder()
        trainer.observers = [recorder]
        let records = try trainer.fit(epochs: 2, validate: { (0.5, 0.75) }, loss: loss)
        // 23 samples in batches of 5: 5 steps per epoch, the last of 3 samples.
        #expect(recorder.steps.map(\.step) == Array(1...10))
        #expect(recorder.steps.map(\.epoch) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        #expect(recorder.steps.map(\.samples) == [5, 5, 5, 5, 3, 5, 5, 5, 5, 3])
        #expect(recorder.steps.allSatisfy { $0.learningRate == 0.01 && $0.loss.isFinite && $0.seconds > 0 })
        #expect(zip(recorder.steps, recorder.steps.dropFirst()).allSatisfy { $0.elapsed <= $1.elapsed })
        let meanOfFirstEpoch = recorder.steps.prefix(5).map(\.loss).reduce(0, +) / 5
        #expect(abs(records[0].trainingLoss - meanOfFirstEpoch) < 1e-6)
        #expect(recorder.epochs.map(\.record) == records)
        #expect(recorder.epochs[1].elapsed >= recorder.steps.last!.elapsed)
    }

    @Test func anObserverThatThrowsStopsTraining() throws {
        let (trainer, loss) = TrainerTests.makeTrainer(seed: 3)
        let recorder = Recorder()
        trainer.observers = [recorder, FailingObserver()]
        #expect(throws: FailingObserver.Failure.self) { _ = try trainer.fit(epochs: 2, loss: loss) }
        #expect(recorder.steps.count == 3 && recorder.epochs.isEmpty)
    }

    @Test func theJSONLinesLogWritesAStepOrEpochPerLine() throws {
        let directory = try Fixture.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.jsonl"
        let (trainer, loss) = TrainerTests.makeTrainer(seed: 4)
        let logger = try JSONLinesLogger(path: path)
        logger.run = "fused"
        trainer.observers = [logger]
        _ = try trainer.fit(epochs: 1, validate: { (.nan, 0.5) }, loss: loss)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.count == 6)
        #expect(lines.prefix(5).allSatisfy { $0["kind"] as? String == "step" && $0["run"] as? String == "fused" })
        #expect(lines.prefix(5).map { $0["step"] as? Int } == [1, 2, 3, 4, 5])
        #expect(Set(lines[0].keys) == ["kind", "run", "step", "epoch", "loss", "learningRate", "samplesPerSecond", "elapsed"])
        #expect((lines[0]["samplesPerSecond"] as? Double ?? 0) > 0)
        #expect(lines[5]["kind"] as? String == "epoch" && lines[5]["validationLoss"] as? String == "NaN")
        #expect(lines[5]["validationAccuracy"] as? Double == 0.5)

        // A resumed run appends; a fresh log starts over.
        let appending = try JSONLinesLogger(path: path, appending: true)
        trainer.observers = [appending]
        _ = try trainer.fit(epochs: 2, loss: loss)
        lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.count == 12 && lines[6]["step"] as? Int == 6 && lines[6]["run"] == nil)
        _ = try JSONLinesLogger(path: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)
    }

    @Test func aLogThatCannotBeOpenedNamesTheFile() {
        let path = "/nonexistent-braid-folder/run.jsonl"
        let error = #expect(throws: ReportWriteError.self) { _ = try JSONLinesLogger(path: path) }
        #expect(error?.path == path)
    }

    @Test func classifierValidationIsTheMeanCrossEntropyAndAccuracy() throws {
        let (trainer, _) = TrainerTests.makeTrainer(seed: 5)
        let logits = Tensor([[2, 0], [0, 1], [1, 3], [0, 0], [5, 1]])
        let labels = [0, 1, 0, 1, 0]
        let (loss, accuracy) = try trainer.validateClassifier(labels: labels, batchSize: 2) { rows in
            Variable(logits.indexSelect(axis: 0, indices: rows))
        }
        let expected = crossEntropy(logits: Variable(logits), targets: IntTensor(labels)).value.scalar
        #expect(abs(loss! - expected) < 1e-6)
        #expect(accuracy == 0.6)  // rows 0, 1, 4 right; row 3's tie goes to class 0
        #expect(!trainer.model.isTraining)
    }
}
