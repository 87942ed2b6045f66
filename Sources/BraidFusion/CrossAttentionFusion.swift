import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// Pairwise cross-modal attention in the style of MulT (Tsai et al. 2019, "Multimodal Transformer
/// for Unaligned Multimodal Language Sequences"), one layer per ordered pair.
///
/// Each modality's sequence `[B, T_m, D_m]` is projected to the common width E by
/// `Linear(D_m → E)`: x_m. For every ordered pair (target t, source s), t ≠ s, in sorted name
/// order (t outer, s inner), the target's tokens attend to the source's:
/// y_{t←s} = LayerNorm(x_t + MHA(query: x_t, key: x_s, value: x_s, keyPaddingMask: mask_s)),
/// then y_{t←s} is mean-pooled over the target's real (non-padding) tokens to `[B, E]`.
/// The output concatenates all M(M−1) pooled vectors: `[B, M(M−1)·E]`. Padding masks are
/// `EncodedFeatures.paddingMask` (`[B, T]`, non-zero at padding; `nil` = none); a target row
/// with no real tokens pools to 0.
public final class CrossAttentionFusion: Module, FusionHead {
    /// The modality names, sorted.
    public let modalityNames: [String]
    /// Feature width D_m per modality.
    public let modalityWidths: [String: Int]
    /// Per-modality projections `Linear(D_m → E)` in sorted order.
    public let projections: [Linear]
    /// The ordered (target, source) pairs, in the order of their output blocks.
    public let pairs: [(target: String, source: String)]
    /// One attention layer per pair, in `pairs` order.
    public let attentions: [MultiHeadAttention]
    /// One post-residual LayerNorm(E) per pair, in `pairs` order.
    public let norms: [LayerNorm]

    /// A head over `modalities` (name → D_m, at least two) with common width `dimension` (E,
    /// divisible by `headCount`, default 1 head) and attention `dropout` (default 0).
    public init(
        modalities: [String: Int], dimension: Int, headCount: Int = 1, dropout: Float = 0,
        generator: inout RandomGenerator
    ) {
        modalityNames = checkedWidths(modalities, head: "CrossAttentionFusion", minimum: 2)
        check(dimension > 0, "CrossAttentionFusion: dimension \(dimension) must be positive")
        modalityWidths = modalities
        projections = perModalityLinears(modalityNames, widths: modalities, outputWidth: dimension, generator: &generator)
        var pairs: [(target: String, source: String)] = []
        var attentions: [MultiHeadAttention] = []
        var norms: [LayerNorm] = []
        for target in modalityNames {
            for source in modalityNames where source != target {
                pairs.append((target, source))
                attentions.append(MultiHeadAttention(
                    embedDimension: dimension, headCount: headCount, dropout: dropout, generator: &generator))
                norms.append(LayerNorm(dimension))
            }
        }
        self.pairs = pairs
        self.attentions = attentions
        self.norms = norms
    }

    /// The common width E.
    public var dimension: Int { projections[0].outputFeatures }
    /// M(M−1)·E.
    public var outputDimension: Int { pairs.count * dimension }

    /// `projections.<name>`, `attentions.<target>_<source>` and `norms.<target>_<source>`.
    public override var stateDictKeys: [String: String] {
        let pairNames = pairs.map { "\($0.target)_\($0.source)" }
        return keysNaming("projections", by: modalityNames)
            .merging(keysNaming("attentions", by: pairNames)) { $1 }
            .merging(keysNaming("norms", by: pairNames)) { $1 }
    }

    /// The concatenated pooled cross-attention outputs `[B, M(M−1)·E]`.
    public func callAsFunction(_ features: [String: EncodedFeatures]) throws(FusionError) -> Variable {
        try FusionError.check(head: headName, expected: modalityNames, given: features.keys)
        var projected: [String: Variable] = [:]
        var realTokens: [String: (weights: Variable, counts: Variable)] = [:]
        var reference: (name: String, shape: [Int])? = nil
        for (name, projection) in zip(modalityNames, projections) {
            let feature = features[name]!
            let sequence = feature.sequence
            let width = modalityWidths[name]!
            check(
                sequence.rank == 3 && sequence.shape[2] == width,
                "CrossAttentionFusion: modality \"\(name)\" sequence \(sequence.shape) does not match the expected shape [B, T, \(width)]")
            let (batch, length) = (sequence.shape[0], sequence.shape[1])
            if let reference {
                check(
                    batch == reference.shape[0],
                    "CrossAttentionFusion: modality \"\(name)\" sequence \(sequence.shape) and modality \"\(reference.name)\" \(reference.shape) have different batch sizes")
            } else {
                reference = (name, sequence.shape)
            }
            var real = Tensor.ones([batch, length])
            if let mask = feature.paddingMask {
                check(
                    mask.shape == [batch, length],
                    "CrossAttentionFusion: modality \"\(name)\" padding mask \(mask.shape) does not match its sequence \(sequence.shape) (expected [\(batch), \(length)])")
                real = mask .== Tensor.zeros([batch, length])
            }
            let counts = Tensor.maximum(real.sum(alongAxes: [1], keepDims: true), Tensor.ones([batch, 1]))
            realTokens[name] = (Variable(real.reshaped(to: [batch, length, 1])), Variable(counts))
            projected[name] = projection(sequence)
        }
        var pooled: [Variable] = []
        for ((pair, attention), norm) in zip(zip(pairs, attentions), norms) {
            let query = projected[pair.target]!, keys = projected[pair.source]!
            let attended = attention(
                query: query, key: keys, value: keys, keyPaddingMask: features[pair.source]!.paddingMask)
            let y = norm(query + attended)
            let (weights, counts) = realTokens[pair.target]!
            pooled.append((y * weights).sum(alongAxes: [1]) / counts)
        }
        return Variable.concat(pooled, axis: 1)
    }
}
