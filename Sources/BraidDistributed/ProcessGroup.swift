internal import CMPI
import Foundation
import Synchronization

/// The processes of one MPI job, every rank `mpirun` started (`MPI_COMM_WORLD`, as
/// `torch.distributed`'s default group), and the collectives among them.
///
/// ``world()`` initialises MPI once per process (`MPI_Init_thread`, `MPI_THREAD_SERIALIZED`) and
/// finalises it at exit; calls from several threads are made one at a time. Every rank must call
/// each collective, in the same order, with buffers of the same length. MPI's errors come back as
/// ``DistributedError`` (the communicator has MPI's errors-return handler), never as an abort.
///
/// Non-blocking all-reduces (``startAllReduce(_:_:)``, the gradient buckets of
/// ``DistributedDataParallel``) use Rabenseifner's algorithm unless the job sets
/// `coll_libnbc_iallreduce_algorithm` itself (`--mca`, or `OMPI_MCA_…` in the environment) or
/// initialised MPI before the first group.
/// Open MPI's own choice for fewer than 4 ranks, or for an in-place buffer, is a binomial tree
/// (reduce to rank 0, then broadcast), which moves the whole buffer twice, one way at a time:
/// with 2 ranks on this machine's shared memory a 4 MB bucket took 0.98 ms that way against 0.43
/// ms by reduce-scatter and all-gather (the same as blocking `MPI_Allreduce`), 22 MB 11.1 ms
/// against 6.1. Rabenseifner's algorithm moves what a ring does, 2(N−1)/N of the buffer per rank,
/// in 2·log₂N rounds instead of a ring's 2(N−1).
///
/// A rank that fails must end the job with ``abort(exitCode:)``: the `MPI_Finalize` run at exit
/// waits for every rank, and the others wait in their next collective, so a rank that only
/// exits with an error would leave the job hanging. A rank that dies is ended by `mpirun`.
public final class ProcessGroup: Sendable {
    /// This process's rank, `0..<size`.
    public let rank: Int
    /// The number of processes.
    public let size: Int
    nonisolated(unsafe) let communicator: MPI_Comm
    /// A duplicate of `communicator` for synchronised batch norm, whose all-reduces run inside
    /// forward and backward passes: on a communicator of their own they cannot be matched with a
    /// gradient bucket's all-reduce that one rank started in its backward pass and another not yet.
    nonisolated(unsafe) let statisticsCommunicator: MPI_Comm
    /// Held for every MPI call: MPI is initialised for serialised, not concurrent, calls.
    let lock = Mutex<Void>(())

    private static let shared = Result { () throws(DistributedError) in try ProcessGroup() }

    /// The group of every process of the job, MPI initialised on the first call. A process not
    /// started by `mpirun` is a job of its own, of size 1.
    public static func world() throws(DistributedError) -> ProcessGroup { try shared.get() }

    /// Whether this process was started by Open MPI's `mpirun` (its `OMPI_COMM_WORLD_SIZE` is set).
    public static var isLaunchedByMPI: Bool { ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil }

