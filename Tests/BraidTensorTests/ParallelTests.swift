import BraidTensor
import Foundation
import Testing

/// How many workers the kernels split work over, and that regions run every task exactly once.
@Suite struct ParallelTests {
    /// Regions in quick succession (the worker pool's threads are still spinning), regions
    /// started from several threads at once and regions nested inside a region (both fall back
    /// from the pool to Dispatch) each run every task once.
    @Test func everyTaskRunsOnceAcrossPooledConcurrentAndNestedRegions() {
        let count = 64
        // Task t counts its runs in slot t; the nested region's worker w in slot count + 2·t + w.
        @Sendable func region(nested: Bool) -> [Int] {
            let slots = UnsafeMutablePointer<Int>.allocate(capacity: 3 * count)
            slots.initialize(repeating: 0, count: 3 * count)
            defer { slots.deallocate() }
            let shared = SharedPointer(slots)
            Parallel.distribute(count) { _, tasks in
                for task in tasks {
                    shared.address[task] += 1
                    if nested { Parallel.distribute(2) { worker, _ in shared.address[count + 2 * task + worker] += 1 } }
                }
            }
            return Array(UnsafeBufferPointer(start: slots, count: 3 * count))
        }
        let once = [Int](repeating: 1, count: count)
        let plain = once + [Int](repeating: 0, count: 2 * count)
        for _ in 0..<200 { #expect(region(nested: false) == plain) }
        let workers = Parallel.workerCount(for: 2)
        let nestedOnce = (0..<(2 * count)).map { $0 % 2 < workers ? 1 : 0 }
        #expect(region(nested: true) == once + nestedOnce)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<50 { #expect(region(nested: false) == plain) }
        }
    }

    /// As many as the CPUs this process may run on (Linux's `Cpus_allowed_list`), so a process
    /// bound to one core, by `taskset` or by `mpirun` binding each rank, runs one worker.
    @Test func coreCountIsTheAffinityMasksSize() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        let list = line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
        let allowed = list.split(separator: ",").reduce(0) { total, range in
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            return total + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1)
        }
        #expect(Parallel.coreCount == allowed, "\(list)")
    }
}
