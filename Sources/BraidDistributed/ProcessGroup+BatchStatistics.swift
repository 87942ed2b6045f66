import BraidAutograd
internal import CMPI
import BraidTensor
import Foundation

/// A group synchronises batch normalisation over its ranks:
/// `model.synchronizeBatchStatistics(with: group)` makes every `BatchNorm` of `model`
/// a `SyncBatchNorm`.
extension ProcessGroup: BatchStatisticsSynchronizer {
    /// `values` summed over the ranks (a blocking all-reduce, on a duplicate of the group's
    /// communicator, so it never pairs with a `DistributedDataParallel` bucket). A failed
    /// all-reduce inside a forward or backward pass cannot be thrown, so it ends the job with the
    /// error (``abort(exitCode:)`` after printing it), as a rank that fails must.
    public func sumOverProcesses(_ values: [Float]) -> [Float] {
        var sums = values
        do throws(DistributedError) {
            try sums.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in
                try allReduce(buffer, .sum, on: statisticsCommunicator)
            }
        } catch {
            FileHandle.standardError.write(Data("rank \(rank): batch statistics all-reduce failed: \(error)\n".utf8))
            Self.abort(exitCode: 1)
        }
        return sums
    }
}
