/// Batch normalisation over the batch and spatial axes of `[N, C, …]`, as per-channel loops.
extension Tensor {
    /// Per-channel mean and biased variance over every axis but 1 (`[N, C, …]`).
    public func channelStatistics() -> (mean: [Float], variance: [Float]) {
        let (batch, channels, plane) = channelLayout("batchNorm")
        var mean = [Float](repeating: 0, count: channels), variance = mean
        let count = Float(batch * plane)
        withUnsafeBufferPointer { x in
            for c in 0..<channels {
                var total: Float = 0
                for n in 0..<batch { total += RowKernels.sum(x.baseAddress! + (n * channels + c) * plane, plane) }
                let m = total / count
                var squares: Float = 0
                for n in 0..<batch {
                    squares += RowKernels.sumOfSquaredDeviations(x.baseAddress! + (n * channels + c) * plane, plane, center: m)
                }
                (mean[c], variance[c]) = (m, squares / count)
            }
        }
        return (mean, variance)
    }

    /// (x − mean_c)·invStd_c·weight_c + bias_c per channel (`F.batch_norm` with given statistics).
    public func batchNorm(mean: [Float], inverseStandardDeviation: [Float], weight: Tensor?, bias: Tensor?) -> Tensor {
        let (batch, channels, plane) = channelLayout("batchNorm")
        check(mean.count == channels && inverseStandardDeviation.count == channels,
                     "batchNorm: \(mean.count) statistics for \(channels) channels in \(shape)")
        return withUnsafeBufferPointer { x in
            Tensor(shape: shape) { out in
                for n in 0..<batch {
                    for c in 0..<channels {
                        let offset = (n * channels + c) * plane
                        let scale = inverseStandardDeviation[c] * (weight?[flat: c] ?? 1)
                        let shift = (bias?[flat: c] ?? 0) - mean[c] * scale
                        let (source, target) = (x.baseAddress! + offset, out.baseAddress! + offset)
                        for i in 0..<plane { target[i] = source[i] * scale + shift }
                    }
                }
            }
        }
    }

    /// Gradients of `batchNorm` for the input, weight and bias. With batch statistics (`training`),
    /// ∂x = w·invStd/M·(M·g − Σg − x̂·Σ(g·x̂)); with fixed statistics, ∂x = g·w·invStd.
    /// ∂w = Σ g·x̂ and ∂b = Σ g per channel.
    public static func batchNormBackward(
        _ g: Tensor, input x: Tensor, mean: [Float], inverseStandardDeviation: [Float], weight: Tensor?, training: Bool
    ) -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let (batch, channels, plane) = x.channelLayout("batchNormBackward")
        check(g.shape == x.shape, "batchNormBackward: gradient \(g.shape) and input \(x.shape) differ")
        var gradWeight = [Float](repeating: 0, count: channels), gradBias = gradWeight
        let count = Float(batch * plane)
        let gradInput = g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                Tensor(shape: x.shape) { out in
                    for c in 0..<channels {
                        let (m, invStd) = (mean[c], inverseStandardDeviation[c])
                        var sumG: Float = 0, sumGX: Float = 0
                        for n in 0..<batch {
                            let offset = (n * channels + c) * plane
                            let (gr, xr) = (gp.baseAddress! + offset, xp.baseAddress! + offset)
                            sumG += RowKernels.sum(gr, plane)
                            sumGX += RowKernels.dot(gr, xr, plane) - m * RowKernels.sum(gr, plane)
                        }
                        sumGX *= invStd
                        (gradWeight[c], gradBias[c]) = (sumGX, sumG)
                        let scale = invStd * (weight?[flat: c] ?? 1)
                        for n in 0..<batch {
                            let offset = (n * channels + c) * plane
                            let (gr, xr, o) = (gp.baseAddress! + offset, xp.baseAddress! + offset, out.baseAddress! + offset)
                            if training {
                                let meanG = sumG / count, meanGX = sumGX / count
                                for i in 0..<plane { o[i] = scale * (gr[i] - meanG - (xr[i] - m) * invStd * meanGX) }
                            } else {
                                for i in 0..<plane { o[i] = scale * gr[i] }
                            }
                        }
                    }
                }
            }
        }
        return (gradInput, Tensor(gradWeight), Tensor(gradBias))
    }

    /// (batch, channels, elements per channel and image) of an `[N, C, …]` tensor.
    func channelLayout(_ op: String) -> (Int, Int, Int) {
        check(rank >= 2, "\(op): input \(shape) must be [N, C, …]")
        return (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
    }
}
