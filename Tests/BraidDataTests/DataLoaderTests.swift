import BraidData
import BraidTensor
import Testing

@Suite struct DataLoaderTests {
    @Test func batchSizesKeepOrDropTheShortLastBatch() {
        let kept = DataLoader(count: 10, batchSize: 4, shuffle: false, seed: 1)
        #expect(kept.batchCount == 3)
        #expect(Array(kept) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        let dropped = DataLoader(count: 10, batchSize: 4, shuffle: true, dropLast: true, seed: 1)
        #expect(dropped.batchCount == 2)
        #expect(Array(dropped).map(\.count) == [4, 4])
        let exact = DataLoader(count: 8, batchSize: 4, dropLast: true, seed: 1)
        #expect(Array(exact).map(\.count) == [4, 4])
        #expect(Array(DataLoader(count: 0, batchSize: 3, seed: 1)).isEmpty)
        #expect(Array(DataLoader(count: 2, batchSize: 3, dropLast: true, seed: 1)).isEmpty)
    }

    /// `(count + batchSize - 1) / batchSize` overflowed for `--batch-size 9223372036854775807`.
    @Test func batchSizeNearIntMaxIsOneBatch() {
        for dropLast in [false, true] {
            let loader = DataLoader(count: 10, batchSize: .max, shuffle: false, dropLast: dropLast, seed: 0)
            #expect(loader.batchCount == (dropLast ? 0 : 1))
            #expect(Array(loader) == (dropLast ? [] : [Array(0..<10)]))
        }
    }

    @Test func everyIndexOnceEachEpoch() {
        let loader = DataLoader(count: 1797, batchSize: 64, seed: 7)
        for _ in 0..<3 {
            let batches = Array(loader)
            #expect(batches.count == 29)
            #expect(batches.dropLast().allSatisfy { $0.count == 64 } && batches.last?.count == 1797 - 28 * 64)
            #expect(batches.flatMap { $0 }.sorted() == Array(0..<1797))
        }
    }

    @Test func sameSeedSameOrder() {
        let a = DataLoader(count: 100, batchSize: 16, seed: 42)
        let b = DataLoader(count: 100, batchSize: 16, seed: 42)
        #expect(Array(a) == Array(b))
        #expect(Array(a) == Array(b))
        #expect(Array(DataLoader(count: 100, batchSize: 16, seed: 43)) != Array(DataLoader(count: 100, batchSize: 16, seed: 42)))
    }

    @Test func successiveEpochsDiffer() {
        let loader = DataLoader(count: 100, batchSize: 10, seed: 3)
        let first = Array(loader).flatMap { $0 }
        let second = Array(loader).flatMap { $0 }
        #expect(first != second)
        #expect(first != Array(0..<100))
    }

    @Test func unshuffledLoaderLeavesGeneratorAlone() {
        let loader = DataLoader(count: 10, batchSize: 3, shuffle: false, seed: 5)
        for _ in loader {}
        #expect(loader.generator == RandomGenerator(seed: 5))
    }

    @Test func restoringGeneratorRepeatsNextEpoch() {
        let loader = DataLoader(count: 50, batchSize: 8, seed: 11)
        _ = Array(loader)
        let saved = loader.generator
        let next = Array(loader)
        _ = Array(loader)
        loader.generator = saved
        #expect(Array(loader) == next)
        let resumed = DataLoader(count: 50, batchSize: 8, generator: saved)
        #expect(Array(resumed) == next)
    }

    /// DistributedSampler's semantics: one permutation on every rank, padded by repeating its
    /// start to a multiple of the ranks, every rank-th index; equal counts that cover every index.
    @Test(arguments: [(10, 3), (12, 4), (5, 2), (2, 3), (7, 1)])
    func shardsSplitOnePermutationEvenly(count: Int, ranks: Int) {
        let whole = DataLoader(count: count, batchSize: count, seed: 9)
        let permutation = Array(whole).joined().map { $0 }
        let perRank = (count + ranks - 1) / ranks
        var seen: [Int] = []
        for rank in 0..<ranks {
            let loader = DataLoader(count: count, batchSize: 2, shard: DataShard(rank: rank, count: ranks), seed: 9)
            #expect(loader.sampleCount == perRank && loader.batchCount == (perRank + 1) / 2)
            let epoch = Array(loader)
            #expect(epoch.map(\.count).reduce(0, +) == perRank)
            #expect(epoch.joined().map { $0 } == (0..<perRank).map { permutation[(rank + $0 * ranks) % count] })
            seen += epoch.joined()
            let next = Array(loader).joined().map { $0 }
            #expect(count < 4 || next != epoch.joined().map { $0 }, "reshuffled each epoch")
        }
        #expect(Set(seen) == Set(0..<count) && seen.count == perRank * ranks)
        let dropping = DataLoader(count: count, batchSize: 2, dropLast: true, shard: DataShard(rank: 0, count: ranks), seed: 9)
        #expect(Array(dropping).allSatisfy { $0.count == 2 } && dropping.batchCount == perRank / 2)
    }

    @Test func batchesSelectRows() {
        let data = Tensor(shape: [5, 2], scalars: (0..<10).map(Float.init))
        let loader = DataLoader(count: 5, batchSize: 2, seed: 9)
        for batch in loader {
            let rows = data.indexSelect(axis: 0, indices: batch)
            #expect(rows.shape == [batch.count, 2])
            for (k, i) in batch.enumerated() { #expect(rows.scalars[2 * k] == Float(2 * i)) }
        }
    }
}
