import BraidTensor
import BraidTestSupport
import Testing

@Suite struct TensorTests {
    @Test func creationAndIndexing() {
        var t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(t[1, 2] == 5)
        t[0, 1] = 9
        #expect(t.scalars == [0, 9, 2, 3, 4, 5])
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(Tensor.full([2], 7).scalars == [7, 7])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor.eye(2).scalars == [1, 0, 0, 1])
        #expect(Tensor([[1, 2], [3, 4]]).shape == [2, 2])
        #expect(Tensor(3).shape == [] && Tensor(3).scalar == 3)
    }

    @Test func copyOnWriteKeepsCopiesApart() {
        let a = Tensor([1, 2, 3])
        var b = a
        b[0] = 10
        #expect(a.scalars == [1, 2, 3])
        #expect(b.scalars == [10, 2, 3])
    }

    @Test func seededRandomIsReproducibleAndHasTheRightMoments() {
        var g1 = RandomGenerator(seed: 42), g2 = RandomGenerator(seed: 42)
        let a = Tensor.randomNormal([10_000], mean: 2, standardDeviation: 3, generator: &g1)
        let b = Tensor.randomNormal([10_000], mean: 2, standardDeviation: 3, generator: &g2)
        #expect(a == b)
        #expect(Swift.abs(a.mean().scalar - 2) < 0.1)
        #expect(Swift.abs(a.variance().scalar.squareRoot() - 3) < 0.1)
        let u = Tensor.randomUniform([10_000], lowerBound: -1, upperBound: 1, generator: &g1)
        #expect(u.min().scalar >= -1 && u.max().scalar < 1)
        #expect(Swift.abs(u.mean().scalar) < 0.05)
    }

    @Test func shapeMismatchStopsWithBothShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("add: shapes [2, 3] and [4] do not broadcast"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("[2, 3]") && message.contains("[4, 5]"))
        }
    }
}
