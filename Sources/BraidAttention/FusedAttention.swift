@_spi(RawKernels) import BraidTensor
internal import CBraidKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Flash-style attention on the CPU.
///
/// Forward: for each (batch, head, query tile) the key tiles are visited in order; S = Q·Kᵀ·scale,
/// mask and causality are applied to the tile, an online softmax keeps each row's running
/// maximum and sum and rescales the output accumulated so far, and O += P·V. The row log-sum-exp
/// is saved. Both products run in `braid_attention_gemm`, which reads its operands in place (Kᵀ
/// is transposed and scaled once per head and worker), because sgemm would copy Q, K, P and V
/// into its panels for every tile; P·V falls back to sgemm for head widths not a multiple of 16. Backward: for each (batch, head), every key tile against every query tile
/// recomputes P from the log-sum-exp, then ∂V += Pᵀ·∂O, ∂P = ∂O·Vᵀ, ∂S = P∘(∂P − rowsum(∂O∘O)),
/// ∂Q += ∂S·K·scale and ∂K += ∂Sᵀ·Q·scale; the products with a transposed tile (∂V, ∂K) are sgemm,
/// the others `braid_attention_gemm` on the head's Kᵀ·scale and Vᵀ. Extra memory is a few tiles
/// and one head's keys and values per thread, never N×N.
enum FusedAttention {
    /// Tile sizes: query rows and keys per tile.
    struct Tiles: Sendable {
        var queries: Int
        var keys: Int

        /// Measured here (B4 H8 N2048 D64 forward): 256×512 gave 187–190 GFLOP/s; 128×512,
        /// 256×1024 and 512×256 gave 166–181 (the 512 KB score tile stays in L2).
        static let standard = Tiles(queries: 256, keys: 512)
    }

    /// What the backward pass needs: the output and the per-row log-sum-exp `[B·H·Nq]`.
    struct Forward: @unchecked Sendable {
        var output: Tensor
        var logSumExp: [Float]
    }

    /// The part of the problem a tile needs, with raw pointers for the tasks.
    private struct Operands: @unchecked Sendable {
        let query, key, value: UnsafePointer<Float>
        let mask: UnsafePointer<Float>?
    }

    static func forward(
        _ p: AttentionProblem, query: Tensor, key: Tensor, value: Tensor, tiles: Tiles = .standard
    ) -> Forward {
        let queryBlocks = (p.queries + tiles.queries - 1) / tiles.queries
        var logSumExp = [Float](repeating: 0, count: p.batch * p.heads * p.queries)
        let output = withOperands(p, query, key, value) { operands in
            Tensor(shape: [p.batch, p.heads, p.queries, p.valueDepth]) { out in
                logSumExp.withUnsafeMutableBufferPointer { lse in
                    let out = SharedPointer(out.baseAddress!), lse = SharedPointer(lse.baseAddress!)
                    Parallel.distribute(p.batch * p.heads * queryBlocks) { _, tasks in
                        let scratch = ForwardScratch(rows: min(tiles.queries, p.queries), cols: min(tiles.keys, p.keys),
                                                     keys: p.keys, depth: p.depth)
                        defer { scratch.deallocate() }
                        var transposedHead = -1
                        for task in tasks {
                            let head = task / queryBlocks
                            if head != transposedHead {
                                // A worker's tasks come in increasing order, so it transposes a head's keys
                                // once for all of its tasks of that head.
                                braid_attention_transpose_keys(
                                    operands.key + head * p.keys * p.depth, p.keys, p.depth, p.depth, p.scale, scratch.keysTransposed)
                                transposedHead = head
                            }
                            forwardTile(
                                p, operands, tiles, scratch, head: head,
                                firstQuery: task % queryBlocks * tiles.queries, output: out.address, logSumExp: lse.address)
                        }
                    }
                }
            }
        }
        return Forward(output: output, logSumExp: logSumExp)
    }

