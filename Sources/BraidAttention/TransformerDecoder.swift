import BraidAutograd
import BraidData
import BraidNN
import BraidTensor

/// A stack of `TransformerDecoderLayer`s with an optional final LayerNorm (`nn.TransformerDecoder`,
/// batch-first). Layers are named `layers.0`, `layers.1`, … and the final norm `norm`, as in PyTorch.
public final class TransformerDecoder: Module {
    /// The layers, applied in order.
    public let layers: [TransformerDecoderLayer]
    /// Applied after the last layer when present (usual with pre-norm layers).
    public let finalNorm: LayerNorm?

    /// A decoder of `layers` and an optional final norm.
    public init(layers: [TransformerDecoderLayer], finalNorm: LayerNorm? = nil) {
        check(!layers.isEmpty, "TransformerDecoder: no layers")
        self.layers = layers
        self.finalNorm = finalNorm
    }

    /// `count` independently initialised layers built by `makeLayer`.
    public convenience init(
        count: Int, finalNorm: LayerNorm? = nil, _ makeLayer: (inout RandomGenerator) -> TransformerDecoderLayer,
        generator: inout RandomGenerator
    ) {
        self.init(layers: (0..<count).map { _ in makeLayer(&generator) }, finalNorm: finalNorm)
    }

    /// `layers.<i>` and `norm`.
    public override var stateDictKeys: [String: String] { ["final_norm": "norm"] }

    /// The target `x` `[B, N, E]` through every layer, attending to `memory` `[B, M, E']` (row
    /// `memoryIndices[b]` of it for target row b, when given); see
    /// `TransformerDecoderLayer.callAsFunction(_:memory:memoryIndices:targetPaddingMask:memoryPaddingMask:targetMask:isCausal:)`.
    public func callAsFunction(
        _ x: Variable, memory: Variable, memoryIndices: [Int]? = nil, targetPaddingMask: Tensor? = nil,
        memoryPaddingMask: Tensor? = nil, targetMask: AttentionMask? = nil, isCausal: Bool = true
    ) -> Variable {
        let decoded = layerOutputs(
            x, memory: memory, memoryIndices: memoryIndices, targetPaddingMask: targetPaddingMask,
            memoryPaddingMask: memoryPaddingMask, targetMask: targetMask, isCausal: isCausal
        ).last!
        return finalNorm.map { $0(decoded) } ?? decoded
    }

    /// The output `[B, N, E]` of each layer in turn, the last before the final norm; the
    /// arguments are those of
    /// ``callAsFunction(_:memory:memoryIndices:targetPaddingMask:memoryPaddingMask:targetMask:isCausal:)``.
    /// For losses on an inner layer's states (a probe, an auxiliary head).
    public func layerOutputs(
        _ x: Variable, memory: Variable, memoryIndices: [Int]? = nil, targetPaddingMask: Tensor? = nil,
        memoryPaddingMask: Tensor? = nil, targetMask: AttentionMask? = nil, isCausal: Bool = true
    ) -> [Variable] {
        var outputs: [Variable] = []
        outputs.reserveCapacity(layers.count)
        for layer in layers {
            outputs.append(
                layer(outputs.last ?? x, memory: memory, memoryIndices: memoryIndices, targetPaddingMask: targetPaddingMask,
                      memoryPaddingMask: memoryPaddingMask, targetMask: targetMask, isCausal: isCausal))
        }
        return outputs
    }

    /// A cache for decoding `memory` `[B, M, E']`'s sequences (inference only): each layer's
    /// projection of the memory, made once here, and empty self-attention caches with room for
    /// `capacity` positions. `memoryPaddingMask` `[B, M]` is non-zero at padding.
    public func makeCache(memory: Variable, memoryPaddingMask: Tensor? = nil, capacity: Int = 32) -> DecoderCache {
        DecoderCache(
            layers: layers.map { $0.makeCache(batchSize: memory.shape[0], capacity: capacity) },
            memory: layers.map { $0.projectMemory(memory, paddingMask: memoryPaddingMask) })
    }

    /// `n` new target positions `x` `[B, n, E]` through every layer, appending to `cache`
    /// (inference only, inside `withoutGradients`); `paddingMask` `[B, n]` is non-zero at
    /// padding (a left-padded prompt). Equals the last `n` rows of the full causal forward.
    public func callAsFunction(_ x: Variable, paddingMask: Tensor? = nil, cache: inout DecoderCache) -> Variable {
        check(
            cache.layers.count == layers.count && cache.memory.count == layers.count,
            "TransformerDecoder: a cache of \(cache.layers.count) layers and \(cache.memory.count) memories for a decoder of \(layers.count) layers")
        var decoded = x
        for (i, layer) in layers.enumerated() {
            decoded = layer(decoded, memory: cache.memory[i], paddingMask: paddingMask, cache: &cache.layers[i])
        }
        return finalNorm.map { $0(decoded) } ?? decoded
    }

    /// Loads a PyTorch `nn.TransformerDecoder` state dict `values` (from `source`, named in errors),
    /// whose attention projections are packed in `in_proj_weight`/`in_proj_bias`; nothing
    /// changes on error.
    public func loadPyTorchStateDict(_ values: [String: Tensor], source: String) throws {
        try loadStateDict(MultiHeadAttention.unpackingInputProjections(values, source: source), source: source)
    }
}
