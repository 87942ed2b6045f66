import BraidTensor

/// The keys and values one attention layer has computed so far, for decoding one token at a
/// time without recomputing the past (Hugging Face's `past_key_values` for one layer).
///
/// Keys `[B, H, N, D]` and values `[B, H, N, Dv]` live in buffers with room for `capacity`
/// positions, which grow geometrically as positions are appended, so appending is amortised
/// O(new positions). Each position may be padding (left-padded prompts of different lengths):
/// padded keys are never attended to. A cache is a value the caller holds and passes back to the
/// layer, so one model serves many sequences at once; a layer's cached call takes it `inout`,
/// which keeps its buffers uniquely owned and appended to in place.
///
/// A self-attention cache grows by one position per decoded token. A cross-attention cache holds
/// the projected memory (an encoder's output) and is filled once.
public struct KeyValueCache: Sendable {
    /// B, the number of sequences.
    public private(set) var batchSize: Int
    /// H, the number of heads.
    public let headCount: Int
    /// D, the width of a key per head.
    public let keyDepth: Int
    /// Dv, the width of a value per head.
    public let valueDepth: Int
    /// N, the number of cached positions.
    public private(set) var count = 0
    /// The positions the buffers hold room for.
    package private(set) var capacity: Int
    /// `[B, H, capacity, D]`; positions past `count` are unused.
    package private(set) var keys: [Float]
    /// `[B, H, capacity, Dv]`.
    package private(set) var values: [Float]
    /// `[B, capacity]`: 0 where a position is a real token, −inf where it is padding.
    package private(set) var keyBias: [Float]
    /// Whether any cached position is padding (so the bias must be applied).
    package private(set) var hasPadding = false

    /// An empty cache for `batchSize` sequences of `headCount` heads, with room for `capacity`
    /// positions before its buffers first grow.
    public init(batchSize: Int, headCount: Int, keyDepth: Int, valueDepth: Int, capacity: Int = 32) {
        check(
            batchSize > 0 && headCount > 0 && keyDepth > 0 && valueDepth > 0 && capacity > 0,
            "KeyValueCache: batch \(batchSize), heads \(headCount), depths \(keyDepth)/\(valueDepth) and capacity \(capacity) must be positive")
        self.batchSize = batchSize
        self.headCount = headCount
        self.keyDepth = keyDepth
        self.valueDepth = valueDepth
        self.capacity = capacity
        keys = [Float](repeating: 0, count: batchSize * headCount * capacity * keyDepth)
        values = [Float](repeating: 0, count: batchSize * headCount * capacity * valueDepth)
        keyBias = [Float](repeating: 0, count: batchSize * capacity)
    }

    /// Appends `n` positions: keys `[B, H, n, D]`, values `[B, H, n, Dv]`, and optionally a
    /// padding mask `[B, n]`, non-zero where a position is padding (PyTorch's `key_padding_mask`).
    public mutating func append(keys newKeys: Tensor, values newValues: Tensor, paddingMask: Tensor? = nil) {
        check(
            newKeys.rank == 4 && newValues.rank == 4 && newKeys.shape[2] == newValues.shape[2]
                && Array(newKeys.shape.prefix(2)) == [batchSize, headCount] && newKeys.shape[3] == keyDepth
                && Array(newValues.shape.prefix(2)) == [batchSize, headCount] && newValues.shape[3] == valueDepth,
            "KeyValueCache: keys \(newKeys.shape) and values \(newValues.shape) must be [\(batchSize), \(headCount), n, \(keyDepth)] and [\(batchSize), \(headCount), n, \(valueDepth)] for this cache")
        let n = newKeys.shape[2]
        if let paddingMask {
            check(
                paddingMask.shape == [batchSize, n],
                "KeyValueCache: padding mask \(paddingMask.shape) must be [B, n] = [\(batchSize), \(n)]")
        }
        reserve(count + n)
        let (start, capacity, rows) = (count, self.capacity, batchSize * headCount)
        func copyRows(_ source: Tensor, into buffer: inout [Float], width: Int) {
            source.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { buffer in
                    for row in 0..<rows {
                        let target = buffer.baseAddress! + (row * capacity + start) * width
                        target.update(from: source.baseAddress! + row * n * width, count: n * width)
                    }
                }
            }
        }
        copyRows(newKeys, into: &keys, width: keyDepth)
        copyRows(newValues, into: &values, width: valueDepth)
        if let paddingMask {
            for b in 0..<batchSize {
                for i in 0..<n where paddingMask[flat: b * n + i] != 0 {
                    keyBias[b * capacity + start + i] = -.infinity
                    hasPadding = true
                }
            }
        }
        count += n
    }

    /// Keeps the sequences `rows` of this cache, in that order, as the new batch: beam search
    /// reorders its beams with it, and `Array(repeating:)`-style expansion repeats a row. Every
    /// row must be in `0..<batchSize`.
    public mutating func selectRows(_ rows: [Int]) {
        check(!rows.isEmpty, "KeyValueCache.selectRows: no rows")
        for row in rows {
            check(row >= 0 && row < batchSize, "KeyValueCache.selectRows: row \(row) outside 0..<\(batchSize)")
        }
        func gather(_ buffer: [Float], rowSize: Int) -> [Float] {
            var result = [Float](repeating: 0, count: rows.count * rowSize)
            buffer.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { target in
                    for (i, row) in rows.enumerated() {
                        (target.baseAddress! + i * rowSize).update(from: source.baseAddress! + row * rowSize, count: rowSize)
                    }
                }
            }
            return result
        }
        keys = gather(keys, rowSize: headCount * capacity * keyDepth)
        values = gather(values, rowSize: headCount * capacity * valueDepth)
        keyBias = gather(keyBias, rowSize: capacity)
        batchSize = rows.count
    }

    /// Grows the buffers to hold at least `positions` positions (doubling), keeping their contents.
    private mutating func reserve(_ positions: Int) {
        guard positions > capacity else { return }
        var grown = capacity
        while grown < positions { grown *= 2 }
        let (old, rows) = (capacity, batchSize * headCount)
        func regrow(_ buffer: [Float], rows: Int, width: Int) -> [Float] {
            var result = [Float](repeating: 0, count: rows * grown * width)
            buffer.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { target in
                    for row in 0..<rows {
                        (target.baseAddress! + row * grown * width).update(
                            from: source.baseAddress! + row * old * width, count: count * width)
                    }
                }
            }
            return result
        }
        keys = regrow(keys, rows: rows, width: keyDepth)
        values = regrow(values, rows: rows, width: valueDepth)
        keyBias = regrow(keyBias, rows: batchSize, width: 1)
        capacity = grown
    }
}
