import BraidTensor
import BraidTestSupport
import Testing

/// Winograd F(4×4, 3×3) against a 3×3, padding-1 convolution computed in Double: heights and
/// widths that are not multiples of 4 (edge blocks cropped), one and several images, channel and
/// output counts off the kernels' blocks of 8, several chunks of tiles, and the bias, residual and
/// ReLU epilogue. F(4×4, 3×3) amplifies rounding (its transforms hold ±4, ±5, ±8 and 1/24): the
/// bound is 1e-5 of the largest |Σ x·w| term sum that an output gathers, measured here at ≤ 1.5e-6.
@Suite struct WinogradConvolutionTests {
    @Test(arguments: [
        (1, 1, 1, 1, 1), (2, 5, 7, 7, 5), (3, 3, 9, 5, 9), (1, 16, 24, 14, 14), (2, 9, 17, 12, 8), (1, 40, 8, 3, 18), (2, 6, 10, 18, 17),
    ])
    func matchesADirectConvolutionInDouble(batch: Int, channels: Int, outputs: Int, height: Int, width: Int) {
        let x = randomTensor([batch, channels, height, width], seed: 1)
        let w = randomTensor([outputs, channels, 3, 3], seed: 2, scale: 0.3)
        let bias = randomTensor([outputs], seed: 3).scalars
        let residual = randomTensor([batch, outputs, height, width], seed: 4)
        let weight = WinogradWeight(w)
        let (xv, wv, rv) = (x.scalars, w.scalars, residual.scalars)
        var exact = [Double](repeating: 0, count: batch * outputs * height * width), magnitude = 0.0
        for n in 0..<batch {
            for o in 0..<outputs {
                for i in 0..<height {
                    for j in 0..<width {
                        var sum = 0.0, absolute = 0.0
                        for c in 0..<channels {
                            for ki in 0..<3 {
                                for kj in 0..<3 {
                                    let (r, q) = (i + ki - 1, j + kj - 1)
                                    guard r >= 0, r < height, q >= 0, q < width else { continue }
                                    let term = Double(xv[((n * channels + c) * height + r) * width + q])
                                        * Double(wv[((o * channels + c) * 3 + ki) * 3 + kj])
                                    sum += term
                                    absolute += Swift.abs(term)
                                }
                            }
                        }
                        exact[((n * outputs + o) * height + i) * width + j] = sum
                        magnitude = Swift.max(magnitude, absolute)
                    }
                }
            }
        }
        let tiles = batch * ((height + 3) / 4) * ((width + 3) / 4)
        for (useBias, useResidual, relu) in [(false, false, false), (true, false, true), (true, true, true), (false, true, false)] {
            for chunkFloats in [Tensor.winogradChunkFloats, 36 * (channels + outputs) * 16] {  // one chunk; chunks of 16 tiles
                let y = Tensor.winogradConv2d(x, weight: weight, bias: useBias ? bias : nil, residual: useResidual ? residual : nil,
                                              relu: relu, chunkFloats: chunkFloats)
                #expect(y.shape == [batch, outputs, height, width])
                var worst = 0.0
                for (index, value) in y.scalars.enumerated() {
                    var expected = exact[index] + (useBias ? Double(bias[(index / (height * width)) % outputs]) : 0)
                        + (useResidual ? Double(rv[index]) : 0)
                    if relu { expected = Swift.max(expected, 0) }
                    worst = Swift.max(worst, Swift.abs(Double(value) - expected))
                }
                #expect(worst <= 1e-5 * Swift.max(magnitude, 1),
                        "\(tiles) tiles, bias \(useBias), residual \(useResidual): error \(worst), scale \(magnitude)")
            }
        }
    }
}
