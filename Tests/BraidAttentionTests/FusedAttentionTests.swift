import BraidAutograd
import BraidTensor
import BraidTestSupport
import Testing

@testable import BraidAttention

/// One attention configuration of the fused-versus-naive sweep.
struct AttentionCase: Sendable, CustomTestStringConvertible {
    enum MaskKind: String, Sendable, CaseIterable { case none, keyPadding, boolean, additive, causal, causalPadded }

    var queries: Int
    var keys: Int
    var depth: Int
    var mask: MaskKind
    var dropout: Float = 0
    var testDescription: String { "Nq \(queries) Nk \(keys) D \(depth) mask \(mask.rawValue) dropout \(dropout)" }

    static let batch = 2, heads = 3

    /// Query, key and value `[2, 3, N, D]` (value width D + 3) and the mask arguments.
    func inputs() -> (query: Tensor, key: Tensor, value: Tensor, mask: AttentionMask?, padding: Tensor?, causal: Bool) {
        let q = randomTensor([Self.batch, Self.heads, queries, depth], seed: 1)
        let k = randomTensor([Self.batch, Self.heads, keys, depth], seed: 2)
        let v = randomTensor([Self.batch, Self.heads, keys, depth + 3], seed: 3)
        // Batch 0 keeps every key; batch 1 pads all but the first third (at least one key).
        let kept = max(1, keys / 3)
        let padding = Tensor(shape: [Self.batch, keys], scalars: (0..<(2 * keys)).map { $0 >= keys && $0 - keys >= kept ? 1 : 0 })
        var generator = RandomGenerator(seed: 4)
        switch mask {
        case .none: return (q, k, v, nil, nil, false)
        case .keyPadding: return (q, k, v, nil, padding, false)
        case .boolean:
            let allowed = Tensor(shape: [queries, keys], scalars: (0..<(queries * keys)).map { _ in
                generator.nextUniform() < 0.7 ? 1 : 0
            })
            return (q, k, v, .boolean(allowed), nil, false)
        case .additive:
            let bias = Tensor.randomNormal([Self.batch, 1, queries, keys], generator: &generator)
            return (q, k, v, .additive(bias), padding, false)
        case .causal: return (q, k, v, nil, nil, true)
        case .causalPadded: return (q, k, v, nil, padding, true)
        }
    }
}

let sweep: [AttentionCase] = {
    var cases: [AttentionCase] = []
    for (n, d) in [(1, 16), (7, 32), (64, 64), (129, 80), (300, 64)] {
        for mask in AttentionCase.MaskKind.allCases { cases.append(AttentionCase(queries: n, keys: n, depth: d, mask: mask)) }
    }
    for (nq, nk) in [(5, 77), (130, 33), (300, 1)] {
        for mask in [AttentionCase.MaskKind.none, .keyPadding, .causal, .additive] {
            cases.append(AttentionCase(queries: nq, keys: nk, depth: 32, mask: mask))
        }
    }
    cases.append(AttentionCase(queries: 100, keys: 120, depth: 16, mask: .keyPadding, dropout: 0.3))
    cases.append(AttentionCase(queries: 70, keys: 70, depth: 32, mask: .causal, dropout: 0.1))
    return cases
}()

@Suite struct FusedAttentionTests {
    /// Runs both kernels on `c`, the fused one with `tiles`, and compares output and gradients.
    func compare(_ c: AttentionCase, tiles: FusedAttention.Tiles) {
        let (q, k, v, mask, padding, causal) = c.inputs()
        let dropout = c.dropout > 0 ? AttentionDropout(probability: c.dropout, seed: 9) : nil
        let problem = AttentionProblem(
            query: q.shape, key: k.shape, value: v.shape, mask: mask, keyPaddingMask: padding, isCausal: causal,
            scale: nil, dropout: dropout)
        let g = randomTensor([AttentionCase.batch, AttentionCase.heads, c.queries, c.depth + 3], seed: 5)
        let naive = NaiveAttention.forward(problem, query: q, key: k, value: v)
        let fused = FusedAttention.forward(problem, query: q, key: k, value: v, tiles: tiles)
        expectClose(fused.output, naive.output, relative: 1e-4, absolute: 1e-5, "output")
        #expect(!fused.output.scalars.contains { $0.isNaN })
        let expected = NaiveAttention.backward(problem, query: q, key: k, value: v, forward: naive, outputGradient: g)
        let actual = FusedAttention.backward(
            problem, query: q, key: k, value: v, forward: fused, outputGradient: g, tiles: tiles)
        expectClose(actual.query, expected.query, relative: 1e-4, absolute: 1e-5, "query gradient")
        expectClose(actual.key, expected.key, relative: 1e-4, absolute: 1e-5, "key gradient")
        expectClose(actual.value, expected.value, relative: 1e-4, absolute: 1e-5, "value gradient")
    }

