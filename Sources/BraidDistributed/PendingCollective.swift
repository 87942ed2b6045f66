internal import CMPI

/// A collective started without blocking (`MPI_Ibcast`, `MPI_Iallreduce`, `MPI_Iallgather`) on a
/// buffer of its own (or, inside the package, one the caller lends): the caller's work goes on
/// while it runs, and ``wait()`` returns its result.
///
/// Open MPI advances a non-blocking collective while any MPI call of the process runs, so
/// ``isComplete()`` (`MPI_Test`) also moves it on. A collective dropped without waiting is waited
/// for when it is released, since MPI still writes to its buffer. Use it from one thread at a time.
public final class PendingCollective<T: DistributedScalar> {
    private let group: ProcessGroup
    private let buffer: UnsafeMutableBufferPointer<T>
    /// Whether `buffer` was allocated here (and is freed here) rather than lent by the caller.
    private let ownsBuffer: Bool
    private let call: String
    private let averages: Bool
    private var request: MPI_Request?
    private var outcome: Result<Void, DistributedError>?

    /// Starts `start` (an MPI non-blocking call given the buffer and the request to fill) on a
    /// buffer of `count` elements that `fill` initialises.
    convenience init(
        group: ProcessGroup, count: Int, call: String, averages: Bool = false,
        fill: (UnsafeMutableBufferPointer<T>) -> Void,
        start: (UnsafeMutablePointer<T>?, UnsafeMutablePointer<MPI_Request?>) -> Int32
    ) throws(DistributedError) {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
        fill(buffer)
        try self.init(group: group, buffer: buffer, ownsBuffer: true, call: call, averages: averages, start: start)
    }

    /// Starts `start` on `buffer`, which the caller keeps alive and leaves alone until the
    /// collective has finished unless `ownsBuffer`.
    init(
        group: ProcessGroup, buffer: UnsafeMutableBufferPointer<T>, ownsBuffer: Bool, call: String, averages: Bool,
        start: (UnsafeMutablePointer<T>?, UnsafeMutablePointer<MPI_Request?>) -> Int32
    ) throws(DistributedError) {
        (self.group, self.buffer, self.ownsBuffer, self.call, self.averages) = (group, buffer, ownsBuffer, call, averages)
        var request: MPI_Request? = braid_mpi_request_null()
        let code = group.serialized { start(buffer.baseAddress, &request) }
        if let error = mpiError(code, call) {
            // Nothing was started: the outcome is the error, and deinit frees the buffer only.
            outcome = .failure(error)
            throw error
        }
        self.request = request
    }

    deinit {
        if outcome == nil && request != nil { try? finish() }
        if ownsBuffer { buffer.deallocate() }
    }

    /// Whether the collective has finished (`MPI_Test`), which also advances it.
    public func isComplete() throws(DistributedError) -> Bool {
        if outcome == nil {
            var flag: Int32 = 0
            let code = group.serialized { MPI_Test(&request, &flag, braid_mpi_status_ignore()) }
            guard code != MPI_SUCCESS || flag != 0 else { return false }
            complete(code)
        }
        _ = try outcome!.get()
        return true
    }

    /// The result once the collective has finished on this rank: the broadcast, all-reduced or
    /// gathered elements.
    public func wait() throws(DistributedError) -> [T] {
        try finish()
        return Array(buffer)
    }

    /// Waits until the collective has finished on this rank, its result in the buffer.
    func finish() throws(DistributedError) {
        if outcome == nil { complete(group.serialized { MPI_Wait(&request, braid_mpi_status_ignore()) }) }
        try outcome!.get()
    }

    /// Keeps the outcome of the finished request: MPI's error, or success with the buffer averaged
    /// if asked.
    private func complete(_ code: Int32) {
        if let error = mpiError(code, call) {
            outcome = .failure(error)
            return
        }
        if averages { group.averageInPlace(buffer) }
        outcome = .success(())
    }
}

extension ProcessGroup {
    /// Starts replacing a copy of `values` by `root`'s on every rank.
    public func startBroadcast<T: DistributedScalar>(_ values: [T], root: Int = 0) throws(DistributedError) -> PendingCollective<T> {
        let count = try mpiCount(values.count)
        try checkRoot(root)
        return try PendingCollective(group: self, count: values.count, call: "MPI_Ibcast", fill: { _ = $0.initialize(from: values) }) {
            MPI_Ibcast($0, count, T.mpiType, Int32(root), communicator, $1)
        }
    }

    /// Starts all-reducing a copy of `values`.
    public func startAllReduce<T: DistributedScalar>(
        _ values: [T], _ operation: ReduceOperation = .sum
    ) throws(DistributedError) -> PendingCollective<T> {
        let count = try mpiCount(values.count)
        return try PendingCollective(
            group: self, count: values.count, call: "MPI_Iallreduce", averages: operation == .average, fill: { _ = $0.initialize(from: values) }
        ) {
            MPI_Iallreduce(braid_mpi_in_place(), $0, count, T.mpiType, operation.mpiOperation, communicator, $1)
        }
    }

    /// Starts summing `buffer` over the ranks in place; the caller keeps it alive and untouched
    /// until ``PendingCollective/finish()`` returns.
    func startAllReduce(inPlace buffer: UnsafeMutableBufferPointer<Float>) throws(DistributedError) -> PendingCollective<Float> {
        let count = try mpiCount(buffer.count)
        return try PendingCollective(group: self, buffer: buffer, ownsBuffer: false, call: "MPI_Iallreduce", averages: false) {
            MPI_Iallreduce(braid_mpi_in_place(), $0, count, Float.mpiType, ReduceOperation.sum.mpiOperation, communicator, $1)
        }
    }

    /// Starts gathering every rank's `values` in rank order; every rank must pass the same count,
    /// which is checked first (blocking).
    public func startAllGather<T: DistributedScalar>(_ values: [T]) throws(DistributedError) -> PendingCollective<T> {
        let count = try mpiCount(values.count)
        try checkEqualCounts(values.count, "MPI_Iallgather")
        let (total, overflow) = values.count.multipliedReportingOverflow(by: size)
        guard !overflow else { throw .countTooLarge(Int.max) }
        return try values.withUnsafeBufferPointer { (source) throws(DistributedError) in
            // MPI reads the send buffer until the gather completes: each rank's part is copied
            // into its slot of the result first and sent from there (MPI_IN_PLACE).
            try PendingCollective(group: self, count: total, call: "MPI_Iallgather", fill: { target in
                target.initialize(repeating: 0)
                _ = UnsafeMutableBufferPointer(rebasing: target[rank * values.count..<(rank + 1) * values.count])
                    .initialize(from: source)
            }) {
                MPI_Iallgather(braid_mpi_in_place(), 0, T.mpiType, $0, count, T.mpiType, communicator, $1)
            }
        }
    }
}
