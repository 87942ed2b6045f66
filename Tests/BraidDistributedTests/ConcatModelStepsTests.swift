@testable import BraidDistributed
import Braid
import BraidTestSupport
import ExampleSupport
import Testing

extension DistributedTests {
    /// concat-classify's model (a small BERT and the digit CNN with batch norm, early fusion),
    /// dropout off: N ranks × batches of 32 with synchronised batch norm take the same Adam steps
    /// as one process × batches of 32·N, which every rank also trains: 50 steps within 1e-5 for 2
    /// ranks (measured: at most 1.6e-7 relative). With 3, the losses agree as closely until step 22,
    /// after which the sums' different rounding grows through Adam's steps (to 7e-4 relative by
    /// step 44), so 20 steps are compared.
    @Suite struct ConcatModelStepsTests {
        let group: ProcessGroup
        init() throws { group = try ProcessGroup.world() }

        static let perRank = 32
        static let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

        func model(vocabularySize: Int, seed: UInt64) -> MultimodalClassifier {
            var generator = RandomGenerator(seed: seed)
            return MultimodalClassifier(inputs: .both, fusion: .early, makeText: {
                var textGenerator = RandomGenerator(seed: seed &+ 1)
                return TextEncoder(
                    BertConfiguration(vocabularySize: vocabularySize, hiddenSize: 64, layerCount: 2, headCount: 4,
                                      intermediateSize: 128, maximumPositions: 16, hiddenDropout: 0, attentionDropout: 0),
                    pooling: .cls, generator: &textGenerator)
            }, classCount: 10, generator: &generator)
        }

        @Test func ranksFollowOneProcessWithTheWholeBatchForFiftySteps() throws {
            let digits = try DigitsDataset.load()
            let labels = digits.labels.scalars
            // Captions of one to three words, the digit's name in a third of them.
            let captions = labels.indices.map { i in
                [Self.words[(i * 7) % 10], i % 3 == 0 ? Self.words[labels[i]] : "digit", "ink"].prefix(1 + i % 3).map { $0 }
            }
            let vocabulary = CaptionVocabulary(captions: captions)
            let parallel = model(vocabularySize: vocabulary.count, seed: 3 + UInt64(group.rank))
            let ddp = try DistributedDataParallel(parallel, group: group)
            parallel.synchronizeBatchStatistics(with: group)
            let reference = model(vocabularySize: vocabulary.count, seed: 3)
            let (optimizer, referenceOptimizer) = (Adam(parameters: parallel.parameters(), learningRate: 2e-3),
                                                    Adam(parameters: reference.parameters(), learningRate: 2e-3))
            func loss(_ module: MultimodalClassifier, _ rows: [Int]) throws -> Variable {
                let logits = try module(images: Variable(digits.images.indexSelect(axis: 0, indices: rows)),
                                        captions: vocabulary.batch(rows.map { captions[$0] }))
                return crossEntropy(logits: logits, targets: IntTensor(rows.map { labels[$0] }))
            }
            let wholeBatch = Self.perRank * group.size
            for step in 0..<(group.size == 2 ? 50 : 20) {
                let rows = (0..<wholeBatch).map { (step * wholeBatch + $0 * 13) % labels.count }
                let local = try loss(parallel, Array(rows[group.rank * Self.perRank..<(group.rank + 1) * Self.perRank]))
                local.backward()
                try ddp.synchronizeGradients()
                optimizer.step()
                parallel.zeroGrad()

                let expected = try loss(reference, rows)
                expected.backward()
                referenceOptimizer.step()
                reference.zeroGrad()

                var losses = [local.value.scalar]
                try group.allReduce(&losses, .average)
                let scale = abs(expected.value.scalar)
                #expect(abs(losses[0] - expected.value.scalar) <= 1e-5 * scale, "step \(step): \(losses[0]) vs \(expected.value.scalar)")
                let state = (parallel.parameters() + parallel.namedBuffers().map(\.variable)).flatMap(\.value.scalars)
                let everyRank = try group.allGather(state)
                for rank in 1..<group.size {
                    #expect(everyRank[rank * state.count..<(rank + 1) * state.count] == everyRank[0..<state.count],
                            "rank \(rank)'s parameters and buffers after step \(step)")
                }
            }
        }
    }
}
