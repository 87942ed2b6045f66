import Braid

/// The tiny BERT of the config.json target: its configuration, the matching `config.json`, its
/// weights, and one cheap forward pass.
public enum TinyTextEncoder {
    /// Vocabulary 20, width 8, one layer of 2 heads, feed-forward 16, 16 positions.
    public static let configuration = BertConfiguration(
        vocabularySize: 20, hiddenSize: 8, layerCount: 1, headCount: 2, intermediateSize: 16, maximumPositions: 16)

    /// A Hugging Face `config.json` that describes `configuration`.
    public static let configJSON = """
        {"architectures": ["BertModel"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", \
        "hidden_dropout_prob": 0.1, "hidden_size": 8, "intermediate_size": 16, "layer_norm_eps": 1e-12, \
        "max_position_embeddings": 16, "model_type": "bert", "num_attention_heads": 2, \
        "num_hidden_layers": 1, "type_vocab_size": 2, "vocab_size": 20}
        """

    /// Writes the weights of an encoder of `configuration` initialised from seed 11 as a
    /// `model.safetensors` at `path`.
    public static func writeWeights(to path: String) throws {
        var generator = RandomGenerator(seed: 11)
        try TextEncoder(configuration, generator: &generator).saveStateDict(to: path)
    }

    /// Encodes a padded batch of two texts of 5 and 3 tokens (ids below 20), as a loaded
    /// encoder is used.
    public static func runOnce(_ encoder: TextEncoder) {
        let ids = IntTensor(shape: [2, 5], scalars: [2, 7, 8, 9, 3, 2, 10, 3, 0, 0])
        let mask = IntTensor(shape: [2, 5], scalars: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
        let types = IntTensor(shape: [2, 5], scalars: [Int](repeating: 0, count: 10))
        _ = encoder.encode(TokenizedBatch(inputIds: ids, attentionMask: mask, tokenTypeIds: types))
    }
}