    @Test(arguments: sweep)
    func fusedMatchesNaiveWithSmallTiles(_ c: AttentionCase) {
        compare(c, tiles: FusedAttention.Tiles(queries: 32, keys: 48))
    }

    @Test(arguments: sweep.filter { $0.queries >= 129 })
    func fusedMatchesNaiveWithStandardTiles(_ c: AttentionCase) {
        compare(c, tiles: .standard)
    }

    @Test(arguments: [AttentionKernel.fused, .naive])
    func fullyMaskedRowsGiveZerosAndFiniteGradients(kernel: AttentionKernel) {
        let q = Variable(randomTensor([1, 2, 4, 8], seed: 1), requiresGrad: true)
        let k = Variable(randomTensor([1, 2, 5, 8], seed: 2), requiresGrad: true)
        let v = Variable(randomTensor([1, 2, 5, 8], seed: 3), requiresGrad: true)
        var allowed = Tensor.ones([4, 5])
        for j in 0..<5 { allowed[2, j] = 0 }
        let y = scaledDotProductAttention(query: q, key: k, value: v, mask: .boolean(allowed), kernel: kernel)
        #expect(y.value.sliced(axis: 2, start: 2, end: 3).scalars.allSatisfy { $0 == 0 })
        y.sum().backward()
        for grad in [q.grad!, k.grad!, v.grad!] { #expect(grad.scalars.allSatisfy { $0.isFinite }) }
    }

    @Test func dropoutDropsAboutPAndMatchesAcrossKernels() {
        let q = randomTensor([1, 1, 64, 16], seed: 1), k = randomTensor([1, 1, 64, 16], seed: 2)
        let dropout = AttentionDropout(probability: 0.25, seed: 11)
        let weights = attentionWeights(query: q, key: k, dropout: dropout)
        let zeros = weights.scalars.filter { $0 == 0 }.count
        #expect(abs(Float(zeros) / Float(weights.count) - 0.25) < 0.03)
        let other = attentionWeights(query: q, key: k, dropout: AttentionDropout(probability: 0.25, seed: 12))
        #expect(other != weights)
    }

    @Test(arguments: [AttentionKernel.fused, .naive])
    func gradientsMatchFiniteDifferences(kernel: AttentionKernel) {
        let padding = Tensor(shape: [2, 5], scalars: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1])
        expectGradientsMatch([[2, 2, 3, 4], [2, 2, 5, 4], [2, 2, 5, 3]].enumerated().map { randomTensor($1, seed: UInt64($0)) }) {
            scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: padding, kernel: kernel)
        }
        expectGradientsMatch([[1, 2, 6, 4], [1, 2, 6, 4], [1, 2, 6, 4]].enumerated().map { randomTensor($1, seed: UInt64($0)) }) {
            scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], isCausal: true, scale: 0.7, kernel: kernel)
        }
    }

    @Test func badShapesStopWithTheShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let q = Variable(Tensor.zeros([2, 2, 3, 4])), k = Variable(Tensor.zeros([2, 2, 3, 5]))
            _ = scaledDotProductAttention(query: q, key: k, value: k)
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("[2, 2, 3, 4]") && message.contains("[2, 2, 3, 5]"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let q = Variable(Tensor.zeros([1, 1, 3, 4]))
            _ = scaledDotProductAttention(query: q, key: q, value: q, mask: .additive(Tensor.zeros([2, 3])))
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("mask of shape [2, 3] cannot broadcast to [1, 1, 3, 3]"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let q = Variable(Tensor.zeros([1, 1, 3, 0]))
            _ = scaledDotProductAttention(query: q, key: q, value: q)
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("D = 0"))
        }
    }
}
