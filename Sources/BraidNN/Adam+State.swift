import BraidTensor

/// Adam's state is the step count (`"step"`, a one-element tensor) and, per parameter position,
/// the first and second moments (`"<position>.exp_avg"`, `"<position>.exp_avg_sq"`), as in
/// PyTorch's `Adam.state_dict()`.
extension Adam: StatefulOptimizer {
    /// The largest step count a `Float` holds exactly (2²⁴).
    static let largestExactStep = 1 << 24

    /// The step count and both moments of every parameter.
    ///
    /// The step count is stored as a `Float`, exact up to 2²⁴ = 16,777,216 steps.
    public func stateTensors() -> [String: Tensor] {
        check(stepCount <= Self.largestExactStep, "Adam: step count \(stepCount) is too large to save exactly")
        var state: [String: Tensor] = ["step": Tensor(shape: [1], scalars: [Float(stepCount)])]
        for i in parameters.indices {
            state["\(i).exp_avg"] = firstMoments[i]
            state["\(i).exp_avg_sq"] = secondMoments[i]
        }
        return state
    }

    /// Replaces the step count and every moment with those in `tensors`; throws a
    /// `StateDictError` (changing nothing) naming every missing, unexpected or mis-shaped key. A
    /// `"step"` that is not a whole number in 0...2²⁴ is reported as a shape mismatch of `"step"`.
    public func loadState(_ tensors: [String: Tensor], source: String) throws(StateDictError) {
        var required: [String: [Int]] = ["step": [1]]
        for (i, p) in parameters.enumerated() {
            required["\(i).exp_avg"] = p.shape
            required["\(i).exp_avg_sq"] = p.shape
        }
        try validateState(tensors, source: source, required: required)
        let step = tensors["step"]!.scalars[0]
        guard step >= 0, step <= Float(Self.largestExactStep), step.rounded() == step else {
            throw StateDictError(path: source, shapeMismatches: [.init(key: "step", expected: [1], found: [1])])
        }
        stepCount = Int(step)
        firstMoments = parameters.indices.map { tensors["\($0).exp_avg"]! }
        secondMoments = parameters.indices.map { tensors["\($0).exp_avg_sq"]! }
    }
}
