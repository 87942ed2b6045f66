import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// One pre-norm GPT-2 transformer block (`GPT2Block`):
/// h = x + Attn(LN₁(x)); with cross-attention, h = h + CrossAttn(LN_cross(h), encoder states);
/// then h + MLP(LN₂(h)). Names as Hugging Face's: `ln_1`, `attn`, `ln_cross_attn`,
/// `crossattention`, `ln_2`, `mlp`.
public final class GPT2Block: Module {
    /// `ln_1`.
    public let attentionNorm: LayerNorm
    /// `attn`: causal self-attention.
    public let attention: GPT2Attention
    /// `ln_cross_attn`, with cross-attention only.
    public let crossAttentionNorm: LayerNorm?
    /// `crossattention`: attention to an encoder's states, when `add_cross_attention` is set.
    public let crossAttention: GPT2Attention?
    /// `ln_2`.
    public let feedForwardNorm: LayerNorm
    /// `mlp`.
    public let feedForward: GPT2MLP

    /// Block `layerIndex` of a model shaped by `configuration`.
    public init(_ configuration: GPT2Configuration, layerIndex: Int, generator: inout RandomGenerator) {
        let (e, epsilon) = (configuration.embeddingSize, configuration.layerNormEpsilon)
        attentionNorm = LayerNorm(e, epsilon: epsilon)
        attention = GPT2Attention(configuration, layerIndex: layerIndex, generator: &generator)
        if configuration.addsCrossAttention {
            crossAttentionNorm = LayerNorm(e, epsilon: epsilon)
            crossAttention = GPT2Attention(configuration, layerIndex: layerIndex, isCrossAttention: true, generator: &generator)
        } else {
            (crossAttentionNorm, crossAttention) = (nil, nil)
        }
        feedForwardNorm = LayerNorm(e, epsilon: epsilon)
        feedForward = GPT2MLP(configuration, generator: &generator)
    }

    /// Hugging Face's names.
    public override var stateDictKeys: [String: String] {
        ["attention_norm": "ln_1", "attention": "attn", "cross_attention_norm": "ln_cross_attn",
         "cross_attention": "crossattention", "feed_forward_norm": "ln_2", "feed_forward": "mlp"]
    }

    /// The block applied to `x` `[B, N, E]`; `paddingMask` `[B, N]` is non-zero at padding, and
    /// `encoderStates` `[B, M, E]` (with `encoderPaddingMask` `[B, M]`) is required exactly when
    /// the block has cross-attention.
    public func callAsFunction(
        _ x: Variable, paddingMask: Tensor? = nil, encoderStates: Variable? = nil, encoderPaddingMask: Tensor? = nil
    ) -> Variable {
        let h = x + attention(attentionNorm(x), paddingMask: paddingMask)
        return apply(h) { [self] in
            crossAttention!($0, encoderStates: encoderStates!, encoderPaddingMask: encoderPaddingMask)
        }
    }

    /// `n` new positions `x` `[B, n, E]` during incremental decoding (inference only), appending
    /// to the block's self-attention `cache` and attending to the encoder's projected `memory`
    /// (required exactly when the block has cross-attention).
    public func callAsFunction(
        _ x: Variable, paddingMask: Tensor? = nil, memory: KeyValueCache?, cache: inout KeyValueCache
    ) -> Variable {
        let h = x + attention(attentionNorm(x), paddingMask: paddingMask, cache: &cache)
        return apply(h) { [self] in crossAttention!($0, memory: memory!) }
    }

    /// Cross-attention (when the block has it) and the feed-forward block after self-attention.
    private func apply(_ h: Variable, crossAttend: (Variable) -> Variable) -> Variable {
        let c = crossAttentionNorm.map { h + crossAttend($0(h)) } ?? h
        return c + feedForward(feedForwardNorm(c))
    }
}
