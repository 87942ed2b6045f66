import BraidTensor
import Foundation

/// Stops training when a validation figure has not improved for a number of epochs, and says
/// which epochs improved it (the ones worth a checkpoint).
///
/// An epoch improves on the best so far when its figure is better by more than
/// `minimumImprovement`; with the default of 0, strictly better, so a tie is not an improvement.
/// The first epoch with a figure always improves. An epoch whose figure is missing (not
/// evaluated) or not finite counts as an epoch without improvement: it never improves, and it
/// uses up patience like a worse epoch. After `patience` consecutive epochs without improvement
/// ``update(_:)`` answers ``Decision/stop``, and keeps answering it until an epoch improves.
public struct EarlyStopping: Sendable, Equatable, Codable {
    /// Which figure of an ``EpochRecord`` to watch, and which way is better.
    public enum Mode: Sendable, Equatable, Codable {
        /// Lower ``EpochRecord/validationLoss`` is better.
        case minimize
        /// Higher ``EpochRecord/validationAccuracy`` is better.
        case maximize
    }

    /// What to do after an epoch.
    public enum Decision: Sendable, Equatable {
        /// Not improved, but patience remains: keep training.
        case `continue`
        /// The best epoch so far: save a checkpoint and keep training.
        case improved
        /// Patience ran out: stop training (and restore the best checkpoint).
        case stop
    }

    /// The number of consecutive epochs without improvement that stops training.
    public let patience: Int
    /// How much better than the best a figure must be to count as an improvement.
    public let minimumImprovement: Float
    /// The figure watched.
    public let mode: Mode
    /// The ``EpochRecord/epoch`` of the best epoch so far; nil before any epoch had a figure.
    public private(set) var bestEpoch: Int?
    /// The best figure so far; nil before any epoch had a figure.
    public private(set) var bestValue: Float?
    /// The number of consecutive epochs since the last improvement.
    public private(set) var epochsWithoutImprovement = 0

    /// Creates an early-stopping rule.
    ///
    /// - Parameters:
    ///   - patience: The number of consecutive epochs without improvement that stops training,
    ///     at least 1; with 1 the first epoch without improvement stops.
    ///   - minimumImprovement: The margin, at least 0, by which a figure must beat the best.
    ///   - mode: The figure to watch: validation loss (`.minimize`, the default) or validation
    ///     accuracy (`.maximize`).
    public init(patience: Int, minimumImprovement: Float = 0, mode: Mode = .minimize) {
        check(patience >= 1, "EarlyStopping: patience must be positive, got \(patience)")
        check(minimumImprovement >= 0, "EarlyStopping: minimumImprovement must not be negative, got \(minimumImprovement)")
        self.patience = patience
        self.minimumImprovement = minimumImprovement
        self.mode = mode
    }

    private enum CodingKeys: String, CodingKey {
        case patience, minimumImprovement, mode, bestEpoch, bestValue, epochsWithoutImprovement
    }

    /// Decodes saved progress (a checkpoint's metadata), checking what ``init(patience:minimumImprovement:mode:)``
    /// checks and that the progress is one a run can reach: a best epoch in
    /// `Checkpoint.allowedEpochs` with a finite best value (both or neither), and a count of
    /// epochs without improvement in the same range. Throws `DecodingError.dataCorrupted` otherwise.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        patience = try container.decode(Int.self, forKey: .patience)
        minimumImprovement = try container.decode(Float.self, forKey: .minimumImprovement)
        mode = try container.decode(Mode.self, forKey: .mode)
        bestEpoch = try container.decodeIfPresent(Int.self, forKey: .bestEpoch)
        bestValue = try container.decodeIfPresent(Float.self, forKey: .bestValue)
        epochsWithoutImprovement = try container.decode(Int.self, forKey: .epochsWithoutImprovement)
        func reject(_ key: CodingKeys, _ problem: String) -> DecodingError {
            .dataCorruptedError(forKey: key, in: container, debugDescription: "\(key.rawValue) \(problem)")
        }
        let counts = Checkpoint.allowedEpochs
        guard patience >= 1 else { throw reject(.patience, "is \(patience); it must be positive") }
        guard minimumImprovement >= 0, minimumImprovement.isFinite else {
            throw reject(.minimumImprovement, "is \(minimumImprovement); it must be finite and not negative")
        }
        guard (bestEpoch == nil) == (bestValue == nil) else { throw reject(.bestEpoch, "and bestValue must be both present or both absent") }
        if let bestEpoch, !counts.contains(bestEpoch) { throw reject(.bestEpoch, "is \(bestEpoch); it must be in \(counts)") }
        if let bestValue, !bestValue.isFinite { throw reject(.bestValue, "is \(bestValue); it must be finite") }
        guard counts.contains(epochsWithoutImprovement) else {
            throw reject(.epochsWithoutImprovement, "is \(epochsWithoutImprovement); it must be in \(counts)")
        }
    }

    /// Whether patience has run out: the last ``update(_:)`` answered ``Decision/stop``.
    public var hasStopped: Bool { epochsWithoutImprovement >= patience }

    /// Takes in a finished epoch's record and says whether to save a checkpoint, go on or stop.
    public mutating func update(_ record: EpochRecord) -> Decision {
        let value = mode == .minimize ? record.validationLoss : record.validationAccuracy
        if let value, value.isFinite, isImprovement(value) {
            bestValue = value
            bestEpoch = record.epoch
            epochsWithoutImprovement = 0
            return .improved
        }
        epochsWithoutImprovement += 1
        return epochsWithoutImprovement >= patience ? .stop : .continue
    }

    /// Whether `value` beats the best so far by more than the margin.
    private func isImprovement(_ value: Float) -> Bool {
        guard let bestValue else { return true }
        switch mode {
        case .minimize: return value < bestValue - minimumImprovement
        case .maximize: return value > bestValue + minimumImprovement
        }
    }
}
