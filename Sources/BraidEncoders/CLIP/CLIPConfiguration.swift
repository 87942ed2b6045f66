import BraidAttention
import BraidTensor

/// The shape of a CLIP model (Radford et al. 2021), as in a Hugging Face `CLIPConfig`
/// `config.json`: a text tower, a vision tower and the projections of both into one space.
/// The defaults are `openai/clip-vit-base-patch32`'s.
public struct CLIPConfiguration: Sendable, Equatable {
    /// The text tower (`text_config`).
    public var text: CLIPTextConfiguration
    /// The vision tower (`vision_config`).
    public var vision: CLIPVisionConfiguration
    /// The width of the joint embedding space (`projection_dim`).
    public var projectionDimension: Int
    /// The logit scale's initial value, the log of the inverse temperature (`logit_scale_init_value`,
    /// ln(1/0.07) = 2.6592).
    public var logitScaleInitialValue: Float

    /// A configuration of both towers and the joint width.
    public init(
        text: CLIPTextConfiguration = CLIPTextConfiguration(), vision: CLIPVisionConfiguration = CLIPVisionConfiguration(),
        projectionDimension: Int = 512, logitScaleInitialValue: Float = 2.6592
    ) {
        check(projectionDimension > 0, "CLIPConfiguration: projection dimension \(projectionDimension) must be positive")
        (self.text, self.vision) = (text, vision)
        (self.projectionDimension, self.logitScaleInitialValue) = (projectionDimension, logitScaleInitialValue)
    }

    /// CLIP ViT-B/32 (`openai/clip-vit-base-patch32`, 151 M parameters).
    public static let vitB32 = CLIPConfiguration()

    /// The number of parameters of a ``CLIPModel`` of this shape: both towers, both projections
    /// (no bias) and the logit scale.
    ///
    /// Configurations read from a file are in the ranges of ``init(contentsOf:)``, where this
    /// cannot overflow.
    public var parameterCount: Int {
        text.parameterCount + vision.parameterCount
            + projectionDimension * (text.encoder.hiddenSize + vision.encoder.hiddenSize) + 1
    }
}

/// The transformer stack of either CLIP tower: pre-norm layers of self-attention (with biases)
/// and an MLP.
public struct CLIPEncoderConfiguration: Sendable, Equatable {
    /// D, the width of every token's features (`hidden_size`).
    public var hiddenSize: Int
    /// The MLP's inner width (`intermediate_size`).
    public var intermediateSize: Int
    /// Encoder layers (`num_hidden_layers`).
    public var layerCount: Int
    /// Attention heads per layer (`num_attention_heads`), a divisor of D.
    public var headCount: Int
    /// The MLP's activation (`hidden_act`; `quick_gelu`, x·σ(1.702x), in the OpenAI models).
    public var activation: TransformerActivation
    /// LayerNorm ε (`layer_norm_eps`).
    public var layerNormEpsilon: Float
    /// Dropout on the attention weights (`attention_dropout`); CLIP has no other dropout.
    public var attentionDropout: Float

    /// A stack of `layerCount` layers of width `hiddenSize`.
    public init(
        hiddenSize: Int, intermediateSize: Int, layerCount: Int, headCount: Int, activation: TransformerActivation = .quickGelu,
        layerNormEpsilon: Float = 1e-5, attentionDropout: Float = 0
    ) {
        check(
            hiddenSize > 0 && intermediateSize > 0 && layerCount > 0 && headCount > 0 && hiddenSize % headCount == 0,
            "CLIPEncoderConfiguration: width \(hiddenSize), MLP \(intermediateSize), \(layerCount) layers and \(headCount) heads "
                + "must be positive, the heads a divisor of the width")
        (self.hiddenSize, self.intermediateSize, self.layerCount, self.headCount) = (hiddenSize, intermediateSize, layerCount, headCount)
        (self.activation, self.layerNormEpsilon, self.attentionDropout) = (activation, layerNormEpsilon, attentionDropout)
    }

    /// The parameters of the stack: per layer two LayerNorms, the four attention projections
    /// with biases and the MLP.
    public var parameterCount: Int {
        let (d, f) = (hiddenSize, intermediateSize)
        return layerCount * (4 * d + 4 * (d * d + d) + (d * f + f) + (f * d + d))
    }
}

