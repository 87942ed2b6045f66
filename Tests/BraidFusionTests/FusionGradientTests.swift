import BraidAutograd
import BraidFusion
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// Finite-difference checks of each head's gradient with respect to its inputs, at tiny sizes.
@Suite struct FusionGradientTests {
    let names = ["audio", "text", "video"]
    let modalities: [String: Int] = ["audio": 2, "text": 3, "video": 2]
    var inputs: [Tensor] {
        names.enumerated().map { i, name in randomTensor([2, modalities[name]!], seed: 40 + UInt64(i)) }
    }

    @Test(arguments: [LateFusion.Combination.productOfExperts, .learnedWeights, .mean])
    func lateFusion(combination: LateFusion.Combination) {
        var g = RandomGenerator(seed: 5)
        let head = LateFusion(modalities: modalities, classCount: 3, combination: combination, generator: &g)
        if let weights = head.weights { weights.value = Tensor([0.3, -0.2, 0.5]) }
        expectGradientsMatch(inputs) { try! head(pooledFeatures(names, $0)) }
        // The learnable combination weights themselves, through the head.
        if let weights = head.weights {
            let features = pooledFeatures(names, inputs.map { Variable($0) })
            expectParameterGradientMatches(weights) { try! head(features) }
        }
    }

    @Test func weightedSumFusion() {
        var g = RandomGenerator(seed: 5)
        let head = WeightedSumFusion(modalities: modalities, dimension: 3, generator: &g)
        head.logits.value = Tensor([0.4, -0.3, 0.1])
        expectGradientsMatch(inputs) { try! head(pooledFeatures(names, $0)) }
    }

    @Test func weightedSumFusionLogits() {
        var g = RandomGenerator(seed: 5)
        let head = WeightedSumFusion(modalities: modalities, dimension: 3, generator: &g)
        head.logits.value = Tensor([0.4, -0.3, 0.1])
        let features = pooledFeatures(names, inputs.map { Variable($0) })
        expectParameterGradientMatches(head.logits) { try! head(features) }
    }

    @Test func tensorFusion() {
        var g = RandomGenerator(seed: 5)
        let head = TensorFusion(modalities: modalities, projectionDimension: 2, outputDimension: 3, generator: &g)
        expectGradientsMatch(inputs) { try! head(pooledFeatures(names, $0)) }
        let plain = TensorFusion(modalities: modalities, generator: &g)
        expectGradientsMatch(inputs) { try! plain(pooledFeatures(names, $0)) }
    }

    @Test func lowRankTensorFusion() {
        var g = RandomGenerator(seed: 5)
        let head = LowRankTensorFusion(modalities: modalities, rank: 2, outputDimension: 3, generator: &g)
        expectGradientsMatch(inputs) { try! head(pooledFeatures(names, $0)) }
        // With respect to the factors and bias as well.
        let features = pooledFeatures(names, inputs.map { Variable($0) })
        for parameter in head.parameters() {
            expectParameterGradientMatches(parameter) { try! head(features) }
        }
    }

    @Test func gatedFusion() {
        var g = RandomGenerator(seed: 5)
        let head = GatedFusion(modalities: modalities, dimension: 3, generator: &g)
        expectGradientsMatch(inputs) { try! head(pooledFeatures(names, $0)) }
        let features = pooledFeatures(names, inputs.map { Variable($0) })
        expectParameterGradientMatches(head.gate.weight) { try! head(features) }
    }

    @Test func gatedMultimodalUnit() {
        var g = RandomGenerator(seed: 5)
        let head = GatedMultimodalUnit(modalities: modalities, dimension: 3, generator: &g)
        expectGradientsMatch(inputs) { try! head(pooledFeatures(names, $0)) }
        let features = pooledFeatures(names, inputs.map { Variable($0) })
        for parameter in [head.gates[1].weight, head.projections[2].weight] {
            expectParameterGradientMatches(parameter) { try! head(features) }
        }
        let early = GatedMultimodalUnit(gatingFeaturesOf: modalities, generator: &g)
        expectGradientsMatch(inputs) { try! early(pooledFeatures(names, $0)) }
        expectParameterGradientMatches(early.gates[0].weight) { try! early(features) }
    }

    @Test func crossAttentionFusion() {
        var g = RandomGenerator(seed: 5)
        let head = CrossAttentionFusion(modalities: ["audio": 2, "text": 3], dimension: 4, headCount: 2, generator: &g)
        let sequences = [randomTensor([2, 3, 2], seed: 60), randomTensor([2, 2, 3], seed: 61)]
        let textMask = Tensor([[0, 1], [0, 0]])
        let audioMask = Tensor([[0, 0, 1], [0, 0, 0]])
        expectGradientsMatch(sequences, step: 1e-2, absoluteTolerance: 2e-3, relativeTolerance: 2e-2) { v in
            let features = [
                "audio": EncodedFeatures(sequence: v[0], paddingMask: audioMask, pooled: v[0].mean(alongAxes: [1])),
                "text": EncodedFeatures(sequence: v[1], paddingMask: textMask, pooled: v[1].mean(alongAxes: [1])),
            ]
            return try! head(features)
        }
        // And with respect to the first pair's query projection and LayerNorm scale.
        let fixed = [
            "audio": EncodedFeatures(sequence: Variable(sequences[0]), paddingMask: audioMask, pooled: Variable(sequences[0]).mean(alongAxes: [1])),
            "text": EncodedFeatures(sequence: Variable(sequences[1]), paddingMask: textMask, pooled: Variable(sequences[1]).mean(alongAxes: [1])),
        ]
        expectParameterGradientMatches(head.attentions[0].query.weight, tolerance: 5e-3) { try! head(fixed) }
        expectParameterGradientMatches(head.norms[1].weight!, tolerance: 5e-3) { try! head(fixed) }
    }
}
