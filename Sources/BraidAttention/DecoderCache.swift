import BraidTensor

/// Everything a decoder stack caches while it generates: one self-attention `KeyValueCache` per
/// layer, and, for a decoder that attends to a memory (an encoder's output), each layer's
/// projection of that memory, made once when the cache is made.
///
/// Like `KeyValueCache` it is a value the caller holds: the model reads and appends to it, and
/// beam search reorders it with `selectRows(_:)`.
public struct DecoderCache: Sendable {
    /// Each layer's self-attention keys and values.
    public package(set) var layers: [KeyValueCache]
    /// Each layer's projected memory, or empty for a decoder without cross-attention.
    public package(set) var memory: [KeyValueCache]
    /// For each sequence, the position its next real token takes: the number of real
    /// (non-padding) tokens so far, so that a left-padded prompt starts at position 0 as Hugging
    /// Face's `generate` numbers it. Advanced by `advancePositions(by:paddingMask:)`.
    public private(set) var nextPositions: [Int]

    /// A cache over `layers` and, optionally, one projected memory per layer.
    public init(layers: [KeyValueCache], memory: [KeyValueCache] = []) {
        check(!layers.isEmpty, "DecoderCache: no layers")
        check(
            memory.isEmpty || memory.count == layers.count,
            "DecoderCache: \(memory.count) projected memories for \(layers.count) layers")
        let batch = layers[0].batchSize
        check(
            (layers + memory).allSatisfy { $0.batchSize == batch },
            "DecoderCache: the layers' caches hold different batch sizes \((layers + memory).map(\.batchSize))")
        self.layers = layers
        self.memory = memory
        nextPositions = [Int](repeating: 0, count: batch)
    }

    /// B, the number of sequences.
    public var batchSize: Int { layers[0].batchSize }

    /// The number of positions decoded so far.
    public var count: Int { layers[0].count }

    /// Keeps sequences `rows`, in that order, in every layer's cache and memory (beam search's
    /// reordering; repeating a row expands a batch into beams).
    public mutating func selectRows(_ rows: [Int]) {
        for i in layers.indices { layers[i].selectRows(rows) }
        for i in memory.indices { memory[i].selectRows(rows) }
        nextPositions = rows.map { nextPositions[$0] }
    }

    /// The positions `[B, n]` of `n` new tokens, of which those where `paddingMask` `[B, n]` is
    /// non-zero are padding (position 0; they are never attended to), and advances
    /// `nextPositions` past the real ones. A model with position embeddings calls it once per
    /// step, before its layers append to the cache.
    public mutating func advancePositions(by n: Int, paddingMask: Tensor? = nil) -> IntTensor {
        if let paddingMask {
            check(
                paddingMask.shape == [batchSize, n],
                "DecoderCache: padding mask \(paddingMask.shape) must be [B, n] = [\(batchSize), \(n)]")
        }
        var positions = [Int](repeating: 0, count: batchSize * n)
        for b in 0..<batchSize {
            for i in 0..<n where paddingMask.map({ $0[flat: b * n + i] == 0 }) ?? true {
                positions[b * n + i] = nextPositions[b]
                nextPositions[b] += 1
            }
        }
        return IntTensor(shape: [batchSize, n], scalars: positions)
    }
}
