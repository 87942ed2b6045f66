import BraidTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A learning rate as a function of the step (or epoch) number, starting at 0.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate to use at `step`.
    func learningRate(at step: Int) -> Float
}

/// lr·γ^⌊step/stepSize⌋ (`torch.optim.lr_scheduler.StepLR`).
public struct StepDecay: LearningRateSchedule {
    /// The rate at step 0.
    public var initial: Float
    /// How many steps pass between decays.
    public var stepSize: Int
    /// The factor applied at each decay.
    public var gamma: Float

    /// Creates the schedule.
    public init(initial: Float, stepSize: Int, gamma: Float = 0.1) {
        check(stepSize > 0, "StepDecay: step size \(stepSize) must be positive")
        self.initial = initial
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// lr·γ^⌊step/stepSize⌋.
    public func learningRate(at step: Int) -> Float {
        initial * powf(gamma, Float(step / stepSize))
    }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`
/// (Hugging Face's `get_cosine_schedule_with_warmup` when `minimum` is 0).
public struct CosineWithWarmup: LearningRateSchedule {
    /// The rate reached at the end of warm-up.
    public var peak: Float
    /// The number of warm-up steps.
    public var warmupSteps: Int
    /// The step at which the rate reaches `minimum`.
    public var totalSteps: Int
    /// The final rate.
    public var minimum: Float

    /// Creates the schedule.
    public init(peak: Float, warmupSteps: Int, totalSteps: Int, minimum: Float = 0) {
        check(warmupSteps >= 0 && totalSteps > warmupSteps, "CosineWithWarmup: needs 0 ≤ warm-up \(warmupSteps) < total \(totalSteps)")
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimum = minimum
    }

    /// peak·step/warm-up during warm-up; then min + (peak − min)·½(1 + cos(π·progress)).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step) / Float(warmupSteps) }
        let progress = Swift.min(1, Float(step - warmupSteps) / Float(totalSteps - warmupSteps))
        return minimum + (peak - minimum) * 0.5 * (1 + cosf(Float.pi * progress))
    }
}
