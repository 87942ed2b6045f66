import BraidTensor
import BraidTestSupport
import Testing

/// `conv2d`'s epilogue (residual, ReLU) gives what the separate passes give, bit for bit, for
/// strided and grouped convolutions and for an image split into several chunks of output rows.
@Suite struct ConvolutionEpilogueTests {
    @Test(arguments: [(1, 2, 1), (2, 1, 1), (1, 1, 2)])
    func residualAndReLUEqualTheSeparatePasses(stride: Int, batch: Int, groups: Int) {
        let x = randomTensor([batch, 4, 70, 37], seed: 1)  // 70 rows of 37: several chunks of ~1024 positions
        let weight = randomTensor([6, 4 / groups, 3, 3], seed: 2)
        let bias = randomTensor([6], seed: 3)
        let geometry = Convolution2DGeometry(stride: (stride, stride), padding: (1, 1), groups: groups)
        let plain = Tensor.conv2d(x, weight: weight, bias: bias, geometry: geometry)
        let residual = randomTensor(plain.shape, seed: 4)
        for relu in [false, true] {
            for withResidual in [false, true] {
                let fused = Tensor.conv2d(x, weight: weight, bias: bias, geometry: geometry,
                                          residual: withResidual ? residual : nil, relu: relu)
                var expected = withResidual ? plain + residual : plain
                if relu { expected = expected.relu() }
                #expect(fused == expected, "relu \(relu), residual \(withResidual)")
            }
        }
    }
}
