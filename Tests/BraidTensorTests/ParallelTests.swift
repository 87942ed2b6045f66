import BraidTensor
import Foundation
import Testing

/// How many workers the kernels split work over.
@Suite struct ParallelTests {
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
