@testable import BraidAttention
import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// The inference path of `TransformerEncoderLayer` (evaluation mode, no gradients): against
/// PyTorch's fixtures, against the recorded path on random layers of every activation, norm
/// placement, head width, length, padding and causality, and where it must not apply.
@Suite struct TransformerEncoderLayerInferenceTests {
    /// A layer whose every parameter is random, biases and layer norms included.
    func randomLayer(
        dimension: Int, heads: Int, normFirst: Bool, activation: TransformerActivation, seed: UInt64
    ) -> TransformerEncoderLayer {
        var generator = RandomGenerator(seed: seed)
        let layer = TransformerEncoderLayer(
            dimension: dimension, headCount: heads, feedForwardDimension: 2 * dimension + 4, dropout: 0.2,
            activation: activation, normFirst: normFirst, generator: &generator)
        for (index, parameter) in layer.parameters().enumerated() {
            parameter.value = randomTensor(parameter.shape, seed: seed &+ UInt64(index) &+ 100, scale: 0.3,
                                           offset: parameter.rank == 1 && index % 3 == 0 ? 1 : 0)
        }
        layer.eval()
        return layer
    }

    @Test(arguments: [("tel_post", false, TransformerActivation.gelu), ("tel_pre", true, .relu)])
    func matchesPyTorch(name: String, normFirst: Bool, activation: TransformerActivation) throws {
        let file = try Fixtures.open("attention.safetensors")
        var generator = RandomGenerator(seed: 0)
        let layer = TransformerEncoderLayer(
            dimension: 16, headCount: 4, feedForwardDimension: 32, dropout: 0, activation: activation,
            normFirst: normFirst, generator: &generator)
        try layer.loadStateDict(try file.tensors(withPrefix: "\(name).param."), source: name)
        layer.eval()
        let x = Variable(try file.tensor("\(name).x"))
        let y = withoutGradients {
            layer.inferenceOutput(x, keyPaddingMask: try? file.tensor("\(name).key_padding_mask"), mask: nil, isCausal: false)
        }
        let output = try #require(y)
        expectClose(output.value, try file.tensor("\(name).y"), relative: 1e-4, absolute: 1e-5, "\(name) output")
    }

    @Test(arguments: [
        (48, 3, false, TransformerActivation.gelu), (48, 3, true, .quickGelu), (40, 5, true, .geluTanh), (40, 5, false, .relu),
    ])
    func matchesTheRecordedPath(dimension: Int, heads: Int, normFirst: Bool, activation: TransformerActivation) throws {
        let layer = randomLayer(dimension: dimension, heads: heads, normFirst: normFirst, activation: activation, seed: 7)
        for (length, causal) in [(1, false), (7, true), (33, false), (33, true)] {
            let x = Variable(randomTensor([3, length, dimension], seed: UInt64(length)))
            // Row 0 unpadded, row 1 padded after its first 3 tokens (or none), row 2 all padding.
            let padding = Tensor(shape: [3, length], scalars: (0..<3 * length).map { i in
                let (row, column) = (i / length, i % length)
                return row == 2 || (row == 1 && column >= min(3, length)) ? 1 : 0
            })
            for mask in [nil, padding] {
                let expected = layer(x, keyPaddingMask: mask, isCausal: causal)  // gradients on: the recorded path
                let actual = try #require(withoutGradients {
                    layer.inferenceOutput(x, keyPaddingMask: mask, mask: nil, isCausal: causal)
                })
                expectClose(actual.value, expected.value, relative: 1e-5, absolute: 2e-5,
                            "length \(length), causal \(causal), padding \(mask != nil)")
                #expect(!actual.requiresGrad)
            }
        }
    }

    @Test(arguments: [false, true])
    func selectedRowsMatchTheWholeOutput(normFirst: Bool) throws {
        let encoder = TransformerEncoder(
            layers: [10, 11].map { randomLayer(dimension: 40, heads: 5, normFirst: normFirst, activation: .quickGelu, seed: $0) },
            finalNorm: LayerNorm(40))
        encoder.finalNorm!.weight!.value = randomTensor([40], seed: 12, scale: 0.3, offset: 1)
        encoder.eval()
        let x = Variable(randomTensor([3, 9, 40], seed: 13))
        let padding = Tensor(shape: [3, 9], scalars: (0..<27).map { $0 / 9 == 1 && $0 % 9 >= 4 ? 1 : 0 })
        // The last position, a class token, a padded position, a repeat, out of order.
        let rows = [26, 0, 13, 9, 13, 17]
        for causal in [false, true] {
            for mask in [nil, padding] {
                let whole = encoder(x, keyPaddingMask: mask, isCausal: causal).reshaped(to: [27, 40]).indexSelect(axis: 0, indices: rows)
                let recorded = encoder(x, rows: rows, keyPaddingMask: mask, isCausal: causal)  // gradients on
                let inference = withoutGradients { encoder(x, rows: rows, keyPaddingMask: mask, isCausal: causal) }
                let context = "causal \(causal), padding \(mask != nil)"
                #expect(recorded.value.scalars == whole.value.scalars, "\(context)")
                expectClose(inference.value, whole.value, relative: 1e-5, absolute: 2e-5, "\(context)")
            }
        }
    }

    @Test func followsWeightsChangedAfterTheFirstCall() throws {
        let layer = randomLayer(dimension: 32, heads: 2, normFirst: false, activation: .gelu, seed: 5)
        let x = Variable(randomTensor([2, 6, 32], seed: 6))
        _ = withoutGradients { layer(x) }  // packs every weight
        // An in-place update (as the optimisers make) and an assignment (as loading a state dict does).
        layer.intermediate.weight.value.withUnsafeMutableBufferPointer { w in
            for i in w.indices { w[i] *= -0.5 }
        }
        layer.attention.query.weight.value = randomTensor(layer.attention.query.weight.shape, seed: 8, scale: 0.3)
        let expected = layer(x)  // gradients on: the recorded path
        let actual = try #require(withoutGradients { layer.inferenceOutput(x, keyPaddingMask: nil, mask: nil, isCausal: false) })
        expectClose(actual.value, expected.value, relative: 1e-5, absolute: 2e-5)
    }

    @Test func appliesOnlyWithoutGradientsInEvaluationModeToShortUnmaskedSequences() {
        let layer = randomLayer(dimension: 16, heads: 2, normFirst: true, activation: .gelu, seed: 3)
        let x = Variable(randomTensor([2, 5, 16], seed: 4))
        #expect(layer.inferenceOutput(x, keyPaddingMask: nil, mask: nil, isCausal: false) == nil)  // gradients on
        withoutGradients {
            #expect(layer.inferenceOutput(x, keyPaddingMask: nil, mask: nil, isCausal: false) != nil)
            let mask = AttentionMask.additive(Tensor.zeros([5, 5]))
            #expect(layer.inferenceOutput(x, keyPaddingMask: nil, mask: mask, isCausal: false) == nil)
            let long = Variable(Tensor.zeros([1, TransformerEncoderLayer.shortSequenceLimit + 1, 16]))
            #expect(layer.inferenceOutput(long, keyPaddingMask: nil, mask: nil, isCausal: false) == nil)
            layer.attention.kernel = .naive
            #expect(layer.inferenceOutput(x, keyPaddingMask: nil, mask: nil, isCausal: false) == nil)
            layer.attention.kernel = .fused
            layer.train()
            #expect(layer.inferenceOutput(x, keyPaddingMask: nil, mask: nil, isCausal: false) == nil)
        }
    }
}
