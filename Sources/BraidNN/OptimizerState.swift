import BraidTensor

/// An optimiser's internal state, copied out: tensors such as momentum buffers and moment
/// estimates, and exact integer counters such as Adam's step count (`optimizer.state_dict()`).
///
/// Keys start with the parameter's position in `parameters` (`"0.exp_avg"`,
/// `"3.momentum_buffer"`), as PyTorch keys optimiser state by parameter index; global state has a
/// key without a position (`"step"`). Counters are integers so that no run is too long to save:
/// a `Float` step count would stop being exact after 2²⁴ steps.
public struct OptimizerState: Equatable, Sendable {
    /// Per-parameter tensors by key.
    public var tensors: [String: Tensor]
    /// Integer counters by key.
    public var counters: [String: Int]

    /// A state of `tensors` and `counters`.
    public init(tensors: [String: Tensor] = [:], counters: [String: Int] = [:]) {
        self.tensors = tensors
        self.counters = counters
    }
}

/// An optimiser whose internal state (momentum buffers, moment estimates, step counts) can be
/// saved and restored, so training resumes exactly where it stopped (`optimizer.state_dict()`).
public protocol StatefulOptimizer: Optimizer {
    /// The optimiser's state, copied out.
    func state() -> OptimizerState

    /// Restores state saved by `state()`, which came from `source` (named in errors).
    ///
    /// Everything is checked before anything changes: a missing key, a key this optimiser does not
    /// have (for instance state for a parameter position past `parameters.count`), a shape that
    /// differs from the parameter's, or a counter outside its range throws a `StateDictError`
    /// naming every such key, and the optimiser is left untouched.
    func loadState(_ state: OptimizerState, source: String) throws(StateDictError)
}

extension StatefulOptimizer {
    /// Checks `state` against the expected keys, shapes and counter ranges: `required` tensors
    /// and `counters` must be present, `optional` tensors may be, and nothing else may. Throws a
    /// `StateDictError` naming every problem.
    func validateState(
        _ state: OptimizerState, source: String, required: [String: [Int]], optional: [String: [Int]] = [:],
        counters: [String: ClosedRange<Int>] = [:]
    ) throws(StateDictError) {
        var error = StateDictError(path: source)
        error.missingKeys = (required.keys.filter { state.tensors[$0] == nil } + counters.keys.filter { state.counters[$0] == nil })
            .sorted(by: Self.stateKeyOrder)
        for key in state.tensors.keys.sorted(by: Self.stateKeyOrder) {
            guard let expected = required[key] ?? optional[key] else {
                error.unexpectedKeys.append(key)
                continue
            }
            let found = state.tensors[key]!.shape
            if found != expected { error.shapeMismatches.append(.init(key: key, expected: expected, found: found)) }
        }
        for (key, value) in state.counters.sorted(by: { Self.stateKeyOrder($0.key, $1.key) }) {
            guard let range = counters[key] else {
                error.unexpectedKeys.append(key)
                continue
            }
            if !range.contains(value) {
                error.invalidValues.append(.init(key: key, reason: "is \(value); it must be in \(range.lowerBound)...\(range.upperBound)"))
            }
        }
        if error.hasProblems { throw error }
    }

    /// Orders `"2.x"` before `"10.x"`: by leading position numerically, then by the whole key.
    static func stateKeyOrder(_ a: String, _ b: String) -> Bool {
        func position(_ key: String) -> Int { Int(key.prefix { $0 != "." }) ?? -1 }
        let (pa, pb) = (position(a), position(b))
        return pa != pb ? pa < pb : a < b
    }
}
