import BraidDistributed
import Foundation
import Testing

/// Open MPI's launcher.
private let mpirun = "/usr/bin/mpirun"
/// Set in the environment of the job `DyingRankTests` launches.
private let scenarioVariable = "BRAID_DYING_RANK_SCENARIO"

/// A rank that dies, or that fails and aborts, ends the whole job with an error, soon: the plain
/// `swift test` run launches this bundle's `DyingRankScenario` under `mpirun -np 2`, where rank 1
/// kills itself (SIGKILL) or throws inside `ProcessGroup.abortingOnError` while rank 0 waits in an
/// all-reduce that can never complete.
@Suite(.enabled(if: !ProcessGroup.isLaunchedByMPI && FileManager.default.isExecutableFile(atPath: mpirun),
                "needs mpirun (Open MPI) and runs outside it"))
struct DyingRankTests {
    @Test(arguments: ["kill", "abort"])
    func theOtherRanksExitWithAnErrorWithinThirtySeconds(ending: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun)
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", "2", CommandLine.arguments[0],
                             "--testing-library", "swift-testing", "--filter", "DyingRankScenario"]
        var environment = ProcessInfo.processInfo.environment
        environment[scenarioVariable] = ending
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        // Killed after a minute if MPI hangs, so the test fails rather than the suite hanging.
        let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: deadline)
        process.waitUntilExit()
        deadline.cancel()
        let seconds = Date().timeIntervalSince(start)
        #expect(process.terminationStatus != 0)
        #expect(seconds < 30, "mpirun took \(seconds) s to end the job after a \(ending)")
    }
}

/// Run only by `DyingRankTests`: rank 1 dies by SIGKILL or aborts on an error, rank 0 blocks in a collective.
@Suite(.enabled(if: ProcessGroup.isLaunchedByMPI && ProcessInfo.processInfo.environment[scenarioVariable] != nil,
                "launched by DyingRankTests"))
struct DyingRankScenario {
    @Test func rankOneDiesWhileRankZeroWaits() throws {
        let group = try ProcessGroup.world()
        try group.barrier()
        if group.rank == 1 {
            if ProcessInfo.processInfo.environment[scenarioVariable] == "abort" {
                struct RankFailure: Error {}
                ProcessGroup.abortingOnError { throw RankFailure() }
            }
            kill(getpid(), SIGKILL)
        }
        var values: [Float] = [1]
        try group.allReduce(&values)
        Issue.record("the all-reduce completed without rank 1")
    }
}
