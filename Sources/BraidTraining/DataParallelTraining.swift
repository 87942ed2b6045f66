/// What a ``Trainer`` needs to take part in data-parallel training, one trainer per rank on its
/// shard of each epoch: BraidDistributed's `DistributedDataParallel` provides it.
public protocol DataParallelTraining: AnyObject {
    /// This process's rank: rank 0 writes the checkpoints and draws the progress bar.
    var rank: Int { get }

    /// The number of ranks: validation and prediction give each its share of the examples.
    var rankCount: Int { get }

    /// Averages the gradients of the pass just run over the ranks; the trainer calls it after
    /// every `backward()`, before clipping and the optimiser's step.
    func synchronizeGradients() throws

    /// `values` averaged over the ranks, element by element; every rank calls it, with as many.
    func averageOverRanks(_ values: [Float]) throws -> [Float]

    /// Every rank's `values`, in rank order; every rank calls it, with as many.
    func gatherFromRanks(_ values: [Int]) throws -> [Int]
}
