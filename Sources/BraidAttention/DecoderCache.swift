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
    }
}
