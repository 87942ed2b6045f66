import BraidAttention
import BraidTensor

/// The renamings that give a `TransformerEncoder` under `prefix` of `layerCount` pre-norm layers
/// Hugging Face CLIP's names: `encoder.layer.<i>.attention.self.query` (BERT's, which
/// `TransformerEncoderLayer` carries) → `encoder.layers.<i>.self_attn.q_proj`, and likewise
/// `k_proj`, `v_proj`, `out_proj`, `layer_norm1`, `mlp.fc1`, `mlp.fc2`, `layer_norm2`.
func clipEncoderKeys(prefix: String, layerCount: Int) -> [String: String] {
    let names = [
        ("attention.self.query", "self_attn.q_proj"), ("attention.self.key", "self_attn.k_proj"),
        ("attention.self.value", "self_attn.v_proj"), ("attention.output.dense", "self_attn.out_proj"),
        ("attention.output.LayerNorm", "layer_norm1"), ("intermediate.dense", "mlp.fc1"), ("output.dense", "mlp.fc2"),
        ("output.LayerNorm", "layer_norm2"),
    ]
    return Dictionary(uniqueKeysWithValues: (0..<layerCount).flatMap { i in
        names.map { ("\(prefix).layer.\(i).\($0.0)", "\(prefix).layers.\(i).\($0.1)") }
    })
}

extension CLIPEncoderConfiguration {
    /// The encoder of either tower: `layerCount` pre-norm layers, dropout only on the attention
    /// weights, no final norm (each tower has its own).
    func makeEncoder(generator: inout RandomGenerator) -> TransformerEncoder {
        TransformerEncoder(count: layerCount, { layerGenerator in
            TransformerEncoderLayer(
                dimension: hiddenSize, headCount: headCount, feedForwardDimension: intermediateSize, dropout: 0,
                attentionWeightDropout: attentionDropout, activation: activation, normFirst: true,
                layerNormEpsilon: layerNormEpsilon, generator: &layerGenerator)
        }, generator: &generator)
    }
}
