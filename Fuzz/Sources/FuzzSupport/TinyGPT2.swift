import Braid

/// The tiny GPT-2 of the GPT-2 config.json target: its configuration, the matching
/// `config.json`, its weights, and one cheap generation.
public enum TinyGPT2 {
    /// Vocabulary 20, 16 positions, width 8, one block of 2 heads, feed-forward 16, tied head.
    public static let configuration = GPT2Configuration(
        vocabularySize: 20, contextLength: 16, embeddingSize: 8, layerCount: 1, headCount: 2, innerSize: 16,
        beginningOfTextToken: 0, endOfTextToken: 0)

    /// A Hugging Face `config.json` that describes `configuration`, as `save_pretrained` writes it.
    public static let configJSON = """
        {"activation_function": "gelu_new", "add_cross_attention": false, "architectures": ["GPT2LMHeadModel"], \
        "attn_pdrop": 0.1, "bos_token_id": 0, "embd_pdrop": 0.1, "eos_token_id": 0, "initializer_range": 0.02, \
        "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_embd": 8, "n_head": 2, "n_inner": 16, "n_layer": 1, \
        "n_positions": 16, "pad_token_id": null, "reorder_and_upcast_attn": false, "resid_pdrop": 0.1, \
        "scale_attn_by_inverse_layer_idx": false, "scale_attn_weights": true, "tie_word_embeddings": true, \
        "vocab_size": 20}
        """

    /// Writes the weights of a model of `configuration` initialised from seed 12 as a
    /// `model.safetensors` at `path`.
    public static func writeWeights(to path: String) throws {
        var generator = RandomGenerator(seed: 12)
        try GPT2LanguageModel(configuration, generator: &generator).saveStateDict(to: path)
    }

    /// Greedy decoding and a two-beam search of a few tokens from a left-padded batch, as a
    /// loaded model is used; a model whose context is too short for the prompt is refused with a
    /// `GenerationError`, which is fine.
    public static func runOnce(_ model: GPT2LanguageModel) {
        let configuration = GenerationConfiguration(maxNewTokens: 3, stopTokens: [0])
        _ = attempt { try generate(model, prompts: [[1, 2, 3], [4]], configuration: configuration) }
        _ = attempt { try beamSearch(model, prompts: [[5, 6]], configuration: configuration, options: BeamSearch(beams: 2)) }
    }
}
