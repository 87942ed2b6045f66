/// Layer normalisation over the trailing axes, as fused row kernels.
extension Tensor {
    /// The result of `layerNorm`: the output and the per-row statistics its gradient needs.
    public struct LayerNormResult: Sendable {
        /// (x − mean)·rstd·weight + bias, the input's shape.
        public var output: Tensor
        /// Per-row mean, one value per normalised row.
        public var mean: [Float]
        /// Per-row 1/√(variance + ε) with the biased variance, as PyTorch uses.
        public var reciprocalStandardDeviation: [Float]
    }

    /// Normalises each row of the last `weight.count` elements to zero mean and unit (biased)
    /// variance, then scales by `weight` and shifts by `bias` (`nn.functional.layer_norm`).
    public func layerNorm(weight: Tensor?, bias: Tensor?, normalizedCount n: Int, epsilon: Float) -> LayerNormResult {
        check(n > 0 && count % n == 0, "layerNorm: \(n) normalised elements do not divide shape \(shape)")
        check(weight.map { $0.count == n } ?? true, "layerNorm: weight \(weight!.shape) for \(n) elements")
        check(bias.map { $0.count == n } ?? true, "layerNorm: bias \(bias!.shape) for \(n) elements")
        let rows = count / n
        var means = [Float](repeating: 0, count: rows), rstds = means
        let w = weight?.scalars ?? [Float](repeating: 1, count: n)
        let b = bias?.scalars ?? [Float](repeating: 0, count: n)
        let output = withUnsafeBufferPointer { x in
            Tensor(shape: shape) { out in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * n, o = out.baseAddress! + r * n
                    let mean = RowKernels.sum(row, n) / Float(n)
                    let rstd = 1 / (RowKernels.sumOfSquaredDeviations(row, n, center: mean) / Float(n) + epsilon).squareRoot()
                    means[r] = mean
                    rstds[r] = rstd
                    for i in 0..<n { o[i] = (row[i] - mean) * rstd * w[i] + b[i] }
                }
            }
        }
        return LayerNormResult(output: output, mean: means, reciprocalStandardDeviation: rstds)
    }

    /// Gradients of `layerNorm` with respect to the input, the weight and the bias.
    ///
    /// With x̂ = (x − mean)·rstd and ĝ = g·weight: ∂x = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),
    /// ∂weight = Σ_rows g·x̂, ∂bias = Σ_rows g.
    public static func layerNormBackward(
        _ g: Tensor, input x: Tensor, weight: Tensor?, statistics: LayerNormResult, normalizedCount n: Int
    ) -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let rows = x.count / n
        let w = weight?.scalars ?? [Float](repeating: 1, count: n)
        var gradWeight = [Float](repeating: 0, count: n), gradBias = gradWeight
        var xhat = [Float](repeating: 0, count: n), ghat = xhat
        let gradInput = g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                Tensor(shape: x.shape) { out in
                    for r in 0..<rows {
                        let gr = gp.baseAddress! + r * n, xr = xp.baseAddress! + r * n, o = out.baseAddress! + r * n
                        let mean = statistics.mean[r], rstd = statistics.reciprocalStandardDeviation[r]
                        for i in 0..<n {
                            xhat[i] = (xr[i] - mean) * rstd
                            ghat[i] = gr[i] * w[i]
                            gradWeight[i] += gr[i] * xhat[i]
                            gradBias[i] += gr[i]
                        }
                        let meanG = RowKernels.sum(ghat, n) / Float(n)
                        let meanGX = RowKernels.dot(ghat, xhat, n) / Float(n)
                        for i in 0..<n { o[i] = rstd * (ghat[i] - meanG - xhat[i] * meanGX) }
                    }
                }
            }
        }
        let parameterShape = weight?.shape ?? [n]
        return (gradInput, Tensor(shape: parameterShape, scalars: gradWeight), Tensor(shape: parameterShape, scalars: gradBias))
    }
}
