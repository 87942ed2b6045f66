import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTraining
import Foundation
import Testing

/// Checkpoints: exact resume with Adam and SGD, rejection of another model's checkpoint, corrupt
/// files, and atomic writes.
@Suite struct CheckpointTests {
    /// A fresh directory for one test's files.
    static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "braid-checkpoint-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// 23 samples of 4 features in 3 classes, fixed by a seed.
    static let inputs: Tensor = {
        var g = RandomGenerator(seed: 42)
        return Tensor(shape: [23, 4], scalars: (0..<92).map { _ in g.nextNormal() })
    }()
    static let labels: [Int] = (0..<23).map { ($0 * 7) % 3 }

    /// `Linear(4, hidden) → ReLU → Dropout(0.3) → Linear(hidden, 3)`, initialised from `seed`.
    static func makeModel(seed: UInt64, hidden: Int = 16) -> (model: Sequential, dropout: Dropout) {
        var g = RandomGenerator(seed: seed)
        let dropout = Dropout(probability: 0.3, seed: seed &+ 1)
        let model = Sequential(
            Linear(inputFeatures: 4, outputFeatures: hidden, generator: &g), ReLU(), dropout,
            Linear(inputFeatures: hidden, outputFeatures: 3, generator: &g))
        return (model, dropout)
    }

    /// One epoch over `loader`, returning each batch's loss.
    static func trainEpoch(_ model: Sequential, _ optimizer: any Optimizer, _ loader: DataLoader) -> [Float] {
        var losses: [Float] = []
        for batch in loader {
            let x = Variable(inputs.indexSelect(axis: 0, indices: batch))
            let loss = crossEntropy(logits: model(x), targets: IntTensor(batch.map { labels[$0] }))
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            losses.append(loss.value.scalar)
        }
        return losses
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }
    static func bits(_ model: Module) -> [String: [UInt32]] { model.stateDict().mapValues { bits($0.scalars) } }
    static func bits(_ optimizer: any StatefulOptimizer) -> [String: [UInt32]] {
        let state = optimizer.state()
        return state.tensors.mapValues { bits($0.scalars) }.merging(state.counters.mapValues { [UInt32($0)] }) { a, _ in a }
    }

