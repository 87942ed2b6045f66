import BraidTensor

extension Variable {
    /// The solution X of A·X = B (LAPACK `sgesv`). ∂B = A⁻ᵀ·g, ∂A = −∂B·Xᵀ.
    public static func solve(_ a: Variable, _ b: Variable) throws(LinearAlgebraError) -> Variable {
        let x = try Tensor.solve(a.value, b.value)
        return Variable(x, inputs: [a, b]) { g in
            // Aᵀ is as regular as A, which the forward solve has just factorised.
            let db = try! Tensor.solve(a.value.transposed(), g)
            let columns = b.rank == 1 ? 1 : b.shape[1]
            let n = a.shape[0]
            let da = -Tensor.matmul(db.reshaped(to: [n, columns]), x.reshaped(to: [n, columns]), transposeB: true)
            return [da, db]
        }
    }

    /// The Cholesky factor L of a symmetric positive-definite matrix (LAPACK `spotrf`).
    ///
    /// ∂A = ½(S + Sᵀ) with S = L⁻ᵀ·Φ(Lᵀ·g)·L⁻¹, where Φ keeps the lower triangle and halves the
    /// diagonal (Murray 2016; the rule PyTorch uses).
    public static func cholesky(_ a: Variable) throws(LinearAlgebraError) -> Variable {
        let l = try Tensor.cholesky(a.value)
        return Variable(l, inputs: [a]) { g in
            let n = l.shape[0]
            var phi = Tensor.matmul(l, g, transposeA: true)
            for i in 0..<n {
                for j in 0..<n where j > i { phi[i, j] = 0 }
                phi[i, i] *= 0.5
            }
            // L is triangular with a positive diagonal, so these solves cannot fail.
            let left = try! Tensor.solve(l.transposed(), phi)                     // L⁻ᵀ·Φ
            let s = try! Tensor.solve(l.transposed(), left.transposed()).transposed()  // (L⁻ᵀ·(L⁻ᵀΦ)ᵀ)ᵀ = L⁻ᵀΦL⁻¹
            return [(s + s.transposed()) * 0.5]
        }
    }
}
