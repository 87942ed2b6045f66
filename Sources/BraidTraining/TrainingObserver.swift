/// Follows a `Trainer`'s run: told of every optimiser step and every finished epoch, in order, on
/// the training thread. An error thrown here stops `fit` with that error (after the step's
/// update, or after the epoch's checkpoint, so the run resumes from it), so a log that can no
/// longer be written does not go unnoticed.
public protocol TrainingObserver: AnyObject {
    /// Called after each optimiser step.
    func trainerDidFinishStep(_ record: StepRecord) throws
    /// Called after each epoch, with its validation figures when there are any.
    func trainerDidFinishEpoch(_ record: EpochRecord, elapsed: Double) throws
}

extension TrainingObserver {
    /// Ignores steps.
    public func trainerDidFinishStep(_ record: StepRecord) throws {}
    /// Ignores epochs.
    public func trainerDidFinishEpoch(_ record: EpochRecord, elapsed: Double) throws {}
}
