import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import Foundation

/// The loss became NaN or infinite; training stopped before that step's update.
public struct NonFiniteLossError: Error, Equatable, CustomStringConvertible {
    /// The 1-based step of the whole run (counting the epochs before a resume) whose loss was not finite.
    public var step: Int
    /// The epoch (0-based) of that step.
    public var epoch: Int
    /// Creates the error.
    public init(step: Int, epoch: Int) { (self.step, self.epoch) = (step, epoch) }
    /// The loss and where training stopped.
    public var description: String {
        "the loss became NaN or infinite at step \(step) (epoch \(epoch + 1)); training stopped, the last checkpoint is that of the epoch before"
    }
}

/// The train/evaluate loop: epochs of seeded shuffled batches from a `DataLoader`, one optimiser
/// step per batch (optionally on a learning-rate schedule, after gradient clipping), a progress
/// display, a checkpoint after every epoch, optional validation with early stopping, and exact
/// resumption.
///
/// The caller supplies the loss of a batch of example indices, so the loop serves any model and
/// any data. A checkpoint holds the model, the optimiser state, the loader's order generator and
/// every dropout stream, so ``resume(from:)`` followed by ``fit(epochs:validate:loss:)`` gives
/// the losses of the uninterrupted run bit for bit. A non-finite loss throws
/// ``NonFiniteLossError`` before the update, leaving the last checkpoint as it was.
///
/// ```swift
/// let trainer = Trainer(model: model, optimizer: Adam(parameters: model.parameters(), learningRate: 1e-3),
///                       loader: DataLoader(count: images.shape[0], batchSize: 64, seed: 1))
/// let history = try trainer.fit(epochs: 10) { rows in
///     crossEntropy(logits: model(Variable(images.indexSelect(axis: 0, indices: rows))),
///                  targets: IntTensor(rows.map { labels[$0] }))
/// }
/// ```
public final class Trainer {
    /// An epoch's validation figures: loss and accuracy, either left out when not measured.
    public typealias Validation = (loss: Float?, accuracy: Float?)

    /// The model trained (switched to training mode by `fit`, to evaluation mode by `predict`).
    public let model: Module
    /// The optimiser that updates `model`'s parameters.
    public let optimizer: any StatefulOptimizer
    /// The batches of each epoch.
    public let loader: DataLoader
    /// Where a checkpoint is written (atomically) after every epoch; none when `nil`.
    public var checkpointPath: String?
    /// Stops training when validation stops improving, and puts back the best epoch's weights
    /// (kept in memory, and beside the checkpoint when there is one); needs a `validate` closure
    /// in `fit`.
    public var earlyStopping: EarlyStopping?
    /// Whether `fit` draws a ``ProgressBar``.
    public var showsProgress: Bool
    /// Told of every step and epoch of `fit`, in order (a ``JSONLinesLogger``, a plot, a metrics
    /// sink).
    public var observers: [any TrainingObserver] = []
    /// Sets the optimiser's learning rate before every update to `schedule.learningRate(at: s)`,
    /// s being the run's 0-based step (counting the epochs before a resume, so a resumed run
    /// follows the same curve); `nil` leaves the learning rate to the caller.
    public var schedule: (any LearningRateSchedule)?
    /// Before every update, scales the gradients so that their global L2 norm is at most this
    /// (`clipGradientNorm`, PyTorch's `clip_grad_norm_`); `nil` for no clipping.
    public var maxGradientNorm: Float?
    /// This rank's part in data-parallel training (`DistributedDataParallel`), or `nil` alone:
    /// gradients are averaged over the ranks after every `backward()`, each epoch's training and
    /// validation figures are averaged over the ranks (so early stopping decides alike on all),
    /// and only rank 0 writes checkpoints (which every rank then resumes from, on a file system
    /// they share) and draws the progress bar. Observers are told of every rank's steps.
    public var dataParallel: (any DataParallelTraining)?
    /// Whether this trainer writes checkpoints and draws progress: alone, or rank 0.
    public var isPrimary: Bool { (dataParallel?.rank ?? 0) == 0 }
    /// The epoch `fit` starts from: 0, or the one after a resumed checkpoint's.
    public private(set) var nextEpoch = 0
    /// The best epoch's weights so far under ``earlyStopping``.
    private var bestWeights: [String: Tensor]?

