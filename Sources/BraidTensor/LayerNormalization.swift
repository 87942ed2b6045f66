internal import CBraidKernels

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
        check(g.shape == x.shape, "layerNormBackward: gradient \(g.shape) and input \(x.shape) differ")
        let rows = x.count / n
        let w = weight?.scalars ?? [Float](repeating: 1, count: n)
        // Row blocks spread over the cores (when the work is worth it), each worker summing its
        // rows' parameter gradients apart; the partial sums are added in worker order, so the
        // result does not depend on scheduling.
        let blockRows = 64
        let blocks = x.count >= 1 << 15 ? (rows + blockRows - 1) / blockRows : 1
        let workers = Parallel.workerCount(for: blocks)
        var partials = [Float](repeating: 0, count: workers * 2 * n)
        let gradInput = g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    statistics.mean.withUnsafeBufferPointer { meanp in
                        statistics.reciprocalStandardDeviation.withUnsafeBufferPointer { rstdp in
                            partials.withUnsafeMutableBufferPointer { partialp in
                                Tensor(shape: x.shape) { out in
                                    let (gs, xs, ws) = (ReadPointer(gp), ReadPointer(xp), ReadPointer(wp))
                                    let (means, rstds) = (ReadPointer(meanp), ReadPointer(rstdp))
                                    let (o, partial) = (SharedPointer(out.baseAddress!), SharedPointer(partialp.baseAddress!))
                                    let rowsPerBlock = blocks == 1 ? rows : blockRows
                                    Parallel.distribute(blocks) { worker, tasks in
                                        let sums = partial.address + worker * 2 * n
                                        for block in tasks {
                                            let first = block * rowsPerBlock, count = Swift.min(rowsPerBlock, rows - first)
                                            braid_layer_norm_backward_rows(
                                                gs.address + first * n, xs.address + first * n, ws.address, means.address + first,
                                                rstds.address + first, o.address + first * n, sums, sums + n, count, n)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var gradWeight = Array(partials[0..<n]), gradBias = Array(partials[n..<2 * n])
        for worker in 1..<Swift.max(workers, 1) {
            let base = worker * 2 * n
            for i in 0..<n {
                gradWeight[i] += partials[base + i]
                gradBias[i] += partials[base + n + i]
            }
        }
        let parameterShape = weight?.shape ?? [n]
        return (gradInput, Tensor(shape: parameterShape, scalars: gradWeight), Tensor(shape: parameterShape, scalars: gradBias))
    }
}
