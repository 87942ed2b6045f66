import BraidTensor

/// An optimiser whose internal state (momentum buffers, moment estimates, step counts) can be
/// saved and restored, so training resumes exactly where it stopped (`optimizer.state_dict()`).
///
/// State is keyed by the parameter's position in `parameters` (`"0.exp_avg"`, `"3.momentum_buffer"`),
/// as PyTorch keys optimiser state by parameter index; global state such as Adam's step count has
/// a key without a position (`"step"`).
public protocol StatefulOptimizer: Optimizer {
    /// The optimiser's state as named tensors, copied out.
    func stateTensors() -> [String: Tensor]

    /// Restores state saved by `stateTensors()` from `tensors`, which came from `source` (named in
    /// errors).
    ///
    /// Everything is checked before anything changes: a missing key, a key this optimiser does not
    /// have (for instance state for a parameter position past `parameters.count`) or a shape that
    /// differs from the parameter's throws a `StateDictError` naming every such key, and the
    /// optimiser is left untouched.
    func loadState(_ tensors: [String: Tensor], source: String) throws(StateDictError)
}

extension StatefulOptimizer {
    /// Checks `tensors` against the expected keys and shapes: `required` must be present,
    /// `optional` may be, and nothing else may. Throws a `StateDictError` naming every problem.
    func validateState(
        _ tensors: [String: Tensor], source: String, required: [String: [Int]], optional: [String: [Int]] = [:]
    ) throws(StateDictError) {
        var error = StateDictError(path: source)
        error.missingKeys = required.keys.filter { tensors[$0] == nil }.sorted(by: Self.stateKeyOrder)
        for key in tensors.keys.sorted(by: Self.stateKeyOrder) {
            guard let expected = required[key] ?? optional[key] else {
                error.unexpectedKeys.append(key)
                continue
            }
            let found = tensors[key]!.shape
            if found != expected { error.shapeMismatches.append(.init(key: key, expected: expected, found: found)) }
        }
        if !error.missingKeys.isEmpty || !error.unexpectedKeys.isEmpty || !error.shapeMismatches.isEmpty {
            throw error
        }
    }

    /// Orders `"2.x"` before `"10.x"`: by leading position numerically, then by the whole key.
    static func stateKeyOrder(_ a: String, _ b: String) -> Bool {
        func position(_ key: String) -> Int { Int(key.prefix { $0 != "." }) ?? -1 }
        let (pa, pb) = (position(a), position(b))
        return pa != pb ? pa < pb : a < b
    }
}
