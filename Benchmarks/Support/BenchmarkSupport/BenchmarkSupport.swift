// Helpers shared by Braid's benchmark targets: a benchmark that also reports its throughput,
// seeded inputs, and the raw sgemm baseline.
import Benchmark
import Braid
@_spi(RawKernels) import BraidTensor

/// Units of the custom throughput metric. Custom metrics are integers, so operations and
/// elements are counted in millions per second; whole items (sentences, images) one by one.
public enum ThroughputUnit: String, Sendable {
    /// Millions of floating-point operations per second.
    case mflops = "MFLOP/s"
    /// Millions of tensor elements processed per second.
    case melements = "M elements/s"
    /// Sentences encoded per second.
    case sentences = "sentences/s"
    /// Images processed per second.
    case images = "images/s"
    /// Training samples processed per second.
    case samples = "samples/s"
    /// Tokens generated per second.
    case tokens = "tokens/s"
    /// Megabytes (10⁶ bytes) read per second.
    case megabytes = "MB/s"

    /// Base units per reported unit.
    var scale: Double {
        switch self {
        case .mflops, .melements, .megabytes: 1e6
        case .sentences, .images, .samples, .tokens: 1
        }
    }
}

/// Registers a benchmark of `body` that records, besides the configuration's metrics, `work` units
/// per second of each iteration as the custom metric named by `unit`.
///
/// - Parameters:
///   - name: the benchmark's name.
///   - unit: the unit of the throughput metric; `work` is counted in its base unit (flops, elements, items).
///   - work: the flops or elements of one call of `body`.
///   - configuration: the run settings; `Benchmark.defaultConfiguration` by default. The throughput
///     metric is appended to its metrics.
///   - body: one timed iteration.
public func throughputBenchmark(
    _ name: String, unit: ThroughputUnit, work: Double,
    configuration: Benchmark.Configuration = Benchmark.defaultConfiguration,
    _ body: @escaping @Sendable () -> Void
) {
    let metric = BenchmarkMetric.custom(unit.rawValue, polarity: .prefersLarger, useScalingFactor: false)
    var configuration = configuration
    configuration.metrics += [metric]
    Benchmark(name, configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            benchmark.measurement(metric, Int(work / seconds / unit.scale))
        }
    }
}

/// A seeded standard-normal tensor of `shape`.
public func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.randomNormal(shape, generator: &generator)
}

/// C = A·B for square `n`×`n` row-major tensors through one `BLAS.gemm` call on raw pointers into
/// a freshly allocated result: the roofline the Tensor-level benchmarks are compared with.
public func rawSquareSgemm(_ a: Tensor, _ b: Tensor, n: Int) -> [Float] {
    precondition(a.count == n * n && b.count == n * n, "rawSquareSgemm: operands are not \(n)×\(n)")
    var c = [Float](repeating: 0, count: n * n)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(transposeA: false, transposeB: false, m: n, n: n, k: n,
                          a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
            }
        }
    }
    return c
}
