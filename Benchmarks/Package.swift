// swift-tools-version: 6.1
// Braid's benchmarks: a separate package so that users of the library never resolve
// benchmark dependencies. Run from this folder: `swift package benchmark`.
import PackageDescription

let package = Package(
    name: "BraidBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Braid", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Helpers shared by the benchmark targets: throughput metrics, seeded inputs, raw sgemm.
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "Braid", package: "Braid"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Support/BenchmarkSupport"
        ),
        .executableTarget(
            name: "FoundationBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Braid", package: "Braid"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FoundationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "AttentionBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Braid", package: "Braid"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/AttentionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EncoderBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Braid", package: "Braid"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EncoderBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Braid", package: "Braid"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TrainingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
