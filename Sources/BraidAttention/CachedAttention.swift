@_spi(RawKernels) import BraidTensor
internal import CBraidKernels

/// softmax(Q·Kᵀ·scale + padding)·V of the newest queries over every position of `cache`: the
/// attention step of incremental decoding (inference only; no gradient).
///
/// - Parameters:
///   - query: `[B, H, n, D]`, the queries of the last `n` positions appended to a self-attention
///     cache, or any `n` queries against a cross-attention cache.
///   - cache: keys `[B, H, N, D]` and values `[B, H, N, Dv]` with their padding.
///   - isCausal: query i sits at position N − n + i and sees keys j ≤ N − n + i only (causal
///     self-attention, bottom-right aligned); `false` for cross-attention.
///   - scale: the score scale; 1/√D by default.
/// - Returns: `[B, H, n, Dv]`. A query that sees only padding gets zeros.
///
/// Up to `decodeQueryLimit` queries take a decode kernel that reads each cached key and value
/// once for all of a head's queries (a matrix–vector product would read them once per query);
/// longer blocks, such as a prompt, go to the fused flash-style kernel.
public func cachedAttention(query: Tensor, cache: KeyValueCache, isCausal: Bool, scale: Float? = nil) -> Tensor {
    check(
        query.rank == 4 && query.shape[0] == cache.batchSize && query.shape[1] == cache.headCount
            && query.shape[3] == cache.keyDepth,
        "cachedAttention: query \(query.shape) must be [B, H, n, D] = [\(cache.batchSize), \(cache.headCount), n, \(cache.keyDepth)] for this cache")
    let (batch, heads, queries, keys) = (query.shape[0], query.shape[1], query.shape[2], cache.count)
    check(queries > 0, "cachedAttention: no queries")
    check(
        !isCausal || queries <= keys,
        "cachedAttention: \(queries) causal queries but the cache holds only \(keys) positions; append the queries' keys first")
    let scale = scale ?? 1 / Float(cache.keyDepth).squareRoot()
    if queries > decodeQueryLimit && keys > 0 {
        return fusedCachedAttention(query: query, cache: cache, isCausal: isCausal, scale: scale)
    }
    let (d, dv, capacity) = (cache.keyDepth, cache.valueDepth, cache.capacity)
    let causalFirst = isCausal ? keys - queries : -1
    return Tensor(shape: [batch, heads, queries, dv]) { out in
        let out = SharedPointer(out.baseAddress!)
        query.withUnsafeBufferPointer { q in
            cache.keys.withUnsafeBufferPointer { k in
                cache.values.withUnsafeBufferPointer { v in
                    cache.keyBias.withUnsafeBufferPointer { bias in
                        let (q, k, v, bias) = (ReadPointer(q), ReadPointer(k), ReadPointer(v), ReadPointer(bias))
                        let hasPadding = cache.hasPadding
                        Parallel.distribute(batch * heads) { _, tasks in
                            let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, queries * keys))
                            defer { scores.deallocate() }
                            for bh in tasks {
                                braid_attention_decode(
                                    q.address + bh * queries * d, queries, d, k.address + bh * capacity * d,
                                    v.address + bh * capacity * dv, keys, dv,
                                    hasPadding ? bias.address + bh / heads * capacity : nil, causalFirst, scale, scores,
                                    out.address + bh * queries * dv)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The most queries per head that `cachedAttention` sends to the decode kernel.
let decodeQueryLimit = 16

/// Many queries (a prompt) against the cache: the cached keys and values copied out contiguously
/// and attended by the fused kernel, with the causal offset and the padding as masks.
private func fusedCachedAttention(query: Tensor, cache: KeyValueCache, isCausal: Bool, scale: Float) -> Tensor {
    let (batch, heads, queries, keys) = (query.shape[0], query.shape[1], query.shape[2], cache.count)
    func cached(_ buffer: [Float], width: Int) -> Tensor {
        // [B, H, capacity, width] -> [B, H, N, width]
        Tensor(shape: [batch, heads, keys, width]) { out in
            buffer.withUnsafeBufferPointer { source in
                for row in 0..<batch * heads {
                    (out.baseAddress! + row * keys * width).update(
                        from: source.baseAddress! + row * cache.capacity * width, count: keys * width)
                }
            }
        }
    }
    let offset = keys - queries
    var mask: AttentionMask? = nil
    if isCausal && offset > 0 {
        // [1, 1, n, N]: query i sees keys j <= offset + i.
        mask = .additive(Tensor(shape: [1, 1, queries, keys]) { m in
            for i in 0..<queries {
                for j in 0..<keys { m[i * keys + j] = j > offset + i ? -.infinity : 0 }
            }
        })
    }
    let padding = cache.hasPadding
        ? Tensor(shape: [batch, keys]) { m in
            for b in 0..<batch {
                for j in 0..<keys { m[b * keys + j] = cache.keyBias[b * cache.capacity + j] == 0 ? 0 : 1 }
            }
        }
        : nil
    let problem = AttentionProblem(
        query: query.shape, key: [batch, heads, keys, cache.keyDepth], value: [batch, heads, keys, cache.valueDepth],
        mask: mask, keyPaddingMask: padding, isCausal: isCausal && offset == 0, scale: scale, dropout: nil)
    return FusedAttention.forward(
        problem, query: query, key: cached(cache.keys, width: cache.keyDepth),
        value: cached(cache.values, width: cache.valueDepth)
    ).output
}
