/// A failure of a distributed operation: MPI's own error (returned, not fatal: every
/// communicator Braid uses has MPI's errors-return handler) or a call that could not be made.
public enum DistributedError: Error, Equatable, CustomStringConvertible {
    /// `call` returned the MPI error `code`, which MPI describes as `message`.
    case mpi(call: String, code: Int32, message: String)
    /// MPI was initialised without the thread support Braid needs (`MPI_THREAD_SERIALIZED`).
    case threadSupport(provided: Int32)
    /// `root` is not a rank of a group of `size` processes.
    case invalidRoot(Int, size: Int)
    /// A buffer of `count` elements is longer than one MPI call can carry (`Int32.max`).
    case countTooLarge(Int)
    /// The ranks passed buffers of different lengths to a collective that needs equal ones.
    case mismatchedCounts(call: String, smallest: Int, largest: Int)
    /// A second `backward()` reached a parameter before ``DistributedDataParallel/synchronizeGradients()``.
    case gradientsNotSynchronized(parameter: Int)

    /// What failed, with the values involved.
    public var description: String {
        switch self {
        case let .mpi(call, code, message): "\(call) failed with MPI error \(code): \(message)"
        case let .threadSupport(provided):
            "MPI provides thread level \(provided); Braid needs MPI_THREAD_SERIALIZED or above"
        case let .invalidRoot(root, size): "root \(root) is not a rank of this group of \(size) processes"
        case let .countTooLarge(count): "a buffer of \(count) elements is longer than MPI's limit of \(Int32.max)"
        case let .mismatchedCounts(call, smallest, largest):
            "\(call): the ranks passed buffers of \(smallest) to \(largest) elements; every rank must pass the same count"
        case let .gradientsNotSynchronized(parameter):
            "parameter \(parameter) got a second gradient before synchronizeGradients(); accumulate inside withoutSynchronization"
        }
    }
}
