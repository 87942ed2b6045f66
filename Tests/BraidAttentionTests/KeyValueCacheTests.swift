import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// Incremental decoding with a `KeyValueCache` against the full-sequence forward it replaces.
@Suite struct KeyValueCacheTests {
    /// `cachedAttention` of the last `n` of `N` positions against the naive kernel with the same
    /// causal offset and padding, on both paths (decode kernel up to 16 queries, fused above).
    @Test(arguments: [(1, 1), (1, 9), (3, 9), (16, 40), (17, 17), (20, 45)])
    func cachedAttentionMatchesTheNaiveKernel(queries: Int, keys: Int) {
        let (batch, heads, depth) = (3, 2, 8)
        let q = randomTensor([batch, heads, queries, depth], seed: 1)
        let k = randomTensor([batch, heads, keys, depth], seed: 2)
        let v = randomTensor([batch, heads, keys, depth], seed: 3)
        // Row 1 pads its first 2 keys, row 2 its first (keys - 1): left padding.
        let padding = Tensor(shape: [batch, keys]) { m in
            for j in 0..<keys {
                m[keys + j] = j < min(2, keys - 1) ? 1 : 0
                m[2 * keys + j] = j < keys - 1 ? 1 : 0
            }
        }
        var cache = KeyValueCache(batchSize: batch, headCount: heads, keyDepth: depth, valueDepth: depth, capacity: 4)
        cache.append(keys: k, values: v, paddingMask: padding)
        let offset = keys - queries
        let causal = Tensor(shape: [1, 1, queries, keys]) { m in
            for i in 0..<queries { for j in 0..<keys { m[i * keys + j] = j > offset + i ? -.infinity : 0 } }
        }
        let expected = scaledDotProductAttention(
            query: Variable(q), key: Variable(k), value: Variable(v), mask: .additive(causal), keyPaddingMask: padding,
            kernel: .naive
        ).value
        expectClose(cachedAttention(query: q, cache: cache, isCausal: true), expected, relative: 1e-5, absolute: 1e-6)
        let unmasked = scaledDotProductAttention(
            query: Variable(q), key: Variable(k), value: Variable(v), keyPaddingMask: padding, kernel: .naive).value
        expectClose(cachedAttention(query: q, cache: cache, isCausal: false), unmasked, relative: 1e-5, absolute: 1e-6)
    }

    /// A decoder fed a left-padded prompt batch and then one position at a time for 64 steps:
    /// every step's output equals the matching rows of the full causal forward over the whole
    /// sequence so far, within 1e-5.
    @Test(arguments: [false, true])
    func incrementalDecodingEqualsTheFullForward(normFirst: Bool) {
        var generator = RandomGenerator(seed: 7)
        let decoder = TransformerDecoder(
            count: 2, finalNorm: normFirst ? LayerNorm(16) : nil,
            {
                TransformerDecoderLayer(
                    dimension: 16, headCount: 4, feedForwardDimension: 32, memoryDimension: 12, dropout: 0,
                    activation: .gelu, normFirst: normFirst, generator: &$0)
            }, generator: &generator)
        let (batch, promptLength, steps) = (3, 5, 64)
        let promptLengths = [5, 1, 3]
        let memory = Variable(randomTensor([batch, 4, 12], seed: 11))
        let memoryPadding = Tensor(shape: [batch, 4]) { $0[4 + 3] = 1; $0[8 + 2] = 1; $0[8 + 3] = 1 }
        let inputs = randomTensor([batch, promptLength + steps, 16], seed: 12)
        let padding = Tensor(shape: [batch, promptLength + steps]) { m in
            for (b, length) in promptLengths.enumerated() {
                for i in 0..<(promptLength - length) { m[b * (promptLength + steps) + i] = 1 }
            }
        }
        func columns(_ t: Tensor, _ range: Range<Int>) -> Tensor {
            t.sliced(axis: 1, start: range.lowerBound, end: range.upperBound)
        }
        withoutGradients {
            var cache = decoder.makeCache(memory: memory, memoryPaddingMask: memoryPadding, capacity: 2)
            var worst: Float = 0
            for step in 0...steps {
                let range = step == 0 ? 0..<promptLength : (promptLength + step - 1)..<(promptLength + step)
                let incremental = decoder(
                    Variable(columns(inputs, range)), paddingMask: columns(padding, range), cache: &cache
                ).value
                let full = decoder(
                    Variable(columns(inputs, 0..<range.upperBound)), memory: memory,
                    targetPaddingMask: columns(padding, 0..<range.upperBound), memoryPaddingMask: memoryPadding
                ).value
                let expected = columns(full, range)
                worst = max(worst, (incremental - expected).abs().max().scalar)
                expectClose(incremental, expected, relative: 1e-5, absolute: 1e-5, "step \(step)")
            }
            #expect(cache.count == promptLength + steps)
            #expect(worst < 1e-5)
        }
    }

    /// Reordering rows of a cache gives the cache of the reordered batch.
    @Test func selectRowsReordersAndRepeats() {
        let (k, v) = (randomTensor([3, 2, 5, 4], seed: 1), randomTensor([3, 2, 5, 4], seed: 2))
        let padding = Tensor(shape: [3, 5]) { $0[5] = 1 }
        var cache = KeyValueCache(batchSize: 3, headCount: 2, keyDepth: 4, valueDepth: 4, capacity: 8)
        cache.append(keys: k, values: v, paddingMask: padding)
        cache.selectRows([1, 1, 2, 0])
        let rows = [1, 1, 2, 0]
        func gathered(_ t: Tensor) -> Tensor { t.indexSelect(axis: 0, indices: rows) }
        var expected = KeyValueCache(batchSize: 4, headCount: 2, keyDepth: 4, valueDepth: 4, capacity: 8)
        expected.append(keys: gathered(k), values: gathered(v), paddingMask: gathered(padding))
        let q = randomTensor([4, 2, 2, 4], seed: 3)
        #expect(cache.batchSize == 4 && cache.count == 5)
        #expect(cachedAttention(query: q, cache: cache, isCausal: true) == cachedAttention(query: q, cache: expected, isCausal: true))
    }

    @Test func aCacheOfAnotherBatchSizeStopsWithBothSizes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var generator = RandomGenerator(seed: 0)
            let attention = MultiHeadAttention(embedDimension: 8, headCount: 2, generator: &generator)
            var cache = attention.makeCache(batchSize: 2)
            withoutGradients { _ = attention(Variable(Tensor.zeros([3, 1, 8])), cache: &cache) }
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("[3, 1, 8]") && message.contains("cache of 2 sequences"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var generator = RandomGenerator(seed: 0)
            let attention = MultiHeadAttention(embedDimension: 8, headCount: 2, generator: &generator)
            var cache = attention.makeCache(batchSize: 1)
            _ = attention(Variable(Tensor.zeros([1, 1, 8])), cache: &cache)
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("inference only"))
        }
    }
}