    static let optimizers: [(String, @Sendable ([Variable]) -> any StatefulOptimizer)] = [
        ("adam", { Adam(parameters: $0, learningRate: 0.01) }),
        ("sgd_nesterov", { SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01) }),
    ]

    @Test(arguments: optimizers)
    func resumingReproducesTheUninterruptedRunBitForBit(name: String, make: @Sendable ([Variable]) -> any StatefulOptimizer) throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"

        // Uninterrupted: two epochs, with a checkpoint after the first.
        let (model, dropout) = Self.makeModel(seed: 1)
        let optimizer = make(model.parameters())
        let loader = DataLoader(count: 23, batchSize: 5, shuffle: true, seed: 7)
        _ = Self.trainEpoch(model, optimizer, loader)
        try Checkpoint.save(
            to: path, model: model, optimizer: optimizer,
            generators: ["loader": loader.generator, "dropout": dropout.generator], epoch: 1,
            metadata: ["run": name])
        let expected = Self.trainEpoch(model, optimizer, loader)

        // Resumed: everything fresh and differently seeded, then restored from the checkpoint.
        let (resumed, resumedDropout) = Self.makeModel(seed: 99)
        let resumedOptimizer = make(resumed.parameters())
        let resumedLoader = DataLoader(count: 23, batchSize: 5, shuffle: true, seed: 123)
        let state = try Checkpoint.load(from: path, into: resumed, optimizer: resumedOptimizer)
        #expect(state.epoch == 1)
        #expect(state.metadata == ["run": name])
        #expect(Set(state.generators.keys) == ["loader", "dropout"])
        resumedLoader.generator = try #require(state.generators["loader"])
        resumedDropout.generator = try #require(state.generators["dropout"])
        let actual = Self.trainEpoch(resumed, resumedOptimizer, resumedLoader)

        #expect(actual.count == 5)
        #expect(Self.bits(actual) == Self.bits(expected))
        #expect(Self.bits(resumed) == Self.bits(model))
        #expect(Self.bits(resumedOptimizer) == Self.bits(optimizer))
    }

    @Test func sgdBuffersThatWereNeverCreatedRoundTripAsAbsent() throws {
        let a = Variable(Tensor(shape: [2], scalars: [1, 2]), requiresGrad: true)
        let b = Variable(Tensor(shape: [3], scalars: [1, 2, 3]), requiresGrad: true)
        let sgd = SGD(parameters: [a, b], learningRate: 0.1, momentum: 0.9)
        a.grad = Tensor(shape: [2], scalars: [0.5, -0.5])
        sgd.step()
        let state = sgd.state()
        #expect(Set(state.tensors.keys) == ["0.momentum_buffer"] && state.counters.isEmpty)

        let restored = SGD(parameters: [a, b], learningRate: 0.1, momentum: 0.9)
        restored.momentumBuffers[1] = Tensor(shape: [3], scalars: [9, 9, 9])
        try restored.loadState(state, source: "test")
        #expect(restored.momentumBuffers[0]?.scalars == [0.5, -0.5])
        #expect(restored.momentumBuffers[1] == nil)
    }

    @Test func optimizerStateForAnotherModelIsRejectedAndChangesNothing() throws {
        let (small, _) = Self.makeModel(seed: 1, hidden: 8)
        let (large, _) = Self.makeModel(seed: 1, hidden: 16)
        let adam = Adam(parameters: small.parameters(), learningRate: 0.01)
        adam.stepCount = 3
        let before = Self.bits(adam)
        let foreign = Adam(parameters: large.parameters() + [Variable(Tensor.zeros([2]))]).state()
        let error = try #require(throws: StateDictError.self) { try adam.loadState(foreign, source: "other") }
        #expect(error.unexpectedKeys == ["4.exp_avg", "4.exp_avg_sq"])
        #expect(error.shapeMismatches.map(\.key) == ["0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq", "2.exp_avg", "2.exp_avg_sq"])
        #expect(Self.bits(adam) == before)
        #expect(adam.stepCount == 3)
    }

    /// A checkpoint after a few Adam steps, with its model and optimiser.
    static func savedRun(at path: String) throws -> (Sequential, Adam) {
        let (model, dropout) = makeModel(seed: 1)
        let adam = Adam(parameters: model.parameters(), learningRate: 0.01)
        let loader = DataLoader(count: 23, batchSize: 5, seed: 7)
        _ = trainEpoch(model, adam, loader)
        try Checkpoint.save(
            to: path, model: model, optimizer: adam,
            generators: ["loader": loader.generator, "dropout": dropout.generator], epoch: 1)
        return (model, adam)
    }

    @Test func checkpointOfAnotherModelThrowsNamingKeysAndChangesNothing() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        _ = try Self.savedRun(at: path)

        let (other, _) = Self.makeModel(seed: 5, hidden: 8)
        let adam = Adam(parameters: other.parameters(), learningRate: 0.01)
        _ = Self.trainEpoch(other, adam, DataLoader(count: 23, batchSize: 5, seed: 3))
        let (modelBefore, adamBefore) = (Self.bits(other), Self.bits(adam))

        let error = try #require(throws: StateDictError.self) {
            try Checkpoint.load(from: path, into: other, optimizer: adam)
        }
        #expect(error.shapeMismatches.map(\.key).contains("model.0.weight"))
        #expect(error.shapeMismatches.map(\.key).contains("model.3.weight"))
        #expect(error.shapeMismatches.map(\.key).contains("optimizer.0.exp_avg"))
        #expect(error.description.contains("model.0.weight"))
        #expect(Self.bits(other) == modelBefore)
        #expect(Self.bits(adam) == adamBefore)

        // The right model with the wrong optimiser: the model must not change either.
        let (same, _) = Self.makeModel(seed: 5)
        let sgd = SGD(parameters: same.parameters(), learningRate: 0.1, momentum: 0.9)
        let sameBefore = Self.bits(same)
        let sgdError = try #require(throws: StateDictError.self) {
            try Checkpoint.load(from: path, into: same, optimizer: sgd)
        }
        #expect(sgdError.unexpectedKeys.contains("optimizer.step"))
        #expect(sgdError.unexpectedKeys.contains("optimizer.0.exp_avg"))
        #expect(Self.bits(same) == sameBefore)
        #expect(sgd.state() == OptimizerState())
    }

    @Test func truncatedOrCorruptedFileThrowsSafeTensorsError() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        _ = try Self.savedRun(at: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let (model, _) = Self.makeModel(seed: 5)
        let adam = Adam(parameters: model.parameters(), learningRate: 0.01)
        let before = Self.bits(model)

        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: SafeTensorsError.self) { try Checkpoint.load(from: path, into: model, optimizer: adam) }

        var corrupted = bytes
        corrupted.replaceSubrange(8..<40, with: repeatElement(UInt8(0xFF), count: 32))
        try corrupted.write(to: URL(fileURLWithPath: path))
        #expect(throws: SafeTensorsError.self) { try Checkpoint.load(from: path, into: model, optimizer: adam) }

        #expect(Self.bits(model) == before)
        #expect(adam.stepCount == 0)
    }

    @Test func saveLeavesNoTemporaryFile() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        _ = try Self.savedRun(at: path)
        _ = try Self.savedRun(at: path)  // Replacing an existing checkpoint too.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["run.safetensors"])
    }

    /// Rewrites the I64 entry `key` of the checkpoint at `path` with `scalars`.
    static func replaceInteger(_ key: String, with scalars: [Int], in path: String) throws {
        let file = try SafeTensors(contentsOf: path)
        var tensors: [String: Tensor] = [:], integers: [String: IntTensor] = [:]
        for name in file.names {
            if try file.dtype(of: name) == .i64 { integers[name] = try file.intTensor(name) } else { tensors[name] = try file.tensor(name) }
        }
        integers[key] = IntTensor(shape: [scalars.count], scalars: scalars)
        try SafeTensors.write(tensors, intTensors: integers, metadata: file.metadata, to: path)
    }

    /// Int64.max overflowed `epoch + 1`; 2⁶² and negative epochs trained a wrong number of epochs.
    @Test(arguments: [Int.max, Int.min, 1 << 62, -1, Int(Int32.max) + 1])
    func epochOutsideItsRangeThrowsAndChangesNothing(epoch: Int) throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        _ = try Self.savedRun(at: path)
        try Self.replaceInteger("epoch", with: [epoch], in: path)
        let (model, _) = Self.makeModel(seed: 5)
        let adam = Adam(parameters: model.parameters(), learningRate: 0.01)
        let before = Self.bits(model)
        #expect(throws: CheckpointError(path: path, key: "epoch", reason: "\(epoch) is outside 0...2147483647")) {
            try Checkpoint.load(from: path, into: model, optimizer: adam)
        }
        #expect(Self.bits(model) == before && adam.stepCount == 0)
    }

    /// From the all-zero state xoshiro256** returns only 0, and the loader's rejection loop never ended.
    @Test func allZeroGeneratorStateThrows() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        _ = try Self.savedRun(at: path)
        try Self.replaceInteger("rng.loader", with: [0, 0, 0, 0], in: path)
        let (model, _) = Self.makeModel(seed: 5)
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.load(from: path, into: model, optimizer: nil) }
        #expect(error?.key == "rng.loader")
        #expect(error?.reason.contains("all-zero") == true)
    }

    /// The step count was a Float, so 2²⁴ steps could not be saved and a 16.7 M-step run crashed.
    @Test func adamStepCountIsSavedExactlyAsAnInteger() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/run.safetensors"
        let (model, adam) = try Self.savedRun(at: path)
        adam.stepCount = (1 << 24) + 1
        try Checkpoint.save(to: path, model: model, optimizer: adam, generators: [:], epoch: 3)
        let file = try SafeTensors(contentsOf: path)
        #expect(try file.dtype(of: "optimizer.step") == .i64)
        let restored = Adam(parameters: model.parameters(), learningRate: 0.01)
        #expect(try Checkpoint.load(from: path, into: model, optimizer: restored).epoch == 3)
        #expect(restored.stepCount == (1 << 24) + 1)

        for step in [-1, (1 << 53) + 1] {
            try Self.replaceInteger("optimizer.step", with: [step], in: path)
            let fresh = Adam(parameters: model.parameters(), learningRate: 0.01)
            let error = try #require(throws: StateDictError.self) { try Checkpoint.load(from: path, into: model, optimizer: fresh) }
            #expect(error.invalidValues == [.init(key: "optimizer.step", reason: "is \(step); it must be in 0...9007199254740992")])
            #expect(fresh.stepCount == 0)
        }
    }

    /// Another model's checkpoint used to print every key in one 5,500-character line.
    @Test func mismatchMessageNamesAFewKeysAndCountsTheRest() {
        let error = StateDictError(path: "run.safetensors", missingKeys: (0..<40).map { "layer.\($0).weight" })
        #expect(error.description == "run.safetensors: state dict does not match the module: 40 missing keys: "
            + "'layer.0.weight', 'layer.1.weight', 'layer.2.weight', 'layer.3.weight', 'layer.4.weight' and 35 more")
        #expect(error.missingKeys.count == 40)
    }
}
