import Dispatch
internal import CBraidKernels
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs independent tasks on all cores, for kernels that split work by batch, head or row block.
package enum Parallel {
    /// The number of cores this process may run on: those of its CPU affinity mask (as `taskset`
    /// or `mpirun`'s binding of a rank to a core leaves it), else the cores online.
    package static let coreCount: Int = {
        let allowed = Int(braid_allowed_cpu_count())
        return allowed > 0 ? allowed : Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()

    /// How many `distribute` regions are running; `BLAS.gemm` does not split products meanwhile.
    static let activeRegions = Atomic<Int>(0)

    /// Whether a `distribute` region is keeping the cores busy.
    package static var isBusy: Bool { activeRegions.load(ordering: .relaxed) > 0 }

    /// The number of workers `distribute` uses for `count` tasks.
    package static func workerCount(for count: Int) -> Int { Swift.max(1, Swift.min(count, coreCount)) }

    /// Spreads the tasks `0..<count` over the cores: `body(worker, tasks)` runs once per worker
    /// (`0..<workerCount(for: count)`) with the tasks it owns (worker `w` takes `w`, `w + workers`,
    /// …), so it can allocate scratch memory or partial sums once. Matrix products inside run on
    /// the calling worker only, so the two levels of parallelism do not compete; with one task or
    /// one core, `body` runs once on the caller's thread.
    ///
    /// `inParallel: false` runs `body` once on the caller's thread with every task: for regions
    /// whose work is smaller than waking the other cores (tens of microseconds).
    package static func distribute(
        _ count: Int, inParallel: Bool = true, _ body: @Sendable (_ worker: Int, _ tasks: StrideTo<Int>) -> Void
    ) {
        let workers = inParallel ? workerCount(for: count) : 1
        guard workers > 1 else {
            body(0, stride(from: 0, to: count, by: 1))
            return
        }
        activeRegions.add(1, ordering: .relaxed)
        defer { activeRegions.subtract(1, ordering: .relaxed) }
        perform(workers) { worker in body(worker, stride(from: worker, to: count, by: workers)) }
    }

    /// `body(0)` … `body(workers − 1)` at once on the cores: on the `WorkerPool` when it is free
    /// (Linux), else through `DispatchQueue.concurrentPerform`.
    static func perform(_ workers: Int, _ body: @Sendable (Int) -> Void) {
        #if canImport(Glibc)
        if WorkerPool.shared?.run(workers: workers, body) == true { return }
        #endif
        DispatchQueue.concurrentPerform(iterations: workers, execute: body)
    }
}

/// A raw pointer that may cross into `Parallel.forEach` tasks. The kernel that makes one promises
/// that tasks write disjoint regions.
package struct SharedPointer<Pointee>: @unchecked Sendable {
    /// The address.
    package let address: UnsafeMutablePointer<Pointee>

    /// Wraps `address`.
    package init(_ address: UnsafeMutablePointer<Pointee>) { self.address = address }
}

/// A read-only buffer's address that may cross into `Parallel.distribute` tasks.
package struct ReadPointer<Pointee>: @unchecked Sendable {
    /// The address of the buffer's first element.
    package let address: UnsafePointer<Pointee>

    /// Wraps the address of `buffer`, which must not be empty.
    package init(_ buffer: UnsafeBufferPointer<Pointee>) { address = buffer.baseAddress! }
}
