/// Batch normalisation over the batch and spatial axes of `[N, C, …]`, as per-channel loops.
extension Tensor {
    /// Per-channel mean and biased variance over every axis but 1 (`[N, C, …]`), in two passes.
    public func channelStatistics() -> (mean: [Float], variance: [Float]) {
        let (batch, _, plane) = channelLayout("batchNorm")
        let count = Float(batch * plane)
        let mean = channelSums().map { $0 / count }
        return (mean, channelSquaredDeviations(around: mean).map { $0 / count })
    }

    /// Per-channel Σx over every axis but 1 (`[N, C, …]`).
    public func channelSums() -> [Float] {
        let (batch, channels, plane) = channelLayout("batchNorm")
        var sums = [Float](repeating: 0, count: channels)
        withUnsafeBufferPointer { x in
            for c in 0..<channels {
                for n in 0..<batch { sums[c] += RowKernels.sum(x.baseAddress! + (n * channels + c) * plane, plane) }
            }
        }
        return sums
    }

    /// Per-channel Σ(x − mean_c)² over every axis but 1 (`[N, C, …]`).
    public func channelSquaredDeviations(around mean: [Float]) -> [Float] {
        let (batch, channels, plane) = channelLayout("batchNorm")
        check(mean.count == channels, "batchNorm: \(mean.count) means for \(channels) channels in \(shape)")
        var squares = [Float](repeating: 0, count: channels)
        withUnsafeBufferPointer { x in
            for c in 0..<channels {
                for n in 0..<batch {
                    squares[c] += RowKernels.sumOfSquaredDeviations(x.baseAddress! + (n * channels + c) * plane, plane, center: mean[c])
                }
            }
        }
        return squares
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

    /// Per-channel Σg (∂bias) and Σg·x̂ (∂weight) of `batchNorm`'s output gradient `g`, where
    /// x̂ = (x − mean)·invStd.
    public static func batchNormGradientSums(
        _ g: Tensor, input x: Tensor, mean: [Float], inverseStandardDeviation: [Float]
    ) -> (bias: [Float], weight: [Float]) {
        let (batch, channels, plane) = x.channelLayout("batchNormBackward")
        check(g.shape == x.shape, "batchNormBackward: gradient \(g.shape) and input \(x.shape) differ")
        var sumG = [Float](repeating: 0, count: channels), sumGX = sumG
        g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                for c in 0..<channels {
                    for n in 0..<batch {
                        let offset = (n * channels + c) * plane
                        let (gr, xr) = (gp.baseAddress! + offset, xp.baseAddress! + offset)
                        let rowSum = RowKernels.sum(gr, plane)
                        sumG[c] += rowSum
                        sumGX[c] += RowKernels.dot(gr, xr, plane) - mean[c] * rowSum
                    }
                    sumGX[c] *= inverseStandardDeviation[c]
                }
            }
        }
        return (sumG, sumGX)
    }

    /// The input gradient of `batchNorm`. With batch statistics (`sums` given: Σg and Σg·x̂ per
    /// channel over the `count` values of each channel the statistics came from),
    /// ∂x = w·invStd·(g − Σg/M − x̂·Σ(g·x̂)/M) with M = `count`; with fixed statistics (`sums` nil),
    /// ∂x = g·w·invStd.
    public static func batchNormInputGradient(
        _ g: Tensor, input x: Tensor, mean: [Float], inverseStandardDeviation: [Float], weight: Tensor?,
        sums: (bias: [Float], weight: [Float])?, count: Float
    ) -> Tensor {
        let (batch, channels, plane) = x.channelLayout("batchNormBackward")
        check(g.shape == x.shape, "batchNormBackward: gradient \(g.shape) and input \(x.shape) differ")
        return g.withUnsafeBufferPointer { gp in
            x.withUnsafeBufferPointer { xp in
                Tensor(shape: x.shape) { out in
                    for c in 0..<channels {
                        let (m, invStd) = (mean[c], inverseStandardDeviation[c])
                        let scale = invStd * (weight?[flat: c] ?? 1)
                        for n in 0..<batch {
                            let offset = (n * channels + c) * plane
                            let (gr, xr, o) = (gp.baseAddress! + offset, xp.baseAddress! + offset, out.baseAddress! + offset)
                            if let sums {
                                let meanG = sums.bias[c] / count, meanGX = sums.weight[c] / count
                                for i in 0..<plane { o[i] = scale * (gr[i] - meanG - (xr[i] - m) * invStd * meanGX) }
                            } else {
                                for i in 0..<plane { o[i] = scale * gr[i] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// (batch, channels, elements per channel and image) of an `[N, C, …]` tensor.
    func channelLayout(_ op: String) -> (Int, Int, Int) {
        check(rank >= 2, "\(op): input \(shape) must be [N, C, …]")
        return (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
    }
}