/// The text tower of CLIP: token and position embeddings, a causal encoder, a final LayerNorm,
/// pooled at each text's end-of-text token.
public struct CLIPTextConfiguration: Sendable, Equatable {
    /// V, the token vocabulary size (`vocab_size`).
    public var vocabularySize: Int
    /// The longest text the position embeddings cover (`max_position_embeddings`, 77).
    public var contextLength: Int
    /// The encoder.
    public var encoder: CLIPEncoderConfiguration
    /// The id that pads a text (`pad_token_id`).
    public var paddingToken: Int
    /// The id that starts a text (`bos_token_id`).
    public var beginningOfTextToken: Int
    /// The id that ends a text (`eos_token_id`); each text is pooled at its first occurrence,
    /// unless ``poolsAtLargestID``.
    public var endOfTextToken: Int
    /// Whether each text is pooled at its largest id rather than at its first end-of-text id:
    /// what `transformers` does for a `config.json` whose `eos_token_id` is 2, the value the
    /// original OpenAI uploads declare (their real end-of-text id is the vocabulary's largest).
    /// ``CLIPConfiguration/init(contentsOf:)`` sets it by that rule.
    public var poolsAtLargestID: Bool

    /// A text tower; the defaults are ViT-B/32's (49,408 tokens, 77 positions, width 512, 12
    /// layers of 8 heads, MLP 2048).
    public init(
        vocabularySize: Int = 49408, contextLength: Int = 77,
        encoder: CLIPEncoderConfiguration = CLIPEncoderConfiguration(hiddenSize: 512, intermediateSize: 2048, layerCount: 12, headCount: 8),
        paddingToken: Int = 1, beginningOfTextToken: Int = 49406, endOfTextToken: Int = 49407, poolsAtLargestID: Bool = false
    ) {
        check(vocabularySize > 0 && contextLength > 0, "CLIPTextConfiguration: vocabulary \(vocabularySize) and context \(contextLength) must be positive")
        check(
            [paddingToken, beginningOfTextToken, endOfTextToken].allSatisfy { (0..<vocabularySize).contains($0) },
            "CLIPTextConfiguration: token ids \(paddingToken), \(beginningOfTextToken), \(endOfTextToken) must be in 0..<\(vocabularySize)")
        (self.vocabularySize, self.contextLength, self.encoder) = (vocabularySize, contextLength, encoder)
        (self.paddingToken, self.beginningOfTextToken, self.endOfTextToken) = (paddingToken, beginningOfTextToken, endOfTextToken)
        self.poolsAtLargestID = poolsAtLargestID
    }

    /// The tower's parameters: both embedding tables, the encoder and the final LayerNorm.
    public var parameterCount: Int {
        (vocabularySize + contextLength) * encoder.hiddenSize + encoder.parameterCount + 2 * encoder.hiddenSize
    }
}

/// The vision tower of CLIP: a ViT whose patches are embedded by a convolution without bias,
/// with a class embedding, learned positions, a LayerNorm before the encoder and one on the
/// class token after it.
public struct CLIPVisionConfiguration: Sendable, Equatable {
    /// The side of the square input images in pixels (`image_size`).
    public var imageSize: Int
    /// The side of a patch (`patch_size`); the ⌊imageSize/patchSize⌋² whole patches are embedded.
    public var patchSize: Int
    /// Input channels (`num_channels`).
    public var channelCount: Int
    /// The encoder.
    public var encoder: CLIPEncoderConfiguration

    /// A vision tower; the defaults are ViT-B/32's (224×224 images in 32×32 patches, width 768,
    /// 12 layers of 12 heads, MLP 3072).
    public init(
        imageSize: Int = 224, patchSize: Int = 32, channelCount: Int = 3,
        encoder: CLIPEncoderConfiguration = CLIPEncoderConfiguration(hiddenSize: 768, intermediateSize: 3072, layerCount: 12, headCount: 12)
    ) {
        check(
            channelCount > 0 && patchSize > 0 && patchSize <= imageSize,
            "CLIPVisionConfiguration: \(channelCount) channels, patch \(patchSize) and image \(imageSize) must be positive, the patch no larger than the image")
        (self.imageSize, self.patchSize, self.channelCount, self.encoder) = (imageSize, patchSize, channelCount, encoder)
    }

    /// Patches along each side, ⌊imageSize/patchSize⌋.
    public var patchesPerSide: Int { imageSize / patchSize }

    /// Tokens per image: the class token and every patch.
    public var tokenCount: Int { 1 + patchesPerSide * patchesPerSide }

    /// The tower's parameters: the class embedding, the patch convolution, the positions, both
    /// LayerNorms and the encoder.
    public var parameterCount: Int {
        let d = encoder.hiddenSize
        return d + d * channelCount * patchSize * patchSize + tokenCount * d + 4 * d + encoder.parameterCount
    }
}
