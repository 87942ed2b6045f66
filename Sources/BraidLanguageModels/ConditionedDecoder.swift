import BraidAttention
import BraidAutograd
import BraidGeneration
import BraidTensor

/// A ``CaptionDecoder`` bound to a batch of memories (one image's encoded features per
/// sequence): the `AutoregressiveModel` that `generate` and `beamSearch` drive to caption them.
///
/// ```swift
/// let model = captioner.conditioned(on: images)        // [B, 3, H, W] → B memories
/// let captions = try beamSearch(model, prompts: Array(repeating: [bos], count: B),
///                               configuration: .init(maxNewTokens: 20, stopTokens: [eos]))
/// ```
///
/// The prompts must be one per memory, in order; beam search's expansion of the batch into beams
/// reorders the projected memory with the rest of the cache.
public struct ConditionedDecoder: AutoregressiveModel {
    /// The decoder.
    public let decoder: CaptionDecoder
    /// The memories `[B, M, E]`, one per sequence.
    public let memory: Variable
    /// `[B, M]`, non-zero where a memory position is padding; `nil` when none is.
    public let memoryPaddingMask: Tensor?

    /// `decoder` attending to `memory` `[B, M, E]`.
    public init(decoder: CaptionDecoder, memory: Variable, memoryPaddingMask: Tensor? = nil) {
        check(
            memory.rank == 3 && memory.shape[2] == decoder.configuration.dimension,
            "ConditionedDecoder: memory \(memory.shape) must be [B, M, \(decoder.configuration.dimension)]")
        (self.decoder, self.memory, self.memoryPaddingMask) = (decoder, memory.detached(), memoryPaddingMask)
    }

    /// V.
    public var vocabularySize: Int { decoder.configuration.vocabularySize }
    /// The decoder's position table length.
    public var contextLength: Int? { decoder.configuration.contextLength }

    /// An empty cache over the projected memories; `batchSize` must be B, one sequence per memory.
    public func makeCache(batchSize: Int) -> DecoderCache {
        check(
            batchSize == memory.shape[0],
            "ConditionedDecoder: \(batchSize) sequences for \(memory.shape[0]) memories; give one prompt per memory")
        return decoder.makeCache(memory: memory, memoryPaddingMask: memoryPaddingMask)
    }

    /// The last new position's logits `[B, V]`.
    public func nextTokenLogits(_ tokens: IntTensor, paddingMask: Tensor?, cache: inout DecoderCache) -> Tensor {
        let logits = decoder(tokens, paddingMask: paddingMask, cache: &cache)
        let (batch, length) = (logits.shape[0], logits.shape[1])
        // [B, n, V] -> [B, V] (the last position of each row)
        let last = length == 1 ? logits : logits.sliced(axis: 1, start: length - 1, end: length)
        return last.value.reshaped(to: [batch, vocabularySize])
    }
}
