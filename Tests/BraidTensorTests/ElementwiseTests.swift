import BraidTensor
import BraidTestSupport
import Foundation
import Testing

@Suite struct ElementwiseTests {
    @Test func broadcastingFollowsNumPy() {
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect((m + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect((m * Tensor(shape: [2, 1], scalars: [2, 3])).scalars == [2, 4, 6, 12, 15, 18])
        let column = Tensor(shape: [2, 1, 1], scalars: [1, 2])
        let row = Tensor(shape: [1, 3], scalars: [10, 20, 30])
        let sum = column + row
        #expect(sum.shape == [2, 1, 3])
        #expect(sum.scalars == [11, 21, 31, 12, 22, 32])
        #expect((Tensor(2) - m).scalars == [1, 0, -1, -2, -3, -4])
        #expect((m / 2).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
        let strided = Tensor(shape: [3, 1], scalars: [1, 2, 3]) - Tensor(shape: [1, 2], scalars: [1, 2])
        #expect(strided.scalars == [0, -1, 1, 0, 2, 1])
    }

    @Test func broadcastMaterialisesAndSumToShapeReduces() {
        let b = Tensor([1, 2]).broadcast(to: [3, 2])
        #expect(b.scalars == [1, 2, 1, 2, 1, 2])
        #expect(b.sum(toShape: [2]).scalars == [3, 6])
        #expect(b.sum(toShape: [3, 1]).scalars == [3, 3, 3])
        #expect(b.sum(toShape: [1, 2]).shape == [1, 2])
    }

    @Test(arguments: [
        ("exp", { @Sendable (t: Tensor) in t.exp() }, { @Sendable (x: Double) in Foundation.exp(x) }),
        ("log", { $0.abs().log() }, { Foundation.log(Swift.abs($0)) }),
        ("sqrt", { $0.abs().sqrt() }, { Swift.abs($0).squareRoot() }),
        ("rsqrt", { $0.abs().rsqrt() }, { 1 / Swift.abs($0).squareRoot() }),
        ("tanh", { $0.tanh() }, { Foundation.tanh($0) }),
        ("sigmoid", { $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) }),
        ("erf", { $0.erf() }, { Foundation.erf($0) }),
        ("abs", { $0.abs() }, { Swift.abs($0) }),
        ("pow3", { $0.pow(3) }, { $0 * $0 * $0 }),
        ("clamp", { $0.clamped(min: -1, max: 0.5) }, { Swift.min(Swift.max($0, -1), 0.5) }),
    ] as [(String, @Sendable (Tensor) -> Tensor, @Sendable (Double) -> Double)])
    func unaryFunctionsMatchDoublePrecision(name: String, f: @Sendable (Tensor) -> Tensor, reference: @Sendable (Double) -> Double) {
        let x = Tensor.arange(-20, 20, step: 0.037) * 0.5
        let expected = Tensor(shape: x.shape, scalars: x.scalars.map { Float(reference(Double($0))) })
        expectClose(f(x), expected, relative: 4e-7, absolute: 1e-30, "\(name)")
    }

    /// The loader runs the widest build of the C kernels this CPU supports (with `arch=haswell`
    /// clones it ran SSE2 code on AMD CPUs).
    @Test func kernelsRunTheWidestCloneTheCPUSupports() {
        #expect(KernelClone.chosen == KernelClone.best)
    }

    /// Large tensors are split over the cores in chunks; every element must be what the
    /// kernel gives for it in a small tensor.
    @Test func chunkedKernelsEqualSmallPieces() {
        let count = (1 << 17) + 37, piece = 1000
        let x = randomTensor([count], seed: 8, scale: 3), g = randomTensor([count], seed: 9)
        func pieces(_ f: (Range<Int>) -> Tensor) -> [Float] {
            stride(from: 0, to: count, by: piece).flatMap { f($0..<Swift.min($0 + piece, count)).scalars }
        }
        func slice(_ t: Tensor, _ range: Range<Int>) -> Tensor { Tensor(shape: [range.count], scalars: Array(t.scalars[range])) }
        #expect(x.gelu().scalars == pieces { slice(x, $0).gelu() })
        #expect(x.exp().scalars == pieces { slice(x, $0).exp() })
        #expect(Tensor.geluBackward(g, x).scalars == pieces { Tensor.geluBackward(slice(g, $0), slice(x, $0)) })
    }

    @Test func fastExpHandlesRangeEnds() {
        let x = Tensor([-200, -103, -87.5, 0, 88.5, 89, 200, .nan, -.infinity, .infinity])
        let y = x.exp()
        #expect(y[flat: 0] == 0 && y[flat: 1] == Float(Foundation.exp(-103.0)))
        #expect(Swift.abs(y[flat: 2] / Float(Foundation.exp(-87.5)) - 1) < 1e-6)
        #expect(y[flat: 3] == 1)
        #expect(Swift.abs(y[flat: 4] / Float(Foundation.exp(88.5)) - 1) < 1e-6)
        #expect(y[flat: 5] == .infinity && y[flat: 6] == .infinity)
        #expect(y[flat: 7].isNaN && y[flat: 8] == 0 && y[flat: 9] == .infinity)
    }

    @Test func binaryFunctionsAndComparisons() {
        let a = Tensor([1, 4, -2]), b = Tensor([2, 4, -3])
        #expect(Tensor.pow(Tensor([2, 3]), Tensor([3, 2])).scalars == [8, 9])
        #expect(Tensor.maximum(a, b).scalars == [2, 4, -2])
        #expect(Tensor.minimum(a, b).scalars == [1, 4, -3])
        #expect((a .> b).scalars == [0, 0, 1])
        #expect((a .>= b).scalars == [0, 1, 1])
        #expect((a .< b).scalars == [1, 0, 0])
        #expect((a .<= b).scalars == [1, 1, 0])
        #expect((a .== b).scalars == [0, 1, 0])
        #expect((a .!= b).scalars == [1, 0, 1])
        let picked = Tensor.where(Tensor(shape: [2, 1], scalars: [1, 0]), a, Tensor(0))
        #expect(picked.shape == [2, 3])
        #expect(picked.scalars == [1, 4, -2, 0, 0, 0])
    }
}
