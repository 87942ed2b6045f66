import Braid

/// The tiny CLIP of the CLIP config.json target: its configuration, the matching `config.json`,
/// its weights, and one cheap forward pass.
public enum TinyCLIP {
    /// Text: vocabulary 20, 8 positions, width 8, one layer of 2 heads, MLP 16, end-of-text 19.
    /// Vision: 8×8 images in 4×4 patches, width 8, one layer of 2 heads, MLP 16. Projections to 4.
    public static let configuration = CLIPConfiguration(
        text: CLIPTextConfiguration(
            vocabularySize: 20, contextLength: 8,
            encoder: CLIPEncoderConfiguration(hiddenSize: 8, intermediateSize: 16, layerCount: 1, headCount: 2),
            paddingToken: 1, beginningOfTextToken: 18, endOfTextToken: 19),
        vision: CLIPVisionConfiguration(
            imageSize: 8, patchSize: 4, encoder: CLIPEncoderConfiguration(hiddenSize: 8, intermediateSize: 16, layerCount: 1, headCount: 2)),
        projectionDimension: 4)

    /// A Hugging Face `config.json` that describes `configuration`, as `save_pretrained` writes it.
    public static let configJSON = """
        {"architectures": ["CLIPModel"], "logit_scale_init_value": 2.6592, "model_type": "clip", "projection_dim": 4, \
        "text_config": {"attention_dropout": 0.0, "bos_token_id": 18, "eos_token_id": 19, "hidden_act": "quick_gelu", \
        "hidden_size": 8, "intermediate_size": 16, "layer_norm_eps": 1e-05, "max_position_embeddings": 8, \
        "model_type": "clip_text_model", "num_attention_heads": 2, "num_hidden_layers": 1, "pad_token_id": 1, \
        "projection_dim": 4, "vocab_size": 20}, \
        "vision_config": {"attention_dropout": 0.0, "hidden_act": "quick_gelu", "hidden_size": 8, "image_size": 8, \
        "intermediate_size": 16, "layer_norm_eps": 1e-05, "model_type": "clip_vision_model", "num_attention_heads": 2, \
        "num_channels": 3, "num_hidden_layers": 1, "patch_size": 4, "projection_dim": 4}}
        """

    /// Writes the weights of a model of `configuration` initialised from seed 13 as a
    /// `model.safetensors` at `path`.
    public static func writeWeights(to path: String) throws {
        var generator = RandomGenerator(seed: 13)
        try CLIPModel(configuration, generator: &generator).saveStateDict(to: path)
    }

    /// Scores two blank images against two texts made of the loaded configuration's own
    /// beginning- and end-of-text ids, as a loaded model is used.
    public static func runOnce(_ model: CLIPModel) {
        let (text, vision) = (model.configuration.text, model.configuration.vision)
        let ids = IntTensor(shape: [2, 3], scalars: [
            text.beginningOfTextToken, 3, text.endOfTextToken, text.beginningOfTextToken, text.endOfTextToken, text.paddingToken,
        ])
        let images = Tensor.zeros([2, vision.channelCount, vision.imageSize, vision.imageSize])
        _ = withoutGradients { model(images: Variable(images), texts: ids).logitsPerImage }
    }
}
