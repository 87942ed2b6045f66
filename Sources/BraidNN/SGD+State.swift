import BraidTensor

/// SGD's state is one momentum buffer per parameter, `"<position>.momentum_buffer"`. A buffer
/// that has not been created yet (the parameter has not been stepped, or momentum is 0) is absent
/// from `state()`, and an absent key loads as no buffer.
extension SGD: StatefulOptimizer {
    /// The momentum buffers that exist, keyed `"<position>.momentum_buffer"`.
    public func state() -> OptimizerState {
        var state = OptimizerState()
        for (i, buffer) in momentumBuffers.enumerated() {
            if let buffer { state.tensors["\(i).momentum_buffer"] = buffer }
        }
        return state
    }

    /// Replaces every momentum buffer with the one in `state`, or with none where the key is
    /// absent; throws a `StateDictError` (changing nothing) for a key past `parameters.count` or a
    /// buffer whose shape differs from its parameter's.
    public func loadState(_ state: OptimizerState, source: String) throws(StateDictError) {
        var optional: [String: [Int]] = [:]
        for (i, p) in parameters.enumerated() { optional["\(i).momentum_buffer"] = p.shape }
        try validateState(state, source: source, required: [:], optional: optional)
        momentumBuffers = parameters.indices.map { state.tensors["\($0).momentum_buffer"] }
    }
}
