import BraidData
import BraidNN
import BraidTensor

/// A checkpoint entry that is present but unusable, or a required entry that is absent.
public struct CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The checkpoint file.
    public var path: String
    /// The offending key (`"epoch"`, `"rng.loader"`, or an entry under an unknown prefix).
    public var key: String
    /// What is wrong with it.
    public var reason: String

    /// An error about `key` in the checkpoint at `path`.
    public init(path: String, key: String, reason: String) {
        self.path = path
        self.key = key
        self.reason = reason
    }

    /// The file, key and reason in one message.
    public var description: String { "\(path): checkpoint entry '\(key)': \(reason)" }
}

/// Saves and restores everything a training run needs to resume bit-for-bit: the model's
/// parameters and buffers, the optimiser's state, named random generators and the epoch number.
///
/// A checkpoint is one safetensors file, written atomically (a temporary file in the same
/// directory, synced, then renamed), holding
/// - `model.<name>`: each parameter and buffer by its state-dict name (F32);
/// - `optimizer.<key>`: each tensor of `StatefulOptimizer.state()` (F32), and each of its
///   counters as an I64 tensor of shape [1], so step counts stay exact however long the run;
/// - `rng.<name>`: each generator's four xoshiro256** words, bit-cast to I64, shape [4];
/// - `epoch`: the epoch number as an I64 tensor of shape [1];
/// - the caller's `metadata` as the header's `__metadata__` strings.
public enum Checkpoint {
    /// The epoch numbers a checkpoint may hold: more epochs than any run trains, few enough that
    /// counting steps from them cannot overflow.
    public static let allowedEpochs = 0...Int(Int32.max)

    /// Writes a checkpoint of `model`, `optimizer` (if any), `generators` and `epoch` to `path`,
    /// replacing any file there atomically. Throws `SafeTensorsError` if the write fails, in which
    /// case `path` is unchanged.
    public static func save(
        to path: String, model: Module, optimizer: (any StatefulOptimizer)?,
        generators: [String: RandomGenerator], epoch: Int, metadata: [String: String] = [:]
    ) throws {
        var tensors: [String: Tensor] = [:]
        for (name, value) in model.stateDict() { tensors["model.\(name)"] = value }
        check(allowedEpochs.contains(epoch), "Checkpoint.save: epoch \(epoch) outside \(allowedEpochs)")
        let state = optimizer?.state() ?? OptimizerState()
        for (key, value) in state.tensors { tensors["optimizer.\(key)"] = value }
        var intTensors: [String: IntTensor] = ["epoch": IntTensor(shape: [1], scalars: [epoch])]
        for (key, value) in state.counters { intTensors["optimizer.\(key)"] = IntTensor(shape: [1], scalars: [value]) }
        for (name, generator) in generators {
            let s = generator.state
            check(s != (0, 0, 0, 0), "Checkpoint.save: generator '\(name)' has the all-zero state, from which xoshiro256** only returns 0")
            intTensors["rng.\(name)"] = IntTensor(
                shape: [4], scalars: [s.0, s.1, s.2, s.3].map { Int(Int64(bitPattern: $0)) })
        }
        try SafeTensors.write(tensors, intTensors: intTensors, metadata: metadata, to: path)
    }

