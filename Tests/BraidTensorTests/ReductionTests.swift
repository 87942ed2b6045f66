import BraidTensor
import BraidTestSupport
import Testing

@Suite struct ReductionTests {
    /// A naive reduction in Double over `axes` of a [2, 3, 4] tensor, for comparison.
    func reference(_ x: Tensor, axes: [Int], _ combine: ([Double]) -> Double) -> [Double] {
        let shape = x.shape
        let kept = shape.indices.filter { !axes.contains($0) }
        var groups: [[Int]: [Double]] = [:]
        var order: [[Int]] = []
        for flat in 0..<x.count {
            var rest = flat, index = [Int](repeating: 0, count: shape.count)
            for d in shape.indices.reversed() { index[d] = rest % shape[d]; rest /= shape[d] }
            let key = kept.map { index[$0] }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(Double(x[flat: flat]))
        }
        return order.sorted { $0.lexicographicallyPrecedes($1) }.map { combine(groups[$0]!) }
    }

    @Test(arguments: [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]])
    func reductionsMatchNaiveReference(axes: [Int]) {
        let x = randomTensor([2, 3, 4], seed: 7)
        let expectedSum = reference(x, axes: axes) { $0.reduce(0, +) }
        expectClose(x.sum(alongAxes: axes), Tensor(shape: Shape.reduced(x.shape, axes: axes, keepDims: false, op: ""), scalars: expectedSum.map(Float.init)))
        let mean = x.mean(alongAxes: axes, keepDims: true)
        #expect(mean.shape == Shape.reduced(x.shape, axes: axes, keepDims: true, op: ""))
        expectClose(mean.reshaped(to: [-1]), Tensor(reference(x, axes: axes) { $0.reduce(0, +) / Double($0.count) }.map(Float.init)))
        expectClose(x.max(alongAxes: axes).reshaped(to: [-1]), Tensor(reference(x, axes: axes) { $0.max()! }.map(Float.init)))
        expectClose(x.min(alongAxes: axes).reshaped(to: [-1]), Tensor(reference(x, axes: axes) { $0.min()! }.map(Float.init)))
        let variance = reference(x, axes: axes) { v in
            let m = v.reduce(0, +) / Double(v.count)
            return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)
        }
        expectClose(x.variance(alongAxes: axes).reshaped(to: [-1]), Tensor(variance.map(Float.init)), relative: 1e-5)
    }

    @Test func longRowsUseTheVectorisedPathCorrectly() {
        let x = randomTensor([3, 1000], seed: 3)
        for r in 0..<3 {
            let row = (0..<1000).map { Double(x[r, $0]) }
            #expect(Swift.abs(Double(x.sum(alongAxes: [1])[flat: r]) - row.reduce(0, +)) < 1e-4)
            #expect(x.max(alongAxes: [1])[flat: r] == Float(row.max()!))
        }
    }

    @Test func nanPropagatesThroughMaxAndMin() {
        var x = Tensor.zeros([40])
        x[flat: 17] = .nan
        #expect(x.max().scalar.isNaN)
        #expect(x.min().scalar.isNaN)
    }

    @Test func argmaxAndArgminPickTheFirstExtreme() {
        let x = Tensor(shape: [2, 4], scalars: [1, 5, 5, 0, 9, 2, 9, -1])
        #expect(x.argmax(alongAxis: 1).scalars == [1, 0])
        #expect(x.argmin(alongAxis: 1).scalars == [3, 3])
        #expect(x.argmax(alongAxis: 0).scalars == [1, 0, 1, 0])
        #expect(x.argmax(alongAxis: 1, keepDims: true).shape == [2, 1])
    }
}
