import BraidAutograd
import Testing
import BraidFusion
import BraidNN
import BraidTensor
import BraidTestSupport

/// Widths for up to three test modalities (names chosen to sort as listed).
let testWidths: [String: Int] = ["audio": 3, "text": 4, "video": 5]
/// Sequence lengths for the test modalities.
let testLengths: [String: Int] = ["audio": 4, "text": 3, "video": 2]

/// The first `count` test modalities, name → width.
func testModalities(_ count: Int) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: testWidths.keys.sorted().prefix(count).map { ($0, testWidths[$0]!) })
}

/// Random features for `modalities` with batch `batch`; pooled is the mean of the sequence.
func testFeatures(_ modalities: [String: Int], batch: Int = 2, seed: UInt64 = 1) -> [String: EncodedFeatures] {
    var result: [String: EncodedFeatures] = [:]
    for (i, name) in modalities.keys.sorted().enumerated() {
        let sequence = Variable(randomTensor([batch, testLengths[name] ?? 3, modalities[name]!], seed: seed + UInt64(i)))
        result[name] = EncodedFeatures(sequence: sequence, paddingMask: nil, pooled: sequence.mean(alongAxes: [1]))
    }
    return result
}

/// Features whose pooled vectors are the given variables (sequence is `[B, 1, D]`).
func pooledFeatures(_ names: [String], _ variables: [Variable]) -> [String: EncodedFeatures] {
    Dictionary(uniqueKeysWithValues: zip(names, variables).map { name, v in
        (name, EncodedFeatures(sequence: v.unsqueezed(1), paddingMask: nil, pooled: v))
    })
}

/// Every head type built over `modalities`, with its expected output width.
func allHeads(_ modalities: [String: Int], seed: UInt64 = 7) -> [(head: any FusionHead, width: Int)] {
    var g = RandomGenerator(seed: seed)
    let m = modalities.count
    let sum = modalities.values.reduce(0, +)
    let product = modalities.values.map { $0 + 1 }.reduce(1, *)
    return [
        (EarlyFusion(modalities: modalities, generator: &g), sum),
        (EarlyFusion(modalities: modalities, projectionDimension: 6, generator: &g), 6 * m),
        (LateFusion(modalities: modalities, classCount: 3, generator: &g), 3),
        (LateFusion(modalities: modalities, classCount: 3, combination: .learnedWeights, generator: &g), 3),
        (LateFusion(modalities: modalities, classCount: 3, combination: .productOfExperts, generator: &g), 3),
        (CrossAttentionFusion(modalities: modalities, dimension: 4, headCount: 2, generator: &g), m * (m - 1) * 4),
        (WeightedSumFusion(modalities: modalities, dimension: 5, generator: &g), 5),
        (TensorFusion(modalities: modalities, generator: &g), product),
        (TensorFusion(modalities: modalities, projectionDimension: 2, generator: &g), (0..<m).reduce(1) { r, _ in r * 3 }),
        (TensorFusion(modalities: modalities, projectionDimension: 2, outputDimension: 7, generator: &g), 7),
        (LowRankTensorFusion(modalities: modalities, rank: 3, outputDimension: 6, generator: &g), 6),
        (GatedFusion(modalities: modalities, dimension: 5, generator: &g), 5),
        (GatedMultimodalUnit(modalities: modalities, dimension: 5, generator: &g), 5),
        (GatedMultimodalUnit(gatingFeaturesOf: modalities, generator: &g), sum),
    ]
}

/// Compares `parameter.grad` from one backward pass of Σ w ⊙ output (w a fixed random direction)
/// with central differences of the same projection, moving each element of `parameter.value`.
func expectParameterGradientMatches(
    _ parameter: Variable, step: Float = 1e-2, tolerance: Float = 2e-3, _ output: () -> Variable
) {
    let direction = Variable(randomTensor(withoutGradients { output() }.shape, seed: 99))
    parameter.zeroGrad()
    (output() * direction).sum().backward()
    guard let analytic = parameter.grad else {
        Issue.record("parameter received no gradient")
        return
    }
    let original = parameter.value
    func projected() -> Float { withoutGradients { (output() * direction).sum().value.scalars[0] } }
    for i in 0..<original.count {
        parameter.value[flat: i] = original[flat: i] + step
        let plus = projected()
        parameter.value[flat: i] = original[flat: i] - step
        let minus = projected()
        parameter.value = original
        let numeric = (plus - minus) / (2 * step)
        #expect(abs(numeric - analytic[flat: i]) <= tolerance * (1 + abs(numeric)),
                "element \(i): analytic \(analytic[flat: i]) vs numeric \(numeric)")
    }
}
