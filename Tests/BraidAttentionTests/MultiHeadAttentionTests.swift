import BraidAttention
import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// `MultiHeadAttention` against PyTorch's `nn.MultiheadAttention` (`Tests/Fixtures/attention.safetensors`).
@Suite struct MultiHeadAttentionTests {
    let file: SafeTensors
    init() throws { file = try Fixtures.open("attention.safetensors") }

    func tensor(_ key: String) throws -> Tensor { try file.tensor(key) }

    func expectGradient(_ actual: Tensor?, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        expectClose(actual ?? Tensor.zeros([0]), try tensor(key), relative: 1e-4, absolute: 1e-5, "\(key)",
                    sourceLocation: sourceLocation)
    }

    /// PyTorch's packed weight or bias gradient `[3E, …]` from the three projections' gradients.
    func packed(_ layer: MultiHeadAttention, bias: Bool) -> Tensor {
        Tensor.concat([layer.query, layer.key, layer.value].map { (bias ? $0.bias! : $0.weight).grad! })
    }

    func makeLayer(_ heads: Int, keyDimension: Int? = nil, valueDimension: Int? = nil) -> MultiHeadAttention {
        var generator = RandomGenerator(seed: 0)
        return MultiHeadAttention(
            embedDimension: 16, headCount: heads, keyDimension: keyDimension, valueDimension: valueDimension,
            generator: &generator)
    }

    @Test(arguments: [AttentionKernel.fused, .naive])
    func selfAttentionWithPaddingMatchesPyTorch(kernel: AttentionKernel) throws {
        let layer = makeLayer(4)
        layer.kernel = kernel
        try layer.loadPyTorchStateDict(from: file, prefix: "mha_self.state.")
        let x = Variable(try tensor("mha_self.x"), requiresGrad: true)
        let padding = try tensor("mha_self.key_padding_mask")
        let y = layer(x, keyPaddingMask: padding)
        y.backward(seed: try tensor("mha_self.upstream"))
        expectClose(y.value, try tensor("mha_self.y"), relative: 1e-4, absolute: 1e-5)
        try expectGradient(x.grad, "mha_self.grad_x")
        try expectGradient(packed(layer, bias: false), "mha_self.grad.in_proj_weight")
        try expectGradient(packed(layer, bias: true), "mha_self.grad.in_proj_bias")
        try expectGradient(layer.output.weight.grad, "mha_self.grad.out_proj.weight")
        try expectGradient(layer.output.bias?.grad, "mha_self.grad.out_proj.bias")
        let weights = layer.attendWithWeights(query: x, key: x, value: x, keyPaddingMask: padding).weights
        expectClose(weights, try tensor("mha_self.weights"), relative: 1e-4, absolute: 1e-6)
    }

    @Test func crossAttentionWithOtherKeyAndValueWidthsMatchesPyTorch() throws {
        let layer = makeLayer(2, keyDimension: 12, valueDimension: 10)
        try layer.loadPyTorchStateDict(from: file, prefix: "mha_cross.state.")
        let (q, k, v) = (
            Variable(try tensor("mha_cross.query"), requiresGrad: true),
            Variable(try tensor("mha_cross.key"), requiresGrad: true),
            Variable(try tensor("mha_cross.value"), requiresGrad: true))
        let padding = try tensor("mha_cross.key_padding_mask")
        let (y, weights) = layer.attendWithWeights(query: q, key: k, value: v, keyPaddingMask: padding)
        y.backward(seed: try tensor("mha_cross.upstream"))
        expectClose(y.value, try tensor("mha_cross.y"), relative: 1e-4, absolute: 1e-5)
        expectClose(weights, try tensor("mha_cross.weights"), relative: 1e-4, absolute: 1e-6)
        try expectGradient(q.grad, "mha_cross.grad_query")
        try expectGradient(k.grad, "mha_cross.grad_key")
        try expectGradient(v.grad, "mha_cross.grad_value")
        try expectGradient(layer.query.weight.grad, "mha_cross.grad.q_proj_weight")
        try expectGradient(layer.key.weight.grad, "mha_cross.grad.k_proj_weight")
        try expectGradient(layer.value.weight.grad, "mha_cross.grad.v_proj_weight")
        try expectGradient(packed(layer, bias: true), "mha_cross.grad.in_proj_bias")
        let fused = layer(query: q, key: k, value: v, keyPaddingMask: padding)
        expectClose(fused.value, y.value, relative: 1e-5, absolute: 1e-6)
    }

    @Test func additiveCausalMaskMatchesPyTorch() throws {
        let layer = makeLayer(4)
        try layer.loadPyTorchStateDict(from: file, prefix: "mha_causal.state.")
        let x = Variable(try tensor("mha_causal.x"), requiresGrad: true)
        let y = layer(x, mask: .additive(try tensor("mha_causal.attn_mask")))
        y.backward(seed: try tensor("mha_causal.upstream"))
        expectClose(y.value, try tensor("mha_causal.y"), relative: 1e-4, absolute: 1e-5)
        try expectGradient(x.grad, "mha_causal.grad_x")
        let causal = layer(x, isCausal: true)
        expectClose(causal.value, y.value, relative: 1e-5, absolute: 1e-6)
    }

    @Test func ownNamesFollowBertAndPackedShapesAreChecked() throws {
        let layer = makeLayer(4)
        #expect(layer.namedParameters().map(\.name) == [
            "query.weight", "query.bias", "key.weight", "key.bias", "value.weight", "value.bias",
            "output.weight", "output.bias",
        ])
        let wrong = makeLayer(2, keyDimension: 12, valueDimension: 10)
        #expect(throws: StateDictError.self) { try wrong.loadPyTorchStateDict(from: file, prefix: "mha_self.state.") }
    }

    @Test func dropoutOnlyInTrainingMode() {
        var generator = RandomGenerator(seed: 3)
        let layer = MultiHeadAttention(embedDimension: 8, headCount: 2, dropout: 0.5, generator: &generator)
        let x = Variable(randomTensor([1, 6, 8], seed: 4))
        #expect(layer(x).value != layer(x).value)
        layer.eval()
        expectClose(layer(x).value, layer(x).value, relative: 1e-6, absolute: 1e-7)  // no dropout in eval mode
    }
}
