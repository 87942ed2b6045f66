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

        /// Rank 0 alone uses a parameter whose bucket comes first, so it starts buckets during
        /// backward while the other ranks start theirs after it; the batch norm's all-reduces in
        /// between pair with each other and not with a bucket. (MPI matches blocking and
        /// non-blocking collectives in one order; Open MPI happens to keep them apart, so this
        /// holds here even on one communicator, but the statistics have their own.)
        @Test func besideBucketsThatOneRankStartsEarly() throws {
            final class Branches: Module {
                let first: Linear, norm = BatchNorm(channels: 3), head: Linear, onlyRankZero: Linear
                override init() {
                    var generator = RandomGenerator(seed: 31)
                    first = Linear(inputFeatures: 4, outputFeatures: 3, generator: &generator)
                    head = Linear(inputFeatures: 3, outputFeatures: 2, generator: &generator)
                    onlyRankZero = Linear(inputFeatures: 4, outputFeatures: 2, generator: &generator)
                }
            }
            let model = Branches()
            let ddp = try DistributedDataParallel(model, group: group, bucketCapacity: 4)  // a bucket per parameter
            model.synchronizeBatchStatistics(with: group)
            let x = Variable(randomTensor([5, 4], seed: 32 + UInt64(group.rank)))
            var loss = model.head(model.norm(model.first(x))).sum()
            if group.rank == 0 { loss = loss + model.onlyRankZero(x).sum() }
            loss.backward()
            let local = try #require(model.first.weight.grad)
            try ddp.synchronizeGradients()
            var expected = local.scalars
            try group.allReduce(&expected, .average)
            #expect(model.first.weight.grad?.scalars == expected)
        }
    }
}
