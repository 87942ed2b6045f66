import BraidAttention
import BraidTensor

/// A model that predicts the next token from the tokens so far, keeping what it has computed in
/// a cache between steps: the interface every decoding strategy drives (a GPT-2 language model,
/// or an image-conditioned caption decoder).
///
/// A strategy makes one cache per batch, feeds the whole (left-padded) prompt once, then one new
/// token per sequence per step; beam search reorders the cache's rows as beams are kept.
public protocol AutoregressiveModel {
    /// What the model keeps between steps.
    associatedtype Cache: GenerationCache

    /// V, the number of token ids; every id fed to the model is in `0..<vocabularySize`.
    var vocabularySize: Int { get }
    /// The most positions a sequence may hold (GPT-2's `n_positions`), or `nil` for no limit.
    var contextLength: Int? { get }

    /// An empty cache for `batchSize` sequences.
    func makeCache(batchSize: Int) -> Cache

    /// Appends `tokens` `[B, n]` to the cached sequences and gives the logits `[B, V]` that the
    /// last of them assigns to the next token. `paddingMask` `[B, n]` is non-zero where a token
    /// is padding (the start of a left-padded prompt), which later positions never attend to.
    /// Inference only: strategies call it inside `withoutGradients`.
    func nextTokenLogits(_ tokens: IntTensor, paddingMask: Tensor?, cache: inout Cache) -> Tensor
}

/// What a decoding strategy needs of a model's cache.
public protocol GenerationCache {
    /// B, the number of sequences.
    var batchSize: Int { get }
    /// The number of positions fed so far, padding included.
    var count: Int { get }
    /// Keeps sequences `rows`, in that order (beam search's reordering and expansion).
    mutating func selectRows(_ rows: [Int])
}

extension DecoderCache: GenerationCache {}
