import Braid

/// The concatenate-and-classify data: each UCI digit becomes a degraded image (noise and an
/// occluding patch) and a caption with partial, sometimes missing, hints about the digit.
///
/// Neither modality is enough alone: the image is noisy and partly hidden, and a caption such as
/// "an even number and a large one" leaves several digits. Examples are split into training and
/// test sets by source image, so no test image was seen in training in any variant.
struct CaptionedDigits {
    /// Degraded images `[N, 1, 8, 8]` in [0, 1] plus noise.
    var images: Tensor
    /// Caption word lists.
    var captions: [[String]]
    /// The digit of each example.
    var digits: [Int]

    /// Builds `variants` examples per source digit image of `source`, drawing the degradation and
    /// the captions from `generator`.
    init(source: DigitsDataset, sourceIndices: [Int], variants: Int, generator: inout RandomGenerator) {
        var pixels: [Float] = [], captions: [[String]] = [], digits: [Int] = []
        for index in sourceIndices {
            let digit = source.labels.scalars[index]
            let image = source.images.sliced(axis: 0, start: index, end: index + 1).scalars
            for _ in 0..<variants {
                pixels += Self.degrade(image, generator: &generator)
                captions.append(Self.caption(for: digit, generator: &generator))
                digits.append(digit)
            }
        }
        images = Tensor(shape: [digits.count, 1, 8, 8], scalars: pixels)
        self.captions = captions
        self.digits = digits
    }

    /// Gaussian noise (σ = 0.3) everywhere and a 4×4 patch of noise at a random place.
    static func degrade(_ image: [Float], generator: inout RandomGenerator) -> [Float] {
        var result = image.map { $0 + 0.3 * generator.nextNormal() }
        let (top, left) = (Int(generator.next() % 5), Int(generator.next() % 5))
        for r in top..<(top + 4) {
            for c in left..<(left + 4) { result[r * 8 + c] = generator.nextUniform() }
        }
        return result
    }

    static let names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    /// One or two hints (parity, small or large, multiple of three), the digit itself one time in
    /// ten, or no description one time in seven.
    static func caption(for digit: Int, generator: inout RandomGenerator) -> [String] {
        let draw = generator.nextUniform()
        if draw < 0.14 { return ["no", "description"] }
        if draw < 0.24 { return ["the", "digit", names[digit]] }
        let hints: [[String]] = [
            digit % 2 == 0 ? ["an", "even", "number"] : ["an", "odd", "number"],
            digit >= 5 ? ["a", "large", "number"] : ["a", "small", "number"],
            digit % 3 == 0 ? ["a", "multiple", "of", "three"] : ["not", "a", "multiple", "of", "three"],
        ]
        let first = Int(generator.next() % 3)
        guard generator.nextUniform() < 0.6 else { return hints[first] }
        let second = (first + 1 + Int(generator.next() % 2)) % 3
        return hints[first] + ["and"] + hints[second]
    }
}

/// A word-level vocabulary for the captions, with BERT's special tokens.
struct CaptionVocabulary {
    let ids: [String: Int]

    init(captions: [[String]]) {
        var ids = ["[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3]
        for word in Set(captions.joined()).sorted() where ids[word] == nil { ids[word] = ids.count }
        self.ids = ids
    }

    var count: Int { ids.count }

    /// `[CLS] words [SEP]` padded to the longest caption of the batch.
    func batch(_ captions: [[String]]) -> TokenizedBatch {
        let length = (captions.map(\.count).max() ?? 0) + 2
        var tokens: [Int] = [], mask: [Int] = []
        for caption in captions {
            let row = [2] + caption.map { ids[$0] ?? 1 } + [3]
            tokens += row + [Int](repeating: 0, count: length - row.count)
            mask += [Int](repeating: 1, count: row.count) + [Int](repeating: 0, count: length - row.count)
        }
        let shape = [captions.count, length]
        return TokenizedBatch(
            inputIds: IntTensor(shape: shape, scalars: tokens), attentionMask: IntTensor(shape: shape, scalars: mask),
            tokenTypeIds: IntTensor(shape: shape, scalars: [Int](repeating: 0, count: tokens.count)))
    }
}
