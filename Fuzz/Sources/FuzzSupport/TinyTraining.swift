import Braid

/// A complete, very cheap training run for the checkpoint target: the tiny MLP, Adam, a shuffled
/// loader of 6 examples in batches of 4, and a `Trainer` over them, optionally with early
/// stopping (whose progress a checkpoint then carries in its metadata).
public final class TinyTraining {
    /// The model trained.
    public let model: Sequential
    /// The trainer, not showing progress.
    public let trainer: Trainer
    /// The 6 fixed examples, [6, 4].
    private let inputs: Tensor
    /// The class of each example.
    private let targets: [Int]

    /// A fresh run, identical every time; with `earlyStopping`, `fitOneMoreEpoch` validates.
    public init(earlyStopping: EarlyStopping? = nil, checkpointPath: String? = nil) {
        model = makeTinyMLP()
        let optimizer = Adam(parameters: model.parameters(), learningRate: 0.01)
        let loader = DataLoader(count: 6, batchSize: 4, seed: 3)
        trainer = Trainer(
            model: model, optimizer: optimizer, loader: loader, checkpointPath: checkpointPath,
            earlyStopping: earlyStopping, showsProgress: false)
        inputs = Tensor(shape: [6, 4], scalars: (0..<24).map { Float($0 % 7) / 7 - 0.4 })
        targets = [0, 1, 1, 0, 1, 0]
    }

    /// The cross-entropy of the examples `rows`.
    public func loss(_ rows: [Int]) -> Variable {
        crossEntropy(
            logits: model(Variable(inputs.indexSelect(axis: 0, indices: rows))),
            targets: IntTensor(rows.map { targets[$0] }))
    }

    /// Trains the epochs up to and including `trainer.nextEpoch`, so one epoch after a fresh
    /// start or a resume; does nothing when that epoch count is not a valid `fit` argument (a
    /// negative or `Int.max` resumed epoch). Validates with the loss of all 6 examples.
    public func fitOneMoreEpoch() throws {
        let (epochs, overflow) = trainer.nextEpoch.addingReportingOverflow(1)
        guard !overflow, epochs > 0 else { return }
        let validate: (() throws -> Trainer.Validation)? =
            trainer.earlyStopping == nil ? nil : { [self] in (loss(Array(0..<6)).value.scalar, nil) }
        _ = try trainer.fit(epochs: epochs, validate: validate) { [self] rows in loss(rows) }
    }
}
