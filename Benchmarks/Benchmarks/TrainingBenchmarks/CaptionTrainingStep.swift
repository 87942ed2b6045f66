import Braid

/// One teacher-forced training step of caption-train's default captioner at its default batch
/// of 32 scenes: `ImageCaptionerConfiguration.small` over the shape scenes' 42 tokens and 24
/// positions (a ResNet of two one-block stages, 32 and 64 channels, on 64×64 RGB images, giving
/// 64 memory positions, layer-normalised; a pre-norm decoder of width 128, 4 heads, feed-forward
/// 512, GELU, no dropout, tied output) with caption-train's 3 decoder layers and grounding head
/// on layer 0, in training mode.
///
/// The step, as caption-train takes it: zero grad, the 32 images encoded once, each memory
/// shared by its scene's 4 captions (caption-train's scenes have 3 to 5, 4 on average), the
/// decoder over 128 captions of 23 input positions, cross-entropy with label smoothing 0.1
/// ignoring padding plus 3 × the grounding loss, backward, gradients clipped to norm 1, AdamW
/// (lr 2e-3, weight decay 0.01). Every caption is `<bos>`, 12 words, `<eos>` and 10 paddings:
/// caption k's word t is 4 + (13k + 7t) mod 38, and it mentions two objects, at positions 2–3
/// and 6–7, the first also pointing to the second from position 3; the centres are
/// ((5k mod 11)/5 − 1, (3k mod 7)/3 − 1) and ((7k mod 13)/6 − 1, (2k mod 5)/2 − 1), as
/// Scripts/compare-caption-pytorch.py builds them.
final class CaptionTrainingStep: @unchecked Sendable {
    /// The shape scenes' vocabulary: 4 special tokens and the grammar's 38 words.
    static let vocabularySize = 42
    /// `<bos>`, at most 22 words, `<eos>`.
    static let captionLength = 24
    static let captionsPerScene = 4
    let batch: Int
    let model: ImageCaptioner
    let optimizer: Adam
    let images: Variable
    let captions: IntTensor
    let scenes: [Int]
    let mentions: [CaptionObjectMention]

    init(batch: Int) {
        self.batch = batch
        var generator = RandomGenerator(seed: 30)
        var configuration = ImageCaptionerConfiguration.small(vocabularySize: Self.vocabularySize, contextLength: Self.captionLength)
        configuration.decoder.layerCount = 3
        configuration.groundingLayer = 0
        model = ImageCaptioner(configuration, generator: &generator)
        model.train()
        optimizer = Adam.adamW(parameters: model.parameters(), learningRate: 2e-3, weightDecay: 0.01)
        images = Variable(Tensor.randomUniform([batch, 3, 64, 64], lowerBound: 0, upperBound: 1, generator: &generator))
        let count = batch * Self.captionsPerScene
        var ids: [Int] = []
        for k in 0..<count {
            let words = (0..<12).map { t in 4 + (13 * k + 7 * t) % 38 }
            ids += [1] + words + [2] + [Int](repeating: 0, count: Self.captionLength - 14)
        }
        captions = IntTensor(shape: [count, Self.captionLength], scalars: ids)
        scenes = (0..<count).map { $0 / Self.captionsPerScene }
        mentions = (0..<count).flatMap { k in
            let first = (x: Float((5 * k) % 11) / 5 - 1, y: Float((3 * k) % 7) / 3 - 1)
            let second = (x: Float((7 * k) % 13) / 6 - 1, y: Float((2 * k) % 5) / 2 - 1)
            return [2, 3].map { CaptionObjectMention(caption: k, position: $0, x: first.x, y: first.y) }
                + [6, 7].map { CaptionObjectMention(caption: k, position: $0, x: second.x, y: second.y) }
                + [CaptionObjectMention(caption: k, position: 3, x: second.x, y: second.y, subject: .next)]
        }
    }

    /// One training step; returns the loss.
    func run() -> Float {
        optimizer.zeroGrad()
        let (caption, grounding) = model.groundedLoss(
            images: images, captions: captions, imageIndices: scenes, paddingID: 0, labelSmoothing: 0.1, mentions: mentions)
        let loss = caption + grounding * 3
        loss.backward()
        clipGradientNorm(optimizer.parameters, maxNorm: 1)
        optimizer.step()
        return loss.value.scalar
    }
}
