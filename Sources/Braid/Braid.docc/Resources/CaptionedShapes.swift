import Braid

/// Grey 8×8 images of a bar, a column or a diagonal, each with a short caption that names the shape's
/// colour. The image shows the shape and only the caption tells the colour, so the class needs
/// both.
struct CaptionedShapes {
    /// The six classes; the class of a shape s (0 bar, 1 column, 2 diagonal) and colour c (0 red,
    /// 1 blue) is 2s + c.
    static let classNames = ["red bar", "blue bar", "red column", "blue column", "red diagonal", "blue diagonal"]
    /// The caption words, after BERT's special tokens: `[PAD]` is 0, `[CLS]` 1, `[SEP]` 2.
    static let vocabulary = ["[PAD]", "[CLS]", "[SEP]", "red", "blue", "a", "one", "something"]
    /// Tokens per caption: `[CLS]`, one or two words, `[SEP]`, padded with `[PAD]`.
    static let captionLength = 4

    /// The images `[N, 1, 8, 8]`.
    let images: Tensor
    /// The class of each example.
    let labels: [Int]
    /// The token ids of each caption, `captionLength` of them.
    let tokenIds: [[Int]]

    /// The number of examples.
    var count: Int { labels.count }
}

extension CaptionedShapes {
    /// `count` examples drawn from `seed`.
    init(count: Int, seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        var pixels: [Float] = [], labels: [Int] = [], tokenIds: [[Int]] = []
        for _ in 0..<count {
            let shape = Int.random(in: 0..<3, using: &generator), colour = Int.random(in: 0..<2, using: &generator)
            pixels += Self.draw(shape: shape, generator: &generator)
            let word = colour == 0 ? "red" : "blue"
            let words = [[word], ["a", word], [word, "one"], ["something", word]].randomElement(using: &generator)!
            let tokens = [1] + words.map { Self.vocabulary.firstIndex(of: $0)! } + [2]
            tokenIds.append(tokens + [Int](repeating: 0, count: Self.captionLength - tokens.count))
            labels.append(2 * shape + colour)
        }
        self.init(images: Tensor(shape: [count, 1, 8, 8], scalars: pixels), labels: labels, tokenIds: tokenIds)
    }

    /// The 64 pixels of `shape` (0 a bar, 1 a column, 2 a diagonal) drawn at a random place in noise.
    static func draw(shape: Int, generator: inout RandomGenerator) -> [Float] {
        var pixels = (0..<64).map { _ in 0.3 * generator.nextNormal() }
        let row = Int.random(in: 2...5, using: &generator), column = Int.random(in: 2...5, using: &generator)
        let offsets: [(row: Int, column: Int)] = switch shape {
        case 0: (-2...2).map { (0, $0) }
        case 1: (-2...2).map { ($0, 0) }
        default: (-2...2).map { ($0, $0) }
        }
        for offset in offsets { pixels[(row + offset.row) * 8 + column + offset.column] += 1 }
        return pixels
    }
}

extension CaptionedShapes {
    /// The images of the examples at `rows`, `[rows.count, 1, 8, 8]`.
    func images(_ rows: [Int]) -> Variable {
        Variable(images.indexSelect(axis: 0, indices: rows))
    }

    /// The captions of the examples at `rows`, `[rows.count, captionLength]`, masked where padded.
    func captions(_ rows: [Int]) -> TokenizedBatch {
        let ids = rows.flatMap { tokenIds[$0] }
        let shape = [rows.count, Self.captionLength]
        return TokenizedBatch(
            inputIds: IntTensor(shape: shape, scalars: ids),
            attentionMask: IntTensor(shape: shape, scalars: ids.map { $0 == 0 ? 0 : 1 }),
            tokenTypeIds: IntTensor(shape: shape, scalars: ids.map { _ in 0 }))
    }

    /// The labels of the examples at `rows`, `[rows.count]`.
    func labels(_ rows: [Int]) -> IntTensor {
        IntTensor(rows.map { labels[$0] })
    }
}