    /// One worker's buffers for forward tiles: the score tile, three per-row values, and the
    /// current head's keys transposed and scaled, `[D, Nk]` (the O(N·D) extra memory per thread).
    private struct ForwardScratch {
        let scores, rowMax, rowSum, correction, keysTransposed: UnsafeMutablePointer<Float>

        init(rows: Int, cols: Int, keys: Int, depth: Int) {
            scores = .allocate(capacity: rows * cols)
            rowMax = .allocate(capacity: rows)
            rowSum = .allocate(capacity: rows)
            correction = .allocate(capacity: rows)
            keysTransposed = .allocate(capacity: keys * depth)
        }

        func deallocate() {
            for buffer in [scores, rowMax, rowSum, correction, keysTransposed] { buffer.deallocate() }
        }
    }

    private static func forwardTile(
        _ p: AttentionProblem, _ operands: Operands, _ tiles: Tiles, _ scratch: ForwardScratch, head bh: Int,
        firstQuery q0: Int, output: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>
    ) {
        let (d, dv) = (p.depth, p.valueDepth)
        let rows = min(tiles.queries, p.queries - q0)
        let keyEnd = p.isCausal ? min(p.keys, q0 + rows) : p.keys
        let q = operands.query + (bh * p.queries + q0) * d
        let out = output + (bh * p.queries + q0) * dv
        let (scores, rowMax, rowSum, correction) = (scratch.scores, scratch.rowMax, scratch.rowSum, scratch.correction)
        rowMax.initialize(repeating: -.infinity, count: rows)
        rowSum.initialize(repeating: 0, count: rows)
        for k0 in stride(from: 0, to: keyEnd, by: tiles.keys) {
            let cols = min(tiles.keys, keyEnd - k0)
            braid_attention_gemm(q, rows, d, d, scratch.keysTransposed + k0, p.keys, cols, scores, cols, 0)
            applyMasks(p, operands, scores, head: bh, firstQuery: q0, rows: rows, firstKey: k0, cols: cols)
            braid_attention_online_softmax(scores, rows, cols, cols, rowMax, rowSum, correction)
            for r in 0..<rows where correction[r] != 1 {
                let row = out + r * dv, c = correction[r]
                for j in 0..<dv { row[j] *= c }
            }
            if let dropout = p.dropout {
                braid_attention_dropout(
                    scores, rows, cols, cols, dropout.seed, bh * p.queries + q0, k0, p.keys, dropout.probability)
            }
            // The first key tile overwrites the (uninitialised) output rows.
            let values = operands.value + (bh * p.keys + k0) * dv
            if dv % 16 == 0 {
                braid_attention_gemm(scores, rows, cols, cols, values, dv, dv, out, dv, k0 == 0 ? 0 : 1)
            } else {
                BLAS.gemm(
                    transposeA: false, transposeB: false, m: rows, n: dv, k: cols,
                    a: scores, lda: cols, b: values, ldb: dv, beta: k0 == 0 ? 0 : 1, c: out, ldc: dv)
            }
        }
        for r in 0..<rows {
            let sum = rowSum[r], row = out + r * dv
            let inverse: Float = sum > 0 ? 1 / sum : 0
            for j in 0..<dv { row[j] *= inverse }
            logSumExp[bh * p.queries + q0 + r] = sum > 0 ? rowMax[r] + logf(sum) : -.infinity
        }
    }