    /// A trainer of `model` by `optimizer` over `loader`'s batches.
    public init(model: Module, optimizer: any StatefulOptimizer, loader: DataLoader,
                checkpointPath: String? = nil, earlyStopping: EarlyStopping? = nil, showsProgress: Bool = true) {
        self.model = model
        self.optimizer = optimizer
        self.loader = loader
        self.checkpointPath = checkpointPath
        self.earlyStopping = earlyStopping
        self.showsProgress = showsProgress
    }

    /// Restores the weights, the optimiser state, the data order and every dropout stream from
    /// the checkpoint at `path`, so that `fit` continues with the epoch after the saved one; with
    /// ``earlyStopping`` set, also its progress and the best epoch's weights (from
    /// ``bestWeightsPath(for:)``), so the run stops where the uninterrupted one would.
    ///
    /// Everything is read and checked before anything changes. A corrupt checkpoint or best-weights
    /// file throws `SafeTensorsError`, another model's throws `StateDictError`, and malformed
    /// early-stopping progress or a missing best-weights file throws `CheckpointError`; see also
    /// `Checkpoint.load`.
    public func resume(from path: String) throws {
        var restored: (stopping: EarlyStopping, best: [String: Tensor]?)?
        if earlyStopping != nil, let saved = try SafeTensors(contentsOf: path).metadata[Self.earlyStoppingKey] {
            let stopping: EarlyStopping
            do { stopping = try JSONDecoder().decode(EarlyStopping.self, from: Data(saved.utf8)) } catch {
                throw CheckpointError(path: path, key: "__metadata__.\(Self.earlyStoppingKey)",
                                      reason: "expected early-stopping progress as JSON: \(Self.detail(error))")
            }
            var best: [String: Tensor]?
            if let bestEpoch = stopping.bestEpoch {
                let bestPath = Self.bestWeightsPath(for: path)
                guard FileManager.default.fileExists(atPath: bestPath) else {
                    throw CheckpointError(path: path, key: "__metadata__.\(Self.earlyStoppingKey)",
                                          reason: "its best epoch \(bestEpoch + 1) has no weights file at \(bestPath)")
                }
                let values = try SafeTensors(contentsOf: bestPath).tensors()
                if let mismatch = model.stateDictMismatch(values, source: bestPath) { throw mismatch }
                best = values
            }
            restored = (stopping, best)
        }
        let state = try Checkpoint.load(from: path, into: model, optimizer: optimizer)
        if let order = state.generators[Self.loaderKey] { loader.generator = order }
        model.restoreRandomGenerators(state.generators)
        nextEpoch = state.epoch + 1
        if let restored { (earlyStopping, bestWeights) = (restored.stopping, restored.best) }
    }

