import BraidAutograd
import BraidData
import BraidTensor

extension TextEncoder {
    /// Pooled features `[N, D]` of `texts`, in their order, computed without gradients in batches of
    /// `batchSize` texts of similar length (sorted by token count, as sentence-transformers'
    /// `encode` does), so little compute goes to padding.
    public func embed(_ texts: [String], tokenizer: WordPieceTokenizer, batchSize: Int = 32) -> Tensor {
        check(batchSize > 0, "TextEncoder.embed: batch size \(batchSize) must be positive")
        let width = outputDimension
        let lengths = texts.map { tokenizer.encode($0, maxLength: configuration.maximumPositions).count }
        let order = texts.indices.sorted { lengths[$0] > lengths[$1] }
        var result = [Float](repeating: 0, count: texts.count * width)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let rows = Array(order[start..<min(start + batchSize, order.count)])
            let batch = tokenizer.encodeBatch(rows.map { texts[$0] }, maxLength: configuration.maximumPositions)
            let pooled = withoutGradients { encode(batch).pooled.value }
            for (k, row) in rows.enumerated() {
                result.replaceSubrange((row * width)..<((row + 1) * width), with: pooled.scalars[(k * width)..<((k + 1) * width)])
            }
        }
        return Tensor(shape: [texts.count, width], scalars: result)
    }
}
