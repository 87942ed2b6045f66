internal import CBraidKernels

/// Applies the vectorised C kernels of `CBraidKernels` (compiled for AVX-512, AVX2+FMA and baseline
/// x86-64, chosen at load time) to whole tensors.
extension Tensor {
    /// The element count from which the element-wise kernels split a tensor over the cores.
    static let parallelElementThreshold = 1 << 16

    /// A tensor of this shape filled by `kernel(input, output, count)`, in chunks spread over the
    /// cores for large tensors (the kernels are element-wise, so the result is the same).
    func applying(_ kernel: @Sendable (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void) -> Tensor {
        withUnsafeBufferPointer { x in
            Tensor(shape: shape) { y in
                guard !y.isEmpty else { return }
                let (input, output) = (ReadPointer(x), SharedPointer(y.baseAddress!))
                Self.inChunks(y.count) { start, count in kernel(input.address + start, output.address + start, count) }
            }
        }
    }

    /// A tensor of `x`'s shape filled by `kernel(g, x, output, count)`, for gradient kernels,
    /// chunked as the one-input form.
    static func applying(
        _ kernel: @Sendable (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void,
        _ g: Tensor, _ x: Tensor, op: String
    ) -> Tensor {
        check(g.shape == x.shape, "\(op): gradient \(g.shape) and input \(x.shape) differ")
        return g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                Tensor(shape: x.shape) { out in
                    guard !out.isEmpty else { return }
                    let (gradient, input) = (ReadPointer(gp), ReadPointer(xp))
                    let output = SharedPointer(out.baseAddress!)
                    inChunks(out.count) { start, count in
                        kernel(gradient.address + start, input.address + start, output.address + start, count)
                    }
                }
            }
        }
    }

    /// Calls `body(start, count)` over `0..<count` in one piece, or in one contiguous chunk per
    /// core from ``parallelElementThreshold`` elements on.
    private static func inChunks(_ count: Int, _ body: @Sendable (_ start: Int, _ count: Int) -> Void) {
        guard count >= parallelElementThreshold else { return body(0, count) }
        let workers = Parallel.workerCount(for: count)
        let chunk = (count + workers - 1) / workers
        Parallel.distribute(workers) { _, tasks in
            for task in tasks { body(task * chunk, Swift.min(chunk, count - task * chunk)) }
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

    /// x·σ(1.702·x), CLIP's `quick_gelu`.
    public func quickGelu() -> Tensor { applying(braid_quick_gelu) }
    /// g·(σ + 1.702·x·σ·(1 − σ)) with σ = σ(1.702·x).
    public static func quickGeluBackward(_ g: Tensor, _ x: Tensor) -> Tensor {
        applying(braid_quick_gelu_backward, g, x, op: "quickGeluBackward")
    }

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

/// Which build of the C kernels runs on this CPU.
package enum KernelClone {
    /// The clone the dynamic loader chose: "avx512f", "x86-64-v3" (AVX2 + FMA) or "default" (SSE2).
    package static var chosen: String { String(cString: braid_kernel_clone()) }
    /// The widest clone this CPU supports, which ``chosen`` should be.
    package static var best: String { String(cString: braid_best_kernel_clone()) }
}
