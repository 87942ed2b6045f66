import BraidAutograd
import BraidTensor
import Foundation

/// A group synchronises batch normalisation over its ranks:
/// `model.synchronizeBatchStatistics(with: group)` makes every `BatchNorm` of `model`
/// a `SyncBatchNorm`.
extension ProcessGroup: BatchStatisticsSynchronizer {
    /// `values` summed over the ranks (a blocking all-reduce). A failed all-reduce inside a forward
    /// or backward pass cannot be thrown, so it ends the job with the error (``abort(exitCode:)``
    /// after printing it), as a rank that fails must.
    public func sumOverProcesses(_ values: [Float]) -> [Float] {
        var sums = values
        do {
            try allReduce(&sums, .sum)
        } catch {
            FileHandle.standardError.write(Data("rank \(rank): batch statistics all-reduce failed: \(error)\n".utf8))
            Self.abort(exitCode: 1)
        }
        return sums
    }
}
