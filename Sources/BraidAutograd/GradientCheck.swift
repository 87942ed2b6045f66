import BraidTensor

/// The outcome of `gradientCheck`: the largest disagreement between the rule's gradient and
/// central finite differences, over every element of every input.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// The largest |analytic − numeric| over all input elements.
    public var maxAbsoluteError: Double
    /// The largest |analytic − numeric| / max(|numeric|, 1e-3) over all input elements.
    public var maxRelativeError: Double
    /// Where the largest error occurred: input number and flat element index.
    public var worstElement: (input: Int, index: Int)
    /// Whether every element satisfies |analytic − numeric| ≤ absoluteTolerance + relativeTolerance·|numeric|.
    public var passed: Bool

    /// A one-line summary.
    public var description: String {
        "gradientCheck \(passed ? "passed" : "FAILED"): max abs error \(maxAbsoluteError), max rel error "
            + "\(maxRelativeError) at input \(worstElement.input) element \(worstElement.index)"
    }
}

/// Compares the gradients that the recorded rules give for `function` with central finite differences.
///
/// The output is projected onto a fixed random direction w, L = Σ w·f(x), so one backward pass
/// gives every input's gradient. Each input element is then moved by ±`step` and
/// (L(x+h) − L(x−h)) / (x+h − (x−h)) is formed; the forward function runs in Float32, while the
/// projection, the differences and the comparison are computed in Double.
public func gradientCheck(
    _ inputs: [Tensor], step: Float = 1e-2, absoluteTolerance: Double = 1e-3, relativeTolerance: Double = 1e-2,
    seed: UInt64 = 0, _ function: ([Variable]) -> Variable
) -> GradientCheckResult {
    let variables = inputs.map { Variable($0, requiresGrad: true) }
    let output = function(variables)
    var generator = RandomGenerator(seed: seed)
    let direction = Tensor.randomUniform(output.shape, lowerBound: -1, upperBound: 1, generator: &generator)
    output.backward(seed: direction)

    func projected(_ values: [Tensor]) -> Double {
        let y = withoutGradients { function(values.map { Variable($0) }).value }
        var total = 0.0
        for i in 0..<y.count { total += Double(y.scalars[i]) * Double(direction.scalars[i]) }
        return total
    }

    var result = GradientCheckResult(maxAbsoluteError: 0, maxRelativeError: 0, worstElement: (0, 0), passed: true)
    for (k, input) in inputs.enumerated() {
        let analytic = variables[k].grad ?? Tensor.zeros(input.shape)
        for i in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[k][flat: i] += step
            minus[k][flat: i] -= step
            let width = Double(plus[k][flat: i]) - Double(minus[k][flat: i])
            let numeric = (projected(plus) - projected(minus)) / width
            let error = Swift.abs(Double(analytic.scalars[i]) - numeric)
            let relative = error / Swift.max(Swift.abs(numeric), 1e-3)
            if error > absoluteTolerance + relativeTolerance * Swift.abs(numeric) { result.passed = false }
            if error > result.maxAbsoluteError {
                result.maxAbsoluteError = error
                result.worstElement = (k, i)
            }
            result.maxRelativeError = Swift.max(result.maxRelativeError, relative)
        }
    }
    return result
}
