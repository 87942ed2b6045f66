// swift-tools-version: 6.1
import PackageDescription

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "Braid",
    products: [
        .library(name: "Braid", targets: ["Braid"]),
        .library(name: "BraidTensor", targets: ["BraidTensor"]),
        .library(name: "BraidAutograd", targets: ["BraidAutograd"]),
        .library(name: "BraidNN", targets: ["BraidNN"]),
        .library(name: "BraidData", targets: ["BraidData"]),
        .library(name: "BraidAttention", targets: ["BraidAttention"]),
        .library(name: "BraidEncoders", targets: ["BraidEncoders"]),
        .library(name: "BraidFusion", targets: ["BraidFusion"]),
        .library(name: "BraidGeneration", targets: ["BraidGeneration"]),
        .library(name: "BraidLanguageModels", targets: ["BraidLanguageModels"]),
        .library(name: "BraidTraining", targets: ["BraidTraining"]),
        // Not in the umbrella `Braid`: only programs that train across processes link Open MPI.
        .library(name: "BraidDistributed", targets: ["BraidDistributed"]),
    ],
    dependencies: [
        // Command-line parsing for the example programs only; the library products need nothing.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation` (Scripts/docs); adds a command plugin, no library code.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .target(name: "CBraidKernels"),
        // PNG and JPEG decoding: the libraries' longjmp error handling stays inside C.
        .target(name: "CBraidImageCodecs", dependencies: ["CPNG", "CJPEG"]),
        .target(name: "BraidTensor", dependencies: ["CBLAS", "CBraidKernels"]),
        .target(name: "BraidAutograd", dependencies: ["BraidTensor"]),
        .target(name: "BraidData", dependencies: ["BraidTensor", "CBraidImageCodecs"]),
        .target(name: "BraidNN", dependencies: ["BraidAutograd", "BraidData", "CBraidKernels"]),
        .target(name: "BraidAttention", dependencies: ["BraidNN", "CBraidKernels"]),
        .target(name: "BraidEncoders", dependencies: ["BraidAttention", "BraidData", "BraidFusion"]),
        .target(name: "BraidFusion", dependencies: ["BraidAttention"]),
        .target(name: "BraidGeneration", dependencies: ["BraidAttention"]),
        .target(name: "BraidLanguageModels", dependencies: ["BraidGeneration", "BraidData", "BraidEncoders"]),
        .target(name: "BraidTraining", dependencies: ["BraidNN"]),
        .target(name: "BraidDistributed", dependencies: ["BraidNN", "BraidTraining", "CMPI"]),
        .target(
            name: "Braid",
            dependencies: [
                "BraidTensor", "BraidAutograd", "BraidNN", "BraidData", "BraidAttention", "BraidEncoders", "BraidFusion",
                "BraidGeneration", "BraidLanguageModels", "BraidTraining",
            ]
        ),
        .target(
            name: "BraidTestSupport",
            dependencies: ["BraidTensor", "BraidAutograd", "BraidData"],
            path: "Tests/BraidTestSupport"
        ),
        .testTarget(name: "BraidTensorTests", dependencies: ["BraidTensor", "BraidTestSupport"]),
        .testTarget(name: "BraidAutogradTests", dependencies: ["BraidAutograd", "BraidTestSupport"]),
        .testTarget(name: "BraidDataTests", dependencies: ["BraidData", "BraidTestSupport"]),
        .testTarget(name: "BraidNNTests", dependencies: ["BraidNN", "BraidTestSupport"]),
        .testTarget(name: "BraidAttentionTests", dependencies: ["BraidAttention", "BraidTestSupport"]),
        .testTarget(name: "BraidEncodersTests", dependencies: ["BraidEncoders", "BraidFusion", "BraidTestSupport"]),
        .testTarget(name: "BraidFusionTests", dependencies: ["BraidFusion", "BraidTestSupport"]),
        .testTarget(name: "BraidGenerationTests", dependencies: ["BraidGeneration", "BraidTestSupport"]),
        .testTarget(name: "BraidLanguageModelsTests", dependencies: ["BraidLanguageModels", "BraidTestSupport"]),
        .testTarget(name: "BraidTrainingTests", dependencies: ["BraidTraining", "BraidTestSupport"]),
        .testTarget(name: "BraidTests", dependencies: ["Braid", "BraidTestSupport"]),
        // Run under mpirun by Scripts/test (-np 2 and -np 3); skipped by a plain `swift test`.
        .testTarget(
            name: "BraidDistributedTests", dependencies: ["BraidDistributed", "BraidTraining", "BraidTestSupport", "ExampleSupport"]),
        .testTarget(
            name: "ExampleTests",
            dependencies: [
                "ExampleSupport", "concat-classify", "fusion-compare", "make-av-digits", "mlp-train", "braid-embed", "braid-clip",
                "caption-train", "clip-train",
            ]
        ),
        .target(
            name: "ExampleSupport", dependencies: ["Braid", argumentParser], path: "Examples/Support",
            // The UCI digits (digits.bin and its attribution), read with `Bundle.module`.
            resources: [.copy("digits")]),
        .executableTarget(name: "mlp-train", dependencies: ["Braid", "ExampleSupport", argumentParser], path: "Examples/MLPTrain"),
        .executableTarget(name: "braid-embed", dependencies: ["Braid", "ExampleSupport", argumentParser], path: "Examples/BraidEmbed"),
        .executableTarget(name: "braid-clip", dependencies: ["Braid", argumentParser], path: "Examples/BraidCLIP"),
        .executableTarget(
            name: "concat-classify", dependencies: ["Braid", "BraidDistributed", "ExampleSupport", argumentParser],
            path: "Examples/ConcatClassify"),
        .executableTarget(
            name: "fusion-compare", dependencies: ["Braid", "BraidDistributed", "ExampleSupport", argumentParser],
            path: "Examples/FusionCompare"),
        .executableTarget(
            name: "caption-train", dependencies: ["Braid", "ExampleSupport", argumentParser], path: "Examples/CaptionTrain"),
        .executableTarget(name: "clip-train", dependencies: ["Braid", "ExampleSupport", argumentParser], path: "Examples/CLIPTrain"),
        .executableTarget(
            name: "make-av-digits", dependencies: ["Braid", "ExampleSupport", argumentParser], path: "Examples/MakeAVDigits"),
    ]
)
