import BraidDistributed
import Testing

/// Every distributed suite, nested here so that each rank runs them one at a time: the ranks must
/// call their collectives in the same order, which suites running side by side would interleave.
/// Scripts/test launches the test bundle under mpirun with 2 and with 3 processes; a plain
/// `swift test` skips them.
@Suite(.serialized, .enabled(if: ProcessGroup.isLaunchedByMPI, "runs under mpirun: Scripts/test launches it with -np 2 and -np 3"))
struct DistributedTests {}
