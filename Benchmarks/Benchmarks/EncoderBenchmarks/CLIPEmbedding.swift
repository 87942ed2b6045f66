import Braid

/// CLIP ViT-B/32 (`CLIPConfiguration.vitB32`, random weights, evaluation mode) embedding a batch:
/// 224×224 images uniform in [−1, 1], or texts of 16 tokens (`<|startoftext|>`, 14 ids, then
/// `<|endoftext|>`: text k's id t is 1000 + (37k + 11t) mod 40000), no padding. The projected,
/// unnormalised features (`get_image_features`, `get_text_features`), as
/// Scripts/compare-clip-pytorch.py times them in transformers and ONNX Runtime.
final class CLIPEmbedding: @unchecked Sendable {
    static let textLength = 16
    let model: CLIPModel
    let images: Variable
    let texts: IntTensor

    init(batch: Int) {
        var generator = RandomGenerator(seed: 40)
        model = CLIPModel(.vitB32, generator: &generator)
        model.eval()
        images = Variable(Tensor.randomUniform([batch, 3, 224, 224], lowerBound: -1, upperBound: 1, generator: &generator))
        var ids: [Int] = []
        for k in 0..<batch {
            ids.append(49406)
            for t in 1..<(Self.textLength - 1) { ids.append(1000 + (37 * k + 11 * t) % 40000) }
            ids.append(49407)
        }
        texts = IntTensor(shape: [batch, Self.textLength], scalars: ids)
    }

    func imageFeatures() -> Tensor { withoutGradients { model.imageFeatures(images) }.value }

    func textFeatures() -> Tensor { withoutGradients { model.textFeatures(texts) }.value }
}
