import BraidAutograd
import BraidTensor
internal import CBraidKernels
import Foundation

/// Adam (`torch.optim.Adam`) and, with `decoupledWeightDecay`, AdamW (`torch.optim.AdamW`).
///
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², then
/// p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε), evaluated in PyTorch's order. Adam's weight decay
/// adds λ·p to g; AdamW's multiplies p by (1 − lr·λ) before the update.
public final class Adam: Optimizer {
    /// The parameters updated by `step()`.
    public let parameters: [Variable]
    /// The step size.
    public var learningRate: Float
    /// The decay rates (β₁, β₂) of the moment estimates.
    public let betas: (Double, Double)
    /// Added to the denominator for stability.
    public let epsilon: Float
    /// The weight-decay factor λ.
    public let weightDecay: Float
    /// Whether weight decay is decoupled from the gradient (AdamW) or added to it (Adam).
    public let decoupledWeightDecay: Bool
    /// The number of steps taken.
    public var stepCount = 0
    /// First-moment estimates, one per parameter.
    public var firstMoments: [Tensor]
    /// Second-moment estimates, one per parameter.
    public var secondMoments: [Tensor]

    /// Adam with PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay).
    public init(
        parameters: [Variable], learningRate: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false
    ) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.betas = betas
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        firstMoments = parameters.map { Tensor.zeros($0.shape) }
        secondMoments = firstMoments
    }

    /// AdamW with PyTorch's defaults (lr 1e-3, weight decay 0.01).
    public static func adamW(
        parameters: [Variable], learningRate: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        epsilon: Float = 1e-8, weightDecay: Float = 0.01
    ) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// One update of every parameter that has a gradient, in one fused pass per parameter.
    public func step() {
        stepCount += 1
        // Bias corrections in Double, as PyTorch computes them from Python floats.
        let stepSize = Float(Double(learningRate) / (1 - Foundation.pow(betas.0, Double(stepCount))))
        let rootCorrection2 = Float((1 - Foundation.pow(betas.1, Double(stepCount))).squareRoot())
        let (oneMinusB1, b2, oneMinusB2) = (Float(1 - betas.0), Float(betas.1), Float(1 - betas.1))
        let l2 = decoupledWeightDecay ? 0 : weightDecay
        let shrink = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            grad.withUnsafeBufferPointer { g in
                firstMoments[i].withUnsafeMutableBufferPointer { m in
                    secondMoments[i].withUnsafeMutableBufferPointer { v in
                        p.value.withUnsafeMutableBufferPointer { w in
                            braid_adam_update(
                                w.baseAddress, m.baseAddress, v.baseAddress, g.baseAddress, w.count,
                                oneMinusB1, b2, oneMinusB2, stepSize, rootCorrection2, epsilon, l2, shrink)
                        }
                    }
                }
            }
        }
    }
}

