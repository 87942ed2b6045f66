import Foundation

// Row operations on next-token scores, in the precision Hugging Face's generate computes them.

/// The `k`-th largest of `values` (1-based), by partial selection.
package func kthLargest(_ values: [Float], _ k: Int) -> Float {
    var heap = Array(values.prefix(k)).sorted()  // ascending: heap[0] is the smallest of the top k
    for value in values.dropFirst(k) where value > heap[0] {
        // Insert in order, dropping the smallest; k is small next to the vocabulary.
        heap.removeFirst()
        let position = heap.firstIndex { $0 >= value } ?? heap.count
        heap.insert(value, at: position)
    }
    return heap[0]
}

/// softmax(x) in `Float`, shifted by the maximum; −∞ scores get 0.
package func softmax(_ x: [Float]) -> [Float] {
    let top = x.max() ?? 0
    guard top > -.infinity else { return [Float](repeating: 0, count: x.count) }
    var result = x.map { Float(exp(Double($0 - top))) }
    let sum = result.reduce(0, +)
    for i in result.indices { result[i] /= sum }
    return result
}

/// log softmax(x) in `Float` (x − max − log Σ e^(x − max), as PyTorch's `log_softmax`).
package func logSoftmax(_ x: [Float]) -> [Float] {
    let top = x.max() ?? 0
    guard top > -.infinity else { return x }
    var sum: Float = 0
    for value in x { sum += exp(value - top) }
    let shift = top + log(sum)
    return x.map { $0 - shift }
}

/// The index of the largest score, the first on ties (as `torch.argmax`).
package func argmax(_ x: [Float]) -> Int {
    var best = 0
    for i in x.indices where x[i] > x[best] { best = i }
    return best
}
