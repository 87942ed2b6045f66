import BraidTensor
import BraidTestSupport
import Testing

@Suite struct LinearAlgebraTests {
    @Test func solveRecoversTheRightHandSide() throws {
        let a = randomTensor([4, 4], seed: 1) + Tensor.eye(4) * 4
        let b = randomTensor([4, 2], seed: 2)
        let x = try Tensor.solve(a, b)
        expectClose(Tensor.matmul(a, x), b, relative: 1e-5, absolute: 1e-5)
        let v = try Tensor.solve(a, Tensor([1, 2, 3, 4]))
        expectClose(Tensor.matmul(a, v), Tensor([1, 2, 3, 4]), relative: 1e-5, absolute: 1e-5)
    }

    @Test func solveThrowsOnASingularMatrix() {
        let singular = Tensor(shape: [2, 2], scalars: [1, 2, 2, 4])
        #expect(throws: LinearAlgebraError.singularMatrix(pivot: 2)) { try Tensor.solve(singular, Tensor([1, 1])) }
    }

    @Test func choleskyFactorsAPositiveDefiniteMatrix() throws {
        let m = randomTensor([4, 4], seed: 3)
        let spd = Tensor.matmul(m, m, transposeB: true) + Tensor.eye(4)
        let l = try Tensor.cholesky(spd)
        for i in 0..<4 { for j in (i + 1)..<4 { #expect(l[i, j] == 0) } }
        expectClose(Tensor.matmul(l, l, transposeB: true), spd, relative: 1e-5, absolute: 1e-5)
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
            try Tensor.cholesky(Tensor(shape: [2, 2], scalars: [1, 2, 2, 1]))
        }
    }
}
