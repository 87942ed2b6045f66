import BraidAutograd
import BraidData
import BraidTensor

/// A state dict that does not fit a module: every missing, unexpected and mis-shaped key is named.
public struct StateDictError: Error, Equatable, CustomStringConvertible {
    /// A key whose stored shape differs from the module's.
    public struct ShapeMismatch: Equatable, Sendable {
        /// The state-dict name.
        public var key: String
        /// The module's shape.
        public var expected: [Int]
        /// The file's shape.
        public var found: [Int]

        /// A mismatch of `key`: `expected` in the module, `found` in the file.
        public init(key: String, expected: [Int], found: [Int]) {
            self.key = key
            self.expected = expected
            self.found = found
        }
    }

    /// The file the state dict came from.
    public var path: String
    /// Keys the module has and the file lacks.
    public var missingKeys: [String]
    /// Keys the file has and the module lacks.
    public var unexpectedKeys: [String]
    /// Keys present in both with different shapes.
    public var shapeMismatches: [ShapeMismatch]

    /// All problems in one message.
    public var description: String {
        var parts: [String] = []
        if !missingKeys.isEmpty { parts.append("missing keys \(missingKeys)") }
        if !unexpectedKeys.isEmpty { parts.append("unexpected keys \(unexpectedKeys)") }
        for m in shapeMismatches {
            parts.append("'\(m.key)' has shape \(m.found) in the file but \(m.expected) in the module")
        }
        return "\(path): state dict does not match the module: " + parts.joined(separator: "; ")
    }
}

extension Module {
    /// Parameters and buffers by dotted name (`state_dict()`), values copied out.
    public func stateDict() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: (namedParameters() + namedBuffers()).map { ($0.name, $0.variable.value) })
    }

    /// Writes parameters and buffers to a safetensors file, atomically (a temporary file, then a rename).
    public func saveStateDict(to path: String, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(stateDict(), metadata: metadata, to: path)
    }

    /// Loads parameters and buffers from a safetensors file by their dotted names (`load_state_dict`).
    ///
    /// All keys are checked before any value changes: a missing key, a key the module lacks
    /// (unless `allowUnexpected` accepts it) or a shape mismatch throws a `StateDictError` naming
    /// every such key, and the module is left untouched.
    public func loadStateDict(from file: SafeTensors, allowUnexpected: (String) -> Bool = { _ in false }) throws {
        let targets = namedParameters() + namedBuffers()
        let available = Set(file.names)
        var error = StateDictError(path: file.path, missingKeys: [], unexpectedKeys: [], shapeMismatches: [])
        for (name, variable) in targets {
            guard available.contains(name) else {
                error.missingKeys.append(name)
                continue
            }
            let found = try file.shape(of: name)
            if found != variable.shape {
                error.shapeMismatches.append(.init(key: name, expected: variable.shape, found: found))
            }
        }
        let known = Set(targets.map(\.name))
        error.unexpectedKeys = file.names.filter { !known.contains($0) && !allowUnexpected($0) }
        if !error.missingKeys.isEmpty || !error.unexpectedKeys.isEmpty || !error.shapeMismatches.isEmpty {
            throw error
        }
        let values = try targets.map { try file.tensor($0.name) }
        for ((_, variable), value) in zip(targets, values) { variable.value = value }
    }

    /// Loads parameters and buffers from the safetensors file at `path`; see `loadStateDict(from:allowUnexpected:)`.
    public func loadStateDict(fromFile path: String, allowUnexpected: (String) -> Bool = { _ in false }) throws {
        try loadStateDict(from: SafeTensors(contentsOf: path), allowUnexpected: allowUnexpected)
    }
}
