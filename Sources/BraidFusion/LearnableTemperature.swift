import BraidAutograd
import BraidNN
import BraidTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CLIP's learnable logit scale, stored as its logarithm (`logit_scale` in Radford et al. 2021):
/// a scalar parameter `logScale` initialised to log(1/0.07) ≈ 2.659, used as
/// `contrastiveLoss(a, b, logTemperature: temperature.logScale)`; the logits are multiplied by
/// exp(logScale). CLIP clamps the scale to at most 100 during training: call `clampToMaximumScale()`
/// after each optimiser step to do the same.
public final class LearnableTemperature: Module {
    /// log of the logit scale, shape `[]`.
    public let logScale: Variable

    /// A temperature whose initial scale is 1/`initialTemperature` (default 0.07, CLIP's).
    public convenience init(initialTemperature: Float = 0.07) {
        check(initialTemperature > 0, "LearnableTemperature: temperature \(initialTemperature) must be positive")
        self.init(logScale: logf(1 / initialTemperature))
    }

    /// A temperature whose logScale starts at `initialLogScale` (a checkpoint's `logit_scale_init_value`).
    public init(logScale initialLogScale: Float) {
        check(initialLogScale.isFinite, "LearnableTemperature: log scale \(initialLogScale) must be finite")
        logScale = Variable(Tensor(initialLogScale), requiresGrad: true)
    }

    /// The logit scale exp(logScale).
    public var scale: Float { expf(logScale.value.scalars[0]) }

    /// `logit_scale`, the name CLIP's checkpoints use.
    public override var stateDictKeys: [String: String] { ["log_scale": "logit_scale"] }

    /// Clamps logScale to at most log(`maximumScale`) (default 100, as CLIP).
    public func clampToMaximumScale(_ maximumScale: Float = 100) {
        logScale.value = Tensor(Swift.min(logScale.value.scalars[0], logf(maximumScale)))
    }
}
