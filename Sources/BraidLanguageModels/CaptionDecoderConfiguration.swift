import BraidAttention
import BraidTensor

/// The shape of a ``CaptionDecoder``: a pre-norm transformer decoder over token ids that attends
/// to a memory of width E (an image encoder's projected features).
public struct CaptionDecoderConfiguration: Sendable, Equatable {
    /// V, the number of token ids.
    public var vocabularySize: Int
    /// E, the width of the tokens' features and of the memory.
    public var dimension: Int
    /// The number of decoder layers.
    public var layerCount: Int
    /// Attention heads per layer, a divisor of E.
    public var headCount: Int
    /// The feed-forward width F.
    public var feedForwardDimension: Int
    /// The most positions a caption may hold (the learned position table's rows), prompt included.
    public var contextLength: Int
    /// Dropout on the summed embeddings, the attention weights and each block's output.
    public var dropout: Float
    /// The feed-forward activation.
    public var activation: TransformerActivation
    /// Whether the output projection is the token embedding table (logits = h·Eᵀ).
    public var tiesEmbeddings: Bool

    /// A configuration; the defaults are a small decoder: E 128, 2 layers, 4 heads, F 512,
    /// dropout 0.1, GELU, tied embeddings.
    public init(
        vocabularySize: Int, dimension: Int = 128, layerCount: Int = 2, headCount: Int = 4, feedForwardDimension: Int = 512,
        contextLength: Int = 32, dropout: Float = 0.1, activation: TransformerActivation = .gelu, tiesEmbeddings: Bool = true
    ) {
        check(
            vocabularySize > 0 && dimension > 0 && layerCount > 0 && headCount > 0 && feedForwardDimension > 0 && contextLength > 0,
            "CaptionDecoderConfiguration: vocabulary \(vocabularySize), width \(dimension), \(layerCount) layers, \(headCount) heads, "
                + "feed-forward \(feedForwardDimension) and context \(contextLength) must all be positive")
        check(dimension % headCount == 0, "CaptionDecoderConfiguration: width \(dimension) is not a multiple of \(headCount) heads")
        check(dropout >= 0 && dropout < 1, "CaptionDecoderConfiguration: dropout \(dropout) outside [0, 1)")
        (self.vocabularySize, self.dimension, self.layerCount, self.headCount) = (vocabularySize, dimension, layerCount, headCount)
        (self.feedForwardDimension, self.contextLength, self.dropout) = (feedForwardDimension, contextLength, dropout)
        (self.activation, self.tiesEmbeddings) = (activation, tiesEmbeddings)
    }
}
