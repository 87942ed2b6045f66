import BraidAttention
import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// Decoder layers against PyTorch's `nn.TransformerDecoderLayer` and `nn.TransformerDecoder`
/// (`Tests/Fixtures/decoder.safetensors`, parameters under PyTorch's names with packed `in_proj`).
@Suite struct TransformerDecoderLayerTests {
    let file: SafeTensors
    init() throws { file = try Fixtures.open("decoder.safetensors") }

    static func makeLayer(normFirst: Bool, activation: TransformerActivation, generator: inout RandomGenerator)
        -> TransformerDecoderLayer
    {
        TransformerDecoderLayer(
            dimension: 16, headCount: 4, feedForwardDimension: 24, dropout: 0, activation: activation,
            normFirst: normFirst, generator: &generator)
    }

    /// Runs `forward` on the case's inputs and compares the output and every gradient.
    func expectMatches(
        _ name: String, _ module: Module, _ forward: (Variable, Variable, Tensor, Tensor) -> Variable
    ) throws {
        let target = Variable(try file.tensor("\(name).tgt"), requiresGrad: true)
        let memory = Variable(try file.tensor("\(name).memory"), requiresGrad: true)
        let y = forward(
            target, memory, try file.tensor("\(name).tgt_key_padding_mask"), try file.tensor("\(name).memory_key_padding_mask"))
        y.backward(seed: try file.tensor("\(name).upstream"))
        expectClose(y.value, try file.tensor("\(name).y"), relative: 1e-4, absolute: 1e-5, "\(name) output")
        expectClose(target.grad!, try file.tensor("\(name).grad_tgt"), relative: 1e-4, absolute: 1e-5, "\(name) ∂target")
        expectClose(memory.grad!, try file.tensor("\(name).grad_memory"), relative: 1e-4, absolute: 1e-5, "\(name) ∂memory")
        let expected = try MultiHeadAttention.unpackingInputProjections(try file.tensors(withPrefix: "\(name).grad."), source: name)
        #expect(Set(expected.keys) == Set(module.namedParameters().map(\.name)))
        for (key, parameter) in module.namedParameters() {
            expectClose(parameter.grad!, expected[key]!, relative: 1e-4, absolute: 1e-5, "\(name) ∂\(key)")
        }
    }

    @Test(arguments: [("dec_post", false, TransformerActivation.relu), ("dec_pre", true, .gelu)])
    func layerMatchesPyTorch(name: String, normFirst: Bool, activation: TransformerActivation) throws {
        var generator = RandomGenerator(seed: 0)
        let layer = Self.makeLayer(normFirst: normFirst, activation: activation, generator: &generator)
        try layer.loadPyTorchStateDict(try file.tensors(withPrefix: "\(name).param."), source: name)
        try expectMatches(name, layer) { target, memory, targetPadding, memoryPadding in
            layer(target, memory: memory, targetPaddingMask: targetPadding, memoryPaddingMask: memoryPadding)
        }
    }

    @Test func decoderStackMatchesPyTorch() throws {
        var generator = RandomGenerator(seed: 0)
        let decoder = TransformerDecoder(
            count: 2, finalNorm: LayerNorm(16), { Self.makeLayer(normFirst: false, activation: .relu, generator: &$0) },
            generator: &generator)
        try decoder.loadPyTorchStateDict(try file.tensors(withPrefix: "decoder.param."), source: "decoder")
        try expectMatches("decoder", decoder) { target, memory, targetPadding, memoryPadding in
            decoder(target, memory: memory, targetPaddingMask: targetPadding, memoryPaddingMask: memoryPadding)
        }
        #expect(decoder.namedParameters().first?.name == "layers.0.self_attn.query.weight")
        #expect(decoder.namedParameters().last?.name == "norm.bias")
    }

    @Test func packedProjectionsOfTheWrongShapeAreNamed() {
        #expect {
            try MultiHeadAttention.unpackingInputProjections(["a.in_proj_weight": Tensor.zeros([4, 2])], source: "x.safetensors")
        } throws: { error in
            "\(error)".contains("a.in_proj_weight") && "\(error)".contains("[4, 2]")
        }
    }

    @Test func evalModeReachesEveryDropout() {
        var generator = RandomGenerator(seed: 1)
        let layer = TransformerDecoderLayer(dimension: 8, headCount: 2, feedForwardDimension: 16, dropout: 0.3, generator: &generator)
        let (x, memory) = (Variable(randomTensor([2, 5, 8], seed: 2)), Variable(randomTensor([2, 3, 8], seed: 3)))
        #expect(layer(x, memory: memory).value != layer(x, memory: memory).value)
        layer.eval()
        expectClose(layer(x, memory: memory).value, layer(x, memory: memory).value, relative: 1e-6, absolute: 1e-7)
    }
}
