import BraidAutograd
import BraidFusion
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ContrastiveTests {
    @Test func matchesHandComputationOn2x2() {
        let a = Variable(Tensor([[1, 0], [0, 1]]))
        let b = Variable(Tensor([[1, 0], [1, 1]]))
        let loss = contrastiveLoss(a, b, logTemperature: Variable(Tensor(Float(Glibc.log(2.0)))))
        // logits = â·b̂ᵀ·2 = [[2, √2], [0, √2]].
        let r = 2.0.squareRoot()
        let rows = (Glibc.log(1 + Glibc.exp(r - 2)) + Glibc.log(1 + Glibc.exp(-r))) / 2
        let columns = (Glibc.log(1 + Glibc.exp(-2.0)) + Glibc.log(2.0)) / 2
        #expect(loss.shape == [])
        expectClose(loss.value, Tensor(Float((rows + columns) / 2)), relative: 1e-5, absolute: 1e-6)
    }

    @Test func gradientsIncludingLogTemperature() {
        let inputs = [randomTensor([3, 4], seed: 1), randomTensor([3, 4], seed: 2), Tensor(Float(0.5))]
        expectGradientsMatch(inputs) { v in contrastiveLoss(v[0], v[1], logTemperature: v[2]) }
    }

    @Test func perfectPairsGiveLowLoss() {
        let x = randomTensor([4, 8], seed: 3)
        let temperature = LearnableTemperature()
        #expect(abs(temperature.scale - 1 / 0.07) < 1e-3)
        let matched = contrastiveLoss(Variable(x), Variable(x * 3), logTemperature: temperature.logScale)
        let shuffled = contrastiveLoss(Variable(x), Variable(randomTensor([4, 8], seed: 4)), logTemperature: temperature.logScale)
        #expect(matched.value.scalars[0] < shuffled.value.scalars[0])
        matched.backward()
        #expect(temperature.logScale.grad != nil)
        #expect(temperature.namedParameters().map(\.name) == ["logit_scale"])
        temperature.logScale.value = Tensor(Float(10))
        temperature.clampToMaximumScale()
        #expect(abs(temperature.scale - 100) < 1e-3)
    }

    @Test func retrievalRecallOnKnownRanks() {
        let queries = Tensor([[1, 0], [0, 1], [1, 1]])
        // Query 0's match ranks first, query 1's first (ties do not count against it), query 2's third.
        let candidates = Tensor([[1, 0], [1, 0.1], [-1, 0]])
        let recall = retrievalRecall(queries: queries, candidates: candidates, k: [1, 2, 3])
        #expect(abs(recall[1]! - 2.0 / 3) < 1e-6)
        #expect(abs(recall[2]! - 2.0 / 3) < 1e-6)
        #expect(recall[3]! == 1)
        let identical = retrievalRecall(queries: queries * 2, candidates: queries, k: [1])
        #expect(identical[1]! == 1)
    }
}
