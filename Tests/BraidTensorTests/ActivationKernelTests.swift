import BraidTensor
import BraidTestSupport
import Testing

@Suite struct ActivationKernelTests {
    @Test func softmaxRowsSumToOneAlongAnyAxis() {
        let x = randomTensor([3, 4, 5], seed: 1, scale: 5)
        for axis in 0..<3 {
            let y = x.softmax(alongAxis: axis)
            expectClose(y.sum(alongAxes: [axis]), Tensor.ones(Shape.reduced(x.shape, axes: [axis], keepDims: false, op: "")))
            expectClose(x.logSoftmax(alongAxis: axis).exp(), y, relative: 1e-6)
        }
    }

    @Test func softmaxIsStableForLargeAndInfiniteLogits() {
        let x = Tensor([-.infinity, 0, 1000, 1000])
        let y = x.softmax()
        #expect(y.scalars == [0, 0, 0.5, 0.5])
    }
}
