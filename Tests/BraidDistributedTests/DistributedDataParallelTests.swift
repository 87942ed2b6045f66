@testable import BraidDistributed
import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import BraidTraining
import Foundation
import Testing

extension DistributedTests {
    /// `DistributedDataParallel` across the ranks `mpirun` starts (Scripts/test: 2 and 3): every rank
    /// also trains a single-process reference on the whole batch, which the data-parallel run must
    /// follow step for step.
    @Suite struct DistributedDataParallelTests {
        let group: ProcessGroup
        init() throws { group = try ProcessGroup.world() }

        static let (inputs, classes, perRank) = (7, 3, 8)

        func model(seed: UInt64) -> Sequential {
            var generator = RandomGenerator(seed: seed)
            return Sequential([
                Linear(inputFeatures: Self.inputs, outputFeatures: 12, generator: &generator), ReLU(),
                Linear(inputFeatures: 12, outputFeatures: 12, generator: &generator), Tanh(),
                Linear(inputFeatures: 12, outputFeatures: Self.classes, generator: &generator),
            ])
        }

        /// Step `step`'s whole batch: `perRank` examples for each rank, rank r's at rows r·perRank….
        func batch(step: Int) -> (x: Tensor, labels: IntTensor) {
            let count = Self.perRank * group.size
            return (randomTensor([count, Self.inputs], seed: UInt64(1000 + step)),
                    IntTensor(shape: [count], scalars: (0..<count).map { ($0 * 7 + step) % Self.classes }))
        }

        func rows(_ x: Tensor, _ labels: IntTensor, rank: Int) -> (x: Variable, labels: IntTensor) {
            let range = Array(rank * Self.perRank..<(rank + 1) * Self.perRank)
            return (Variable(x.indexSelect(axis: 0, indices: range)),
                    IntTensor(shape: [Self.perRank], scalars: range.map { labels.scalars[$0] }))
        }

        func flattened(_ module: Module) -> [Float] { module.parameters().flatMap(\.value.scalars) }

        /// 2 (or 3) ranks × 8 examples take the same 30 Adam steps as one process × 16 (or 24), with
        /// gradients in one bucket or in one per parameter.
        @Test(arguments: [DistributedDataParallel.defaultBucketCapacity, 4])
        func stepsAsOneProcessWithTheWholeBatch(bucketCapacity: Int) throws {
            // Each rank starts from its own initialisation: the wrapper broadcasts rank 0's.
            let parallel = model(seed: 30 + UInt64(group.rank))
            let ddp = try DistributedDataParallel(parallel, group: group, bucketCapacity: bucketCapacity)
            #expect(ddp.buckets.count == (bucketCapacity == 4 ? 6 : 1))
            let reference = model(seed: 30)
            #expect(flattened(parallel) == flattened(reference), "rank 0's parameters on every rank")
            let (optimizer, referenceOptimizer) = (Adam(parameters: parallel.parameters(), learningRate: 0.02),
                                                    Adam(parameters: reference.parameters(), learningRate: 0.02))
            for step in 0..<30 {
                let (x, labels) = batch(step: step)
                let local = rows(x, labels, rank: group.rank)
                let loss = crossEntropy(logits: parallel(local.x), targets: local.labels)
                loss.backward()
                try ddp.synchronizeGradients()
                optimizer.step()
                parallel.zeroGrad()

                let referenceLoss = crossEntropy(logits: reference(Variable(x)), targets: labels)
                referenceLoss.backward()
                referenceOptimizer.step()
                reference.zeroGrad()

                var losses = [loss.value.scalar]
                try group.allReduce(&losses, .average)
                #expect(abs(losses[0] - referenceLoss.value.scalar) <= 1e-5 * abs(referenceLoss.value.scalar), "step \(step)")
                let everyRank = try group.allGather(flattened(parallel))
                let count = everyRank.count / group.size
                for rank in 1..<group.size {
                    #expect(everyRank[rank * count..<(rank + 1) * count] == everyRank[0..<count], "rank \(rank) after step \(step)")
                }
            }
            expectClose(Tensor(shape: [flattened(parallel).count], scalars: flattened(parallel)),
                        Tensor(shape: [flattened(reference).count], scalars: flattened(reference)), relative: 1e-4, absolute: 1e-5)
        }

