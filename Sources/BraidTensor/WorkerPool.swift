#if canImport(Glibc)
import Dispatch
import Glibc
import Synchronization

/// Threads that run the other cores' shares of a parallel region and stay awake for a moment
/// after it, so that the next region starts without a wake-up.
///
/// `DispatchQueue.concurrentPerform` parks its threads as soon as a region ends, and waking them
/// costs tens of microseconds here: a 12-token MiniLM sentence runs 18 regions and a resnet18
/// image ~70, each a few hundred microseconds long. The pool's threads (one per core but the
/// caller's) spin for up to ``spinNanoseconds`` after each region, then sleep on a condition
/// variable. One region at a time: a region started while another runs (from another thread,
/// or nested inside a region) is refused and the caller falls back to `concurrentPerform`, and so
/// is every region in a child process after `fork`, which inherits the pool but not its threads.
/// Linux only; elsewhere regions use `concurrentPerform`.
final class WorkerPool: @unchecked Sendable {
    /// The pool of this process, nil on a single core.
    static let shared: WorkerPool? = Parallel.coreCount > 1 ? WorkerPool(threads: Parallel.coreCount - 1) : nil

    /// How long an idle thread keeps checking for the next region before it sleeps.
    static let spinNanoseconds: UInt64 = 50_000

    private let threads: Int
    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The region's body and worker count; written by the caller before `generation` is raised
    /// (release) and read by the threads after they see it raised (acquire).
    private var body: (@Sendable (Int) -> Void)?
    private var workers = 0

    /// Set in a child process after `fork`.
    private static let forked = Atomic<Bool>(false)

    private init(threads: Int) {
        self.threads = threads
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        pthread_atfork(nil, nil) { WorkerPool.forked.store(true, ordering: .relaxed) }
        for index in 1...threads {
            let context = Unmanaged.passRetained(Context(pool: self, index: index)).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { context in
                let box = Unmanaged<Context>.fromOpaque(context!).takeRetainedValue()
                box.pool.serve(index: box.index)
                return nil
            }, context)
            check(created == 0, "WorkerPool: pthread_create failed with \(created)")
            pthread_detach(thread)
        }
    }

    private final class Context {
        let pool: WorkerPool, index: Int
        init(pool: WorkerPool, index: Int) { (self.pool, self.index) = (pool, index) }
    }

    /// Runs `body(0)` on the caller and `body(1)` … `body(workers − 1)` on the pool's threads,
    /// returning when all have finished; false, with nothing run, when the pool is in use or has
    /// fewer than `workers − 1` threads.
    func run(workers: Int, _ body: @Sendable (Int) -> Void) -> Bool {
        guard workers - 1 <= threads, !Self.forked.load(ordering: .relaxed), busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            self.body = body
            self.workers = workers
            remaining.store(threads, ordering: .relaxed)
            pthread_mutex_lock(lock)
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
            body(0)
            var checks = 0
            while remaining.load(ordering: .acquiring) > 0 {
                checks += 1
                if checks > 4096 { sched_yield() }  // a thread was descheduled: let it run
            }
            self.body = nil
        }
        return true
    }

    /// A thread's loop: wait for the next region (spinning, then asleep), run its share, report.
    /// Every thread reports every region, so none can fall a region behind.
    private func serve(index: Int) {
        var seen = 0
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
            var checks = 0
            while generation.load(ordering: .acquiring) == seen {
                checks += 1
                if checks & 1023 == 0 && DispatchTime.now().uptimeNanoseconds > deadline {
                    pthread_mutex_lock(lock)
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, lock) }
                    pthread_mutex_unlock(lock)
                }
            }
            seen = generation.load(ordering: .acquiring)
            if index < workers { body!(index) }
            remaining.subtract(1, ordering: .releasing)
        }
    }
}
#endif