    private init() throws(DistributedError) {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 {
            // libnbc's algorithm 3 is Rabenseifner's (see above); 0 keeps a value the job set.
            setenv("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "3", 0)
            var provided: Int32 = 0
            try mpiCheck(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided), "MPI_Init_thread")
            atexit {
                var finalized: Int32 = 0
                MPI_Finalized(&finalized)
                if finalized == 0 { MPI_Finalize() }
            }
            guard provided >= Int32(MPI_THREAD_SERIALIZED) else { throw .threadSupport(provided: provided) }
        }
        communicator = braid_mpi_comm_world()
        try mpiCheck(MPI_Comm_set_errhandler(communicator, braid_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var duplicate: MPI_Comm? = nil
        try mpiCheck(MPI_Comm_dup(communicator, &duplicate), "MPI_Comm_dup")
        statisticsCommunicator = duplicate!
        try mpiCheck(MPI_Comm_set_errhandler(statisticsCommunicator, braid_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var (rank, size): (Int32, Int32) = (0, 0)
        try mpiCheck(MPI_Comm_rank(communicator, &rank), "MPI_Comm_rank")
        try mpiCheck(MPI_Comm_size(communicator, &size), "MPI_Comm_size")
        (self.rank, self.size) = (Int(rank), Int(size))
    }

    /// Runs `body`, this rank's part of the job; an error it throws is printed to standard error
    /// (`Error: …`) and ends every rank with exit code 1 (``abort(exitCode:)``), since the others
    /// would wait for this one in their next collective.
    public static func abortingOnError(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            abort(exitCode: 1)
        }
    }

    /// Ends every process of the job with `exitCode` (`MPI_Abort`), as a rank that fails must.
    public static func abort(exitCode: Int32) -> Never {
        MPI_Abort(braid_mpi_comm_world(), exitCode)
        exit(exitCode)  // MPI_Abort does not return; this only satisfies the compiler.
    }

    /// Returns once every rank has called it.
    public func barrier() throws(DistributedError) {
        try mpiCheck(serialized { MPI_Barrier(communicator) }, "MPI_Barrier")
    }

    /// Replaces `values` on every rank by `root`'s.
    public func broadcast<T: DistributedScalar>(_ values: inout [T], root: Int = 0) throws(DistributedError) {
        try values.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in try broadcast(buffer, root: root) }
    }

    /// Replaces `values` on every rank by their combination over the ranks, element by element.
    public func allReduce<T: DistributedScalar>(_ values: inout [T], _ operation: ReduceOperation = .sum) throws(DistributedError) {
        try values.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in try allReduce(buffer, operation) }
    }

    /// Every rank's `values`, in rank order (`size · values.count` elements); every rank must pass
    /// the same count, which is checked first.
    public func allGather<T: DistributedScalar>(_ values: [T]) throws(DistributedError) -> [T] {
        let count = try mpiCount(values.count)
        try checkEqualCounts(values.count, "MPI_Allgather")
        let (total, overflow) = values.count.multipliedReportingOverflow(by: size)
        guard !overflow else { throw .countTooLarge(Int.max) }
        var gathered = [T](repeating: 0, count: total)
        let code = values.withUnsafeBufferPointer { source in
            gathered.withUnsafeMutableBufferPointer { target in
                serialized {
                    MPI_Allgather(source.baseAddress, count, T.mpiType, target.baseAddress, count, T.mpiType, communicator)
                }
            }
        }
        try mpiCheck(code, "MPI_Allgather")
        return gathered
    }

    /// `buffer` replaced by `root`'s.
    func broadcast<T: DistributedScalar>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws(DistributedError) {
        let count = try mpiCount(buffer.count)
        try checkRoot(root)
        try mpiCheck(serialized { MPI_Bcast(buffer.baseAddress, count, T.mpiType, Int32(root), communicator) }, "MPI_Bcast")
    }

    /// `buffer` all-reduced in place, on `communicator` unless another is given.
    func allReduce<T: DistributedScalar>(
        _ buffer: UnsafeMutableBufferPointer<T>, _ operation: ReduceOperation, on other: MPI_Comm? = nil
    ) throws(DistributedError) {
        let count = try mpiCount(buffer.count)
        let code = serialized {
            MPI_Allreduce(braid_mpi_in_place(), buffer.baseAddress, count, T.mpiType, operation.mpiOperation, other ?? communicator)
        }
        try mpiCheck(code, "MPI_Allreduce")
        if operation == .average { averageInPlace(buffer) }
    }

    /// Each element of a sum over the ranks divided by their number.
    func averageInPlace<T: DistributedScalar>(_ buffer: UnsafeMutableBufferPointer<T>) {
        for i in buffer.indices { buffer[i] = T.average(buffer[i], count: size) }
    }

    /// Throws unless every rank passed `count`: one all-reduce of (count, −count) by maximum.
    func checkEqualCounts(_ count: Int, _ call: String) throws(DistributedError) {
        var extremes = [count, -count]
        try allReduce(&extremes, .maximum)
        guard extremes[0] == -extremes[1] else {
            throw .mismatchedCounts(call: call, smallest: -extremes[1], largest: extremes[0])
        }
    }

    func checkRoot(_ root: Int) throws(DistributedError) {
        guard (0..<size).contains(root) else { throw .invalidRoot(root, size: size) }
    }

    /// `body`'s MPI call, made while holding the group's lock.
    func serialized(_ body: () -> Int32) -> Int32 { lock.withLock { _ in body() } }
}

/// `count` as MPI's `int` count.
func mpiCount(_ count: Int) throws(DistributedError) -> Int32 {
    guard let count = Int32(exactly: count) else { throw .countTooLarge(count) }
    return count
}

/// Throws MPI's description of `code` unless it is `MPI_SUCCESS`.
func mpiCheck(_ code: Int32, _ call: String) throws(DistributedError) {
    if let error = mpiError(code, call) { throw error }
}

/// MPI's description of `code` from `call`, or `nil` for `MPI_SUCCESS`.
func mpiError(_ code: Int32, _ call: String) -> DistributedError? {
    guard code != MPI_SUCCESS else { return nil }
    var message = [CChar](repeating: 0, count: Int(braid_mpi_max_error_string()) + 1)
    var length: Int32 = 0
    MPI_Error_string(code, &message, &length)
    return .mpi(call: call, code: code, message: String(decoding: message.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
}

extension ReduceOperation {
    /// The MPI operation: an average is a sum, divided afterwards.
    var mpiOperation: MPI_Op {
        switch self {
        case .sum, .average: braid_mpi_sum()
        case .minimum: braid_mpi_min()
        case .maximum: braid_mpi_max()
        }
    }
}
