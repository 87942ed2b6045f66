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

    /// Target rows sharing memory rows through `memoryIndices` give the output and gradients of
    /// the memory repeated for them (`indexSelect`) and passed whole.
    @Test func sharedMemoryRowsEqualRepeatedMemory() {
        var generator = RandomGenerator(seed: 4)
        let decoder = TransformerDecoder(
            count: 2, finalNorm: LayerNorm(16), { Self.makeLayer(normFirst: true, activation: .gelu, generator: &$0) },
            generator: &generator)
        let indices = [1, 0, 1, 1, 0]
        let target = randomTensor([5, 6, 16], seed: 5), memory = randomTensor([2, 7, 16], seed: 6)
        let padding = Tensor(shape: [2, 7], scalars: [0, 0, 0, 0, 0, 1, 1] + [0, 0, 0, 0, 0, 0, 0])
        let upstream = randomTensor([5, 6, 16], seed: 7)
        func run(shared: Bool) -> (output: Tensor, target: Tensor, memory: Tensor, parameters: [Tensor]) {
            for parameter in decoder.parameters() { parameter.grad = nil }
            let (x, m) = (Variable(target, requiresGrad: true), Variable(memory, requiresGrad: true))
            let y = shared
                ? decoder(x, memory: m, memoryIndices: indices, memoryPaddingMask: padding)
                : decoder(x, memory: m.indexSelect(axis: 0, indices: indices), memoryPaddingMask: padding.indexSelect(axis: 0, indices: indices))
            y.backward(seed: upstream)
            return (y.value, x.grad!, m.grad!, decoder.parameters().map { $0.grad! })
        }
        let (shared, repeated) = (run(shared: true), run(shared: false))
        expectClose(shared.output, repeated.output, relative: 1e-5, absolute: 1e-6, "output")
        expectClose(shared.target, repeated.target, relative: 1e-5, absolute: 1e-6, "∂target")
        expectClose(shared.memory, repeated.memory, relative: 1e-5, absolute: 1e-6, "∂memory")
        for (name, (a, b)) in zip(decoder.namedParameters().map(\.name), zip(shared.parameters, repeated.parameters)) {
            expectClose(a, b, relative: 1e-5, absolute: 1e-6, "∂\(name)")
        }
    }

    @Test func memoryIndicesOutOfRangeStopWithTheCounts() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var generator = RandomGenerator(seed: 1)
            let layer = TransformerDecoderLayer(dimension: 8, headCount: 2, feedForwardDimension: 16, dropout: 0, generator: &generator)
            _ = layer(Variable(Tensor.zeros([3, 2, 8])), memory: Variable(Tensor.zeros([2, 4, 8])), memoryIndices: [0, 2, 1])
        }.map { result in
            let message = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(message.contains("3 key indices for 3 query rows and 2 key rows"))
        }
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
