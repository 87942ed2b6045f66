import FuzzSupport

/// Seeds of `fuzz-bert-config`: the tiny encoder's `config.json` and variants (other
/// activations, only the required keys, no `model_type`, a dropout above 1, a model of 82 billion
/// parameters, another architecture), and
/// all-MiniLM-L6-v2's real `config.json`, which describes another model than the weights.
func writeBertConfigSeeds(_ folder: SeedFolder) throws {
    try folder.write("tiny.json", TinyTextEncoder.configJSON)
    try folder.write("tiny-relu.json", """
        {"hidden_act": "relu", "hidden_size": 8, "intermediate_size": 16, "max_position_embeddings": 16, \
        "num_attention_heads": 2, "num_hidden_layers": 1, "vocab_size": 20, "layer_norm_eps": 1e-5}
        """)
    try folder.write("tiny-gelu-new.json", """
        {"hidden_act": "gelu_new", "hidden_size": 8, "intermediate_size": 16, "max_position_embeddings": 16, \
        "num_attention_heads": 4, "num_hidden_layers": 1, "vocab_size": 20, "type_vocab_size": 2, \
        "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.5}
        """)
    try folder.write("required-only.json", """
        {"hidden_size": 8, "intermediate_size": 16, "num_attention_heads": 2, "num_hidden_layers": 1, "vocab_size": 20}
        """)
    try folder.write("dropout-above-1.json", """
        {"hidden_size": 8, "intermediate_size": 16, "max_position_embeddings": 16, "num_attention_heads": 2, \
        "num_hidden_layers": 1, "vocab_size": 20, "hidden_dropout_prob": 1.5}
        """)
    try folder.write("huge.json", """
        {"hidden_size": 8192, "intermediate_size": 16, "max_position_embeddings": 16, "num_attention_heads": 2, \
        "num_hidden_layers": 1, "vocab_size": 10000000}
        """)
    try folder.write("roberta.json", #"{"model_type": "roberta", "hidden_size": 8}"#)
    try folder.write("minilm.json", """
        {"_name_or_path": "nreimers/MiniLM-L6-H384-uncased", "architectures": ["BertModel"], \
        "attention_probs_dropout_prob": 0.1, "gradient_checkpointing": false, "hidden_act": "gelu", \
        "hidden_dropout_prob": 0.1, "hidden_size": 384, "initializer_range": 0.02, "intermediate_size": 1536, \
        "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12, \
        "num_hidden_layers": 6, "pad_token_id": 0, "position_embedding_type": "absolute", \
        "transformers_version": "4.8.2", "type_vocab_size": 2, "use_cache": true, "vocab_size": 30522}
        """)
}
