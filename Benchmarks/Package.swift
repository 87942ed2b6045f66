// swift-tools-version: 6.1
// Braid's benchmarks: a separate package so that users of the library never resolve
// benchmark dependencies. Run from this folder: `swift package benchmark`.
import PackageDescription

let braid = Target.Dependency.product(name: "Braid", package: "Braid")
// BraidTensor's raw sgemm (SPI `RawKernels`) is the baseline of the matmul figures.
let braidTensor = Target.Dependency.product(name: "BraidTensor", package: "Braid")
let benchmark = Target.Dependency.product(name: "Benchmark", package: "benchmark")

/// A benchmark executable in `Benchmarks/<name>`, run by the benchmark plugin.
func benchmarkTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["BenchmarkSupport", braid, braidTensor, benchmark],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "BraidBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Braid", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Helpers shared by the benchmark targets: throughput metrics, seeded inputs, raw sgemm.
        .target(name: "BenchmarkSupport", dependencies: [braid, braidTensor, benchmark], path: "Support/BenchmarkSupport"),
        benchmarkTarget("FoundationBenchmarks"),
        benchmarkTarget("AttentionBenchmarks"),
        benchmarkTarget("EncoderBenchmarks"),
        benchmarkTarget("TrainingBenchmarks"),
        benchmarkTarget("GenerationBenchmarks"),
        // The all-reduce bandwidth of BraidDistributed beside the same loop in C straight on Open
        // MPI; run under mpirun by Scripts/benchmark-allreduce.
        .executableTarget(
            name: "allreduce-bandwidth", dependencies: [.product(name: "BraidDistributed", package: "Braid")],
            path: "Distributed/AllReduceBandwidth"),
        .systemLibrary(name: "COpenMPI", path: "Distributed/COpenMPI", pkgConfig: "ompi-c"),
        .executableTarget(name: "allreduce-bandwidth-mpi", dependencies: ["COpenMPI"], path: "Distributed/MPIAllReduceBandwidth"),
    ]
)
