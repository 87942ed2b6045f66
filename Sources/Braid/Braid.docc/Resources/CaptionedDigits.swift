import Braid

/// The 1,797 UCI handwritten digits that ship inside Braid, each with a short caption that hints
/// at the digit: its parity, its size, both or neither.
struct CaptionedDigits {
    /// The caption words, after BERT's special tokens: `[PAD]` is 0, `[CLS]` 1, `[SEP]` 2.
    static let vocabulary = ["[PAD]", "[CLS]", "[SEP]", "even", "odd", "small", "large"]
    /// Tokens per caption: `[CLS]`, up to two words, `[SEP]`, padded with `[PAD]`.
    static let captionLength = 4

    /// The images `[N, 1, 8, 8]`, pixels in [0, 1].
    let images: Tensor
    /// The digit each image shows, 0...9.
    let labels: [Int]
    /// The token ids of each caption, `captionLength` of them.
    let tokenIds: [[Int]]

    /// The number of examples.
    var count: Int { labels.count }
}

extension CaptionedDigits {
    /// Every digit with a caption drawn from `seed`.
    init(seed: UInt64) throws {
        let digits = try DigitsDataset.load()
        var generator = RandomGenerator(seed: seed)
        let labels = digits.labels.scalars
        let tokenIds = labels.map { digit in
            let parity = digit % 2 == 0 ? "even" : "odd", size = digit < 5 ? "small" : "large"
            let words: [String] = switch generator.nextUniform() {
            case ..<0.4: [parity, size]
            case ..<0.6: [parity]
            case ..<0.8: [size]
            default: []
            }
            let tokens = [1] + words.map { Self.vocabulary.firstIndex(of: $0)! } + [2]
            return tokens + [Int](repeating: 0, count: Self.captionLength - tokens.count)
        }
        self.init(images: digits.images, labels: labels, tokenIds: tokenIds)
    }
}

extension CaptionedDigits {
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

extension CaptionedDigits {
    /// The examples at `rows`, in that order.
    func subset(_ rows: [Int]) -> CaptionedDigits {
        CaptionedDigits(
            images: images.indexSelect(axis: 0, indices: rows), labels: rows.map { labels[$0] },
            tokenIds: rows.map { tokenIds[$0] })
    }

    /// Every fifth example for testing, the others for training.
    func split() -> (training: CaptionedDigits, test: CaptionedDigits) {
        let rows = Array(0..<count)
        return (subset(rows.filter { $0 % 5 != 0 }), subset(rows.filter { $0 % 5 == 0 }))
    }
}
