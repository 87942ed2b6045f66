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
