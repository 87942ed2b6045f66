@testable import BraidDistributed
import BraidTensor
import CMPI
import Foundation
import Testing

extension DistributedTests {
    /// The collectives of `ProcessGroup` across the ranks `mpirun` starts: Scripts/test runs this
    /// suite with 2 and with 3 processes. Each rank checks its own result against what every rank's
    /// contribution (a function of the rank) gives. A plain `swift test` skips it.
    @Suite struct ProcessGroupTests {
        let group: ProcessGroup
        init() throws { group = try ProcessGroup.world() }

        /// Rank r's contribution: element i is (r + 1)·(i + 1), and its negative at odd i.
        func contribution(rank: Int, count: Int) -> [Int] {
            (0..<count).map { i in (rank + 1) * (i + 1) * (i % 2 == 0 ? 1 : -1) }
        }

        @Test func rankAndSizeAreMPIs() throws {
            let environment = ProcessInfo.processInfo.environment
            #expect(group.size == Int(try #require(environment["OMPI_COMM_WORLD_SIZE"])))
            #expect(group.rank == Int(try #require(environment["OMPI_COMM_WORLD_RANK"])))
            #expect(try ProcessGroup.world() === group, "initialised once")
            try group.barrier()
        }

        @Test(arguments: [0, 1, 2])
        func broadcastGivesEveryRankTheRootsValues(root: Int) throws {
            let root = root % group.size
            var floats = contribution(rank: group.rank, count: 5).map { Float($0) + 0.25 }
            try group.broadcast(&floats, root: root)
            #expect(floats == contribution(rank: root, count: 5).map { Float($0) + 0.25 })
            var ints = contribution(rank: group.rank, count: 3)
            try group.broadcast(&ints, root: root)
            #expect(ints == contribution(rank: root, count: 3))
            var tensor = Tensor(shape: [2, 2], scalars: contribution(rank: group.rank, count: 4).map(Float.init))
            try group.broadcast(&tensor, root: root)
            #expect(tensor.scalars == contribution(rank: root, count: 4).map(Float.init) && tensor.shape == [2, 2])
        }

        @Test(arguments: ReduceOperation.allCases)
        func allReduceCombinesEveryRank(operation: ReduceOperation) throws {
            let all = (0..<group.size).map { contribution(rank: $0, count: 7) }
            let expected = (0..<7).map { i -> Int in
                let column = all.map { $0[i] }
                switch operation {
                case .sum: return column.reduce(0, +)
                case .average: return column.reduce(0, +) / group.size
                case .minimum: return column.min()!
                case .maximum: return column.max()!
                }
            }
            var ints = contribution(rank: group.rank, count: 7)
            try group.allReduce(&ints, operation)
            #expect(ints == expected)
            var floats = contribution(rank: group.rank, count: 7).map(Float.init)
            try group.allReduce(&floats, operation)
            let floatExpected = operation == .average
                ? (0..<7).map { i in Float(all.map { $0[i] }.reduce(0, +)) / Float(group.size) }
                : expected.map(Float.init)
            #expect(floats == floatExpected)
            var tensor = Tensor(shape: [7], scalars: contribution(rank: group.rank, count: 7).map(Float.init))
            try group.allReduce(&tensor, operation)
            #expect(tensor.scalars == floatExpected)
        }

        @Test func allGatherStacksTheRanksInOrder() throws {
            let gathered = try group.allGather(contribution(rank: group.rank, count: 3))
            #expect(gathered == (0..<group.size).flatMap { contribution(rank: $0, count: 3) })
            let tensor = try group.allGather(Tensor(shape: [1, 2], scalars: [Float(group.rank), 0.5]))
            #expect(tensor.shape == [group.size, 1, 2])
            #expect(tensor.scalars == (0..<group.size).flatMap { [Float($0), 0.5] })
            #expect(try group.allGather([Float]()).isEmpty)
        }

        @Test func nonBlockingCollectivesFinishInAnyOrder() throws {
            let large = contribution(rank: group.rank, count: 100_000).map(Float.init)
            let reduce = try group.startAllReduce(large, .average)
            let gather = try group.startAllGather([group.rank * 10])
            let broadcast = try group.startBroadcast([Float(group.rank)], root: group.size - 1)
            // Waited for in the reverse order of their start.
            #expect(try broadcast.wait() == [Float(group.size - 1)])
            #expect(try gather.wait() == (0..<group.size).map { $0 * 10 })
            let averaged = try reduce.wait()
            let scale = Float(group.size + 1) / 2  // the mean of 1...size
            #expect(averaged.count == 100_000 && averaged[0] == scale && averaged[99_999] == -100_000 * scale)
            try #expect(reduce.isComplete() && reduce.wait() == averaged, "a finished collective keeps its result")
            var pending = try group.startAllReduce([1])
            while try !pending.isComplete() {}
            #expect(try pending.wait() == [group.size])
            pending = try group.startAllReduce([2])  // released unwaited: waited for then
            _ = pending
        }

        @Test func badArgumentsAreTypedErrors() throws {
            #expect(throws: DistributedError.invalidRoot(group.size, size: group.size)) {
                var values: [Float] = [1]
                try group.broadcast(&values, root: group.size)
            }
            #expect(throws: DistributedError.invalidRoot(-1, size: group.size)) { try group.startBroadcast([1], root: -1) }
            // Every rank sees the mismatch: the count check is itself a collective.
            let count = group.rank + 1
            #expect(throws: DistributedError.mismatchedCounts(call: "MPI_Allgather", smallest: 1, largest: group.size)) {
                try group.allGather([Int](repeating: 0, count: count))
            }
            #expect(throws: DistributedError.countTooLarge(Int(Int32.max) + 1)) { try mpiCount(Int(Int32.max) + 1) }
        }

        /// MPI's errors are returned, not fatal: a call MPI itself rejects comes back as its code,
        /// which becomes MPI's message.
        @Test func mpiErrorsAreReturnedWithTheirMessage() throws {
            var value: Float = 0
            let code = MPI_Bcast(&value, 1, braid_mpi_float(), Int32(group.size), braid_mpi_comm_world())
            #expect(code != MPI_SUCCESS)
            let error = try #require(mpiError(code, "MPI_Bcast"))
            guard case let .mpi(call, returned, message) = error else { Issue.record("\(error)"); return }
            #expect(call == "MPI_Bcast" && returned == code && message.contains("MPI_ERR"), "\(message)")
            #expect(error.description.hasPrefix("MPI_Bcast failed with MPI error \(code): "))
            try group.barrier()
        }
    }
}
