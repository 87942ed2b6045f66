import BraidTensor
import BraidTestSupport
import Testing

/// `layerNorm` and `layerNormBackward` against the formulas evaluated in double precision, on a
/// tensor large enough that the backward pass is split over the cores in row blocks (and whose
/// row count is not a multiple of the block).
@Suite struct LayerNormalizationTests {
    @Test func backwardOverManyRowBlocksMatchesDoublePrecision() {
        let (rows, n) = (601, 96)
        let x = randomTensor([rows, n], seed: 1, scale: 2, offset: 0.5)
        let weight = randomTensor([n], seed: 2, offset: 1), bias = randomTensor([n], seed: 3)
        let g = randomTensor([rows, n], seed: 4)
        let result = x.layerNorm(weight: weight, bias: bias, normalizedCount: n, epsilon: 1e-5)
        let gradients = Tensor.layerNormBackward(g, input: x, weight: weight, statistics: result, normalizedCount: n)

        var output = [Float](), input = [Float]()
        var weightGrad = [Double](repeating: 0, count: n), biasGrad = weightGrad
        for r in 0..<rows {
            let row = (0..<n).map { Double(x[flat: r * n + $0]) }, up = (0..<n).map { Double(g[flat: r * n + $0]) }
            let mean = row.reduce(0, +) / Double(n)
            let rstd = 1 / (row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n) + 1e-5).squareRoot()
            let xhat = row.map { ($0 - mean) * rstd }
            let ghat = (0..<n).map { up[$0] * Double(weight[flat: $0]) }
            let meanG = ghat.reduce(0, +) / Double(n)
            let meanGX = zip(ghat, xhat).map(*).reduce(0, +) / Double(n)
            for i in 0..<n {
                output.append(Float(xhat[i] * Double(weight[flat: i]) + Double(bias[flat: i])))
                input.append(Float(rstd * (ghat[i] - meanG - xhat[i] * meanGX)))
                weightGrad[i] += up[i] * xhat[i]
                biasGrad[i] += up[i]
            }
        }
        expectClose(result.output, Tensor(shape: [rows, n], scalars: output), relative: 1e-5, absolute: 1e-5, "output")
        expectClose(gradients.input, Tensor(shape: [rows, n], scalars: input), relative: 1e-4, absolute: 1e-5, "∂input")
        expectClose(gradients.weight, Tensor(shape: [n], scalars: weightGrad.map { Float($0) }), relative: 1e-4, absolute: 1e-4, "∂weight")
        expectClose(gradients.bias, Tensor(shape: [n], scalars: biasGrad.map { Float($0) }), relative: 1e-4, absolute: 1e-4, "∂bias")
    }
}
