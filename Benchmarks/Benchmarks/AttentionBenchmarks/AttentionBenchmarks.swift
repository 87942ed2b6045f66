// Attention benchmarks: `scaledDotProductAttention` with the fused and the naive kernel, forward
// only and forward+backward, at B=4, H=8, D=64 for N = 128 … 4096 and at D=128 for N=1024, with a
// raw 1024³ sgemm in the same run as the roofline.
//
// Each benchmark reports wall-clock time, its throughput in MFLOP/s (forward 4·B·H·N²·D flops for
// Q·Kᵀ and P·V; forward+backward 3.5 times that, the backward's four products plus the fused
// kernel's recomputation of Q·Kᵀ) and `.peakMemoryResidentDelta`: the peak resident memory above
// the process's when the benchmark started, sampled every ~5 ms. Inputs are created in each
// benchmark's setup hook, before that baseline; memory the allocator already holds is reused
// without counting, so deltas below ~1 MB mean "nothing beyond the output".
//
// Run from Benchmarks/ (the whole target takes about 2.5 minutes on 2 cores; the naive N=4096
// passes alone take a minute and ~11 GB):
//     swift package benchmark --target AttentionBenchmarks [--filter 'attention fused .*']
// Compare with PyTorch: /opt/braid-venv/bin/python Scripts/compare-attention-pytorch.py
//
// With the Swift code compiled for this CPU: `swift package benchmark --Xswiftc ...` passes the
// flag to its own BenchmarkTool only, never to the benchmark targets. Build the target in a
// separate scratch folder (copy .build/checkouts, .build/repositories and
// .build/workspace-state.json into it first to skip fetching the dependencies again) and point the
// BenchmarkTool that `swift package benchmark` has built at that executable; it prints the same
// tables:
//     swift build -c release --scratch-path .build-native --product AttentionBenchmarks \
//         -Xswiftc -target-cpu -Xswiftc native
//     .build/release/BenchmarkTool --command run --baseline-storage-path . --format text \
//         --grouping benchmark --targets AttentionBenchmarks \
//         --benchmark-executable-paths .build-native/release/AttentionBenchmarks \
//         --filter 'attention fused fwd(\+bwd)? N2048 D64' --time-units microseconds
// Measured on 2 cores (AMD EPYC, AVX-512): no difference beyond noise (fused N2048 D64 forward
// 221–228 ms either way, forward+backward 740–751 ms); most likely because the time goes to
// OpenBLAS and to the C kernels, which already pick AVX-512 at run time (`target_clones`). Running the executable alone
// (`.build-native/release/AttentionBenchmarks --filter REGEX`) uses the package's debug mode,
// which prints raw histograms instead of tables.
import Benchmark
import BenchmarkSupport
import Braid

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResidentDelta], warmupIterations: 2, maxDuration: .seconds(2),
        maxIterations: 200)

    // The roofline: one sgemm of 2·1024³ flops on raw pointers.
    let n = 1024
    let a = randomTensor([n, n], seed: 1), b = randomTensor([n, n], seed: 2)
    throughputBenchmark("sgemm raw \(n)³", unit: .mflops, work: 2 * Double(n * n * n)) {
        blackHole(rawSquareSgemm(a, b, n: n))
    }

    let shapes = [128, 512, 1024, 2048, 4096].map { (length: $0, depth: 64) } + [(length: 1024, depth: 128)]
    for shape in shapes {
        for kernel in [AttentionKernel.fused, .naive] {
            for backward in [false, true] {
                let pass = AttentionPass(
                    batch: 4, heads: 8, length: shape.length, depth: shape.depth, kernel: kernel, backward: backward)
                var configuration = Benchmark.defaultConfiguration
                configuration.setup = { pass.prepare() }
                configuration.teardown = { pass.release() }
                if kernel == .naive && shape.length >= 2048 {
                    // Several GB of scores and probabilities per pass (N=4096: 512 Mi floats, 2 GiB,
                    // each; peak ~11 GB). Each pass maps its buffers afresh, so warm-up buys nothing.
                    (configuration.warmupIterations, configuration.maxIterations) = (0, 3)
                    configuration.maxDuration = .seconds(2)
                } else if shape.length >= 4096 || (backward && shape.length >= 2048) {
                    (configuration.warmupIterations, configuration.maxIterations) = (1, 20)
                    configuration.maxDuration = .seconds(3)
                }
                throughputBenchmark(pass.name, unit: .mflops, work: pass.flops, configuration: configuration) {
                    blackHole(pass.run())
                }
            }
        }
    }
}

/// One attention pass on seeded `[B, H, N, D]` inputs: forward only, or forward and backward into
/// the query, key and value gradients.
final class AttentionPass: @unchecked Sendable {
    let (batch, heads, length, depth): (Int, Int, Int, Int)
    let kernel: AttentionKernel
    let backward: Bool
    private var inputs: (query: Variable, key: Variable, value: Variable, upstream: Tensor)?

    init(batch: Int, heads: Int, length: Int, depth: Int, kernel: AttentionKernel, backward: Bool) {
        (self.batch, self.heads, self.length, self.depth) = (batch, heads, length, depth)
        (self.kernel, self.backward) = (kernel, backward)
    }

    /// For example "attention fused fwd+bwd N2048 D64".
    var name: String {
        "attention \(kernel == .fused ? "fused" : "naive") \(backward ? "fwd+bwd" : "fwd") N\(length) D\(depth)"
    }

    /// Forward 4·B·H·N²·D (Q·Kᵀ and P·V); forward+backward 3.5 times that.
    var flops: Double {
        let forward = 4 * Double(batch * heads) * Double(length * length) * Double(depth)
        return backward ? 3.5 * forward : forward
    }

    /// Creates the inputs (and the upstream gradient of a backward pass).
    func prepare() {
        let shape = [batch, heads, length, depth]
        func input(_ seed: UInt64) -> Variable { Variable(randomTensor(shape, seed: seed), requiresGrad: backward) }
        inputs = (input(21), input(22), input(23), randomTensor(shape, seed: 24))
    }

    /// Frees the inputs.
    func release() { inputs = nil }

    /// One pass; returns the output (forward) or the query gradient (forward+backward).
    func run() -> Tensor {
        guard let (query, key, value, upstream) = inputs else { preconditionFailure("AttentionPass: not prepared") }
        guard backward else {
            return withoutGradients {
                scaledDotProductAttention(query: query, key: key, value: value, kernel: kernel).value
            }
        }
        for variable in [query, key, value] { variable.zeroGrad() }
        scaledDotProductAttention(query: query, key: key, value: value, kernel: kernel).backward(seed: upstream)
        return query.grad!
    }
}
