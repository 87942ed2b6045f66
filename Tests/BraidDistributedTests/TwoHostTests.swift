import BraidDistributed
import Braid
import Foundation
import Testing

/// Set in the environment of the jobs `TwoHostTests` launches: where rank 0 writes the losses.
private let lossesVariable = "BRAID_TWO_HOST_LOSSES"

/// Runs `arguments[0]` with the rest, killed after `seconds`; its exit status and its output.
private func run(_ arguments: [String], environment: [String: String] = [:], seconds: Double = 120) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    (process.standardOutput, process.standardError) = (pipe, pipe)
    try process.run()
    let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: deadline)
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    deadline.cancel()
    return (process.terminationStatus, output)
}

/// Whether this process may create network namespaces (root, iproute2, a kernel that allows it).
private let namespacesArePermitted: Bool = {
    let probe = "braid-probe-\(getpid())"
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip"),
          let (status, _) = try? run(["/usr/sbin/ip", "netns", "add", probe]), status == 0 else { return false }
    _ = try? run(["/usr/sbin/ip", "netns", "del", probe])
    return true
}()

/// Two hosts on this machine: network namespaces joined by a veth pair, 10.231.x.1 and .2, the
/// job launched from the first by `mpirun` with a hostfile naming both and a launcher agent that
/// enters the second's namespace where `ssh` would log in, MPI's messages over TCP alone
/// (`--mca btl tcp,self`). Ten steps of ``ConcatTask`` there give the same losses, bit for bit,
/// as the same job over shared memory on one host.
@Suite(.enabled(if: !ProcessGroup.isLaunchedByMPI && FileManager.default.isExecutableFile(atPath: "/usr/bin/mpirun"),
                "needs mpirun (Open MPI) and runs outside it"),
       .enabled(if: namespacesArePermitted,
                "skipped: network namespaces are not permitted here (needs root and iproute2's `ip netns add`)"))
struct TwoHostTests {
    @Test func ranksInTwoNetworkNamespacesOverTCPTrainAsOverSharedMemory() throws {
        let ip = "/usr/sbin/ip", mpirun = "/usr/bin/mpirun", tag = "\(getpid() % 100_000)"
        let (first, second) = ("braid-a-\(tag)", "braid-b-\(tag)")
        let subnet = "10.231.\(getpid() % 250)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("braid-two-hosts-\(tag)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            for namespace in [first, second] { _ = try? run([ip, "netns", "del", namespace]) }
            try? FileManager.default.removeItem(at: directory)
        }
        for command in [
            ["netns", "add", first], ["netns", "add", second],
            ["link", "add", "bva\(tag)", "type", "veth", "peer", "name", "bvb\(tag)"],
            ["link", "set", "bva\(tag)", "netns", first], ["link", "set", "bvb\(tag)", "netns", second],
            ["-n", first, "addr", "add", "\(subnet).1/24", "dev", "bva\(tag)"],
            ["-n", second, "addr", "add", "\(subnet).2/24", "dev", "bvb\(tag)"],
            ["-n", first, "link", "set", "lo", "up"], ["-n", second, "link", "set", "lo", "up"],
            ["-n", first, "link", "set", "bva\(tag)", "up"], ["-n", second, "link", "set", "bvb\(tag)", "up"],
        ] {
            let (status, output) = try run([ip] + command)
            try #require(status == 0, "ip \(command.joined(separator: " ")): \(output)")
        }
        let hostfile = directory.appendingPathComponent("hosts").path
        try "\(subnet).1 slots=1\n\(subnet).2 slots=1\n".write(toFile: hostfile, atomically: true, encoding: .utf8)
        // mpirun calls the agent as `agent host command…`, as it would call ssh.
        let agent = directory.appendingPathComponent("agent").path
        try """
            #!/bin/sh
            host=$1; shift
            case $host in
              \(subnet).1) namespace=\(first) ;;
              \(subnet).2) namespace=\(second) ;;
              *) echo "agent: unknown host $host" >&2; exit 1 ;;
            esac
            exec \(ip) netns exec $namespace sh -c "$*"
            """.write(toFile: agent, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: agent)

        let bundle = [CommandLine.arguments[0], "--testing-library", "swift-testing", "--filter", "TwoHostScenario"]
        func losses(_ name: String, _ launch: [String]) throws -> (losses: [Float], namespaces: Set<String>) {
            let path = directory.appendingPathComponent(name).path
            let (status, output) = try run(launch + ["-x", lossesVariable] + bundle, environment: [lossesVariable: path])
            try #require(status == 0, "\(name) job failed: \(output)")
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            return (lines[0].split(separator: " ").map { Float(bitPattern: UInt32($0)!) }, Set(lines[1].split(separator: " ").map(String.init)))
        }
        let sharedMemory = try losses("shared-memory", [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "2"])
        let network = try losses("tcp", [
            ip, "netns", "exec", first, mpirun, "--allow-run-as-root", "--hostfile", hostfile, "-np", "2",
            "--mca", "plm_rsh_agent", agent, "--mca", "btl", "tcp,self",
        ])
        #expect(sharedMemory.namespaces.count == 1)
        #expect(network.namespaces.count == 2, "one rank in each namespace: \(network.namespaces)")
        #expect(network.losses.count == 10)
        #expect(network.losses == sharedMemory.losses)
    }
}

/// Run only by `TwoHostTests`: ten data-parallel steps of ``ConcatTask`` with synchronised batch
/// norm, 2 ranks × 16; rank 0 writes the averaged losses (bit patterns) and every rank's network
/// namespace.
@Suite(.enabled(if: ProcessGroup.isLaunchedByMPI && ProcessInfo.processInfo.environment[lossesVariable] != nil,
                "launched by TwoHostTests"))
struct TwoHostScenario {
    @Test func tenStepsOfTheConcatModel() throws {
        let group = try ProcessGroup.world()
        let task = try ConcatTask()
        let model = task.model(seed: 5)
        let ddp = try DistributedDataParallel(model, group: group)
        model.synchronizeBatchStatistics(with: group)
        let optimizer = Adam(parameters: model.parameters(), learningRate: 2e-3)
        var losses: [Float] = []
        for step in 0..<10 {
            let rows = task.rows(step: step, count: 16 * group.size)
            let loss = try task.loss(model, Array(rows[group.rank * 16..<(group.rank + 1) * 16]))
            loss.backward()
            try ddp.synchronizeGradients()
            optimizer.step()
            model.zeroGrad()
            var average = [loss.value.scalar]
            try group.allReduce(&average, .average)
            losses += average
        }
        // The namespace's inode, as `readlink /proc/self/ns/net` gives it: net:[4026531840].
        let namespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        let namespaces = try group.allGather(Array(namespace.utf8).map { Float($0) } + [Float](repeating: 0, count: 32 - namespace.utf8.count))
        if group.rank == 0 {
            let names = (0..<group.size).map { rank in
                String(decoding: namespaces[rank * 32..<(rank + 1) * 32].prefix { $0 != 0 }.map { UInt8($0) }, as: UTF8.self)
            }
            let text = losses.map { String($0.bitPattern) }.joined(separator: " ") + "\n" + names.joined(separator: " ") + "\n"
            try text.write(toFile: ProcessInfo.processInfo.environment[lossesVariable]!, atomically: true, encoding: .utf8)
        }
    }
}
