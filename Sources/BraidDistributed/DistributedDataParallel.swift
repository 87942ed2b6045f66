import BraidAutograd
import BraidNN
import BraidTensor
import BraidTraining

/// Data-parallel training of one module across the ranks of a ``ProcessGroup``, with PyTorch
/// `DistributedDataParallel`'s contract: every rank holds the same module, runs the forward and
/// backward pass on its own part of each batch, and takes the same optimiser step on gradients
/// averaged over the ranks, so N ranks × batch b step as one process × batch N·b.
///
/// - At construction rank 0's parameters and buffers are broadcast to every rank.
/// - The gradients are grouped into buckets of about ``defaultBucketCapacity`` bytes, in reverse
///   parameter order (the order `backward()` usually finishes them). Each parameter's
///   `gradientAccumulated` hook copies its gradient into its bucket; a bucket whose gradients are
///   all final starts its non-blocking all-reduce (in bucket order on every rank, as MPI needs)
///   while the backward pass goes on.
/// - ``synchronizeGradients()``, called after `backward()` and before the optimiser's step, starts
///   the buckets still waiting (a parameter that got no gradient on this rank counts as zeros),
///   waits for every bucket and writes the averaged gradients back. A parameter no rank gave a
///   gradient keeps none, as `find_unused_parameters` leaves it.
/// - An `Embedding`'s table is in no bucket: a batch touches few of its rows, so the ranks
///   gather the rows they touched (ids and values) and average those, unless that would move more
///   than the dense all-reduce, which it then makes. The result is the same average.
/// - Inside ``withoutSynchronization(_:)`` (`no_sync`) gradients only accumulate locally; the
///   next synchronised pass averages everything accumulated.
///
/// Make no other collective on the group between `backward()` and ``synchronizeGradients()``: a
/// rank may start its buckets in either, and MPI matches collectives by their order on every
/// rank. (Synchronised batch norm's all-reduces use a communicator of their own.)
///
/// Buffers (a batch norm's running statistics) stay per rank after the first broadcast. Set as
/// a `Trainer`'s `dataParallel`, it synchronises after every backward pass
/// and averages each epoch's loss over the ranks.
public final class DistributedDataParallel: DataParallelTraining {
    /// PyTorch's `bucket_cap_mb` default, 25 MiB.
    public static let defaultBucketCapacity = 25 * 1024 * 1024

    /// The wrapped module.
    public let module: Module
    /// The ranks that train it.
    public let group: ProcessGroup
    /// The parameters that require gradients, in the module's order.
    let parameters: [Variable]
    /// The buckets, in the order their all-reduces start.
    let buckets: [GradientBucket]
    /// For each parameter in a bucket, its bucket and its offset there.
    let places: [(bucket: Int, offset: Int)]
    /// The parameters that are an `Embedding`'s table, in no bucket: their gradients
    /// travel as the rows a pass touched (see ``synchronizeEmbeddingTables(used:)``).
    let embeddingTables: [Int]
    /// Whether each parameter's gradient arrived in the current pass.
    var arrived: [Bool]
    /// The first bucket whose all-reduce has not started.
    var nextBucket = 0
    /// Whether gradients are averaged in the current pass (false inside `withoutSynchronization`).
    var synchronizes = true
    /// The first error of an all-reduce started from a hook, thrown by `synchronizeGradients`.
    var failure: DistributedError?

    /// Wraps `module`, broadcasting rank 0's parameters and buffers; `bucketCapacity` is in bytes.
    /// Throws if the ranks' modules have different numbers of elements.
    public init(_ module: Module, group: ProcessGroup, bucketCapacity: Int = defaultBucketCapacity) throws(DistributedError) {
        check(bucketCapacity > 0, "DistributedDataParallel: bucket capacity \(bucketCapacity) must be positive")
        self.module = module
        self.group = group
        let parameters = module.parameters().filter(\.requiresGrad)
        self.parameters = parameters
        try Self.broadcastState(of: module, group: group)

        let tables = Set(module.namedModules().compactMap { ($0.module as? Embedding).map { ObjectIdentifier($0.weight) } })
        embeddingTables = parameters.indices.filter { tables.contains(ObjectIdentifier(parameters[$0])) }
        var buckets: [GradientBucket] = []
        var places = [(bucket: Int, offset: Int)](repeating: (0, 0), count: parameters.count)
        var members: [Int] = []
        var size = 0
        for index in parameters.indices.reversed() where !tables.contains(ObjectIdentifier(parameters[index])) {
            places[index] = (buckets.count, size)
            members.append(index)
            size += parameters[index].value.count
            if size * MemoryLayout<Float>.size >= bucketCapacity {
                buckets.append(GradientBucket(members: members, count: size))
                (members, size) = ([], 0)
            }
        }
        if !members.isEmpty { buckets.append(GradientBucket(members: members, count: size)) }
        self.buckets = buckets
        self.places = places
        arrived = [Bool](repeating: false, count: parameters.count)
        for (index, parameter) in parameters.enumerated() {
            parameter.gradientAccumulated = { [unowned self] _ in gradientArrived(index) }
        }
    }

    deinit {
        for parameter in parameters { parameter.gradientAccumulated = nil }
    }

    /// This process's rank in ``group``.
    public var rank: Int { group.rank }

    /// The number of ranks in ``group``.
    public var rankCount: Int { group.size }