        /// A `Trainer` per rank on its shard of each shuffled epoch, synchronising after every
        /// backward pass, follows one trainer on the whole batches of the same permutations.
        @Test func aTrainerOnShardedBatchesFollowsTheSingleProcessRun() throws {
            let count = Self.perRank * group.size * 3
            let x = randomTensor([count, Self.inputs], seed: 70)
            let labels = (0..<count).map { ($0 * 5 + 1) % Self.classes }
            func loss(_ module: Sequential) -> ([Int]) -> Variable {
                { rows in
                    crossEntropy(logits: module(Variable(x.indexSelect(axis: 0, indices: rows))),
                                 targets: IntTensor(shape: [rows.count], scalars: rows.map { labels[$0] }))
                }
            }
            let parallel = model(seed: 80 + UInt64(group.rank))
            let ddp = try DistributedDataParallel(parallel, group: group)
            let shard = DataShard(rank: group.rank, count: group.size)
            let trainer = Trainer(
                model: parallel, optimizer: Adam(parameters: parallel.parameters(), learningRate: 0.02),
                loader: DataLoader(count: count, batchSize: Self.perRank, shard: shard, seed: 5), showsProgress: false)
            trainer.dataParallel = ddp
            let reference = model(seed: 80)
            let single = Trainer(
                model: reference, optimizer: Adam(parameters: reference.parameters(), learningRate: 0.02),
                loader: DataLoader(count: count, batchSize: Self.perRank * group.size, seed: 5), showsProgress: false)
            let records = try trainer.fit(epochs: 3, loss: loss(parallel))
            let expected = try single.fit(epochs: 3, loss: loss(reference))
            let losses = records.map(\.trainingLoss)  // averaged over the ranks by the trainer
            for (ours, theirs) in zip(losses, expected.map(\.trainingLoss)) {
                #expect(abs(ours - theirs) <= 1e-5 * abs(theirs), "epoch losses \(losses) vs \(expected.map(\.trainingLoss))")
            }
            expectClose(Tensor(shape: [flattened(parallel).count], scalars: flattened(parallel)),
                        Tensor(shape: [flattened(reference).count], scalars: flattened(reference)), relative: 1e-4, absolute: 1e-5)
        }

        /// Validation and prediction give each rank every size-th example and reduce: every rank
        /// returns the whole set's loss, accuracy and predictions, as one process computes them.
        @Test func validationAndPredictionAreShardedAndReduced() throws {
            let count = Self.perRank * group.size + 1  // not a multiple of the ranks
            let x = randomTensor([count, Self.inputs], seed: 95)
            let labels = (0..<count).map { ($0 * 2 + 1) % Self.classes }
            let module = model(seed: 96)
            let trainer = Trainer(model: module, optimizer: SGD(parameters: module.parameters(), learningRate: 0.1),
                                  loader: DataLoader(count: count, batchSize: 4, seed: 1), showsProgress: false)
            var seen: [Int] = []
            let logits = { (rows: [Int]) in
                seen += rows
                return module(Variable(x.indexSelect(axis: 0, indices: rows)))
            }
            let (expected, expectedPredictions) = (try trainer.validateClassifier(labels: labels, batchSize: 3, logits: logits),
                                                   try trainer.predict(count: count, batchSize: 3, logits: logits))
            #expect(seen == Array(0..<count) + Array(0..<count))
            seen = []
            trainer.dataParallel = try DistributedDataParallel(module, group: group)
            let ours = try trainer.validateClassifier(labels: labels, batchSize: 3, logits: logits)
            let predictions = try trainer.predict(count: count, batchSize: 3, logits: logits)
            let share = Array(stride(from: group.rank, to: count, by: group.size))
            #expect(seen == share + share, "this rank's share only")
            #expect(ours.accuracy == expected.accuracy)
            #expect(abs(ours.loss! - expected.loss!) <= 1e-6 * abs(expected.loss!))
            #expect(predictions == expectedPredictions)
        }

        /// A data set that does not divide by the ranks: every rank gets the same number of batches
        /// (so none waits in a collective for another), and together they cover every example.
        @Test func aShardedLoaderOverAnUnevenCountGivesEveryRankAsManyBatches() throws {
            let count = Self.perRank * group.size * 2 + 1
            let loader = DataLoader(count: count, batchSize: Self.perRank, shard: DataShard(rank: group.rank, count: group.size), seed: 7)
            let epoch = Array(loader)
            var batches = [epoch.count, -epoch.count]
            try group.allReduce(&batches, .maximum)
            #expect(batches[0] == -batches[1] && batches[0] == 3)
            let covered = try group.allGather(epoch.joined().map { $0 })
            #expect(Set(covered) == Set(0..<count) && covered.count == group.size * loader.sampleCount)
        }

