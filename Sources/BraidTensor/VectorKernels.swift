internal import CBraidKernels

/// Applies the vectorised C kernels of `CBraidKernels` (compiled for AVX-512, AVX2+FMA and baseline
/// x86-64, chosen at load time) to whole tensors.
extension Tensor {
    /// A tensor of this shape filled by `kernel(input, output, count)`.
    func applying(_ kernel: (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void) -> Tensor {
        withUnsafeBufferPointer { x in
            Tensor(shape: shape) { y in kernel(x.baseAddress, y.baseAddress, y.count) }
        }
    }

    /// A tensor of `x`'s shape filled by `kernel(g, x, output, count)`, for gradient kernels.
    static func applying(
        _ kernel: (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void,
        _ g: Tensor, _ x: Tensor, op: String
    ) -> Tensor {
        check(g.shape == x.shape, "\(op): gradient \(g.shape) and input \(x.shape) differ")
        return g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                Tensor(shape: x.shape) { out in kernel(gp.baseAddress, xp.baseAddress, out.baseAddress, out.count) }
            }
        }
    }

    /// e^x for every element (`torch.exp`): about 1 ulp, subnormal results included.
    public func exp() -> Tensor { applying(braid_exp) }
    /// Logistic sigmoid 1/(1+e^−x) of every element (`torch.sigmoid`).
    public func sigmoid() -> Tensor { applying(braid_sigmoid) }
    /// Hyperbolic tangent of every element (`torch.tanh`).
    public func tanh() -> Tensor { applying(braid_tanh) }
    /// Gauss error function of every element (`torch.erf`), about 1 ulp.
    public func erf() -> Tensor { applying(braid_erf) }
    /// g·(2/√π)·e^(−x²): the gradient of `erf`.
    public static func erfBackward(_ g: Tensor, _ x: Tensor) -> Tensor { applying(braid_erf_backward, g, x, op: "erfBackward") }

    /// Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)) (`nn.GELU()`).
    public func gelu() -> Tensor { applying(braid_gelu) }
    /// g·(Φ(x) + x·φ(x)), with φ the standard normal density.
    public static func geluBackward(_ g: Tensor, _ x: Tensor) -> Tensor { applying(braid_gelu_backward, g, x, op: "geluBackward") }
    /// GELU's tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (`nn.GELU(approximate="tanh")`).
    public func geluTanh() -> Tensor { applying(braid_gelu_tanh) }
    /// g times the derivative of the tanh approximation.
    public static func geluTanhBackward(_ g: Tensor, _ x: Tensor) -> Tensor {
        applying(braid_gelu_tanh_backward, g, x, op: "geluTanhBackward")
    }
    /// x·σ(x) (`nn.SiLU`).
    public func silu() -> Tensor { applying(braid_silu) }
    /// g·σ(x)(1 + x(1 − σ(x))).
    public static func siluBackward(_ g: Tensor, _ x: Tensor) -> Tensor { applying(braid_silu_backward, g, x, op: "siluBackward") }

    /// e^x of `count` elements into `output`.
    static func exponentiate(_ x: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int) {
        braid_exp(x, output, count)
    }

    /// Softmax (or log-softmax when `logarithm`) of each last-axis row.
    func softmaxRows(logarithm: Bool) -> Tensor {
        let n = shape.last ?? 1
        return withUnsafeBufferPointer { x in
            Tensor(shape: shape) { y in
                guard n > 0 else { return }
                braid_softmax_rows(x.baseAddress, y.baseAddress, y.count / n, n, logarithm ? 1 : 0)
            }
        }
    }
}
