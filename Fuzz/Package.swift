// swift-tools-version: 6.1
// Braid's fuzz targets: a separate package so that the library never builds with fuzzer flags.
// One libFuzzer executable per file loader; run them all with `Scripts/fuzz [seconds] [target...]`,
// which builds this package with the flags that work (see the script) and keeps the seeds in
// `Corpus/<target>/` clean. `fuzz-seeds` regenerates those seeds.
import PackageDescription

let support = Target.Dependency.target(name: "FuzzSupport")

/// A libFuzzer executable in `Sources/<name>`: its one file defines `<name with _>_main` with
/// `@_cdecl`, so it is compiled as a library (no top-level code, no second `main`).
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name, dependencies: [support], swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "BraidFuzz",
    dependencies: [.package(name: "Braid", path: "..")],
    targets: [
        // The declaration of libFuzzer's `LLVMFuzzerRunDriver`; the symbol comes from the
        // runtime that `-sanitize=fuzzer` links.
        .systemLibrary(name: "CLibFuzzer"),
        // The driver call, scratch files and the fixed models and vocabularies shared by the
        // targets and `fuzz-seeds`.
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", .product(name: "Braid", package: "Braid")]),
        fuzzTarget("fuzz-safetensors"),
        fuzzTarget("fuzz-state-dict"),
        fuzzTarget("fuzz-wav"),
        fuzzTarget("fuzz-idx"),
        fuzzTarget("fuzz-netpbm"),
        fuzzTarget("fuzz-image"),
        fuzzTarget("fuzz-tokenizer"),
        fuzzTarget("fuzz-tokenizer-config"),
        fuzzTarget("fuzz-bpe"),
        fuzzTarget("fuzz-bert-config"),
        fuzzTarget("fuzz-gpt2-config"),
        fuzzTarget("fuzz-clip-config"),
        fuzzTarget("fuzz-checkpoint"),
        // Writes the seed corpora into `Corpus/` (`Scripts/fuzz --make-seeds`).
        .executableTarget(name: "fuzz-seeds", dependencies: [support]),
    ]
)
