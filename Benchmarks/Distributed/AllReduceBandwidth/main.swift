// Braid's all-reduce benchmark: ProcessGroup.allReduce (sum) of Float buffers of 1, 4, 16, 64 and
// 100 MB (after the latency of a one-float all-reduce), in the loop MPIAllReduceBandwidth/main.c runs straight on Open MPI (zeros, warm-up,
// `iterations` calls between barriers, the slowest rank's mean). Rank 0 prints one line per size:
// megabytes, microseconds, the algorithm bandwidth (bytes / time) and the bus bandwidth
// (2(N-1)/N of it). Scripts/benchmark-allreduce runs both over shared memory and over TCP.
import BraidDistributed
import Foundation

let group = try ProcessGroup.world()
/// The mean seconds of `iterations` all-reduces of `values` on the slowest rank, after a warm-up.
func time(_ values: inout [Float], iterations: Int, warmUp: Int) throws -> Double {
    for _ in 0..<warmUp { try group.allReduce(&values) }
    try group.barrier()
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<iterations { try group.allReduce(&values) }
    var seconds = [Float(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(iterations))]
    try group.allReduce(&seconds, .maximum)
    return Double(seconds[0])
}

// The latency term: one float, many times.
var one: [Float] = [0]
let latency = try time(&one, iterations: 2000, warmUp: 100)
if group.rank == 0 {
    print(String(format: "# Braid ProcessGroup.allReduce, %d ranks; one float: %.1f microseconds", group.size, latency * 1e6))
    print("# MB  microseconds  algorithm GB/s  bus GB/s")
}
for megabytes in [1, 4, 16, 64, 100] {
    let count = megabytes * 1_000_000 / 4
    var values = [Float](repeating: 0, count: count)
    let seconds = try time(&values, iterations: megabytes >= 64 ? 10 : 40, warmUp: 3)
    if group.rank == 0 {
        let algorithm = Double(count * 4) / seconds / 1e9
        print(String(format: "%4d  %12.1f  %14.2f  %8.2f", megabytes, seconds * 1e6, algorithm,
                     algorithm * 2 * Double(group.size - 1) / Double(group.size)))
    }
}
