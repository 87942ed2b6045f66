import BraidAttention
import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// Transformer layers against PyTorch's `nn.TransformerEncoderLayer` and `nn.TransformerEncoder`
/// (`Tests/Fixtures/attention.safetensors`, parameters stored under BERT's names).
@Suite struct TransformerEncoderLayerTests {
    let file: SafeTensors
    init() throws { file = try Fixtures.open("attention.safetensors") }

    func makeLayer(normFirst: Bool, activation: TransformerActivation, generator: inout RandomGenerator) -> TransformerEncoderLayer {
        TransformerEncoderLayer(
            dimension: 16, headCount: 4, feedForwardDimension: 32, dropout: 0, activation: activation,
            normFirst: normFirst, generator: &generator)
    }

    @Test(arguments: [("tel_post", false, TransformerActivation.gelu), ("tel_pre", true, .relu)])
    func layerMatchesPyTorch(name: String, normFirst: Bool, activation: TransformerActivation) throws {
        var generator = RandomGenerator(seed: 0)
        let layer = makeLayer(normFirst: normFirst, activation: activation, generator: &generator)
        try layer.loadStateDict(try file.tensors(withPrefix: "\(name).param."), source: name)
        let x = Variable(try file.tensor("\(name).x"), requiresGrad: true)
        let y = layer(x, keyPaddingMask: try file.tensor("\(name).key_padding_mask"))
        y.backward(seed: try file.tensor("\(name).upstream"))
        expectClose(y.value, try file.tensor("\(name).y"), relative: 1e-4, absolute: 1e-5, "\(name) output")
        expectClose(x.grad!, try file.tensor("\(name).grad_x"), relative: 1e-4, absolute: 1e-5, "\(name) input gradient")
        let expected = try file.tensors(withPrefix: "\(name).grad.")
        #expect(Set(expected.keys) == Set(layer.namedParameters().map(\.name)))
        for (key, parameter) in layer.namedParameters() {
            expectClose(parameter.grad!, expected[key]!, relative: 1e-4, absolute: 1e-5, "\(name) \(key)")
        }
    }

    @Test func encoderStackMatchesPyTorch() throws {
        var generator = RandomGenerator(seed: 0)
        let encoder = TransformerEncoder(count: 2, { makeLayer(normFirst: false, activation: .gelu, generator: &$0) },
                                         generator: &generator)
        try encoder.loadStateDict(try file.tensors(withPrefix: "encoder.param."), source: "encoder")
        let x = Variable(try file.tensor("encoder.x"), requiresGrad: true)
        let y = encoder(x, keyPaddingMask: try file.tensor("encoder.key_padding_mask"))
        y.backward(seed: try file.tensor("encoder.upstream"))
        expectClose(y.value, try file.tensor("encoder.y"), relative: 1e-4, absolute: 1e-5)
        expectClose(x.grad!, try file.tensor("encoder.grad_x"), relative: 1e-4, absolute: 1e-5)
        #expect(encoder.namedParameters().first?.name == "layer.0.attention.self.query.weight")
    }

    @Test func evalModeReachesEveryDropout() {
        var generator = RandomGenerator(seed: 1)
        let layer = TransformerEncoderLayer(dimension: 8, headCount: 2, feedForwardDimension: 16, dropout: 0.3, generator: &generator)
        let x = Variable(randomTensor([2, 5, 8], seed: 2))
        #expect(layer(x).value != layer(x).value)
        layer.eval()
        #expect(!layer.attention.isTraining)
        expectClose(layer(x).value, layer(x).value, relative: 1e-6, absolute: 1e-7)  // no dropout in eval mode
    }
}
