import BraidAutograd
import BraidData
import BraidNN
import BraidTensor

/// A transformer decoder layer over batch-first sequences (`nn.TransformerDecoderLayer` with
/// `batch_first=True`): causal self-attention over the target, cross-attention to a memory (an
/// encoder's output), and a feed-forward block.
///
/// Post-norm (PyTorch's default): x = LN₁(x + Dropout(SA(x))), x = LN₂(x + Dropout(CA(x, m))),
/// x = LN₃(x + Dropout(FF(x))). Pre-norm (`normFirst`): x = x + Dropout(SA(LN₁(x))),
/// x = x + Dropout(CA(LN₂(x), m)), x = x + Dropout(FF(LN₃(x))). FF(x) = W₂·Dropout(act(W₁·x)).
/// Defaults match PyTorch (ReLU, dropout 0.1, ε = 1e-5); unlike PyTorch, self-attention is
/// causal unless `isCausal: false` is passed.
///
/// Parameters carry `nn.TransformerDecoderLayer`'s names (`self_attn`, `multihead_attn`,
/// `linear1`, `linear2`, `norm1`…`norm3`), except that each attention keeps its query, key and
/// value projections separate (`self_attn.query.weight`, …) where PyTorch packs them into
/// `in_proj_weight`; `loadPyTorchStateDict(from:)` reads the packed form.
///
/// For decoding one token at a time, `callAsFunction(_:memory:paddingMask:cache:)` appends to a
/// `KeyValueCache` and attends to memory projected once by `projectMemory(_:paddingMask:)`.
public final class TransformerDecoderLayer: Module {
    /// Causal self-attention over the target.
    public let selfAttention: MultiHeadAttention
    /// Attention from the target to the memory.
    public let crossAttention: MultiHeadAttention
    /// W₁: `[F, E]`.
    public let intermediate: Linear
    /// W₂: `[E, F]`.
    public let output: Linear
    /// LN₁, around self-attention.
    public let selfAttentionNorm: LayerNorm
    /// LN₂, around cross-attention.
    public let crossAttentionNorm: LayerNorm
    /// LN₃, around the feed-forward block.
    public let outputNorm: LayerNorm
    /// The feed-forward activation.
    public let activation: TransformerActivation
    /// Whether the layer normalises before each block (pre-norm).
    public let normFirst: Bool
    let selfAttentionDropout: Dropout
    let crossAttentionDropout: Dropout
    let feedForwardDropout: Dropout
    let outputDropout: Dropout

    /// A layer of width `dimension` (E) with `headCount` heads, a feed-forward width of
    /// `feedForwardDimension` (F), and memory features of width `memoryDimension` (E when `nil`).
    public init(
        dimension: Int, headCount: Int, feedForwardDimension: Int = 2048, memoryDimension: Int? = nil,
        dropout: Float = 0.1, activation: TransformerActivation = .relu, normFirst: Bool = false,
        layerNormEpsilon: Float = 1e-5, generator: inout RandomGenerator
    ) {
        selfAttention = MultiHeadAttention(
            embedDimension: dimension, headCount: headCount, dropout: dropout, generator: &generator)
        crossAttention = MultiHeadAttention(
            embedDimension: dimension, headCount: headCount, keyDimension: memoryDimension,
            valueDimension: memoryDimension, dropout: dropout, generator: &generator)
        intermediate = Linear(inputFeatures: dimension, outputFeatures: feedForwardDimension, generator: &generator)
        output = Linear(inputFeatures: feedForwardDimension, outputFeatures: dimension, generator: &generator)
        selfAttentionNorm = LayerNorm(dimension, epsilon: layerNormEpsilon)
        crossAttentionNorm = LayerNorm(dimension, epsilon: layerNormEpsilon)
        outputNorm = LayerNorm(dimension, epsilon: layerNormEpsilon)
        self.activation = activation
        self.normFirst = normFirst
        let seed = generator.next()
        selfAttentionDropout = Dropout(probability: dropout, seed: seed)
        crossAttentionDropout = Dropout(probability: dropout, seed: seed &+ 1)
        feedForwardDropout = Dropout(probability: dropout, seed: seed &+ 2)
        outputDropout = Dropout(probability: dropout, seed: seed &+ 3)
    }

    /// The width E.
    public var dimension: Int { selfAttention.embedDimension }

