import BraidAutograd
import BraidTensor
import BraidTestSupport
import Testing

/// One differentiable op under a finite-difference check: its inputs and the function of them.
struct GradientCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [Tensor]
    let function: @Sendable ([Variable]) -> Variable
    var testDescription: String { name }

    /// Random normal inputs of `shapes`; `positive` moves them into [0.5, ∞); `distinct` uses a
    /// shuffled ramp with gaps of 0.1, so no finite-difference step crosses a tie (max pooling).
    init(
        _ name: String, _ shapes: [[Int]], positive: Bool = false, distinct: Bool = false,
        _ function: @escaping @Sendable ([Variable]) -> Variable
    ) {
        self.name = name
        self.inputs = shapes.enumerated().map { i, shape in
            var generator = RandomGenerator(seed: UInt64(17 + i))
            if distinct {
                let ramp = (0..<shape.elementCount).map { Float($0) * 0.1 }.shuffled(using: &generator)
                return Tensor(shape: shape, scalars: ramp)
            }
            let t = Tensor.randomNormal(shape, generator: &generator)
            return positive ? t.abs() + 0.5 : t
        }
        self.function = function
    }
}

let elementwiseCases: [GradientCase] = [
    GradientCase("add broadcast", [[2, 3], [3]]) { $0[0] + $0[1] },
    GradientCase("sub broadcast", [[2, 1], [1, 3]]) { $0[0] - $0[1] },
    GradientCase("mul broadcast", [[2, 3, 4], [3, 1]]) { $0[0] * $0[1] },
    GradientCase("div broadcast", [[2, 3], [2, 1]], positive: true) { $0[0] / $0[1] },
    GradientCase("scalar ops", [[5]]) { (2 - $0[0] * 3 + 1) / 4 },
    GradientCase("negate", [[4]]) { -$0[0] },
    GradientCase("pow tensor", [[2, 3], [3]], positive: true) { Variable.pow($0[0], $0[1]) },
    GradientCase("pow constant", [[6]], positive: true) { $0[0].pow(2.5) },
    GradientCase("maximum", [[3, 4], [4]]) { Variable.maximum($0[0], $0[1]) },
    GradientCase("minimum", [[3, 4], [3, 1]]) { Variable.minimum($0[0], $0[1]) },
    GradientCase("exp", [[6]]) { $0[0].exp() },
    GradientCase("log", [[6]], positive: true) { $0[0].log() },
    GradientCase("sqrt", [[6]], positive: true) { $0[0].sqrt() },
    GradientCase("rsqrt", [[6]], positive: true) { $0[0].rsqrt() },
    GradientCase("tanh", [[6]]) { $0[0].tanh() },
    GradientCase("sigmoid", [[6]]) { $0[0].sigmoid() },
    GradientCase("erf", [[6]]) { $0[0].erf() },
    GradientCase("abs", [[6]]) { $0[0].abs() },
    GradientCase("clamp", [[8]]) { $0[0].clamped(min: -0.4, max: 0.6) },
    GradientCase("where", [[2, 3], [3]]) {
        Variable.where(Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 0, 1]), $0[0], $0[1])
    },
    GradientCase("relu", [[8]]) { $0[0].relu() },
    GradientCase("gelu", [[8]]) { $0[0].gelu() },
    GradientCase("gelu tanh", [[8]]) { $0[0].gelu(approximate: true) },
    GradientCase("silu", [[8]]) { $0[0].silu() },
    GradientCase("quick gelu", [[8]]) { $0[0].quickGelu() },
    GradientCase("softmax last axis", [[3, 5]]) { $0[0].softmax() },
    GradientCase("softmax axis 0", [[3, 5]]) { $0[0].softmax(alongAxis: 0) },
    GradientCase("logSoftmax", [[3, 5]]) { $0[0].logSoftmax() },
    GradientCase("logSoftmax axis 1 of 3", [[2, 3, 2]]) { $0[0].logSoftmax(alongAxis: 1) },
]

let reductionCases: [GradientCase] = [
    GradientCase("sum all", [[2, 3]]) { $0[0].sum() },
    GradientCase("sum axes keepDims", [[2, 3, 4]]) { $0[0].sum(alongAxes: [0, 2], keepDims: true) },
    GradientCase("mean", [[2, 3, 4]]) { $0[0].mean(alongAxes: [1]) },
    GradientCase("max", [[3, 4]]) { $0[0].max(alongAxes: [1]) },
    GradientCase("min all", [[3, 4]]) { $0[0].min() },
    GradientCase("variance", [[3, 4]]) { $0[0].variance(alongAxes: [1]) },
    GradientCase("variance biased all", [[3, 4]]) { $0[0].variance(correction: 0) },
]

