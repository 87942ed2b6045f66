import CLibFuzzer

/// The body of this process's fuzz target, which libFuzzer's C callback cannot capture.
nonisolated(unsafe) private var fuzzBody: (([UInt8]) -> Void)?

/// Runs libFuzzer with the command line `argc`/`argv` (its flags and corpus folders), calling
/// `body` with every input, and returns the exit status for `main`. `body` must catch every
/// error: only crashes, hangs, leaks and running out of memory are findings.
public func runFuzzer(
    argc: Int32, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, body: @escaping ([UInt8]) -> Void
) -> Int32 {
    fuzzBody = body
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        fuzzBody?(bytes)
        return 0
    }
}