    /// Restores `model` and `optimizer` (if any) from the checkpoint at `path`, and returns the
    /// saved epoch, generators (to assign back to loaders and dropout layers) and metadata.
    ///
    /// Everything is read and checked before anything changes. A corrupt or truncated file throws
    /// `SafeTensorsError`; a checkpoint of a different model or optimiser throws `StateDictError`
    /// naming every missing, unexpected and mis-shaped key (with its `model.` or `optimizer.`
    /// prefix) and every optimiser counter out of range; a malformed `epoch` (not an I64 [1] in
    /// ``allowedEpochs``) or `rng.*` entry (not an I64 [4], or the all-zero state, from which
    /// xoshiro256** only ever returns 0), or an entry under an unknown prefix, throws
    /// `CheckpointError`. On any error `model` and `optimizer` are left untouched.
    public static func load(
        from path: String, into model: Module, optimizer: (any StatefulOptimizer)?
    ) throws -> (epoch: Int, generators: [String: RandomGenerator], metadata: [String: String]) {
        let file = try SafeTensors(contentsOf: path)
        var modelValues: [String: Tensor] = [:]
        var optimizerState = OptimizerState()
        var generators: [String: RandomGenerator] = [:]
        var epoch: Int?
        for name in file.names {
            if name == "epoch" {
                let value = try integers(name, count: 1, in: file)[0]
                guard allowedEpochs.contains(value) else {
                    throw CheckpointError(path: path, key: name, reason: "\(value) is outside \(allowedEpochs)")
                }
                epoch = value
            } else if name.hasPrefix("rng.") {
                let words = try integers(name, count: 4, in: file).map { UInt64(bitPattern: Int64($0)) }
                guard words.contains(where: { $0 != 0 }) else {
                    throw CheckpointError(path: path, key: name, reason: "the all-zero generator state, from which xoshiro256** only returns 0")
                }
                var generator = RandomGenerator(seed: 0)
                generator.state = (words[0], words[1], words[2], words[3])
                generators[String(name.dropFirst(4))] = generator
            } else if name.hasPrefix("model.") {
                modelValues[String(name.dropFirst(6))] = try floats(name, in: file)
            } else if name.hasPrefix("optimizer.") {
                let key = String(name.dropFirst(10))
                if try file.dtype(of: name) == .i64 {
                    optimizerState.counters[key] = try integers(name, count: 1, in: file)[0]
                } else {
                    optimizerState.tensors[key] = try floats(name, in: file)
                }
            } else {
                throw CheckpointError(path: path, key: name, reason: "not a model, optimizer, rng or epoch entry")
            }
        }
        guard let epoch else { throw CheckpointError(path: path, key: "epoch", reason: "missing") }

        // Model and optimiser together, so one error names every mismatched key of both.
        var error = StateDictError(path: path)
        if let modelError = model.stateDictMismatch(modelValues, source: path) {
            merge(modelError, prefix: "model.", into: &error)
        }
        if let optimizer {
            // Validates in full before changing anything; restored below if the model fails.
            let previous = optimizer.state()
            do throws(StateDictError) {
                try optimizer.loadState(optimizerState, source: path)
            } catch let optimizerError {
                merge(optimizerError, prefix: "optimizer.", into: &error)
            }
            if error.hasProblems {
                if !hasProblems(error, prefix: "optimizer.") { try? optimizer.loadState(previous, source: path) }
                throw error
            }
        } else {
            error.unexpectedKeys += (Array(optimizerState.tensors.keys) + optimizerState.counters.keys).sorted()
                .map { "optimizer.\($0)" }
        }
        if error.hasProblems { throw error }
        try model.loadStateDict(modelValues, source: path)
        return (epoch, generators, file.metadata)
    }

    private static func hasProblems(_ error: StateDictError, prefix: String) -> Bool {
        (error.missingKeys + error.unexpectedKeys + error.shapeMismatches.map(\.key) + error.invalidValues.map(\.key))
            .contains { $0.hasPrefix(prefix) }
    }

    private static func merge(_ part: StateDictError, prefix: String, into error: inout StateDictError) {
        error.missingKeys += part.missingKeys.map { prefix + $0 }
        error.unexpectedKeys += part.unexpectedKeys.map { prefix + $0 }
        error.shapeMismatches += part.shapeMismatches.map { .init(key: prefix + $0.key, expected: $0.expected, found: $0.found) }
        error.invalidValues += part.invalidValues.map { .init(key: prefix + $0.key, reason: $0.reason) }
    }

    /// Entry `name` as `count` I64 values, or a `CheckpointError`.
    private static func integers(_ name: String, count: Int, in file: SafeTensors) throws -> [Int] {
        guard try file.dtype(of: name) == .i64, try file.shape(of: name) == [count] else {
            throw CheckpointError(path: file.path, key: name, reason: "expected an I64 tensor of shape [\(count)]")
        }
        return try file.intTensor(name).scalars
    }

    /// Entry `name` as an F32 tensor, or a `CheckpointError`.
    private static func floats(_ name: String, in file: SafeTensors) throws -> Tensor {
        guard try file.dtype(of: name) == .f32 else {
            throw CheckpointError(path: file.path, key: name, reason: "expected an F32 tensor")
        }
        return try file.tensor(name)
    }
}
