import BraidAutograd
import BraidTensor

/// Updates parameters from their gradients (`torch.optim.Optimizer`).
public protocol Optimizer: AnyObject {
    /// The parameters updated by `step()`, in a fixed order.
    var parameters: [Variable] { get }
    /// The learning rate used by the next `step()`; schedules set it.
    var learningRate: Float { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
}

extension Optimizer {
    /// Forgets every parameter's gradient (`zero_grad(set_to_none=True)`).
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }
}

/// Scales all gradients together so their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`), and returns the norm before clipping.
///
/// The factor is min(1, maxNorm/(norm + 1e-6)), as in PyTorch.
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    var squares: Double = 0
    for p in parameters {
        guard let g = p.grad else { continue }
        g.withUnsafeBufferPointer { squares += Double(RowKernels.dot($0.baseAddress!, $0.baseAddress!, $0.count)) }
    }
    let norm = Float(squares.squareRoot())
    let factor = Swift.min(1, maxNorm / (norm + 1e-6))
    if factor < 1 {
        for p in parameters where p.grad != nil { p.grad = p.grad! * factor }
    }
    return norm
}
