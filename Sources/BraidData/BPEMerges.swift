import BraidTensor

/// The merge rules of a BPE model over symbol indices, and the merging of a word's symbols.
///
/// Each rule merges a pair of adjacent symbols into one; its rank is its position in
/// `merges.txt`, and lower ranks merge first. A pair listed twice keeps its last rank, as the
/// `tokenizers` library's map of merges does.
///
/// The rules sit in an open-addressing table keyed by the pair, so that the only work per pair
/// is one multiplicative hash and a probe or two.
package struct BPEMerges: Sendable {
    /// One rule: `left` followed by `right` becomes `merged`.
    package struct Rule: Sendable, Equatable {
        package var left: Int32
        package var right: Int32
        package var merged: Int32

        package init(left: Int32, right: Int32, merged: Int32) {
            self.left = left
            self.right = right
            self.merged = merged
        }
    }

    /// The value of a pair that no rule merges; every rule's packed value is smaller.
    package static var noRule: UInt64 { .max }

    /// Words of more symbols than this merge with a heap; shorter ones by scanning their pairs.
    package static var scanLimit: Int { 48 }

    /// Pair keys, `left << 32 | right`, or `emptyKey`; the table's size is a power of two.
    private let keys: [UInt64]
    /// For each key, `rank << 32 | merged`.
    private let values: [UInt64]
    /// The bits of a hash that pick a slot: 64 − log2(table size).
    private let shift: UInt64

    /// No pair has this key: symbol indices are below 2³¹.
    private static var emptyKey: UInt64 { .max }

    /// The number of distinct pairs.
    package let count: Int

    /// The table of `rules`, ranked by their position; of a pair given twice, the last counts.
    package init(_ rules: [Rule]) {
        var bits: UInt64 = 4
        while (1 << bits) < rules.count * 2 { bits += 1 }
        var keys = [UInt64](repeating: Self.emptyKey, count: 1 << bits)
        var values = [UInt64](repeating: 0, count: 1 << bits)
        var count = 0
        for (rank, rule) in rules.enumerated() {
            let key = Self.key(rule.left, rule.right)
            var slot = Self.slot(key, shift: 64 - bits)
            while keys[slot] != key && keys[slot] != Self.emptyKey { slot = (slot + 1) & (keys.count - 1) }
            if keys[slot] == Self.emptyKey { count += 1 }
            keys[slot] = key
            values[slot] = UInt64(rank) << 32 | UInt64(UInt32(rule.merged))
        }
        self.keys = keys
        self.values = values
        self.shift = 64 - bits
        self.count = count
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private static func slot(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The rule of the pair `left`, `right` as `rank << 32 | merged`, or `noRule`: comparing two
    /// such values compares the ranks.
    @inline(__always)
    package func rule(_ left: Int32, _ right: Int32) -> UInt64 {
        let key = Self.key(left, right)
        return keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(key, shift: shift)
            while true {
                let found = keys[slot]
                if found == key { return values[slot] }
                if found == Self.emptyKey { return Self.noRule }
                slot = (slot + 1) & (keys.count - 1)
            }
        }
    }

    /// Reusable buffers for `merge`, so that merging word after word allocates nothing.
    package struct Scratch {
        fileprivate var ranks: [UInt64] = []
        fileprivate var previous: [Int32] = []
        fileprivate var next: [Int32] = []
        fileprivate var heap: [UInt64] = []

        package init() {}
    }

    /// Merges the symbols of `symbols` in place as the `tokenizers` BPE model does
    /// (`Word::merge_all`, without dropout): while a rule applies to some adjacent pair, merge
    /// the pair of lowest rank, the leftmost of equal ones. Returns the number of symbols left,
    /// which are `symbols[..<count]`.
    package func merge(_ symbols: UnsafeMutableBufferPointer<Int32>, scratch: inout Scratch) -> Int {
        guard symbols.count > 1 else { return symbols.count }
        if symbols.count <= Self.scanLimit { return mergeByScanning(symbols, scratch: &scratch) }
        return mergeWithHeap(symbols, scratch: &scratch)
    }

    /// `symbols` merged, by scanning (`useHeap` false) or with the heap, whatever its length:
    /// for tests that compare the two.
    package func merged(_ symbols: [Int32], useHeap: Bool) -> [Int32] {
        var symbols = symbols
        var scratch = Scratch()
        let count = symbols.withUnsafeMutableBufferPointer { buffer in
            guard buffer.count > 1 else { return buffer.count }
            return useHeap ? mergeWithHeap(buffer, scratch: &scratch) : mergeByScanning(buffer, scratch: &scratch)
        }
        return Array(symbols.prefix(count))
    }

    /// `merge` for short words: the rank of every pair is kept beside it, the lowest found by
    /// a scan, and only the pairs beside a merge are looked up again.
    private func mergeByScanning(_ symbols: UnsafeMutableBufferPointer<Int32>, scratch: inout Scratch) -> Int {
        var count = symbols.count
        if scratch.ranks.count < count { scratch.ranks = [UInt64](repeating: 0, count: count) }
        return scratch.ranks.withUnsafeMutableBufferPointer { ranks in
            for i in 0..<(count - 1) { ranks[i] = rule(symbols[i], symbols[i + 1]) }
            while count > 1 {
                var best = Self.noRule
                var at = -1
                for i in 0..<(count - 1) where ranks[i] < best {
                    best = ranks[i]
                    at = i
                }
                guard at >= 0 else { break }
                symbols[at] = Int32(truncatingIfNeeded: best)
                // Remove the right symbol of the pair and the pair's rank.
                for i in (at + 1)..<(count - 1) { symbols[i] = symbols[i + 1] }
                for i in at..<(count - 2) { ranks[i] = ranks[i + 1] }
                count -= 1
                if at + 1 < count { ranks[at] = rule(symbols[at], symbols[at + 1]) }
                if at > 0 { ranks[at - 1] = rule(symbols[at - 1], symbols[at]) }
            }
            return count
        }
    }

    /// `merge` for long words, as `Word::merge_all` does it: a min-heap of (rank, position)
    /// over a linked list of symbols, whose entries are skipped when their pair has changed.
    private func mergeWithHeap(_ symbols: UnsafeMutableBufferPointer<Int32>, scratch: inout Scratch) -> Int {
        let count = symbols.count
        check(count < 1 << 32, "BPEMerges: a word of \(count) symbols is too long")
        scratch.previous.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        scratch.heap.removeAll(keepingCapacity: true)
        for i in 0..<count {
            scratch.previous.append(Int32(truncatingIfNeeded: i - 1))
            scratch.next.append(i + 1 < count ? Int32(truncatingIfNeeded: i + 1) : -1)
        }
        var heap = MinHeap(storage: scratch.heap)
        for i in 0..<(count - 1) {
            let found = rule(symbols[i], symbols[i + 1])
            if found != Self.noRule { heap.push(found & 0xFFFF_FFFF_0000_0000 | UInt64(i)) }
        }
        let removed: Int32 = -1
        while let top = heap.pop() {
            let position = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
            let nextPosition = Int(scratch.next[position])
            guard symbols[position] != removed, nextPosition >= 0 else { continue }
            let found = rule(symbols[position], symbols[nextPosition])
            // A stale entry: the pair at `position` has changed since it was pushed.
            guard found != Self.noRule, found >> 32 == top >> 32 else { continue }
            symbols[position] = Int32(truncatingIfNeeded: found)
            symbols[nextPosition] = removed
            let after = scratch.next[nextPosition]
            scratch.next[position] = after
            if after >= 0 { scratch.previous[Int(after)] = Int32(truncatingIfNeeded: position) }
            let before = Int(scratch.previous[position])
            if before >= 0 {
                let pair = rule(symbols[before], symbols[position])
                if pair != Self.noRule { heap.push(pair & 0xFFFF_FFFF_0000_0000 | UInt64(before)) }
            }
            if after >= 0 {
                let pair = rule(symbols[position], symbols[Int(after)])
                if pair != Self.noRule { heap.push(pair & 0xFFFF_FFFF_0000_0000 | UInt64(position)) }
            }
        }
        scratch.heap = heap.storage
        var kept = 0
        for i in 0..<count where symbols[i] != removed {
            symbols[kept] = symbols[i]
            kept += 1
        }
        return kept
    }
}

/// A binary min-heap of `UInt64` keys.
private struct MinHeap {
    var storage: [UInt64]

    mutating func push(_ key: UInt64) {
        storage.append(key)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        let top = storage[0]
        storage[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < storage.count else { break }
            let right = left + 1
            let child = right < storage.count && storage[right] < storage[left] ? right : left
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            parent = child
        }
        return top
    }
}
