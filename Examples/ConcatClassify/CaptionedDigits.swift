import Braid
import ExampleSupport

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
                pixels += DigitHints.degrade(image, generator: &generator)
                captions.append(DigitHints.caption(for: digit, generator: &generator))
                digits.append(digit)
            }
        }
        images = Tensor(shape: [digits.count, 1, 8, 8], scalars: pixels)
        self.captions = captions
        self.digits = digits
    }
}
