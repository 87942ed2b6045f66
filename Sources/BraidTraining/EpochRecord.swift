/// One epoch's figures, as training loops record them and run reports, plots and early
/// stopping read them.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// The epoch number, from 0.
    public var epoch: Int
    /// The mean training loss over the epoch's batches.
    public var trainingLoss: Float
    /// The loss on held-out data, when evaluated.
    public var validationLoss: Float?
    /// The accuracy on held-out data (0–1), when evaluated.
    public var validationAccuracy: Float?
    /// Wall-clock seconds the epoch took.
    public var seconds: Double

    /// Creates a record.
    public init(epoch: Int, trainingLoss: Float, validationLoss: Float? = nil, validationAccuracy: Float? = nil, seconds: Double) {
        self.epoch = epoch
        self.trainingLoss = trainingLoss
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
    }
}
