/// Sums per-channel batch statistics over every process that holds a part of the batch, so that
/// batch normalisation sees the whole batch (PyTorch's `SyncBatchNorm`): the forward pass sums
/// the channels' counts, sums and squared deviations, the backward pass the sums of the output
/// gradient. Every process must make the same calls in the same order.
public protocol BatchStatisticsSynchronizer: AnyObject {
    /// `values` summed elementwise over every process; every process receives the same sums.
    func sumOverProcesses(_ values: [Float]) -> [Float]
}
