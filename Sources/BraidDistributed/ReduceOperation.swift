/// How an all-reduce combines the ranks' buffers, element by element (`torch.distributed.ReduceOp`).
public enum ReduceOperation: Sendable, CaseIterable {
    /// The sum over the ranks.
    case sum
    /// The sum divided by the number of ranks (for `Int`, rounded toward zero as `/` does).
    case average
    /// The smallest value.
    case minimum
    /// The largest value.
    case maximum
}
