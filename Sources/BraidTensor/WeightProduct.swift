internal import CBraidKernels

/// A weight in `nn.Linear`'s `[out, in]` layout packed for `WeightProduct`: Wᵀ cut into panels of
/// 64 output columns, each `[in, 64]` and contiguous, so a product reads the weight in order and
/// never transposes it again. Packing is the weight's size in memory once more.
///
/// SPI (`@_spi(RawKernels) import BraidTensor`), as `BLAS` is, so the benchmarks can time the
/// product beside raw sgemm on the same buffers.
@_spi(RawKernels) public struct PackedWeight: Sendable {
    /// Output columns per panel: the kernel's register block is 64 wide.
    static let panelWidth = 64

    /// The number of outputs (rows of W).
    public let outputs: Int
    /// The number of inputs (columns of W).
    public let inputs: Int
    let panels: [Float]

    /// `weight` `[outputs, inputs]` packed.
    public init(_ weight: Tensor) {
        check(weight.rank == 2, "PackedWeight: weight \(weight.shape) must be [out, in]")
        (outputs, inputs) = (weight.shape[0], weight.shape[1])
        let (outputs, inputs) = (self.outputs, self.inputs)
        let count = (outputs + Self.panelWidth - 1) / Self.panelWidth
        panels = weight.withUnsafeBufferPointer { w in
            [Float](unsafeUninitializedCapacity: outputs * inputs) { buffer, initialized in
                if let base = buffer.baseAddress, let source = w.baseAddress {
                    let (packed, weight) = (SharedPointer(base), SharedPointer(UnsafeMutablePointer(mutating: source)))
                    Parallel.distribute(count) { _, tasks in
                        for panel in tasks {
                            let first = panel * Self.panelWidth
                            braid_pack_weight_panel(
                                weight.address + first * inputs, inputs, Swift.min(Self.panelWidth, outputs - first), inputs,
                                packed.address + first * inputs)
                        }
                    }
                }
                initialized = outputs * inputs
            }
        }
    }
}

/// Products with a packed weight, C = A·Wᵀ + bias + residual, by Braid's register-blocked kernel
/// rather than sgemm: each worker runs every row of A against a panel of Wᵀ (`inner × 64` floats,
/// in L2), so W is read once and A once per panel, and the bias and the residual cost no pass of
/// their own (each register block starts from them). Panels are spread over the cores, except
/// inside a `Parallel.distribute` region, which already keeps them busy.
@_spi(RawKernels) public enum WeightProduct {
    /// C = A·Wᵀ + bias + residual for A `[rows, weight.inputs]` (row stride `lda`), `bias`
    /// `[weight.outputs]`, `residual` `[rows, weight.outputs]` (row stride `ldr`) and C
    /// `[rows, weight.outputs]` (row stride `ldc`), which must not overlap A, the bias or the
    /// residual.
    public static func multiply(
        a: UnsafePointer<Float>, rows: Int, lda: Int, weight: PackedWeight, bias: UnsafePointer<Float>?,
        residual: UnsafePointer<Float>?, ldr: Int, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let (outputs, inner, width) = (weight.outputs, weight.inputs, PackedWeight.panelWidth)
        guard rows > 0, outputs > 0 else { return }
        func shared(_ pointer: UnsafePointer<Float>?) -> SharedPointer<Float>? {
            pointer.map { SharedPointer(UnsafeMutablePointer(mutating: $0)) }
        }
        weight.panels.withUnsafeBufferPointer { panels in
            let (a, panels, bias, residual, c) = (shared(a)!, shared(panels.baseAddress), shared(bias), shared(residual),
                                                  SharedPointer(c))
            let work = { @Sendable (tasks: StrideTo<Int>) in
                for task in tasks {
                    let first = task * width
                    braid_panel_gemm(
                        a.address, rows, inner, lda, panels.map { $0.address + first * inner }, Swift.min(width, outputs - first),
                        bias.map { $0.address + first }, residual.map { $0.address + first }, ldr, c.address + first, ldc)
                }
            }
            let count = (outputs + width - 1) / width
            if Parallel.isBusy || rows * outputs * inner < BLAS.parallelThreshold {
                work(stride(from: 0, to: count, by: 1))
            } else {
                Parallel.distribute(count) { _, tasks in work(tasks) }
            }
        }
    }
}
