import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// CLIP's vision tower (`CLIPVisionModel`, without projection): a ViT whose patches are embedded
/// by a bias-free convolution, with a class embedding and learned positions, a LayerNorm before
/// the pre-norm encoder (`pre_layrnorm`) and one on the class token after it (`post_layernorm`).
///
/// Parameters carry Hugging Face's names under `vision_model.`: `embeddings.class_embedding`
/// `[D]`, `embeddings.patch_embedding` `[D, C, P, P]`, `embeddings.position_embedding`
/// `[1 + patches, D]`, `pre_layrnorm` (sic), `encoder.layers.<i>.…` as the text tower's,
/// `post_layernorm`.
public final class CLIPVisionTransformer: Module {
    /// The shape.
    public let configuration: CLIPVisionConfiguration
    /// The class token's embedding `[D]`.
    public let classEmbedding: Variable
    /// The patch projection: a convolution with kernel and stride P and no bias.
    public let patchEmbedding: Conv2d
    /// The position embeddings `[1 + patches, D]`, the class token's first.
    public let positionEmbedding: Embedding
    /// The LayerNorm before the encoder.
    public let preNorm: LayerNorm
    /// The encoder.
    public let encoder: TransformerEncoder
    /// The LayerNorm on the pooled class token.
    public let postNorm: LayerNorm

    /// A randomly initialised tower: the class embedding N(0, 1/D) and the positions N(0, 0.02²)
    /// as `transformers` initialises CLIP's, PyTorch's defaults elsewhere.
    public init(_ configuration: CLIPVisionConfiguration, generator: inout RandomGenerator) {
        let (d, p) = (configuration.encoder.hiddenSize, configuration.patchSize)
        classEmbedding = Variable(
            Tensor.randomNormal([d], standardDeviation: 1 / Float(d).squareRoot(), generator: &generator), requiresGrad: true)
        patchEmbedding = Conv2d(
            inputChannels: configuration.channelCount, outputChannels: d, kernelSize: (p, p), stride: (p, p), bias: false,
            generator: &generator)
        positionEmbedding = Embedding(count: configuration.tokenCount, dimension: d, generator: &generator)
        positionEmbedding.weight.value = Tensor.randomNormal([configuration.tokenCount, d], standardDeviation: 0.02, generator: &generator)
        preNorm = LayerNorm(d, epsilon: configuration.encoder.layerNormEpsilon)
        encoder = configuration.encoder.makeEncoder(generator: &generator)
        postNorm = LayerNorm(d, epsilon: configuration.encoder.layerNormEpsilon)
        self.configuration = configuration
    }

    /// Hugging Face's names.
    public override var stateDictKeys: [String: String] {
        clipEncoderKeys(prefix: "encoder", layerCount: configuration.encoder.layerCount).merging([
            "class_embedding": "embeddings.class_embedding", "patch_embedding": "embeddings.patch_embedding",
            "position_embedding": "embeddings.position_embedding", "pre_norm": "pre_layrnorm", "post_norm": "post_layernorm",
        ]) { $1 }
    }

    /// The encoder's output for every token `[B, 1 + patches, D]` (`last_hidden_state`, before
    /// `post_layernorm`) and the post-normed class token `[B, D]` (`pooler_output`) of images
    /// `[B, C, S, S]`, S the configuration's image size.
    public func encode(_ images: Variable) -> EncodedFeatures {
        let tokens = embed(images)
        let hidden = encoder(tokens)
        let pooled = postNorm(hidden.sliced(axis: 1, start: 0, end: 1).reshaped(to: [tokens.shape[0], tokens.shape[2]]))
        return EncodedFeatures(sequence: hidden, paddingMask: nil, pooled: pooled)
    }

    /// `encode(images).pooled` alone, `[B, D]`: on the inference path the last layer computes
    /// only the class tokens (after every token's keys and values).
    public func pooledFeatures(_ images: Variable) -> Variable {
        let tokens = embed(images)
        let (batch, count) = (tokens.shape[0], tokens.shape[1])
        return postNorm(encoder(tokens, rows: (0..<batch).map { $0 * count }))
    }

    /// The pre-normed tokens `[B, 1 + patches, D]` the encoder reads: the class embedding, then
    /// each patch's, plus the position embeddings.
    private func embed(_ images: Variable) -> Variable {
        let c = configuration
        check(
            images.rank == 4 && images.shape[1] == c.channelCount && images.shape[2] == c.imageSize && images.shape[3] == c.imageSize,
            "CLIPVisionTransformer: images \(images.shape) must be [B, \(c.channelCount), \(c.imageSize), \(c.imageSize)]")
        let (batch, d) = (images.shape[0], c.encoder.hiddenSize)
        let map = patchEmbedding(images)  // [B, D, h, w]
        let patches = map.reshaped(to: [batch, d, -1]).permuted([0, 2, 1])  // [B, h·w, D]
        let tokens = Variable.concat([classEmbedding.reshaped(to: [1, 1, d]).broadcast(to: [batch, 1, d]), patches], axis: 1)
        return preNorm(tokens + positionEmbedding.weight)
    }
}
