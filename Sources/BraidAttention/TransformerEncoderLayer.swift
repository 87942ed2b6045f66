import BraidAutograd
import BraidNN
import BraidTensor

/// The feed-forward activation of a transformer layer.
public enum TransformerActivation: Sendable {
    /// max(0, x).
    case relu
    /// Exact GELU.
    case gelu
    /// GELU's tanh approximation.
    case geluTanh
    /// x·σ(1.702·x), CLIP's `quick_gelu`.
    case quickGelu

    /// The activation applied to `x`.
    public func callAsFunction(_ x: Variable) -> Variable {
        switch self {
        case .relu: x.relu()
        case .gelu: x.gelu()
        case .geluTanh: x.gelu(approximate: true)
        case .quickGelu: x.quickGelu()
        }
    }
}

/// A transformer encoder layer over batch-first sequences `[B, N, E]` (`nn.TransformerEncoderLayer`
/// with `batch_first=True`).
///
/// Post-norm (BERT, PyTorch's default): x = LN₁(x + Dropout(MHA(x))), x = LN₂(x + Dropout(FF(x))).
/// Pre-norm (`normFirst`): x = x + Dropout(MHA(LN₁(x))), x = x + Dropout(FF(LN₂(x))).
/// FF(x) = W₂·Dropout(act(W₁·x)). Parameters carry Hugging Face BERT's names:
/// `attention.self.{query,key,value}`, `attention.output.dense`, `attention.output.LayerNorm`,
/// `intermediate.dense`, `output.dense`, `output.LayerNorm`.
public final class TransformerEncoderLayer: Module {
    /// Self-attention.
    public let attention: MultiHeadAttention
    /// LN₁: after attention (post-norm) or before it (pre-norm).
    public let attentionNorm: LayerNorm
    /// W₁: `[F, E]`.
    public let intermediate: Linear
    /// W₂: `[E, F]`.
    public let output: Linear
    /// LN₂.
    public let outputNorm: LayerNorm
    /// The feed-forward activation.
    public let activation: TransformerActivation
    /// Whether the layer normalises before each block (pre-norm).
    public let normFirst: Bool
    let attentionDropout: Dropout
    let feedForwardDropout: Dropout
    let outputDropout: Dropout

    /// A layer of width `dimension` with `headCount` heads and a feed-forward width of
    /// `feedForwardDimension`; defaults match PyTorch (dropout 0.1, ε = 1e-5), with GELU as in BERT.
    /// `attentionWeightDropout` is the dropout on the attention weights (BERT's
    /// `attention_probs_dropout_prob`); it is `dropout` when `nil`, as in PyTorch.
    public init(
        dimension: Int, headCount: Int, feedForwardDimension: Int, dropout: Float = 0.1,
        attentionWeightDropout: Float? = nil,
        activation: TransformerActivation = .gelu, normFirst: Bool = false, layerNormEpsilon: Float = 1e-5,
        generator: inout RandomGenerator
    ) {
        attention = MultiHeadAttention(
            embedDimension: dimension, headCount: headCount, dropout: attentionWeightDropout ?? dropout,
            generator: &generator)
        attentionNorm = LayerNorm(dimension, epsilon: layerNormEpsilon)
        intermediate = Linear(inputFeatures: dimension, outputFeatures: feedForwardDimension, generator: &generator)
        output = Linear(inputFeatures: feedForwardDimension, outputFeatures: dimension, generator: &generator)
        outputNorm = LayerNorm(dimension, epsilon: layerNormEpsilon)
        self.activation = activation
        self.normFirst = normFirst
        let seed = generator.next()
        attentionDropout = Dropout(probability: dropout, seed: seed)
        feedForwardDropout = Dropout(probability: dropout, seed: seed &+ 1)
        outputDropout = Dropout(probability: dropout, seed: seed &+ 2)
    }

    /// The sub-layers in BERT's nesting.
    public override var stateDictKeys: [String: String] {
        [
            "attention.query": "attention.self.query", "attention.key": "attention.self.key",
            "attention.value": "attention.self.value", "attention.output": "attention.output.dense",
            "attention_norm": "attention.output.LayerNorm", "attention_dropout": "attention.output.dropout",
            "intermediate": "intermediate.dense", "feed_forward_dropout": "intermediate.dropout",
            "output": "output.dense", "output_norm": "output.LayerNorm", "output_dropout": "output.dropout",
        ]
    }

    /// The layer applied to `x` `[B, N, E]`; `keyPaddingMask` `[B, N]` is non-zero at padding positions.
    public func callAsFunction(
        _ x: Variable, keyPaddingMask: Tensor? = nil, mask: AttentionMask? = nil, isCausal: Bool = false
    ) -> Variable {
        if let y = inferenceOutput(x, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal) { return y }
        func attend(_ y: Variable) -> Variable {
            attentionDropout(attention(y, keyPaddingMask: keyPaddingMask, mask: mask, isCausal: isCausal))
        }
        if normFirst {
            let h = x + attend(attentionNorm(x))
            return h + feedForward(outputNorm(h))
        }
        let h = attentionNorm(x + attend(x))
        return outputNorm(h + feedForward(h))
    }

    private func feedForward(_ x: Variable) -> Variable {
        outputDropout(output(feedForwardDropout(activation(intermediate(x)))))
    }
}
