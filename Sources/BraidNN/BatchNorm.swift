import BraidAutograd
import BraidTensor

/// Batch normalisation over `[N, C, …]` (`nn.BatchNorm2d`, and `nn.BatchNorm1d` for `[N, C]` or
/// `[N, C, L]`).
///
/// Training mode normalises with the batch's mean and biased variance and updates the running
/// statistics: running = (1 − momentum)·running + momentum·batch, with the unbiased variance.
/// Evaluation mode uses the running statistics. Weight starts at 1, bias at 0, running mean at 0
/// and running variance at 1; buffers are saved as `running_mean`, `running_var` and
/// `num_batches_tracked`, as in PyTorch.
///
/// With a ``synchronizer`` (``Module/synchronizeBatchStatistics(with:)``), training mode takes
/// the statistics of the whole batch of every process of a data-parallel job (`SyncBatchNorm`);
/// without one, each process normalises with its own part of the batch, as PyTorch's default.
public final class BatchNorm: Module, Layer {
    /// The scale γ, `[C]`.
    public let weight: Variable
    /// The shift β, `[C]`.
    public let bias: Variable
    /// The running mean, `[C]`.
    public let runningMean: Variable
    /// The running (unbiased) variance, `[C]`.
    public let runningVariance: Variable
    /// The number of training batches seen, `[]`.
    public let batchesTracked: Variable
    /// Added to the variance.
    public let epsilon: Float
    /// The weight of each new batch in the running statistics.
    public let momentum: Float
    /// Sums the training statistics over the processes of a data-parallel job; nil for this
    /// process's batch alone.
    public var synchronizer: (any BatchStatisticsSynchronizer)?

    /// A layer over `channels` channels; defaults are PyTorch's (ε = 1e-5, momentum 0.1).
    public init(channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        weight = Variable(Tensor.ones([channels]), requiresGrad: true)
        bias = Variable(Tensor.zeros([channels]), requiresGrad: true)
        runningMean = Variable(Tensor.zeros([channels]))
        runningVariance = Variable(Tensor.ones([channels]))
        batchesTracked = Variable(Tensor(0))
        self.epsilon = epsilon
        self.momentum = momentum
    }

    /// The running statistics and the batch count.
    public override var bufferNames: Set<String> { ["running_mean", "running_variance", "batches_tracked"] }

    /// PyTorch's `running_var` and `num_batches_tracked`.
    public override var stateDictKeys: [String: String] {
        ["running_variance": "running_var", "batches_tracked": "num_batches_tracked"]
    }

    /// The normalised input.
    public func callAsFunction(_ input: Variable) -> Variable {
        check(
            input.rank >= 2 && input.shape[1] == weight.shape[0],
            "BatchNorm: input \(input.shape) does not have \(weight.shape[0]) channels on axis 1")
        let (mean, variance): ([Float], [Float])
        if isTraining {
            let count: Float
            (mean, variance, count) = batchStatistics(input.value)
            check(count > 1, "BatchNorm: training needs more than one value per channel, got input \(input.shape)")
            let unbiased = variance.map { $0 * count / (count - 1) }
            runningMean.value = runningMean.value * (1 - momentum) + Tensor(mean) * momentum
            runningVariance.value = runningVariance.value * (1 - momentum) + Tensor(unbiased) * momentum
            batchesTracked.value = batchesTracked.value + 1
        } else {
            (mean, variance) = (runningMean.value.scalars, runningVariance.value.scalars)
        }
        let inverse = variance.map { 1 / ($0 + epsilon).squareRoot() }
        return Variable.batchNorm(
            input, mean: mean, inverseStandardDeviation: inverse, weight: weight, bias: bias, batchStatistics: isTraining,
            synchronizer: synchronizer)
    }

    /// The channels' mean and biased variance over this batch, or over every process's with a
    /// ``synchronizer`` (two passes, as one process), and the number of values per channel.
    private func batchStatistics(_ x: Tensor) -> (mean: [Float], variance: [Float], count: Float) {
        let localCount = Float(x.count / weight.shape[0])
        guard let synchronizer else {
            let (mean, variance) = x.channelStatistics()
            return (mean, variance, localCount)
        }
        let totals = synchronizer.sumOverProcesses([localCount] + x.channelSums())
        let count = totals[0]
        let mean = totals.dropFirst().map { $0 / count }
        let squares = synchronizer.sumOverProcesses(x.channelSquaredDeviations(around: mean))
        return (mean, squares.map { $0 / count }, count)
    }
}
