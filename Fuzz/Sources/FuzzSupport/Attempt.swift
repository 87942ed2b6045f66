import Foundation

/// Whether `$BRAID_FUZZ_VERBOSE` is set: then `attempt` prints every error it catches, to see
/// why a hand-made input is rejected (`BRAID_FUZZ_VERBOSE=1 fuzz-idx input.idx`).
private let verbose = ProcessInfo.processInfo.environment["BRAID_FUZZ_VERBOSE"] != nil

/// `body`'s result, or `nil` when it throws: a thrown error is the loader rejecting the input,
/// never a finding. With `$BRAID_FUZZ_VERBOSE` set, the error is printed to standard error.
public func attempt<Result>(_ body: () throws -> Result) -> Result? {
    do {
        return try body()
    } catch {
        if verbose { FileHandle.standardError.write(Data("rejected: \(error)\n".utf8)) }
        return nil
    }
}
