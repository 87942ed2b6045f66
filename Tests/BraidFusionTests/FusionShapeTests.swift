import BraidAutograd
import BraidFusion
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

@Suite struct FusionShapeTests {
    @Test(arguments: [2, 3]) func outputShapes(modalityCount: Int) throws {
        let modalities = testModalities(modalityCount)
        let features = testFeatures(modalities, batch: 2)
        for (head, width) in allHeads(modalities) {
            let output = try head(features)
            #expect(head.outputDimension == width, "\(type(of: head))")
            #expect(output.shape == [2, width], "\(type(of: head)) gave \(output.shape)")
            #expect(output.value.scalars.allSatisfy { $0.isFinite }, "\(type(of: head))")
            #expect(head.modalityNames == modalities.keys.sorted())
        }
    }

    @Test func parameterNames() {
        var g = RandomGenerator(seed: 3)
        let modalities = testModalities(2)
        let names = Set(CrossAttentionFusion(modalities: modalities, dimension: 4, generator: &g).namedParameters().map(\.name))
        #expect(names.contains("projections.audio.weight"))
        #expect(names.contains("attentions.audio_text.query.weight"))
        #expect(names.contains("attentions.text_audio.output.bias"))
        #expect(names.contains("norms.text_audio.weight"))
        let lowRank = LowRankTensorFusion(modalities: modalities, rank: 2, outputDimension: 3, generator: &g)
        #expect(lowRank.namedParameters().map(\.name) == ["factors.audio", "factors.text", "bias"])
        #expect(lowRank.factors[1].shape == [2, 5, 3])
        let late = LateFusion(modalities: modalities, classCount: 2, combination: .learnedWeights, generator: &g)
        #expect(late.namedParameters().map(\.name).first == "weights")
    }

    @Test func earlyFusionConcatenatesInSortedOrder() throws {
        var g = RandomGenerator(seed: 3)
        let head = EarlyFusion(modalities: ["b": 1, "a": 2], generator: &g)
        let a = Variable(Tensor([[1, 2]])), b = Variable(Tensor([[3]]))
        let output = try head(pooledFeatures(["b", "a"], [b, a]))
        expectClose(output.value, Tensor([[1, 2, 3]]))
    }

    @Test func tensorFusionIsTheOuterProduct() throws {
        var g = RandomGenerator(seed: 3)
        let head = TensorFusion(modalities: ["a": 1, "b": 2], generator: &g)
        let output = try head(pooledFeatures(["a", "b"], [Variable(Tensor([[2]])), Variable(Tensor([[3, 5]]))]))
        // [1, 2] ⊗ [1, 3, 5]
        expectClose(output.value, Tensor([[1, 3, 5, 2, 6, 10]]))
    }

    /// Σ_m σ(G_m([x_a; x_b])) ⊙ tanh(P_m(x_m)), and the gated concatenation [z_a ⊙ x_a; z_b ⊙ x_b],
    /// computed by hand from the layers' weights.
    @Test func gatedMultimodalUnitsMatchTheirFormulas() throws {
        var g = RandomGenerator(seed: 3)
        let head = GatedMultimodalUnit(modalities: ["a": 2, "b": 3], dimension: 4, generator: &g)
        let a = randomTensor([5, 2], seed: 8), b = randomTensor([5, 3], seed: 9)
        let features = pooledFeatures(["a", "b"], [Variable(a), Variable(b)])
        let (gates, output) = try head.gatesAndOutput(features)
        let both = Tensor.concat([a, b], axis: 1)
        func affine(_ layer: Linear, _ x: Tensor) -> Tensor { Tensor.matmul(x, layer.weight.value.transposed()) + layer.bias!.value }
        let za = affine(head.gates[0], both).sigmoid(), zb = affine(head.gates[1], both).sigmoid()
        let expected = za * affine(head.projections[0], a).tanh() + zb * affine(head.projections[1], b).tanh()
        expectClose(output.value, expected, relative: 1e-5, absolute: 1e-6)
        expectClose(gates[0].value, za, relative: 1e-6, absolute: 1e-7)
        expectClose(gates[1].value, zb, relative: 1e-6, absolute: 1e-7)
        #expect(head.namedParameters().map(\.name) == [
            "projections.a.weight", "projections.a.bias", "projections.b.weight", "projections.b.bias",
            "gates.a.weight", "gates.a.bias", "gates.b.weight", "gates.b.bias",
        ])

        let early = GatedMultimodalUnit(gatingFeaturesOf: ["a": 2, "b": 3], generator: &g)
        let ea = affine(early.gates[0], both).sigmoid(), eb = affine(early.gates[1], both).sigmoid()
        #expect(ea.shape == [5, 2] && eb.shape == [5, 3] && early.outputDimension == 5)
        expectClose(try early(features).value, Tensor.concat([ea * a, eb * b], axis: 1), relative: 1e-5, absolute: 1e-6)
        #expect(early.namedParameters().map(\.name) == ["gates.a.weight", "gates.a.bias", "gates.b.weight", "gates.b.bias"])

        // Open gates at the start: with zero gate weights every gate is σ(2).
        let open = GatedMultimodalUnit(gatingFeaturesOf: ["a": 2, "b": 3], gateBias: 2, generator: &g)
        for gate in open.gates { gate.weight.value = Tensor.zeros(gate.weight.shape) }
        let opened = try open.gatesAndOutput(features).gates.map(\.value)
        expectClose(opened[1], Tensor(repeating: 1 / (1 + expf(-2)), shape: [5, 3]), relative: 1e-6)
    }

    @Test func lateFusionMeanAndProductOfExperts() throws {
        var g = RandomGenerator(seed: 3)
        let modalities = testModalities(2)
        let features = testFeatures(modalities)
        let mean = LateFusion(modalities: modalities, classCount: 3, generator: &g)
        let logits = zip(mean.classifiers, ["audio", "text"]).map { $0.0(features[$0.1]!.pooled).value }
        expectClose(try mean(features).value, (logits[0] + logits[1]) * 0.5, relative: 1e-5, absolute: 1e-6)
        let poe = LateFusion(modalities: modalities, classCount: 3, combination: .productOfExperts, generator: &g)
        let p = zip(poe.classifiers, ["audio", "text"]).map { $0.0(features[$0.1]!.pooled).value.softmax() }
        // softmax of the output is the normalised product of the experts' distributions.
        let product = p[0] * p[1]
        expectClose(try poe(features).value.softmax(), product / product.sum(alongAxes: [1], keepDims: true),
                    relative: 1e-4, absolute: 1e-6)
    }
}
