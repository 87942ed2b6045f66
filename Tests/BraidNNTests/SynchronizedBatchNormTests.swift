import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// `BatchNorm` with a synchronizer, here one that stands for a job of two processes holding the
/// same batch (every sum doubles): the statistics are those of the batch, the number of values per
/// channel twice as large. The real multi-process case is in BraidDistributedTests.
@Suite struct SynchronizedBatchNormTests {
    final class TwinProcesses: BatchStatisticsSynchronizer {
        var calls: [Int] = []
        func sumOverProcesses(_ values: [Float]) -> [Float] {
            calls.append(values.count)
            return values.map { $0 * 2 }
        }
    }

    @Test func twoProcessesWithTheSameBatchNormaliseAsOne() {
        let x = randomTensor([3, 2, 2, 3], seed: 11, scale: 2, offset: 1)
        let outputGradient = randomTensor([3, 2, 2, 3], seed: 12)
        let twins = TwinProcesses()
        let (alone, synchronized) = (BatchNorm(channels: 2), BatchNorm(channels: 2))
        synchronized.synchronizer = twins
        func run(_ layer: BatchNorm) -> (output: Tensor, input: Tensor) {
            let input = Variable(x, requiresGrad: true)
            let y = layer(input)
            (y * Variable(outputGradient)).sum().backward()
            return (y.value, input.grad!)
        }
        let (expected, ours) = (run(alone), run(synchronized))
        #expect(twins.calls == [1 + 2, 2, 1 + 2 + 2], "count and sums, squared deviations; then the gradient's count and sums")
        expectClose(ours.output, expected.output, relative: 1e-6, absolute: 1e-6)
        expectClose(ours.input, expected.input, relative: 1e-5, absolute: 1e-6)
        #expect(synchronized.weight.grad!.scalars == alone.weight.grad!.scalars, "this process's own ∂weight")
        #expect(synchronized.bias.grad!.scalars == alone.bias.grad!.scalars)
        expectClose(synchronized.runningMean.value, alone.runningMean.value, relative: 1e-6)
        // The running variance is unbiased over 2 × 18 values per channel, not 18.
        let variance = x.channelStatistics().variance
        expectClose(synchronized.runningVariance.value, Tensor(variance.map { 0.9 + 0.1 * $0 * 36 / 35 }), relative: 1e-6)
        expectClose(alone.runningVariance.value, Tensor(variance.map { 0.9 + 0.1 * $0 * 18 / 17 }), relative: 1e-6)

        synchronized.eval()
        _ = synchronized(Variable(x))
        #expect(twins.calls.count == 3, "evaluation uses the running statistics, without a collective")
    }

    @Test func theSynchronizedGradientMatchesFiniteDifferences() {
        let twins = TwinProcesses()
        expectGradientsMatch([randomTensor([3, 2, 2, 2], seed: 13), randomTensor([2], seed: 14), randomTensor([2], seed: 15)]) { v in
            let totals = twins.sumOverProcesses([Float(12)] + v[0].value.channelSums())
            let mean = totals.dropFirst().map { $0 / totals[0] }
            let squares = twins.sumOverProcesses(v[0].value.channelSquaredDeviations(around: mean))
            return Variable.batchNorm(
                v[0], mean: mean, inverseStandardDeviation: squares.map { 1 / ($0 / totals[0] + 1e-5).squareRoot() },
                weight: v[1], bias: v[2], batchStatistics: true, synchronizer: twins)
        }
    }

    @Test func synchronizingAModuleReachesEveryBatchNorm() {
        var generator = RandomGenerator(seed: 3)
        let inner = Sequential(Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: (1, 1), generator: &generator),
                               BatchNorm(channels: 3))
        let model = Sequential(BatchNorm(channels: 2), inner, ReLU())
        let twins = TwinProcesses()
        model.synchronizeBatchStatistics(with: twins)
        let norms = model.namedModules().compactMap { $0.module as? BatchNorm }
        #expect(norms.count == 2 && norms.allSatisfy { $0.synchronizer === twins })
        model.synchronizeBatchStatistics(with: nil)
        #expect(norms.allSatisfy { $0.synchronizer == nil })
    }
}
