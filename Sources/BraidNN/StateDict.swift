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

    /// A key whose stored value is outside what the module or optimiser accepts (a negative step count).
    public struct InvalidValue: Equatable, Sendable {
        /// The state-dict name.
        public var key: String
        /// What is wrong with the value: `"is -1; it must be in 0...9007199254740992"`.
        public var reason: String

        /// A problem with the value of `key`.
        public init(key: String, reason: String) {
            self.key = key
            self.reason = reason
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
    /// Keys whose values are out of range.
    public var invalidValues: [InvalidValue]

    /// An error for `path` listing the given problems.
    public init(
        path: String, missingKeys: [String] = [], unexpectedKeys: [String] = [], shapeMismatches: [ShapeMismatch] = [],
        invalidValues: [InvalidValue] = []
    ) {
        self.path = path
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
        self.invalidValues = invalidValues
    }

    /// Whether any problem is listed.
    public var hasProblems: Bool {
        !missingKeys.isEmpty || !unexpectedKeys.isEmpty || !shapeMismatches.isEmpty || !invalidValues.isEmpty
    }

    /// The number of names each kind of problem lists in ``description`` before it gives a count.
    public static let namesShown = 5

    /// All problems in one message, each kind naming its first ``namesShown`` keys and counting
    /// the rest (another model's checkpoint can mismatch hundreds of keys; the properties list them all).
    public var description: String {
        func listed<T>(_ items: [T], _ describe: (T) -> String) -> String {
            let shown = items.prefix(Self.namesShown).map(describe).joined(separator: ", ")
            return items.count > Self.namesShown ? "\(shown) and \(items.count - Self.namesShown) more" : shown
        }
        var parts: [String] = []
        if !missingKeys.isEmpty { parts.append("\(missingKeys.count) missing keys: " + listed(missingKeys) { "'\($0)'" }) }
        if !unexpectedKeys.isEmpty {
            parts.append("\(unexpectedKeys.count) unexpected keys: " + listed(unexpectedKeys) { "'\($0)'" })
        }
        if !shapeMismatches.isEmpty {
            parts.append("\(shapeMismatches.count) shape mismatches: " + listed(shapeMismatches) {
                "'\($0.key)' is \($0.found) in the file but \($0.expected) in the module"
            })
        }
        if !invalidValues.isEmpty {
            parts.append("\(invalidValues.count) invalid values: " + listed(invalidValues) { "'\($0.key)' \($0.reason)" })
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
        return error.hasProblems ? error : nil
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
    public func loadStateDict(from path: String, allowUnexpected: (String) -> Bool = { _ in false }) throws {
        try loadStateDict(from: SafeTensors(contentsOf: path), allowUnexpected: allowUnexpected)
    }
}
