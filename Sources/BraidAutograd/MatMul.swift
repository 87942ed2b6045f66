import BraidTensor

extension Variable {
    /// Matrix product with broadcast batch axes and optional transposes (see `Tensor.matmul`).
    ///
    /// With C = op(A)·op(B): ∂A = g·op(B)ᵀ (or its transpose when A is transposed) and
    /// ∂B = op(A)ᵀ·g (or its transpose), each summed over batch axes that A or B was broadcast along.
    public static func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        if a.rank == 1 || b.rank == 1 {
            let left = a.rank == 1 ? a.reshaped(to: [1, a.shape[0]]) : a
            let right = b.rank == 1 ? b.reshaped(to: [b.shape[0], 1]) : b
            let product = matmul(left, right, transposeA: transposeA, transposeB: transposeB)
            return product.reshaped(to: Shape.matmulDroppingVectorAxes(product.shape, left: a.rank == 1, right: b.rank == 1))
        }
        let result = Tensor.matmul(a.value, b.value, transposeA: transposeA, transposeB: transposeB)
        return Variable(result, inputs: [a, b]) { g in
            let (x, y) = (a.value, b.value)
            let da: Tensor? = a.requiresGrad
                ? (transposeA
                    ? Tensor.matmul(y, g, transposeA: transposeB, transposeB: true)
                    : Tensor.matmul(g, y, transposeB: !transposeB)).sum(toShape: a.shape)
                : nil
            let db: Tensor? = b.requiresGrad
                ? (transposeB
                    ? Tensor.matmul(g, x, transposeA: true, transposeB: transposeA)
                    : Tensor.matmul(x, g, transposeA: !transposeA)).sum(toShape: b.shape)
                : nil
            return [da, db]
        }
    }
}

extension Variable {
    /// x·Wᵀ + b over the last axis (`nn.functional.linear`): `[..., in] × [out, in] → [..., out]`;
    /// with `inputMajor`, W is `[in, out]` and y = x·W + b (Hugging Face's `Conv1D`).
    ///
    /// ∂x = g·W, ∂W = gᵀ·x (xᵀ·g when input-major) and ∂b = Σ g over all rows, each one sgemm or one pass.
    public static func linear(_ x: Variable, weight: Variable, bias: Variable?, inputMajor: Bool = false) -> Variable {
        let y = Tensor.linear(x.value, weight: weight.value, bias: bias?.value, inputMajor: inputMajor)
        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        return Variable(y, inputs: inputs) { g in
            let (outputs, features) = inputMajor ? (weight.shape[1], weight.shape[0]) : (weight.shape[0], weight.shape[1])
            let rows = g.count / Swift.max(outputs, 1)
            let flatG = g.reshaped(to: [rows, outputs])
            let flatX = x.value.reshaped(to: [rows, features])
            let gx = x.requiresGrad ? Tensor.matmul(flatG, weight.value, transposeB: inputMajor).reshaped(to: x.shape) : nil
            let gw = weight.requiresGrad
                ? (inputMajor ? Tensor.matmul(flatX, flatG, transposeA: true) : Tensor.matmul(flatG, flatX, transposeA: true))
                : nil
            let gb = bias.map { _ in flatG.sum(alongAxes: [0]) }
            return [gx, gw] + (bias == nil ? [] : [gb])
        }
    }
}
