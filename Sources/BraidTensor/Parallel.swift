import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs independent tasks on all cores, for kernels that split work by batch, head or row block.
public enum Parallel {
    /// The number of cores online.
    public static var coreCount: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Calls `body(task)` for every task in `0..<count`, spread over the cores (worker `w` takes
    /// tasks `w`, `w + workers`, …). OpenBLAS runs single-threaded meanwhile, so the two levels of
    /// parallelism do not compete; with one task or one core everything runs on the caller's thread.
    public static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        let workers = Swift.min(count, coreCount)
        guard workers > 1 else {
            for task in 0..<count { body(task) }
            return
        }
        let blasThreads = BLAS.threadCount
        BLAS.threadCount = 1
        defer { BLAS.threadCount = blasThreads }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for task in stride(from: worker, to: count, by: workers) { body(task) }
        }
    }
}

/// A raw pointer that may cross into `Parallel.forEach` tasks. The kernel that makes one promises
/// that tasks write disjoint regions.
public struct SharedPointer<Pointee>: @unchecked Sendable {
    /// The address.
    public let address: UnsafeMutablePointer<Pointee>

    /// Wraps `address`.
    public init(_ address: UnsafeMutablePointer<Pointee>) { self.address = address }
}
