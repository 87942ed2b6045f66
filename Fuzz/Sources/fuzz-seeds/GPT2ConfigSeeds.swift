import FuzzSupport

/// Seeds of `fuzz-gpt2-config`: the tiny model's `config.json` and variants (defaults only, a
/// head count that does not divide the width, cross-attention the weights lack, an untied head,
/// an end-of-text id outside the vocabulary, a dropout of 1, a model of 1.6 billion parameters,
/// another architecture), and GPT-2 small's real `config.json`, which describes another model
/// than the weights.
func writeGPT2ConfigSeeds(_ folder: SeedFolder) throws {
    try folder.write("tiny.json", TinyGPT2.configJSON)
    try folder.write("tiny-nulls.json", """
        {"n_embd": 8, "n_head": 2, "n_inner": null, "n_layer": 1, "n_positions": 16, "vocab_size": 20, \
        "bos_token_id": null, "eos_token_id": null, "activation_function": "gelu"}
        """)
    try folder.write("defaults.json", "{}")
    try folder.write("heads-3.json", #"{"n_embd": 8, "n_head": 3, "n_inner": 16, "n_layer": 1, "n_positions": 16, "vocab_size": 20}"#)
    try folder.write("cross.json", """
        {"n_embd": 8, "n_head": 2, "n_inner": 16, "n_layer": 1, "n_positions": 16, "vocab_size": 20, "add_cross_attention": true}
        """)
    try folder.write("untied.json", """
        {"n_embd": 8, "n_head": 2, "n_inner": 16, "n_layer": 1, "n_positions": 16, "vocab_size": 20, "tie_word_embeddings": false}
        """)
    try folder.write("eos-outside.json", """
        {"n_embd": 8, "n_head": 2, "n_inner": 16, "n_layer": 1, "n_positions": 16, "vocab_size": 20, "eos_token_id": 20}
        """)
    try folder.write("dropout-1.json", """
        {"n_embd": 8, "n_head": 2, "n_inner": 16, "n_layer": 1, "n_positions": 16, "vocab_size": 20, "resid_pdrop": 1}
        """)
    try folder.write("huge.json", #"{"n_embd": 4096, "n_head": 32, "n_layer": 8, "n_positions": 1024, "vocab_size": 50257}"#)
    try folder.write("bert.json", #"{"model_type": "bert", "n_embd": 8}"#)
    try folder.write("gpt2.json", """
        {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1, \
        "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02, \
        "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12, \
        "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": null, \
        "summary_first_dropout": 0.1, "summary_proj_to_labels": true, "summary_type": "cls_index", \
        "summary_use_proj": true, "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}}, \
        "vocab_size": 50257}
        """)
}
