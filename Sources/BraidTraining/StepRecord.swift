/// One optimiser step's figures, as the `Trainer` reports them to its observers.
public struct StepRecord: Sendable, Equatable, Codable {
    /// The 1-based step of the whole run (a resumed run counts the steps before it).
    public var step: Int
    /// The epoch (0-based) of the step.
    public var epoch: Int
    /// The batch's loss.
    public var loss: Float
    /// The optimiser's learning rate during the step.
    public var learningRate: Float
    /// The examples in the batch.
    public var samples: Int
    /// Wall-clock seconds the step took (loss, backward pass and update).
    public var seconds: Double
    /// Wall-clock seconds since `fit` started.
    public var elapsed: Double

    /// Creates a record.
    public init(step: Int, epoch: Int, loss: Float, learningRate: Float, samples: Int, seconds: Double, elapsed: Double) {
        (self.step, self.epoch, self.loss, self.learningRate) = (step, epoch, loss, learningRate)
        (self.samples, self.seconds, self.elapsed) = (samples, seconds, elapsed)
    }

    /// Examples per second over the step.
    public var samplesPerSecond: Double { seconds > 0 ? Double(samples) / seconds : 0 }
}
