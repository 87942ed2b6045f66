import BraidAutograd

extension Module {
    /// Gives every ``BatchNorm`` of this module and its submodules `synchronizer`, so training
    /// normalises with the statistics of every process's part of the batch (PyTorch's
    /// `SyncBatchNorm.convert_sync_batchnorm`), or nil to go back to each process's own. With
    /// synchronised statistics, N processes × batch b normalise as one process × batch N·b.
    public func synchronizeBatchStatistics(with synchronizer: (any BatchStatisticsSynchronizer)?) {
        for (_, module) in namedModules() {
            (module as? BatchNorm)?.synchronizer = synchronizer
        }
    }
}