let movementCases: [GradientCase] = [
    GradientCase("reshape", [[2, 6]]) { $0[0].reshaped(to: [3, -1]) * $0[0].reshaped(to: [3, 4]) },
    GradientCase("permute", [[2, 3, 4]]) { $0[0].permuted([2, 0, 1]) },
    GradientCase("transpose", [[3, 4]]) { $0[0].transposed() },
    GradientCase("squeeze unsqueeze", [[3, 1]]) { $0[0].squeezed().unsqueezed(0) },
    GradientCase("broadcast to", [[3, 1]]) { $0[0].broadcast(to: [2, 3, 4]) },
    GradientCase("concat", [[2, 2], [2, 3]]) { Variable.concat($0, axis: 1) },
    GradientCase("stack", [[2, 3], [2, 3]]) { Variable.stack($0, axis: 1) },
    GradientCase("split", [[5, 2]]) { v in
        let parts = v[0].split(sizes: [2, 3], axis: 0)
        return parts[0].sum(alongAxes: [0]) * parts[1].sum(alongAxes: [0])
    },
    GradientCase("slice step", [[3, 7]]) { $0[0].sliced(axis: 1, start: 1, end: 6, step: 2) },
    GradientCase("indexSelect repeated", [[4, 3]]) { $0[0].indexSelect(axis: 0, indices: [3, 1, 3]) },
    GradientCase("gather", [[3, 4]]) { $0[0].gather(axis: 1, index: IntTensor(shape: [3, 2], scalars: [0, 3, 2, 2, 1, 0])) },
    GradientCase("pad", [[2, 3]]) { $0[0].padded([(1, 2), (0, 1)], value: 0.5) },
]

let matmulCases: [GradientCase] = [
    GradientCase("matmul", [[3, 4], [4, 2]]) { Variable.matmul($0[0], $0[1]) },
    GradientCase("matmul transposeA", [[4, 3], [4, 2]]) { Variable.matmul($0[0], $0[1], transposeA: true) },
    GradientCase("matmul transposeB", [[3, 4], [2, 4]]) { Variable.matmul($0[0], $0[1], transposeB: true) },
    GradientCase("matmul both", [[4, 3], [2, 4]]) { Variable.matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    GradientCase("matmul broadcast batch", [[2, 1, 3, 4], [3, 4, 2]]) { Variable.matmul($0[0], $0[1]) },
    GradientCase("matmul vector", [[4], [4, 3]]) { Variable.matmul($0[0], $0[1]) },
    GradientCase("matrix vector", [[3, 4], [4]]) { Variable.matmul($0[0], $0[1]) },
    GradientCase("linear 3-D", [[2, 3, 4], [5, 4], [5]]) { Variable.linear($0[0], weight: $0[1], bias: $0[2]) },
    GradientCase("linear input-major", [[2, 3, 4], [4, 5], [5]]) {
        Variable.linear($0[0], weight: $0[1], bias: $0[2], inputMajor: true)
    },
    GradientCase("layerNorm", [[3, 2, 4], [2, 4], [2, 4]]) {
        Variable.layerNorm($0[0], normalizedShape: [2, 4], weight: $0[1], bias: $0[2])
    },
    GradientCase("conv2d strided padded", [[2, 2, 5, 4], [3, 2, 3, 2], [3]]) {
        Variable.conv2d($0[0], weight: $0[1], bias: $0[2], geometry: .init(stride: (2, 1), padding: (1, 1)))
    },
    GradientCase("conv2d dilated groups", [[1, 4, 6, 6], [4, 2, 2, 2]]) {
        Variable.conv2d($0[0], weight: $0[1], bias: nil, geometry: .init(padding: (1, 0), dilation: (2, 2), groups: 2))
    },
    GradientCase("maxPool2d", [[2, 2, 5, 5]], distinct: true) { $0[0].maxPool2d(kernelSize: (2, 3), stride: (2, 1), padding: (1, 1)) },
    GradientCase("averagePool2d", [[2, 2, 5, 5]]) {
        $0[0].averagePool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePadding: false)
    },
    GradientCase("adaptiveAveragePool2d", [[1, 2, 5, 7]]) { $0[0].adaptiveAveragePool2d(outputSize: (2, 3)) },
    GradientCase("batchNorm batch statistics", [[3, 2, 2, 2], [2], [2]]) { v in
        let (mean, variance) = v[0].value.channelStatistics()
        // Statistics are recomputed from each perturbed input, so finite differences see their dependence.
        return Variable.batchNorm(
            v[0], mean: mean, inverseStandardDeviation: variance.map { 1 / ($0 + 1e-5).squareRoot() },
            weight: v[1], bias: v[2], batchStatistics: true)
    },
    GradientCase("solve", [[3, 3], [3, 2]]) { v in
        try! Variable.solve(v[0] + Variable(Tensor.eye(3) * 3), v[1])
    },
    GradientCase("cholesky", [[3, 3]]) { v in
        let spd = Variable.matmul(v[0], v[0], transposeB: true) + Variable(Tensor.eye(3))
        return try! Variable.cholesky(spd)
    },
]

@Suite struct GradientCheckTests {
    @Test(arguments: elementwiseCases + reductionCases + movementCases + matmulCases)
    func ruleMatchesFiniteDifferences(_ c: GradientCase) {
        expectGradientsMatch(c.inputs, step: 1e-2, c.function)
    }

    @Test func aWrongRuleIsCaught() {
        let wrong = gradientCheck([randomTensor([4], seed: 1)]) { v in
            Variable(v[0].value * 2, inputs: [v[0]]) { g in [g * 3] }
        }
        #expect(!wrong.passed)
        #expect(wrong.maxAbsoluteError > 0.1)
    }
}
