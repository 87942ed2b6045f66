import BraidAutograd
import BraidTensor

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay
/// (`torch.optim.SGD`).
///
/// g ← ∇ + λ·p; with momentum μ: b ← μ·b + (1 − dampening)·g (b = g on the first step), and
/// g ← g + μ·b (Nesterov) or g ← b; then p ← p − lr·g.
public final class SGD: Optimizer {
    /// The parameters updated by `step()`.
    public let parameters: [Variable]
    /// The step size.
    public var learningRate: Float
    /// The momentum factor μ (0 disables momentum).
    public let momentum: Float
    /// The dampening applied to new gradients in the momentum buffer.
    public let dampening: Float
    /// Whether Nesterov momentum is used.
    public let nesterov: Bool
    /// The L2 penalty λ added to the gradient.
    public let weightDecay: Float
    /// The momentum buffers, one per parameter once it has been stepped.
    public var momentumBuffers: [Tensor?]

    /// Creates the optimiser; defaults match PyTorch's.
    public init(
        parameters: [Variable], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
        nesterov: Bool = false, weightDecay: Float = 0
    ) {
        check(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov momentum needs momentum > 0 and no dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        momentumBuffers = Array(repeating: nil, count: parameters.count)
    }

    /// One update of every parameter that has a gradient.
    public func step() {
        let (lr, mu, decay, keep) = (learningRate, momentum, weightDecay, 1 - dampening)
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            var g = decay == 0 ? grad : Tensor.zip(grad, p.value, op: "SGD") { g, p in g + decay * p }
            if mu != 0 {
                let buffer = momentumBuffers[i].map { b in Tensor.zip(b, g, op: "SGD") { b, g in mu * b + keep * g } } ?? g
                momentumBuffers[i] = buffer
                g = nesterov ? Tensor.zip(g, buffer, op: "SGD") { g, b in g + mu * b } : buffer
            }
            p.value = Tensor.zip(p.value, g, op: "SGD") { p, g in p - lr * g }
        }
    }
}
