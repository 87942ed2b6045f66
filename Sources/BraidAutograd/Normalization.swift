import BraidTensor

extension Variable {
    /// Layer normalisation over the trailing `normalizedShape` axes with optional affine `weight` and
    /// `bias` of that shape (`nn.functional.layer_norm`). Gradients flow to the input, weight and bias.
    public static func layerNorm(
        _ x: Variable, normalizedShape: [Int], weight: Variable?, bias: Variable?, epsilon: Float = 1e-5
    ) -> Variable {
        check(
            x.shape.suffix(normalizedShape.count).elementsEqual(normalizedShape),
            "layerNorm: input \(x.shape) does not end with normalized shape \(normalizedShape)")
        let n = normalizedShape.elementCount
        let result = x.value.layerNorm(weight: weight?.value, bias: bias?.value, normalizedCount: n, epsilon: epsilon)
        let inputs = [x] + [weight, bias].compactMap { $0 }
        return Variable(result.output, inputs: inputs) { g in
            let grads = Tensor.layerNormBackward(
                g, input: x.value, weight: weight?.value, statistics: result, normalizedCount: n)
            return [grads.input]
                + (weight == nil ? [] : [grads.weight.reshaped(to: normalizedShape)])
                + (bias == nil ? [] : [grads.bias.reshaped(to: normalizedShape)])
        }
    }
}

extension Variable {
    /// Batch normalisation over every axis but 1 of `[N, C, …]` with given per-channel statistics
    /// (`F.batch_norm`). `batchStatistics` says whether `mean` and `inverseStandardDeviation` were
    /// computed from this batch (training), which changes the input gradient. With a
    /// `synchronizer`, the statistics came from the whole batch of every process, so the input
    /// gradient's channel sums are summed over the processes too; the weight and bias gradients
    /// stay this process's, for data-parallel training to average.
    public static func batchNorm(
        _ x: Variable, mean: [Float], inverseStandardDeviation: [Float], weight: Variable?, bias: Variable?,
        batchStatistics: Bool, synchronizer: (any BatchStatisticsSynchronizer)? = nil
    ) -> Variable {
        let y = x.value.batchNorm(
            mean: mean, inverseStandardDeviation: inverseStandardDeviation, weight: weight?.value, bias: bias?.value)
        return Variable(y, inputs: [x] + [weight, bias].compactMap { $0 }) { g in
            let sums = Tensor.batchNormGradientSums(
                g, input: x.value, mean: mean, inverseStandardDeviation: inverseStandardDeviation)
            var (wholeBatch, count) = (sums, Float(x.value.count / mean.count))
            if batchStatistics, let synchronizer {
                let totals = synchronizer.sumOverProcesses([count] + sums.bias + sums.weight)
                count = totals[0]
                wholeBatch = (Array(totals[1...mean.count]), Array(totals[(mean.count + 1)...]))
            }
            let input = Tensor.batchNormInputGradient(
                g, input: x.value, mean: mean, inverseStandardDeviation: inverseStandardDeviation, weight: weight?.value,
                sums: batchStatistics ? wholeBatch : nil, count: count)
            return [input] + (weight == nil ? [] : [Tensor(sums.weight)]) + (bias == nil ? [] : [Tensor(sums.bias)])
        }
    }
}
