extension Tensor {
    /// Matrix product of the last two axes with NumPy-broadcast batch axes (`torch.matmul`), through
    /// `cblas_sgemm`. `transposeA`/`transposeB` use the transpose of that operand's last two axes
    /// without copying. A 1-D operand is a row (left) or column (right) vector, and that axis is
    /// dropped from the result, as in PyTorch.
    ///
    /// Shapes: `[..., M, K] × [..., K, N] → [..., M, N]`.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        check(a.rank >= 1 && b.rank >= 1, "matmul: scalar operand, shapes \(a.shape) and \(b.shape)")
        check(
            (a.rank > 1 || !transposeA) && (b.rank > 1 || !transposeB),
            "matmul: transpose flag on a 1-D operand, shapes \(a.shape) and \(b.shape)")
        let left = a.rank == 1 ? a.reshaped(to: [1, a.count]) : a
        let right = b.rank == 1 ? b.reshaped(to: [b.count, 1]) : b
        let result = matmulBatched(left, right, transposeA: transposeA, transposeB: transposeB)
        return result.reshaped(to: Shape.matmulDroppingVectorAxes(result.shape, left: a.rank == 1, right: b.rank == 1))
    }

    private static func matmulBatched(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (kb, n) = transposeB ? (bc, br) : (br, bc)
        check(
            k == kb,
            "matmul: inner dimensions differ, shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")")
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        let batchShape = Shape.broadcast(aBatch, bBatch, op: "matmul")
        let outShape = batchShape + [m, n]

        // A batch of left matrices against one right matrix is a single tall product.
        if !transposeA && bBatch.elementCount == 1 && aBatch == batchShape {
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    Tensor(shape: outShape) { out in
                        gemmOrZero(
                            out, transposeA: false, transposeB: transposeB, m: aBatch.elementCount * m, n: n, k: k,
                            a: pa, lda: ac, b: pb, ldb: bc)
                    }
                }
            }
        }
        let aStrides = Shape.broadcastStrides(of: aBatch, to: batchShape).map { $0 * ar * ac }
        let bStrides = Shape.broadcastStrides(of: bBatch, to: batchShape).map { $0 * br * bc }
        let layout = StridedLayout(shape: batchShape, strides: aStrides, bStrides)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                Tensor(shape: outShape) { out in
                    guard out.count > 0 else { return }
                    var batch = 0
                    layout.forEachRow { _, offsetA, offsetB in
                        for i in 0..<layout.rowLength {
                            let slice = UnsafeMutableBufferPointer(rebasing: out[(batch * m * n)..<((batch + 1) * m * n)])
                            gemmOrZero(
                                slice, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                a: UnsafeBufferPointer(rebasing: pa[(offsetA + i * layout.rowStrides.0)...]), lda: ac,
                                b: UnsafeBufferPointer(rebasing: pb[(offsetB + i * layout.rowStrides.1)...]), ldb: bc)
                            batch += 1
                        }
                    }
                }
            }
        }
    }

    /// One sgemm into `out`, or zeros when the inner dimension is empty.
    private static func gemmOrZero(
        _ out: UnsafeMutableBufferPointer<Float>, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafeBufferPointer<Float>, lda: Int, b: UnsafeBufferPointer<Float>, ldb: Int
    ) {
        guard out.count > 0 else { return }
        guard k > 0, let pa = a.baseAddress, let pb = b.baseAddress else {
            out.initialize(repeating: 0)
            return
        }
        BLAS.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: pa, lda: lda, b: pb, ldb: ldb, c: out.baseAddress!, ldc: n)
    }
}

extension Tensor {
    /// x·Wᵀ + b over the last axis of `x` (`nn.functional.linear`): `[..., in] × [out, in] → [..., out]`.
    /// With `inputMajor`, the weight is `[in, out]` and y = x·W + b (Hugging Face's `Conv1D`
    /// layout, GPT-2's). The bias is written first and sgemm accumulates onto it, so there is no
    /// separate add.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?, inputMajor: Bool = false) -> Tensor {
        check(
            weight.rank == 2 && x.rank >= 1 && x.shape.last == weight.shape[inputMajor ? 0 : 1],
            "linear: input \(x.shape) does not match \(inputMajor ? "[in, out]" : "[out, in]") weight \(weight.shape)")
        let (outputs, inputs) = inputMajor ? (weight.shape[1], weight.shape[0]) : (weight.shape[0], weight.shape[1])
        if let bias { check(bias.shape == [outputs], "linear: bias \(bias.shape) for weight \(weight.shape)") }
        let rows = x.count / Swift.max(inputs, 1)
        return x.withUnsafeBufferPointer { px in
            weight.withUnsafeBufferPointer { pw in
                Tensor(shape: Array(x.shape.dropLast()) + [outputs]) { out in
                    guard out.count > 0 else { return }
                    if let bias {
                        bias.withUnsafeBufferPointer { pb in
                            for r in 0..<rows { (out.baseAddress! + r * outputs).initialize(from: pb.baseAddress!, count: outputs) }
                        }
                    } else {
                        out.initialize(repeating: 0)
                    }
                    guard inputs > 0 else { return }
                    BLAS.gemm(
                        transposeA: false, transposeB: !inputMajor, m: rows, n: outputs, k: inputs,
                        a: px.baseAddress!, lda: inputs, b: pw.baseAddress!, ldb: inputMajor ? outputs : inputs,
                        beta: 1, c: out.baseAddress!, ldc: outputs)
                }
            }
        }
    }
}