    static func backward(
        _ p: AttentionProblem, query: Tensor, key: Tensor, value: Tensor, forward: Forward, outputGradient: Tensor,
        tiles: Tiles = .standard
    ) -> AttentionGradients {
        let (d, dv) = (p.depth, p.valueDepth)
        var gradQuery = Tensor.zeros(query.shape), gradKey = Tensor.zeros(key.shape), gradValue = Tensor.zeros(value.shape)
        // rowsum(∂O ∘ O) per query row.
        let rowDot = (outputGradient * forward.output).sum(alongAxes: [3])
        withOperands(p, query, key, value) { operands in
            outputGradient.withUnsafeBufferPointer { g in
                rowDot.withUnsafeBufferPointer { rowDot in
                    forward.logSumExp.withUnsafeBufferPointer { lse in
                        gradQuery.withUnsafeMutableBufferPointer { dq in
                            gradKey.withUnsafeMutableBufferPointer { dk in
                                gradValue.withUnsafeMutableBufferPointer { dvBuffer in
                                    let inputs = BackwardInputs(
                                        outputGradient: g.baseAddress!, rowDot: rowDot.baseAddress!, logSumExp: lse.baseAddress!)
                                    let grads = BackwardOutputs(
                                        query: SharedPointer(dq.baseAddress!), key: SharedPointer(dk.baseAddress!),
                                        value: SharedPointer(dvBuffer.baseAddress!))
                                    Parallel.distribute(p.batch * p.heads) { _, heads in
                                        let scratch = BackwardScratch(
                                            tile: min(tiles.queries, p.queries) * min(tiles.keys, p.keys),
                                            dropout: p.dropout != nil, keys: p.keys, depth: d, valueDepth: dv)
                                        defer { scratch.deallocate() }
                                        for bh in heads {
                                            backwardHead(
                                                p, operands, tiles, scratch, inputs, grads, head: bh, depth: d, valueDepth: dv)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return AttentionGradients(query: gradQuery, key: gradKey, value: gradValue)
    }

    private struct BackwardInputs: @unchecked Sendable {
        let outputGradient, rowDot, logSumExp: UnsafePointer<Float>
    }

    private struct BackwardOutputs: Sendable {
        let query, key, value: SharedPointer<Float>
    }

    /// One worker's buffers for backward tiles: probabilities, their gradient, the dropped
    /// probabilities when there is dropout, and the head's Kᵀ·scale `[D, Nk]` and Vᵀ `[Dv, Nk]`.
    private struct BackwardScratch {
        let probabilities, gradScores, keysTransposed, valuesTransposed: UnsafeMutablePointer<Float>
        let dropped: UnsafeMutablePointer<Float>?

        init(tile: Int, dropout: Bool, keys: Int, depth: Int, valueDepth: Int) {
            probabilities = .allocate(capacity: tile)
            gradScores = .allocate(capacity: tile)
            keysTransposed = .allocate(capacity: keys * depth)
            valuesTransposed = .allocate(capacity: keys * valueDepth)
            dropped = dropout ? .allocate(capacity: tile) : nil
        }

        func deallocate() {
            for buffer in [probabilities, gradScores, keysTransposed, valuesTransposed] { buffer.deallocate() }
            dropped?.deallocate()
        }
    }

    private static func backwardHead(
        _ p: AttentionProblem, _ operands: Operands, _ tiles: Tiles, _ scratch: BackwardScratch,
        _ inputs: BackwardInputs, _ grads: BackwardOutputs, head bh: Int, depth d: Int, valueDepth dv: Int
    ) {
        let (probabilities, gradScores, dropped) = (scratch.probabilities, scratch.gradScores, scratch.dropped)
        let queryBase = bh * p.queries, keyBase = bh * p.keys
        braid_attention_transpose_keys(operands.key + keyBase * d, p.keys, d, d, p.scale, scratch.keysTransposed)
        braid_attention_transpose_keys(operands.value + keyBase * dv, p.keys, dv, dv, 1, scratch.valuesTransposed)
        for k0 in stride(from: 0, to: p.keys, by: tiles.keys) {
            let cols = min(tiles.keys, p.keys - k0)
            let k = operands.key + (keyBase + k0) * d
            let dk = grads.key.address + (keyBase + k0) * d, dvTile = grads.value.address + (keyBase + k0) * dv
            for q0 in stride(from: 0, to: p.queries, by: tiles.queries) {
                let rows = min(tiles.queries, p.queries - q0)
                if p.isCausal && k0 > q0 + rows - 1 { continue }
                let q = operands.query + (queryBase + q0) * d
                let g = inputs.outputGradient + (queryBase + q0) * dv
                braid_attention_gemm(q, rows, d, d, scratch.keysTransposed + k0, p.keys, cols, probabilities, cols, 0)
                applyMasks(p, operands, probabilities, head: bh, firstQuery: q0, rows: rows, firstKey: k0, cols: cols)
                braid_attention_probabilities(probabilities, rows, cols, cols, inputs.logSumExp + queryBase + q0)
                var weights = UnsafePointer(probabilities)
                if let dropout = p.dropout, let dropped {
                    dropped.update(from: probabilities, count: rows * cols)
                    braid_attention_dropout(
                        dropped, rows, cols, cols, dropout.seed, queryBase + q0, k0, p.keys, dropout.probability)
                    weights = UnsafePointer(dropped)
                }
                BLAS.gemm(  // ∂V += P̃ᵀ·∂O
                    transposeA: true, transposeB: false, m: cols, n: dv, k: rows,
                    a: weights, lda: cols, b: g, ldb: dv, beta: 1, c: dvTile, ldc: dv)
                // ∂P̃ = ∂O·Vᵀ
                braid_attention_gemm(g, rows, dv, dv, scratch.valuesTransposed + k0, p.keys, cols, gradScores, cols, 0)
                if let dropout = p.dropout {
                    braid_attention_dropout(
                        gradScores, rows, cols, cols, dropout.seed, queryBase + q0, k0, p.keys, dropout.probability)
                }
                // ∂S·scale, so that ∂Q += (∂S·scale)·K and ∂K += (∂S·scale)ᵀ·Q.
                braid_attention_score_gradient(
                    gradScores, probabilities, rows, cols, cols, inputs.rowDot + queryBase + q0, p.scale)
                let dq = grads.query.address + (queryBase + q0) * d
                if d % 16 == 0 {
                    braid_attention_gemm(gradScores, rows, cols, cols, k, d, d, dq, d, 1)
                } else {
                    BLAS.gemm(
                        transposeA: false, transposeB: false, m: rows, n: d, k: cols,
                        a: gradScores, lda: cols, b: k, ldb: d, beta: 1, c: dq, ldc: d)
                }
                BLAS.gemm(
                    transposeA: true, transposeB: false, m: cols, n: d, k: rows,
                    a: gradScores, lda: cols, b: q, ldb: d, beta: 1, c: dk, ldc: d)
            }
        }
    }

    /// Adds the resolved mask and the causal mask to a score tile.
    private static func applyMasks(
        _ p: AttentionProblem, _ operands: Operands, _ scores: UnsafeMutablePointer<Float>,
        head bh: Int, firstQuery q0: Int, rows: Int, firstKey k0: Int, cols: Int
    ) {
        if let mask = p.mask, let values = operands.mask {
            let offset = mask.offset(bh / p.heads, bh % p.heads, q0, k0)
            braid_attention_add_mask(scores, rows, cols, cols, values + offset, mask.strides[2], mask.strides[3])
        }
        if p.isCausal && k0 + cols - 1 > q0 {
            braid_attention_causal_mask(scores, rows, cols, cols, q0, k0)
        }
    }

    /// Calls `body` with raw pointers to the operands and the mask values.
    private static func withOperands<R>(
        _ p: AttentionProblem, _ query: Tensor, _ key: Tensor, _ value: Tensor, _ body: (Operands) -> R
    ) -> R {
        query.withUnsafeBufferPointer { q in
            key.withUnsafeBufferPointer { k in
                value.withUnsafeBufferPointer { v in
                    func run(_ mask: UnsafePointer<Float>?) -> R {
                        body(Operands(query: q.baseAddress!, key: k.baseAddress!, value: v.baseAddress!, mask: mask))
                    }
                    guard let mask = p.mask else { return run(nil) }
                    return mask.values.withUnsafeBufferPointer { run($0.baseAddress!) }
                }
            }
        }
    }
}