        /// Rank 0 alone writes the checkpoint; every rank resumes from it, differently initialised
        /// before, and continues as the uninterrupted run did, bit for bit.
        @Test func everyRankResumesFromRankZerosCheckpointBitForBit() throws {
            let count = Self.perRank * group.size * 2
            let x = randomTensor([count, Self.inputs], seed: 90)
            let labels = (0..<count).map { ($0 * 3 + 2) % Self.classes }
            // The ranks share a parent (mpirun's daemon on this host), so they agree on the folder.
            let directory = NSTemporaryDirectory() + "braid-ddp-resume-\(getppid())"
            if group.rank == 0 { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            defer { if group.rank == 0 { try? FileManager.default.removeItem(atPath: directory) } }
            let path = directory + "/run.safetensors"
            func run(seed: UInt64, checkpoint: String?) throws -> (Trainer, ([Int]) -> Variable) {
                let module = model(seed: seed)
                let trainer = Trainer(
                    model: module, optimizer: Adam(parameters: module.parameters(), learningRate: 0.02),
                    loader: DataLoader(count: count, batchSize: Self.perRank, shard: DataShard(rank: group.rank, count: group.size), seed: 6),
                    checkpointPath: checkpoint, showsProgress: false)
                trainer.dataParallel = try DistributedDataParallel(module, group: group)
                return (trainer, { rows in
                    crossEntropy(logits: module(Variable(x.indexSelect(axis: 0, indices: rows))),
                                 targets: IntTensor(shape: [rows.count], scalars: rows.map { labels[$0] }))
                })
            }
            let (uninterrupted, loss) = try run(seed: 91, checkpoint: nil)
            let expected = try uninterrupted.fit(epochs: 4, loss: loss)
            try group.barrier()
            let (first, firstLoss) = try run(seed: 91, checkpoint: path)
            _ = try first.fit(epochs: 2, loss: firstLoss)
            try group.barrier()  // rank 0's checkpoint is on disk
            #expect(FileManager.default.fileExists(atPath: path))
            let (resumed, resumedLoss) = try run(seed: 92 + UInt64(group.rank), checkpoint: nil)
            try resumed.resume(from: path)
            let rest = try resumed.fit(epochs: 4, loss: resumedLoss)
            #expect(rest.map(\.trainingLoss.bitPattern) == expected.suffix(2).map(\.trainingLoss.bitPattern))
            #expect(flattened(resumed.model).map(\.bitPattern) == flattened(uninterrupted.model).map(\.bitPattern))
            try group.barrier()  // every rank has read the checkpoint before rank 0 removes it
        }

        /// Two half-batches, the first inside `withoutSynchronization` (no all-reduce starts), give
        /// the gradient of the whole batch averaged over the ranks.
        @Test func noSyncAccumulatesLocallyThenAveragesEverything() throws {
            let parallel = model(seed: 40)
            let ddp = try DistributedDataParallel(parallel, group: group, bucketCapacity: 64)
            let reference = model(seed: 40)
            let (x, labels) = batch(step: 0)
            let local = rows(x, labels, rank: group.rank)
            let halves = [Array(0..<Self.perRank / 2), Array(Self.perRank / 2..<Self.perRank)]
            func halfLoss(_ part: [Int]) -> Variable {
                let logits = parallel(Variable(local.x.value.indexSelect(axis: 0, indices: part)))
                return crossEntropy(logits: logits, targets: IntTensor(shape: [part.count], scalars: part.map { local.labels.scalars[$0] })) * 0.5
            }
            try ddp.withoutSynchronization {
                halfLoss(halves[0]).backward()
                try ddp.synchronizeGradients()  // does nothing here
            }
            #expect(ddp.nextBucket == 0, "no all-reduce started inside withoutSynchronization")
            halfLoss(halves[1]).backward()
            try ddp.synchronizeGradients()
            crossEntropy(logits: reference(Variable(x)), targets: labels).backward()
            for (ours, theirs) in zip(parallel.parameters(), reference.parameters()) {
                expectClose(try #require(ours.grad), try #require(theirs.grad), relative: 1e-5, absolute: 1e-6)
            }
        }

        /// A parameter only rank 0 uses gets rank 0's gradient over the number of ranks everywhere;
        /// one no rank uses keeps no gradient; a buffer comes from rank 0.
        @Test func unusedParametersAndBuffers() throws {
            final class Branches: Module {
                let shared: Linear, onlyRankZero: Linear, never: Linear
                let norm = BatchNorm(channels: 2)
                init(seed: UInt64) {
                    var generator = RandomGenerator(seed: seed)
                    shared = Linear(inputFeatures: 3, outputFeatures: 2, generator: &generator)
                    onlyRankZero = Linear(inputFeatures: 3, outputFeatures: 2, generator: &generator)
                    never = Linear(inputFeatures: 3, outputFeatures: 2, generator: &generator)
                }
            }
            let branches = Branches(seed: 50)
            branches.norm.runningMean.value = Tensor(shape: [2], scalars: [Float(group.rank), 1])
            let ddp = try DistributedDataParallel(branches, group: group)
            #expect(branches.norm.runningMean.value.scalars == [0, 1], "rank 0's buffer")
            let x = Variable(randomTensor([4, 3], seed: 51 + UInt64(group.rank)))
            var loss = branches.shared(x).sum()
            if group.rank == 0 { loss = loss + branches.onlyRankZero(x).sum() }
            loss.backward()
            let local = branches.shared.weight.grad!
            try ddp.synchronizeGradients()
            var expected = local.scalars
            try group.allReduce(&expected, .average)
            #expect(branches.shared.weight.grad?.scalars == expected)
            let rankZero = Branches(seed: 50)
            rankZero.onlyRankZero(Variable(randomTensor([4, 3], seed: 51))).sum().backward()
            let fromRankZero = rankZero.onlyRankZero.weight.grad!.scalars.map { $0 / Float(group.size) }
            expectClose(try #require(branches.onlyRankZero.weight.grad), Tensor(shape: [2, 3], scalars: fromRankZero),
                        relative: 1e-6, absolute: 1e-7)
            #expect(branches.never.weight.grad == nil && branches.never.bias?.grad == nil)
        }

        /// An embedding table's gradient, gathered as the rows each rank touched (a large table)
        /// or all-reduced whole (a small one every rank touches), is the ranks' average, exactly
        /// as the dense all-reduce gives it; rows no rank touched stay zero.
        @Test(arguments: [(rows: 200, tokens: 3), (rows: 6, tokens: 6)])
        func embeddingTablesAverageTheirTouchedRows(rows: Int, tokens: Int) throws {
            final class Lookup: Module {
                let table: Embedding, head: Linear
                init(rows: Int) {
                    var generator = RandomGenerator(seed: 70)
                    table = Embedding(count: rows, dimension: 5, generator: &generator)
                    head = Linear(inputFeatures: 5, outputFeatures: 1, generator: &generator)
                }
            }
            let lookup = Lookup(rows: rows)
            let ddp = try DistributedDataParallel(lookup, group: group)
            #expect(ddp.embeddingTables.count == 1 && ddp.buckets.map(\.members).joined().count == 2, "the head's weight and bias")
            // Rank r looks up ids r, r+1, …: some rows shared with the next rank, some its own.
            let ids = IntTensor(shape: [1, tokens], scalars: (0..<tokens).map { (group.rank + $0) % rows })
            lookup.head(lookup.table(ids)).sum().backward()
            var expected = try #require(lookup.table.weight.grad)
            try group.allReduce(&expected, .average)
            try ddp.synchronizeGradients()
            let ours = try #require(lookup.table.weight.grad)
            #expect(ours.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern) || group.size > 2,
                    "two ranks: the same sums, so the same bits")
            expectClose(ours, expected, relative: 1e-6, absolute: 1e-7)
            let touched = Set((0..<group.size + tokens - 1).map { $0 % rows })
            #expect((0..<rows).filter { row in (0..<5).contains { ours[row, $0] != 0 } } == touched.sorted())
        }

        @Test func misuseIsATypedError() throws {
            // Modules of different sizes on different ranks.
            var generator = RandomGenerator(seed: 1)
            let uneven = Linear(inputFeatures: 2 + group.rank, outputFeatures: 1, generator: &generator)
            #expect(throws: DistributedError.self) { try DistributedDataParallel(uneven, group: group) }
            // A second backward before synchronising.
            let parallel = model(seed: 60)
            let ddp = try DistributedDataParallel(parallel, group: group)
            let x = Variable(randomTensor([2, Self.inputs], seed: 61))
            parallel(x).sum().backward()
            parallel(x).sum().backward()
            do {
                try ddp.synchronizeGradients()
                Issue.record("a second backward() before synchronizing threw nothing")
            } catch {
                guard case .gradientsNotSynchronized = error else { Issue.record("\(error)"); return }
            }
        }
    }
}
