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

    /// An error for `path` listing the given problems.
    public init(path: String, missingKeys: [String] = [], unexpectedKeys: [String] = [], shapeMismatches: [ShapeMismatch] = []) {
        self.path = path
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
    }

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

    /// The mismatches between `values` and this module's parameters and buffers (missing keys,
    /// keys the module lacks unless `allowUnexpected` accepts them, shape mismatches), or `nil`
    /// when `values` fits; `source` names where the values came from.
    public func stateDictMismatch(
        _ values: [String: Tensor], source: String, allowUnexpected: (String) -> Bool = { _ in false }
    ) -> StateDictError? {
        let targets = namedParameters() + namedBuffers()
        var error = StateDictError(path: source)
        for (name, variable) in targets {
            guard let value = values[name] else {
                error.missingKeys.append(name)
                continue
            }
            if value.shape != variable.shape {
                error.shapeMismatches.append(.init(key: name, expected: variable.shape, found: value.shape))
            }
        }
        let known = Set(targets.map(\.name))
        error.unexpectedKeys = values.keys.sorted().filter { !known.contains($0) && !allowUnexpected($0) }
        let fits = error.missingKeys.isEmpty && error.unexpectedKeys.isEmpty && error.shapeMismatches.isEmpty
        return fits ? nil : error
    }

    /// Loads parameters and buffers by their dotted names (`load_state_dict`) from `values`, which
    /// came from `source` (named in errors).
    ///
    /// All keys are checked before any value changes: a missing key, a key the module lacks
    /// (unless `allowUnexpected` accepts it) or a shape mismatch throws a `StateDictError` naming
    /// every such key, and the module is left untouched.
    public func loadStateDict(
        _ values: [String: Tensor], source: String, allowUnexpected: (String) -> Bool = { _ in false }
    ) throws(StateDictError) {
        if let error = stateDictMismatch(values, source: source, allowUnexpected: allowUnexpected) { throw error }
        for (name, variable) in namedParameters() + namedBuffers() { variable.value = values[name]! }
    }

    /// Loads parameters and buffers from a safetensors file; see `loadStateDict(_:source:allowUnexpected:)`.
    public func loadStateDict(from file: SafeTensors, allowUnexpected: (String) -> Bool = { _ in false }) throws {
        try loadStateDict(file.tensors(), source: file.path, allowUnexpected: allowUnexpected)
    }

    /// Loads parameters and buffers from the safetensors file at `path`; see `loadStateDict(from:allowUnexpected:)`.
    public func loadStateDict(fromFile path: String, allowUnexpected: (String) -> Bool = { _ in false }) throws {
        try loadStateDict(from: SafeTensors(contentsOf: path), allowUnexpected: allowUnexpected)
    }
}
