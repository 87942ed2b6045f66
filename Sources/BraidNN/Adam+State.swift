import BraidTensor

/// Adam's state is the step count (the counter `"step"`) and, per parameter position, the first
/// and second moments (`"<position>.exp_avg"`, `"<position>.exp_avg_sq"`), as in PyTorch's
/// `Adam.state_dict()`.
extension Adam: StatefulOptimizer {
    /// The step counts that `loadState` accepts: up to 2⁵³, which `Double` (the bias corrections'
    /// type) counts exactly.
    static let allowedStepCounts = 0...(1 << 53)

    /// The step count and both moments of every parameter.
    public func state() -> OptimizerState {
        var state = OptimizerState(counters: ["step": stepCount])
        for i in parameters.indices {
            state.tensors["\(i).exp_avg"] = firstMoments[i]
            state.tensors["\(i).exp_avg_sq"] = secondMoments[i]
        }
        return state
    }

    /// Replaces the step count and every moment with those in `state`; throws a
    /// `StateDictError` (changing nothing) naming every missing, unexpected or mis-shaped key,
    /// and a step count outside 0...2⁵³.
    public func loadState(_ state: OptimizerState, source: String) throws(StateDictError) {
        var required: [String: [Int]] = [:]
        for (i, p) in parameters.enumerated() {
            required["\(i).exp_avg"] = p.shape
            required["\(i).exp_avg_sq"] = p.shape
        }
        try validateState(state, source: source, required: required, counters: ["step": Self.allowedStepCounts])
        stepCount = state.counters["step"]!
        firstMoments = parameters.indices.map { state.tensors["\($0).exp_avg"]! }
        secondMoments = parameters.indices.map { state.tensors["\($0).exp_avg_sq"]! }
    }
}
