import Braid
import ExampleSupport

/// concat-classify's model (a small BERT and the digit CNN with batch norm, early fusion) with
/// dropout off, on the UCI digits with short captions: the workload of the distributed tests that
/// compare whole runs.
struct ConcatTask {
    static let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    let digits: DigitsDataset
    let captions: [[String]]
    let vocabulary: CaptionVocabulary

    init() throws {
        digits = try DigitsDataset.load()
        let labels = digits.labels.scalars
        // Captions of one to three words, the digit's name in a third of them.
        captions = labels.indices.map { i in
            [Self.words[(i * 7) % 10], i % 3 == 0 ? Self.words[labels[i]] : "digit", "ink"].prefix(1 + i % 3).map { $0 }
        }
        vocabulary = CaptionVocabulary(captions: captions)
    }

    /// A model initialised from `seed`.
    func model(seed: UInt64) -> MultimodalClassifier {
        var generator = RandomGenerator(seed: seed)
        return MultimodalClassifier(inputs: .both, fusion: .early, makeText: {
            var textGenerator = RandomGenerator(seed: seed &+ 1)
            return TextEncoder(
                BertConfiguration(vocabularySize: vocabulary.count, hiddenSize: 64, layerCount: 2, headCount: 4,
                                  intermediateSize: 128, maximumPositions: 16, hiddenDropout: 0, attentionDropout: 0),
                pooling: .cls, generator: &textGenerator)
        }, classCount: 10, generator: &generator)
    }

    /// Step `step`'s whole batch of `count` examples.
    func rows(step: Int, count: Int) -> [Int] {
        (0..<count).map { (step * count + $0 * 13) % digits.labels.count }
    }

    /// The cross-entropy of `module` on `rows`.
    func loss(_ module: MultimodalClassifier, _ rows: [Int]) throws -> Variable {
        let logits = try module(images: Variable(digits.images.indexSelect(axis: 0, indices: rows)),
                                captions: vocabulary.batch(rows.map { captions[$0] }))
        return crossEntropy(logits: logits, targets: IntTensor(rows.map { digits.labels.scalars[$0] }))
    }
}
