/// ReLU and its derivative; the other activations are in `VectorKernels.swift`.
///
/// Each `…Backward` takes the upstream gradient `g` and the forward input `x` and returns g·f′(x).
extension Tensor {
    /// max(0, x) (`torch.relu`).
    public func relu() -> Tensor { map { Swift.max($0, 0) } }

    /// g·[x > 0].
    public static func reluBackward(_ g: Tensor, _ x: Tensor) -> Tensor {
        zip(g, x, op: "reluBackward") { g, x in x > 0 ? g : 0 }
    }
}
