import BraidAutograd
import BraidTensor

/// The gradients of embedding tables, averaged over the ranks as the rows a pass touched: a batch
/// of a few hundred tokens touches a few hundred of MiniLM's 30,522 rows, so gathering those moves
/// well under 1% of the 47 MB a dense all-reduce would.
extension DistributedDataParallel {
    /// Whether parameter `index` is an embedding table (in no bucket).
    func isEmbeddingTable(_ index: Int) -> Bool { embeddingTables.contains(index) }

    /// Averages every embedding table's gradient over the ranks: the rows any rank touched (a
    /// row with a nonzero gradient) get the mean of the ranks' rows, in rank order; the others stay
    /// zero, as they are on every rank. A table none used (`used`, by parameter) keeps no
    /// gradient. Where the touched rows of the busiest rank, gathered from every rank with their
    /// ids, would outweigh the table, it is all-reduced whole instead.
    func synchronizeEmbeddingTables(used: [Int]) throws(DistributedError) {
        let tables = embeddingTables.filter { used[$0] != 0 }
        guard !tables.isEmpty else { return }
        for index in tables where parameters[index].grad == nil { parameters[index].grad = Tensor.zeros(parameters[index].shape) }
        let touched = tables.map { touchedRows(parameters[$0].grad!) }
        var most = touched.map(\.count)
        try group.allReduce(&most, .maximum)
        for (position, index) in tables.enumerated() {
            let (rows, width) = (parameters[index].shape[0], parameters[index].value.count / max(parameters[index].shape[0], 1))
            // Each gathered row costs its values and its id (an Int: two Floats' worth).
            if most[position] * group.size * (width + 2) >= rows * width {
                try group.allReduce(&parameters[index].grad!, .average)
            } else {
                try averageRows(of: index, touched: touched[position], padding: most[position], width: width)
            }
        }
    }

    /// The rows of `gradient` (`[rows, …]`) with a nonzero element. Each row's bits, sign left
    /// out, are or-ed together without stopping early, which vectorises: the scan of MiniLM's
    /// 47 MB table runs at memory speed.
    private func touchedRows(_ gradient: Tensor) -> [Int] {
        let rows = gradient.shape[0], width = gradient.count / max(rows, 1)
        var touched: [Int] = []
        gradient.withUnsafeBufferPointer { values in
            values.withMemoryRebound(to: UInt32.self) { bits in
                for row in 0..<rows {
                    var any: UInt32 = 0
                    for j in row * width..<(row + 1) * width { any |= bits[j] & 0x7fff_ffff }
                    if any != 0 { touched.append(row) }
                }
            }
        }
        return touched
    }

    /// Gathers every rank's touched rows (padded to `padding` with id −1) and writes their mean
    /// into parameter `index`'s gradient.
    private func averageRows(of index: Int, touched: [Int], padding: Int, width: Int) throws(DistributedError) {
        let ids = try group.allGather(touched + [Int](repeating: -1, count: padding - touched.count))
        var values = [Float](repeating: 0, count: padding * width)
        parameters[index].grad!.withUnsafeBufferPointer { g in
            for (slot, row) in touched.enumerated() {
                for j in 0..<width { values[slot * width + j] = g[row * width + j] }
            }
        }
        let gathered = try group.allGather(values)
        let ranks = Float(group.size)
        parameters[index].grad!.withUnsafeMutableBufferPointer { g in
            for row in ids where row >= 0 {
                for j in 0..<width { g[row * width + j] = 0 }
            }
            for (slot, row) in ids.enumerated() where row >= 0 {
                for j in 0..<width { g[row * width + j] += gathered[slot * width + j] }
            }
            for row in Set(ids) where row >= 0 {
                for j in 0..<width { g[row * width + j] /= ranks }
            }
        }
    }
}