    /// `nn.TransformerDecoderLayer`'s names.
    public override var stateDictKeys: [String: String] {
        [
            "self_attention": "self_attn", "self_attention.output": "self_attn.out_proj",
            "cross_attention": "multihead_attn", "cross_attention.output": "multihead_attn.out_proj",
            "intermediate": "linear1", "output": "linear2",
            "self_attention_norm": "norm1", "cross_attention_norm": "norm2", "output_norm": "norm3",
            "self_attention_dropout": "dropout1", "cross_attention_dropout": "dropout2",
            "output_dropout": "dropout3", "feed_forward_dropout": "dropout",
        ]
    }

    /// The layer applied to the target `x` `[B, N, E]` with `memory` `[B, M, memoryDimension]`.
    /// `targetPaddingMask` `[B, N]` and `memoryPaddingMask` `[B, M]` are non-zero at padding;
    /// `targetMask` is an extra mask on self-attention (PyTorch's `tgt_mask`). Gives `[B, N, E]`.
    /// With `memoryIndices`, target row b attends to memory row `memoryIndices[b]` of a memory
    /// `[B', M, memoryDimension]` (and `memoryPaddingMask` `[B', M]`), projected once however
    /// many target rows share it.
    public func callAsFunction(
        _ x: Variable, memory: Variable, memoryIndices: [Int]? = nil, targetPaddingMask: Tensor? = nil,
        memoryPaddingMask: Tensor? = nil, targetMask: AttentionMask? = nil, isCausal: Bool = true
    ) -> Variable {
        apply(
            x,
            selfAttend: {
                self.selfAttention($0, keyPaddingMask: targetPaddingMask, mask: targetMask, isCausal: isCausal)
            },
            crossAttend: {
                self.crossAttention(
                    query: $0, key: memory, value: memory, keyIndices: memoryIndices, keyPaddingMask: memoryPaddingMask)
            })
    }

    /// The layer applied to `n` new target positions `x` `[B, n, E]` during incremental decoding
    /// (inference only, inside `withoutGradients`): their self-attention keys and values are
    /// appended to `cache` (with `paddingMask` `[B, n]`, non-zero at padding) and they attend to
    /// `memory` from `projectMemory`. Equals the last `n` rows of the full causal forward.
    public func callAsFunction(
        _ x: Variable, memory: KeyValueCache, paddingMask: Tensor? = nil, cache: inout KeyValueCache
    ) -> Variable {
        // `apply` runs selfAttend exactly once, so the cache escapes the closure through a copy.
        var updated = cache
        let result = apply(
            x, selfAttend: { self.selfAttention($0, paddingMask: paddingMask, cache: &updated) },
            crossAttend: { self.crossAttention(query: $0, memory: memory) })
        cache = updated
        return result
    }

    /// An empty self-attention cache for `batchSize` sequences.
    public func makeCache(batchSize: Int, capacity: Int = 32) -> KeyValueCache {
        selfAttention.makeCache(batchSize: batchSize, capacity: capacity)
    }

    /// `memory` `[B, M, memoryDimension]` projected to this layer's cross-attention keys and
    /// values, once for a whole decoding; `paddingMask` `[B, M]` is non-zero at padding.
    public func projectMemory(_ memory: Variable, paddingMask: Tensor? = nil) -> KeyValueCache {
        crossAttention.projectMemory(memory, paddingMask: paddingMask)
    }

    /// Loads a PyTorch `nn.TransformerDecoderLayer` state dict `values` (from `source`, named in errors),
    /// whose attention projections are packed in `in_proj_weight`/`in_proj_bias`; nothing
    /// changes on error.
    public func loadPyTorchStateDict(_ values: [String: Tensor], source: String) throws {
        try loadStateDict(MultiHeadAttention.unpackingInputProjections(values, source: source), source: source)
    }

    private func apply(
        _ x: Variable, selfAttend: (Variable) -> Variable, crossAttend: (Variable) -> Variable
    ) -> Variable {
        if normFirst {
            let h = x + selfAttentionDropout(selfAttend(selfAttentionNorm(x)))
            let c = h + crossAttentionDropout(crossAttend(crossAttentionNorm(h)))
            return c + feedForward(outputNorm(c))
        }
        let h = selfAttentionNorm(x + selfAttentionDropout(selfAttend(x)))
        let c = crossAttentionNorm(h + crossAttentionDropout(crossAttend(h)))
        return outputNorm(c + feedForward(c))
    }

    private func feedForward(_ x: Variable) -> Variable {
        outputDropout(output(feedForwardDropout(activation(intermediate(x)))))
    }
}
