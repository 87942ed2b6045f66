@testable import BraidDistributed
import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

extension DistributedTests {
    /// `BatchNorm` synchronised over the ranks, each holding its rows of one batch, normalises as
    /// one `BatchNorm` over the whole batch: the same output rows, input gradient rows and running
    /// statistics; the ranks' weight and bias gradients sum to the whole batch's.
    @Suite struct SynchronizedBatchNormTests {
        let group: ProcessGroup
        init() throws { group = try ProcessGroup.world() }

        @Test func ranksTogetherNormaliseAsOneBatch() throws {
            // Uneven parts: rank r holds r + 2 rows.
            let counts = (0..<group.size).map { $0 + 2 }
            let first = counts.prefix(group.rank).reduce(0, +)
            let rows = Array(first..<first + counts[group.rank])
            let x = randomTensor([counts.reduce(0, +), 3, 2, 3], seed: 21, scale: 3, offset: -1)
            let outputGradient = randomTensor(x.shape, seed: 22)
            func run(_ layer: BatchNorm, rows: [Int]) -> (output: Tensor, input: Tensor) {
                let input = Variable(x.indexSelect(axis: 0, indices: rows), requiresGrad: true)
                let y = layer(input)
                (y * Variable(outputGradient.indexSelect(axis: 0, indices: rows))).sum().backward()
                return (y.value, input.grad!)
            }
            let whole = BatchNorm(channels: 3)
            let expected = run(whole, rows: Array(0..<x.shape[0]))
            let synchronized = BatchNorm(channels: 3)
            synchronized.synchronizeBatchStatistics(with: group)
            let ours = run(synchronized, rows: rows)
            expectClose(ours.output, expected.output.indexSelect(axis: 0, indices: rows), relative: 1e-5, absolute: 1e-5)
            expectClose(ours.input, expected.input.indexSelect(axis: 0, indices: rows), relative: 1e-4, absolute: 1e-5)
            expectClose(synchronized.runningMean.value, whole.runningMean.value, relative: 1e-5, absolute: 1e-6)
            expectClose(synchronized.runningVariance.value, whole.runningVariance.value, relative: 1e-5, absolute: 1e-6)
            for (ours, theirs) in [(synchronized.weight, whole.weight), (synchronized.bias, whole.bias)] {
                var sum = try #require(ours.grad)
                try group.allReduce(&sum)
                expectClose(sum, try #require(theirs.grad), relative: 1e-5, absolute: 1e-5)
            }
        }
    }
}
