@_spi(RawKernels) import BraidTensor
import BraidTestSupport
import Testing

/// `WeightProduct` (C = A·Wᵀ + bias + residual on a `PackedWeight`) against a product in Double,
/// over full and partial panels, partial 16-column blocks, row counts off the 6-row block, row
/// strides wider than the rows, and a product large enough to be spread over the cores.
@Suite struct WeightProductTests {
    @Test(arguments: [
        (1, 1, 1), (7, 5, 3), (13, 64, 9), (6, 70, 33), (11, 40, 17), (25, 130, 48), (130, 150, 110),  // the last is spread over the cores
    ])
    func matchesAProductInDouble(rows: Int, outputs: Int, inner: Int) {
        let a = randomTensor([rows, inner + 3], seed: 1)  // row stride inner + 3
        let w = randomTensor([outputs, inner], seed: 2)
        let packed = PackedWeight(w)
        let bias = randomTensor([outputs], seed: 3)
        let residual = randomTensor([rows, outputs + 4], seed: 4)  // row stride outputs + 4
        for (useBias, useResidual) in [(false, false), (true, false), (false, true), (true, true)] {
            let ldc = outputs + 5
            var c = [Float](repeating: .nan, count: rows * ldc)
            a.withUnsafeBufferPointer { pa in
                bias.withUnsafeBufferPointer { pb in
                    residual.withUnsafeBufferPointer { pr in
                        c.withUnsafeMutableBufferPointer { pc in
                            WeightProduct.multiply(
                                a: pa.baseAddress!, rows: rows, lda: inner + 3, weight: packed, bias: useBias ? pb.baseAddress! : nil,
                                residual: useResidual ? pr.baseAddress! : nil, ldr: outputs + 4, c: pc.baseAddress!, ldc: ldc)
                        }
                    }
                }
            }
            let (av, wv, bv, rv) = (a.scalars, w.scalars, bias.scalars, residual.scalars)
            var expected = [Float](repeating: 0, count: rows * outputs), actual = expected
            for i in 0..<rows {
                for j in 0..<outputs {
                    var sum = (useBias ? Double(bv[j]) : 0) + (useResidual ? Double(rv[i * (outputs + 4) + j]) : 0)
                    for k in 0..<inner { sum += Double(av[i * (inner + 3) + k]) * Double(wv[j * inner + k]) }
                    expected[i * outputs + j] = Float(sum)
                    actual[i * outputs + j] = c[i * ldc + j]
                }
                // The padding past each row of C is left alone.
                #expect((outputs..<ldc).allSatisfy { c[i * ldc + $0].isNaN })
            }
            expectClose(Tensor(shape: [rows, outputs], scalars: actual), Tensor(shape: [rows, outputs], scalars: expected),
                        relative: 1e-5, absolute: 1e-6 * Float(inner), "bias \(useBias), residual \(useResidual)")
        }
    }
}