    /// What a decoding error says is wrong, in a few words.
    private static func detail(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        return switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            context.codingPath.isEmpty ? context.debugDescription
                : "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        case .keyNotFound(let key, _): "no \(key.stringValue)"
        @unknown default: "\(error)"
        }
    }

    /// Where the best epoch's weights go beside the checkpoint at `path` under early stopping:
    /// `run.safetensors` → `run.best.safetensors`.
    public static func bestWeightsPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        return url.deletingLastPathComponent().appendingPathComponent(stem + ".best" + suffix).path
    }

    /// Trains from ``nextEpoch`` up to epoch `epochs` (exclusive) and returns one record per
    /// epoch trained.
    ///
    /// - Parameters:
    ///   - epochs: The total number of epochs of the run (a resumed run counts the earlier ones).
    ///   - validate: Called after every epoch (with the model in training mode; switch it as
    ///     needed); its loss and accuracy go into the record and drive ``earlyStopping``.
    ///   - loss: The scalar loss of a batch of example indices, built with gradients.
    public func fit(
        epochs: Int, validate: (() throws -> Validation)? = nil, loss: ([Int]) throws -> Variable
    ) throws -> [EpochRecord] {
        check(epochs > 0, "Trainer.fit: epochs must be positive, got \(epochs)")
        check(earlyStopping == nil || validate != nil, "Trainer.fit: early stopping needs a validate closure")
        var progress = showsProgress && isPrimary ? ProgressBar(epochs: epochs, stepsPerEpoch: max(loader.batchCount, 1)) : nil
        var records: [EpochRecord] = []
        if earlyStopping?.hasStopped == true {
            // A run that already stopped (in this trainer or before a resume) trains no further.
            try restoreBestWeights()
            return records
        }
        var step = nextEpoch * loader.batchCount
        let fitStart = Date()
        while nextEpoch < epochs {
            let epoch = nextEpoch
            model.train()
            let start = Date()
            var total: Float = 0, batches = 0
            for rows in loader {
                let stepStart = Date()
                optimizer.zeroGrad()
                let value = try loss(rows)
                step += 1
                guard value.value.scalar.isFinite else { throw NonFiniteLossError(step: step, epoch: epoch) }
                value.backward()
                try dataParallel?.synchronizeGradients()
                if let maxGradientNorm { clipGradientNorm(optimizer.parameters, maxNorm: maxGradientNorm) }
                if let schedule { optimizer.learningRate = schedule.learningRate(at: step - 1) }
                let learningRate = optimizer.learningRate
                optimizer.step()
                total += value.value.scalar
                batches += 1
                let now = Date()
                progress?.update(epoch: epoch, step: batches, loss: total / Float(batches), samples: rows.count)
                if !observers.isEmpty {
                    let record = StepRecord(
                        step: step, epoch: epoch, loss: value.value.scalar, learningRate: learningRate, samples: rows.count,
                        seconds: now.timeIntervalSince(stepStart), elapsed: now.timeIntervalSince(fitStart))
                    for observer in observers { try observer.trainerDidFinishStep(record) }
                }
            }
            var trainingLoss = total / Float(max(batches, 1))
            if let dataParallel { trainingLoss = try dataParallel.averageOverRanks([trainingLoss])[0] }
            var record = EpochRecord(epoch: epoch, trainingLoss: trainingLoss, seconds: 0)
            if let validate {
                var (loss, accuracy) = try validate()
                if let dataParallel {
                    // Averaged, so that early stopping decides alike on every rank.
                    let averaged = try dataParallel.averageOverRanks([loss, accuracy].compactMap { $0 })
                    if loss != nil { loss = averaged[0] }
                    if accuracy != nil { accuracy = averaged[averaged.count - 1] }
                }
                (record.validationLoss, record.validationAccuracy) = (loss, accuracy)
            }
            record.seconds = Date().timeIntervalSince(start)
            progress?.finishEpoch(record: record)
            records.append(record)
            nextEpoch += 1
            let decision = earlyStopping?.update(record)
            if decision == .improved {
                bestWeights = model.stateDict()
                if let checkpointPath, isPrimary { try model.saveStateDict(to: Self.bestWeightsPath(for: checkpointPath)) }
            }
            if let checkpointPath, isPrimary {
                var generators = model.namedRandomGenerators()
                generators[Self.loaderKey] = loader.generator
                var metadata: [String: String] = [:]
                if let earlyStopping {
                    metadata[Self.earlyStoppingKey] = String(decoding: try JSONEncoder().encode(earlyStopping), as: UTF8.self)
                }
                try Checkpoint.save(
                    to: checkpointPath, model: model, optimizer: optimizer, generators: generators, epoch: epoch, metadata: metadata)
            }
            // After the checkpoint, so an observer that throws leaves a run that resumes cleanly.
            for observer in observers { try observer.trainerDidFinishEpoch(record, elapsed: Date().timeIntervalSince(fitStart)) }
            if decision == .stop {
                try restoreBestWeights()
                return records
            }
        }
        return records
    }

    /// Loads the best epoch's weights under early stopping, if there are any.
    private func restoreBestWeights() throws {
        if let bestWeights { try model.loadStateDict(bestWeights, source: "the best epoch's weights") }
    }

    /// The predicted class (arg-max of the logits) of each of `count` examples, in order, computed
    /// without gradients in batches of `batchSize`. Switches the model to evaluation mode and
    /// leaves it there (`fit` switches back at every epoch). In data-parallel training each rank
    /// predicts every `rankCount`-th example and every rank receives all of the predictions; each
    /// rank predicts with its own buffers, which differ only for batch norm without synchronised
    /// statistics (`Module.synchronizeBatchStatistics(with:)`).
    public func predict(count: Int, batchSize: Int = 256, logits: ([Int]) throws -> Variable) throws -> [Int] {
        model.eval()
        var predictions: [Int] = []
        for rows in batchesOfThisRanksShare(count: count, batchSize: batchSize, caller: "predict") {
            predictions += try withoutGradients { try logits(rows) }.value.argmax(alongAxis: 1).scalars
        }
        let ranks = dataParallel?.rankCount ?? 1
        guard let dataParallel, ranks > 1 else { return predictions }
        // Padded to the largest share so every rank gives as many; rank r's i-th is example i·ranks + r.
        let longest = (count + ranks - 1) / ranks
        let gathered = try dataParallel.gatherFromRanks(predictions + [Int](repeating: -1, count: longest - predictions.count))
        return (0..<count).map { gathered[($0 % ranks) * longest + $0 / ranks] }
    }

    /// The mean cross-entropy and the accuracy of the logits of `labels.count` held-out examples
    /// (one label each), computed without gradients in evaluation mode: a classifier's `validate`
    /// closure for ``fit(epochs:validate:loss:)``. In data-parallel training each rank takes
    /// every `rankCount`-th example and the sums are reduced over the ranks, so every rank returns
    /// the figures of the whole set.
    public func validateClassifier(
        labels: [Int], batchSize: Int = 256, logits: ([Int]) throws -> Variable
    ) throws -> Validation {
        check(!labels.isEmpty, "Trainer.validateClassifier: no validation examples")
        model.eval()
        var lossSum: Double = 0, correct = 0
        for rows in batchesOfThisRanksShare(count: labels.count, batchSize: batchSize, caller: "validateClassifier") {
            let targets = IntTensor(rows.map { labels[$0] })
            let (loss, predictions) = try withoutGradients {
                let batch = try logits(rows)
                return (crossEntropy(logits: batch, targets: targets).value.scalar, batch.value.argmax(alongAxis: 1).scalars)
            }
            lossSum += Double(loss) * Double(rows.count)
            correct += zip(predictions, targets.scalars).filter { $0 == $1 }.count
        }
        if let dataParallel, dataParallel.rankCount > 1 {
            lossSum = Double(try dataParallel.averageOverRanks([Float(lossSum)])[0]) * Double(dataParallel.rankCount)
            correct = try dataParallel.gatherFromRanks([correct]).reduce(0, +)
        }
        return (Float(lossSum / Double(labels.count)), Float(correct) / Float(labels.count))
    }

    /// This rank's examples of `count`, every `rankCount`-th from its rank on (all of them outside
    /// data-parallel training), in batches of `batchSize`.
    private func batchesOfThisRanksShare(count: Int, batchSize: Int, caller: String) -> [[Int]] {
        check(batchSize > 0, "Trainer.\(caller): batch size \(batchSize) must be positive")
        let share = Array(stride(from: dataParallel?.rank ?? 0, to: count, by: dataParallel?.rankCount ?? 1))
        return stride(from: 0, to: share.count, by: batchSize).map { Array(share[$0..<min($0 + batchSize, share.count)]) }
    }

    /// Accuracy, per-class and macro precision, recall and F1, and the confusion matrix of the
    /// predictions (see ``predict(count:batchSize:logits:)``) against `labels`, one per example.
    public func evaluate(
        labels: [Int], classCount: Int, batchSize: Int = 256, logits: ([Int]) throws -> Variable
    ) throws -> ClassificationMetrics {
        let predictions = try predict(count: labels.count, batchSize: batchSize, logits: logits)
        return ClassificationMetrics(predictions: predictions, labels: labels, classCount: classCount)
    }

    /// The checkpoint's name for the loader's order generator.
    static let loaderKey = "loader"
    /// The checkpoint metadata entry holding the early-stopping progress as JSON.
    static let earlyStoppingKey = "early_stopping"
}
