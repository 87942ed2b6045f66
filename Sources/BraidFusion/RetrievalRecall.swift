import BraidTensor

/// Recall@k for paired retrieval: query i's match is candidate i; candidates are ranked by cosine
/// similarity, and Recall@k is the fraction of queries whose match ranks among the top k.
///
/// `queries` is `[N, D]`, `candidates` `[M, D]` with M ≥ N (extra candidates are distractors).
/// The match's rank is the number of other candidates strictly more similar than it, so ties
/// resolve in the match's favour. Returns k → recall in [0, 1] for every requested k ≥ 1
/// (the text↔image R@1/5/10 of CLIP-style evaluation).
public func retrievalRecall(queries: Tensor, candidates: Tensor, k: [Int]) -> [Int: Float] {
    check(
        queries.rank == 2 && candidates.rank == 2 && queries.shape[1] == candidates.shape[1]
            && candidates.shape[0] >= queries.shape[0],
        "retrievalRecall: queries \(queries.shape) and candidates \(candidates.shape) must be [N, D] and [M, D] with M ≥ N")
    for value in k { check(value >= 1, "retrievalRecall: k = \(value) must be at least 1") }
    let n = queries.shape[0], m = candidates.shape[0]
    guard n > 0 else { return Dictionary(k.map { ($0, Float(0)) }, uniquingKeysWith: { a, _ in a }) }
    func normalized(_ x: Tensor) -> Tensor {
        x / Tensor.maximum((x * x).sum(alongAxes: [1], keepDims: true).sqrt(), Tensor.full([x.shape[0], 1], 1e-12))
    }
    let similarity = Tensor.matmul(normalized(queries), normalized(candidates), transposeB: true)  // [N, M]
    var ranks = [Int](repeating: 0, count: n)
    similarity.withUnsafeBufferPointer { s in
        for i in 0..<n {
            let row = s.baseAddress! + i * m
            let match = row[i]
            var better = 0
            for j in 0..<m where row[j] > match { better += 1 }
            ranks[i] = better
        }
    }
    return Dictionary(
        k.map { value in (value, Float(ranks.filter { $0 < value }.count) / Float(n)) }, uniquingKeysWith: { a, _ in a })
}
