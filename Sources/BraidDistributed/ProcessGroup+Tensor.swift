import BraidTensor

/// The collectives on tensors, in place where the result has the tensor's shape.
extension ProcessGroup {
    /// Replaces `tensor`'s elements on every rank by `root`'s; every rank's tensor must have the
    /// same number of elements.
    public func broadcast(_ tensor: inout Tensor, root: Int = 0) throws(DistributedError) {
        try inPlace(&tensor) { (buffer) throws(DistributedError) in try broadcast(buffer, root: root) }
    }

    /// Replaces `tensor` on every rank by its combination over the ranks, element by element.
    public func allReduce(_ tensor: inout Tensor, _ operation: ReduceOperation = .sum) throws(DistributedError) {
        try inPlace(&tensor) { (buffer) throws(DistributedError) in try allReduce(buffer, operation) }
    }

    /// Every rank's `tensor` stacked in rank order, `[size] + tensor.shape`; every rank's tensor
    /// must have the same number of elements, which is checked first.
    public func allGather(_ tensor: Tensor) throws(DistributedError) -> Tensor {
        Tensor(shape: [size] + tensor.shape, scalars: try allGather(tensor.scalars))
    }

    /// `body` on `tensor`'s elements, its error rethrown (`Tensor`'s buffer access rethrows untyped).
    private func inPlace(
        _ tensor: inout Tensor, _ body: (UnsafeMutableBufferPointer<Float>) throws(DistributedError) -> Void
    ) throws(DistributedError) {
        var failure: DistributedError?
        tensor.withUnsafeMutableBufferPointer { buffer in
            do throws(DistributedError) { try body(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}
