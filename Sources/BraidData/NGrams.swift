import BraidTensor

/// The n-gram counts that the caption metrics share.
enum NGrams {
    /// For each order n in 1...`maximumOrder`, how often each n-gram (a run of n consecutive
    /// words) occurs in `words`; element n − 1 holds order n.
    static func counts(_ words: [String], maximumOrder: Int) -> [[ArraySlice<String>: Int]] {
        (1...maximumOrder).map { n in
            var counts: [ArraySlice<String>: Int] = [:]
            if words.count >= n {
                for start in 0...(words.count - n) { counts[words[start..<(start + n)], default: 0] += 1 }
            }
            return counts
        }
    }

    /// Checks what both metrics require of their arguments: one reference list per candidate,
    /// at least one reference for each, and a positive order.
    static func checkCorpus(_ metric: String, candidates: [[String]], references: [[[String]]], maximumOrder: Int) {
        check(maximumOrder > 0, "\(metric): maximumOrder must be positive, got \(maximumOrder)")
        check(candidates.count == references.count,
              "\(metric): \(candidates.count) candidates but \(references.count) reference lists")
        if let image = references.firstIndex(where: \.isEmpty) {
            checkFailed("\(metric): image \(image) has no reference captions")
        }
    }
}