    /// `values` averaged over the ranks (an all-reduce).
    public func averageOverRanks(_ values: [Float]) throws(DistributedError) -> [Float] {
        var values = values
        try group.allReduce(&values, .average)
        return values
    }

    /// Every rank's `values`, in rank order (an all-gather).
    public func gatherFromRanks(_ values: [Int]) throws(DistributedError) -> [Int] {
        try group.allGather(values)
    }

    /// `body` with gradients accumulating on this rank only (`no_sync`): its passes start no
    /// all-reduce, and ``synchronizeGradients()`` inside it does nothing.
    public func withoutSynchronization<R>(_ body: () throws -> R) rethrows -> R {
        let outer = synchronizes
        synchronizes = false
        defer { synchronizes = outer }
        return try body()
    }

    /// Averages this pass's gradients over the ranks: starts the buckets still waiting, waits for
    /// every bucket and writes the averages into the parameters' `grad`. Call it after
    /// `backward()` and before the optimiser's step, on every rank.
    public func synchronizeGradients() throws(DistributedError) {
        guard synchronizes else { return }
        defer { reset() }
        for index in parameters.indices where !arrived[index] && !isEmbeddingTable(index) { copyGradient(index) }
        startReadyBuckets()
        if let failure { throw failure }
        // Which parameters have a gradient on any rank (from this pass, or accumulated without
        // synchronisation before it): those none has keep none.
        var used = parameters.map { $0.grad == nil ? 0 : 1 }
        try group.allReduce(&used, .maximum)
        try synchronizeEmbeddingTables(used: used)
        let ranks = Float(group.size)
        for bucket in buckets {
            try bucket.pending!.finish()
            for index in bucket.members where used[index] != 0 {
                let sums = UnsafeBufferPointer(rebasing: bucket.values[places[index].offset..<places[index].offset + parameters[index].value.count])
                // In place when the gradient's storage is this parameter's alone.
                if parameters[index].grad == nil { parameters[index].grad = Tensor.zeros(parameters[index].shape) }
                parameters[index].grad!.withUnsafeMutableBufferPointer { target in
                    for i in 0..<sums.count { target[i] = sums[i] / ranks }
                }
            }
        }
    }

    /// Copies parameter `index`'s gradient into its bucket, then starts the buckets now complete
    /// and gives the running all-reduces a chance to progress.
    func gradientArrived(_ index: Int) {
        guard synchronizes else { return }
        guard !arrived[index] else {
            failure = failure ?? .gradientsNotSynchronized(parameter: index)
            return
        }
        arrived[index] = true
        guard !isEmbeddingTable(index) else { return }
        copyGradient(index)
        startReadyBuckets()
        for bucket in buckets[..<nextBucket] where failure == nil {
            do throws(DistributedError) { _ = try bucket.pending!.isComplete() } catch { failure = error }
        }
    }

    /// Writes parameter `index`'s gradient (zeros without one) into its bucket's buffer.
    func copyGradient(_ index: Int) {
        let (bucket, offset) = places[index]
        let target = UnsafeMutableBufferPointer(rebasing: buckets[bucket].values[offset..<offset + parameters[index].value.count])
        if let grad = parameters[index].grad {
            grad.withUnsafeBufferPointer { _ = target.initialize(from: $0) }
        } else {
            target.initialize(repeating: 0)
        }
        buckets[bucket].filled += 1
    }

    /// Starts, in bucket order, every bucket whose gradients are all in.
    func startReadyBuckets() {
        while nextBucket < buckets.count, buckets[nextBucket].isFull, failure == nil {
            do throws(DistributedError) {
                buckets[nextBucket].pending = try group.startAllReduce(inPlace: buckets[nextBucket].values)
            } catch {
                failure = error
            }
            nextBucket += 1
        }
    }

    /// Clears the pass's state for the next one.
    func reset() {
        arrived = arrived.map { _ in false }
        for bucket in buckets { (bucket.filled, bucket.pending) = (0, nil) }
        (nextBucket, failure) = (0, nil)
    }

    /// Broadcasts rank 0's parameters and buffers, all in one buffer.
    static func broadcastState(of module: Module, group: ProcessGroup) throws(DistributedError) {
        let variables = module.parameters() + module.namedBuffers().map(\.variable)
        var values = variables.flatMap(\.value.scalars)
        try group.checkEqualCounts(values.count, "DistributedDataParallel")
        try group.broadcast(&values, root: 0)
        var offset = 0
        for variable in variables {
            let count = variable.value.count
            variable.value = Tensor(shape: variable.shape, scalars: Array(values[offset..<offset + count]))
            offset += count
        }
    }
}

/// The gradients of some parameters, side by side in one buffer that one all-reduce sums in
/// place: allocated once, so no pass allocates (or faults in) gradient-sized memory.
final class GradientBucket {
    /// The parameters' indices, in the order their gradients lie in `values`.
    let members: [Int]
    /// The gradients, as the current pass has filled them, then their sums over the ranks.
    let values: UnsafeMutableBufferPointer<Float>
    /// How many members' gradients are in.
    var filled = 0
    /// The all-reduce, once started.
    var pending: PendingCollective<Float>?

    init(members: [Int], count: Int) {
        self.members = members
        values = .allocate(capacity: count)
        values.initialize(repeating: 0)
    }

    deinit {
        pending = nil  // waits for a running all-reduce, which writes to `values`
        values.deallocate()
    }

    /// Whether every member's gradient is in.
    var isFull: Bool { filled == members.count }
}
