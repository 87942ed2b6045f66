/// Softmax and log-softmax along one axis, as fused row kernels. Axes other than the last are
/// moved to the end (a copy) and back.
extension Tensor {
    /// e^(x − max) / Σ e^(x − max) along `axis` (`torch.softmax`).
    public func softmax(alongAxis axis: Int = -1) -> Tensor {
        alongLastAxis(axis, op: "softmax") { $0.softmaxRows(logarithm: false) }
    }

    /// x − max − ln Σ e^(x − max) along `axis` (`torch.log_softmax`).
    public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
        alongLastAxis(axis, op: "logSoftmax") { $0.softmaxRows(logarithm: true) }
    }

    /// The gradient of softmax given its output `y`: y·(g − Σ g·y).
    public static func softmaxBackward(_ g: Tensor, output y: Tensor, alongAxis axis: Int = -1) -> Tensor {
        pairAlongLastAxis(g, y, axis, op: "softmaxBackward") { g, y, n, out in
            let dot = RowKernels.dot(g, y, n)
            for i in 0..<n { out[i] = y[i] * (g[i] - dot) }
        }
    }

    /// The gradient of log-softmax given its output `y`: g − e^y·Σ g.
    public static func logSoftmaxBackward(_ g: Tensor, output y: Tensor, alongAxis axis: Int = -1) -> Tensor {
        pairAlongLastAxis(g, y, axis, op: "logSoftmaxBackward") { g, y, n, out in
            let total = RowKernels.sum(g, n)
            exponentiate(y, into: out, count: n)
            for i in 0..<n { out[i] = g[i] - out[i] * total }
        }
    }

    /// Applies a last-axis row kernel to `axis` by moving it to the end and back.
    private func alongLastAxis(_ axis: Int, op: String, _ kernel: (Tensor) -> Tensor) -> Tensor {
        let axis = Shape.normalize(axis: axis, rank: Swift.max(rank, 1), op: op)
        if axis == rank - 1 || rank == 0 { return kernel(self) }
        return kernel(transposed(axis, -1)).transposed(axis, -1)
    }

    private static func pairAlongLastAxis(
        _ g: Tensor, _ y: Tensor, _ axis: Int, op: String,
        _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void
    ) -> Tensor {
        check(g.shape == y.shape, "\(op): gradient \(g.shape) and output \(y.shape) differ")
        let axis = Shape.normalize(axis: axis, rank: Swift.max(y.rank, 1), op: op)
        if axis != y.rank - 1 && y.rank > 0 {
            return pairAlongLastAxis(g.transposed(axis, -1), y.transposed(axis, -1), -1, op: op, kernel)
                .transposed(axis, -1)
        }
        let n = y.shape.last ?? 1
        return g.withUnsafeBufferPointer { gp in
            y.withUnsafeBufferPointer { yp in
                Tensor(shape: y.shape) { out in
                    guard n > 0 else { return }
                    for r in 0..<(out.count / n) {
                        kernel(gp.baseAddress! + r * n, yp.baseAddress! + r * n, n, out.baseAddress! + r * n)
                    }
                }
            }
        }
    }
}
