import FuzzSupport

/// Seeds of `fuzz-clip-config`: the tiny model's `config.json` and variants (defaults only,
/// sections that are `null` or not objects, a head count that does not divide the width, a
/// patch larger than the image, an end-of-text id outside the vocabulary and the legacy id 2,
/// another activation, a dropout of 1, a model of 4 billion parameters, another architecture).
func writeCLIPConfigSeeds(_ folder: SeedFolder) throws {
    try folder.write("tiny.json", TinyCLIP.configJSON)
    let text = #""hidden_size": 8, "intermediate_size": 16, "max_position_embeddings": 8, "num_attention_heads": 2, "num_hidden_layers": 1, "vocab_size": 20"#
    let vision = #""hidden_size": 8, "image_size": 8, "intermediate_size": 16, "num_attention_heads": 2, "num_hidden_layers": 1, "patch_size": 4"#
    func seed(_ name: String, text extraText: String = "", vision extraVision: String = "", top: String = "") throws {
        try folder.write(name, """
            {"projection_dim": 4\(top), "text_config": {\(text)\(extraText)}, "vision_config": {\(vision)\(extraVision)}}
            """)
    }
    try seed("tiny-short.json", text: #", "eos_token_id": 19, "bos_token_id": 18"#)
    try seed("legacy-eos.json", text: #", "eos_token_id": 2, "bos_token_id": 0, "hidden_act": "gelu""#)
    try seed("heads-3.json", vision: #", "num_attention_heads": 3"#)
    try seed("patch-9.json", vision: #", "patch_size": 9"#)
    try seed("eos-outside.json", text: #", "eos_token_id": 20"#)
    try seed("dropout-1.json", text: #", "attention_dropout": 1"#)
    try seed("relu.json", text: #", "hidden_act": "relu""#, vision: #", "hidden_act": "gelu_new", "layer_norm_eps": 1e-06"#)
    try seed("scale.json", text: #", "eos_token_id": 19"#, top: #", "logit_scale_init_value": 4.6052"#)
    try folder.write("defaults.json", "{}")
    try folder.write("null-sections.json", #"{"text_config": null, "vision_config": null}"#)
    try folder.write("array-section.json", #"{"text_config": [1, 2], "vision_config": "x"}"#)
    try folder.write("huge.json", #"{"text_config": {"hidden_size": 4096, "num_hidden_layers": 48, "num_attention_heads": 32}}"#)
    try folder.write("bert.json", #"{"model_type": "bert"}"#)
}
