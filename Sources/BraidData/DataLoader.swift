import BraidTensor

/// Batches of sample indices `0..<count` for one pass over a data set, reshuffled each epoch.
///
/// Iterating the loader (a `for` loop, `map`, `Array(loader)`) is one epoch: it yields arrays of
/// `batchSize` indices, the last one shorter unless `dropLast` drops it. With `shuffle` each epoch
/// starts by drawing a fresh permutation from `generator`, so successive epochs differ while the
/// whole run follows from the seed; without it the indices come in order and the generator is
/// untouched. Select a batch's rows with `tensor.indexSelect(axis: 0, indices: batch)`.
///
/// The generator is state that iterating advances, so copies of a loader share it (as copies of a
/// PyTorch `DataLoader` share its sampler): an epoch run through any copy moves every copy to the
/// next permutation. Save `generator` in a checkpoint and assign it back to resume with the same
/// next epoch. The PyTorch equivalent is `DataLoader(range(count), batch_size, shuffle, drop_last,
/// generator=...)`, yielding index batches rather than collated samples.
///
/// With a ``DataShard`` the loader is one rank's part of data-parallel training, with PyTorch
/// `DistributedSampler`'s semantics: every rank draws the same permutation (the same seed on
/// every rank), pads it by repeating its start until it divides by the ranks, and takes every
/// `shard.count`-th index from its rank on, so each rank has the same number of samples and
/// together they cover the data set once per epoch (less a short last batch with `dropLast`).
public struct DataLoader: Sequence {
    /// Holds the generator that the non-mutating `makeIterator()` advances.
    private final class State {
        var generator: RandomGenerator
        init(_ generator: RandomGenerator) { self.generator = generator }
    }

    /// The number of samples; the loader yields indices `0..<count`.
    public let count: Int
    /// The number of indices in each batch but possibly the last.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a new random order.
    public let shuffle: Bool
    /// Whether an epoch leaves out the last batch when it is shorter than `batchSize`.
    public let dropLast: Bool
    /// This rank's part of the data set, or `nil` for all of it.
    public let shard: DataShard?
    private let state: State

    /// The generator the next epoch's permutation is drawn from. Reading it gives the state to
    /// save in a checkpoint; assigning a saved state makes the next epoch repeat the one that
    /// followed the save. Shared by copies of this loader.
    public var generator: RandomGenerator {
        get { state.generator }
        nonmutating set { state.generator = newValue }
    }

    /// A loader over `count` samples (or `shard`'s part of them) in batches of `batchSize`,
    /// shuffling from `generator`.
    public init(
        count: Int, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, shard: DataShard? = nil,
        generator: RandomGenerator
    ) {
        check(count >= 0, "DataLoader: count must not be negative, got \(count)")
        check(batchSize > 0, "DataLoader: batchSize must be positive, got \(batchSize)")
        check(shard == nil || count > 0, "DataLoader: a shard of an empty data set")
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.shard = shard
        self.state = State(generator)
    }

    /// A loader over `count` samples (or `shard`'s part of them) in batches of `batchSize`,
    /// shuffling from a generator seeded with `seed`.
    public init(count: Int, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, shard: DataShard? = nil, seed: UInt64) {
        self.init(count: count, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, shard: shard,
                  generator: RandomGenerator(seed: seed))
    }

    /// The number of samples of one epoch on this rank: `count`, or with a shard `count` over the
    /// ranks rounded up (`len(DistributedSampler)`).
    public var sampleCount: Int {
        guard let shard else { return count }
        return count / shard.count + (count % shard.count == 0 ? 0 : 1)
    }

    /// The number of batches in one epoch (`len(loader)` in PyTorch).
    public var batchCount: Int {
        // Not (count + batchSize - 1) / batchSize, which overflows for a batch size near Int.max.
        sampleCount / batchSize + (dropLast || sampleCount % batchSize == 0 ? 0 : 1)
    }

    /// The batches of one epoch. Starting an epoch draws its permutation at once, so the
    /// generator has moved on to the next epoch before the first batch is read.
    public struct Iterator: IteratorProtocol {
        private let order: [Int]
        private let batchSize: Int
        private let end: Int
        private var position = 0

        fileprivate init(order: [Int], batchSize: Int, end: Int) {
            self.order = order
            self.batchSize = batchSize
            self.end = end
        }

        /// The next batch of indices, or nil at the end of the epoch.
        public mutating func next() -> [Int]? {
            guard position < end else { return nil }
            let stop = end - position > batchSize ? position + batchSize : end
            defer { position = stop }
            return Array(order[position..<stop])
        }
    }

    /// Starts an epoch, drawing its order from `generator` when `shuffle` is set.
    public func makeIterator() -> Iterator {
        var order = Array(0..<count)
        if shuffle { Self.shuffle(&order, using: &state.generator) }
        if let shard {
            let samples = sampleCount
            order = (0..<samples).map { order[(shard.rank + $0 * shard.count) % count] }
        }
        return Iterator(order: order, batchSize: batchSize, end: dropLast ? batchCount * batchSize : order.count)
    }

    /// The number of batches in one epoch; lets `Array(loader)` reserve once.
    public var underestimatedCount: Int { batchCount }

    /// Fisher–Yates with unbiased bounded draws (Lemire's multiply-and-reject), spelled out
    /// rather than `Array.shuffle(using:)`, whose algorithm the standard library may change, so
    /// that an order depends only on the seed.
    private static func shuffle(_ order: inout [Int], using generator: inout RandomGenerator) {
        guard order.count > 1 else { return }
        order.withUnsafeMutableBufferPointer { buffer in
            for i in stride(from: buffer.count - 1, to: 0, by: -1) {
                buffer.swapAt(i, Int(uniform(below: UInt64(i + 1), using: &generator)))
            }
        }
    }

    /// A uniform integer in `0..<bound`.
    private static func uniform(below bound: UInt64, using generator: inout RandomGenerator) -> UInt64 {
        var product = generator.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }
}
