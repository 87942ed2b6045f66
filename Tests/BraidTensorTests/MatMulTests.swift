import BraidTensor
import BraidTestSupport
import Testing

@Suite struct MatMulTests {
    /// Naive product in Double of 2-D `a` [m, k] and `b` [k, n].
    func naive(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
            out[i * n + j] = Float(s)
        } }
        return Tensor(shape: [m, n], scalars: out)
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func transposeFlagsMatchExplicitTransposes(transposeA: Bool, transposeB: Bool) {
        let a = randomTensor(transposeA ? [7, 5] : [5, 7], seed: 1)
        let b = randomTensor(transposeB ? [3, 7] : [7, 3], seed: 2)
        let expected = naive(transposeA ? a.transposed() : a, transposeB ? b.transposed() : b)
        expectClose(Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB), expected, relative: 1e-5, absolute: 1e-5)
    }

    /// One row of A (a decoding step) goes to sgemv, split over the cores when B is large: every
    /// transpose, with B small and large, and the input-major linear layout.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func singleRowProductsMatchTheNaiveProduct(transposeA: Bool, transposeB: Bool) {
        for (k, n) in [(7, 3), (600, 700)] {
            let a = randomTensor(transposeA ? [k, 1] : [1, k], seed: 1)
            let b = randomTensor(transposeB ? [n, k] : [k, n], seed: 2)
            let expected = naive(transposeA ? a.transposed() : a, transposeB ? b.transposed() : b)
            expectClose(
                Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB), expected, relative: 1e-4, absolute: 1e-4,
                "k \(k), n \(n)")
        }
        let (x, w, bias) = (randomTensor([1, 1, 600], seed: 3), randomTensor([600, 700], seed: 4), randomTensor([700], seed: 5))
        expectClose(
            Tensor.linear(x, weight: w, bias: bias, inputMajor: true),
            naive(x.reshaped(to: [1, 600]), w).reshaped(to: [1, 1, 700]) + bias, relative: 1e-4, absolute: 1e-4)
    }

    @Test func batchedWithBroadcastBatchAxes() {
        let a = randomTensor([2, 1, 4, 3], seed: 3), b = randomTensor([3, 3, 5], seed: 4)
        let c = Tensor.matmul(a, b)
        #expect(c.shape == [2, 3, 4, 5])
        for i in 0..<2 { for j in 0..<3 {
            let ai = a.sliced(axis: 0, start: i, end: i + 1).reshaped(to: [4, 3])
            let bj = b.sliced(axis: 0, start: j, end: j + 1).reshaped(to: [3, 5])
            let cij = c.sliced(axis: 0, start: i, end: i + 1).sliced(axis: 1, start: j, end: j + 1).reshaped(to: [4, 5])
            expectClose(cij, naive(ai, bj), relative: 1e-5, absolute: 1e-5)
        } }
        let folded = Tensor.matmul(randomTensor([2, 4, 3], seed: 5), b.sliced(axis: 0, start: 0, end: 1).squeezed(0))
        #expect(folded.shape == [2, 4, 5])
    }

    @Test func vectorsFollowPyTorch() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(Tensor.matmul(m, Tensor([1, 0, 1])).scalars == [4, 10])
        #expect(Tensor.matmul(Tensor([1, 1]), m).scalars == [5, 7, 9])
        #expect(Tensor.matmul(Tensor([1, 2]), Tensor([3, 4])).shape == [])
    }

    @Test func linearAddsBiasAndMatchesMatmul() {
        let x = randomTensor([2, 3, 4], seed: 6), w = randomTensor([5, 4], seed: 7), b = randomTensor([5], seed: 8)
        let expected = Tensor.matmul(x, w, transposeB: true) + b
        expectClose(Tensor.linear(x, weight: w, bias: b), expected)
        expectClose(Tensor.linear(x, weight: w, bias: nil), Tensor.matmul(x, w, transposeB: true))
    }
}
