import BraidTensor
import BraidTestSupport
import Testing

@Suite struct MovementTests {
    let x = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))

    @Test func reshapeSqueezeUnsqueeze() {
        #expect(x.reshaped(to: [4, -1]).shape == [4, 6])
        #expect(x.unsqueezed(1).shape == [2, 1, 3, 4])
        #expect(x.unsqueezed(-1).shape == [2, 3, 4, 1])
        #expect(x.unsqueezed(0).unsqueezed(3).squeezed().shape == [2, 3, 4])
        #expect(x.reshaped(to: [1, 24, 1]).squeezed(0).shape == [24, 1])
    }

    @Test func permuteAndTranspose() {
        let p = x.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { #expect(p[k, i, j] == x[i, j, k]) } } }
        let t = x.transposed()
        #expect(t.shape == [2, 4, 3] && t[1, 3, 2] == x[1, 2, 3])
    }

    @Test func concatStackSplit() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = Tensor(shape: [2, 1], scalars: [5, 6])
        #expect(Tensor.concat([a, b], axis: 1).scalars == [1, 2, 5, 3, 4, 6])
        #expect(Tensor.concat([a, a], axis: 0).shape == [4, 2])
        let s = Tensor.stack([a, a * 2], axis: 1)
        #expect(s.shape == [2, 2, 2] && s.scalars == [1, 2, 2, 4, 3, 4, 6, 8])
        let pieces = x.split(sizes: [1, 2], axis: 1)
        #expect(pieces.map(\.shape) == [[2, 1, 4], [2, 2, 4]])
        #expect(Tensor.concat(pieces, axis: 1) == x)
    }

    @Test func slicesWithStepAndTheirAdjoint() {
        let s = x.sliced(axis: 2, start: 1, end: 4, step: 2)
        #expect(s.shape == [2, 3, 2])
        #expect(s.scalars.prefix(4) == [1, 3, 5, 7])
        let back = Tensor.unsliced(s, shape: x.shape, axis: 2, start: 1, end: 4, step: 2)
        #expect(back[0, 0, 1] == 1 && back[0, 0, 3] == 3 && back[0, 0, 0] == 0 && back[0, 0, 2] == 0)
    }

    @Test func indexSelectGatherAndTheirAdjoints() {
        let rows = x.indexSelect(axis: 1, indices: [2, 0, 2])
        #expect(rows.shape == [2, 3, 4] && rows[0, 0, 0] == 8 && rows[1, 1, 3] == 15)
        let added = Tensor.indexAdd(Tensor.ones([2, 3, 4]), shape: x.shape, axis: 1, indices: [2, 0, 2])
        #expect(added[0, 2, 0] == 2 && added[0, 0, 0] == 1 && added[0, 1, 0] == 0)
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let index = IntTensor(shape: [2, 2], scalars: [2, 0, 1, 1])
        #expect(m.gather(axis: 1, index: index).scalars == [3, 1, 5, 5])
        let scattered = Tensor.scatterAdd(Tensor([1, 1, 1, 1]).reshaped(to: [2, 2]), shape: [2, 3], axis: 1, index: index)
        #expect(scattered.scalars == [1, 0, 1, 0, 2, 0])
    }

    @Test func constantPaddingAndItsAdjoint() {
        let m = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let p = m.padded([(1, 0), (0, 2)], value: -1)
        #expect(p.shape == [3, 4])
        #expect(p.scalars == [-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1])
        #expect(p.unpadded([(1, 0), (0, 2)]) == m)
    }
}

@Suite struct MaxPoolValuesTests {
    @Test(arguments: [((3, 3), (2, 2), (1, 1)), ((2, 3), (2, 1), (0, 1)), ((3, 2), (1, 2), (1, 0))])
    func valuesEqualTheIndexedPath(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)) {
        var x = randomTensor([2, 3, 9, 8], seed: 3)
        x[1, 2, 4, 4] = .nan
        let fast = x.maxPool2dValues(kernelSize: kernel, stride: stride, padding: padding)
        let exact = x.maxPool2d(kernelSize: kernel, stride: stride, padding: padding).output
        #expect(fast.shape == exact.shape)
        for i in 0..<fast.count {
            #expect(fast[flat: i] == exact[flat: i] || (fast[flat: i].isNaN && exact[flat: i].isNaN))
        }
    }
}
