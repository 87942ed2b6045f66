import BraidTensor

/// One rank's part of a data set in data-parallel training (`DistributedSampler`'s `rank` and
/// `num_replicas`).
public struct DataShard: Sendable, Equatable {
    /// This rank, `0..<count`.
    public let rank: Int
    /// The number of ranks.
    public let count: Int

    /// Rank `rank` of `count`.
    public init(rank: Int, count: Int) {
        check(count > 0 && (0..<count).contains(rank), "DataShard: rank \(rank) of \(count) ranks")
        (self.rank, self.count) = (rank, count)
    }
}
