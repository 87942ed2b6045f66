import BraidAutograd
import BraidTensor
import Testing

/// Expects `actual` to have `expected`'s shape and every element within
/// `absolute + relative·|expected|` of it; the failure names the worst element.
public func expectClose(
    _ actual: Tensor, _ expected: Tensor, relative: Float = 1e-5, absolute: Float = 1e-6,
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.shape == expected.shape else {
        Issue.record("shape \(actual.shape) differs from expected \(expected.shape). \(comment?.rawValue ?? "")",
                     sourceLocation: sourceLocation)
        return
    }
    var worst: (index: Int, excess: Float)? = nil
    for i in 0..<actual.count {
        let a = actual[flat: i], e = expected[flat: i]
        if a == e || (a.isNaN && e.isNaN) { continue }
        let excess = Swift.abs(a - e) - (absolute + relative * Swift.abs(e))
        guard excess > 0 || excess.isNaN else { continue }
        let score = excess.isNaN ? Float.infinity : excess
        if score > (worst?.excess ?? -1) { worst = (i, score) }
    }
    if let worst {
        let note = comment?.rawValue ?? ""
        let message = "element \(worst.index): \(actual[flat: worst.index]) vs expected \(expected[flat: worst.index]) (tolerance \(absolute) + \(relative)·|expected|) \(note)"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}

/// Expects `gradientCheck` to pass for `function` at `inputs`, reporting its summary on failure.
public func expectGradientsMatch(
    _ inputs: [Tensor], step: Float = 1e-2, absoluteTolerance: Double = 1e-3, relativeTolerance: Double = 1e-2,
    sourceLocation: SourceLocation = #_sourceLocation, _ function: ([Variable]) -> Variable
) {
    let result = gradientCheck(
        inputs, step: step, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance, function)
    #expect(result.passed, "\(result)", sourceLocation: sourceLocation)
}

/// A seeded random-normal tensor for tests.
public func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1, offset: Float = 0) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.randomNormal(shape, mean: offset, standardDeviation: scale, generator: &generator)
}
