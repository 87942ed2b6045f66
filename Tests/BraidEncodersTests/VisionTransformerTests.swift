import BraidAutograd
import BraidData
import BraidEncoders
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

@Suite struct VisionTransformerTests {
    @Test func vitB16HasTorchvisionsParameterCount() {
        var generator = RandomGenerator(seed: 0)
        let model = VisionTransformer(.vitB16, generator: &generator)
        #expect(model.parameterCount == 86_567_656)
        let names = model.namedParameters().map(\.name)
        #expect(names.prefix(4) == ["embeddings.cls_token", "embeddings.position_embeddings",
                                    "embeddings.patch_embeddings.projection.weight", "embeddings.patch_embeddings.projection.bias"])
        #expect(names.contains("encoder.layer.11.attention.self.query.weight") && names.last == "head.bias")
    }

    @Test func smallViTEncodesAndTrains() {
        var generator = RandomGenerator(seed: 1)
        let model = VisionTransformer(.small(imageSize: 28, classCount: 3), generator: &generator)
        let images = Variable(randomTensor([4, 1, 28, 28], seed: 2))
        let features = model.encode(images)
        #expect(model.outputDimension == 128)
        #expect(features.sequence.shape == [4, 50, 128])
        #expect(features.pooled.shape == [4, 128])
        let labels = IntTensor([0, 1, 2, 1])
        let optimizer = Adam(parameters: model.parameters(), learningRate: 1e-3)
        var losses: [Float] = []
        for _ in 0..<5 {
            optimizer.zeroGrad()
            let loss = crossEntropy(logits: model(images), targets: labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.value.scalar)
        }
        #expect(losses.last! < losses.first!)
        #expect(model.embeddings.positions.grad != nil && model.embeddings.classToken.grad != nil)
    }
}

@Suite struct ImagePreprocessingTests {
    @Test(arguments: [("up", 12, 5), ("down", 4, 4)])
    func bilinearResizeMatchesPyTorch(name: String, height: Int, width: Int) throws {
        let file = try Fixtures.open("vision.safetensors")
        let resized = ImagePreprocessing.resizeBilinear(try file.tensor("resize.x"), to: (height, width))
        expectClose(resized, try file.tensor("resize.\(name)"), relative: 1e-5, absolute: 1e-6)
    }

    @Test func normalizePerChannel() {
        let images = Tensor(shape: [1, 2, 1, 2], scalars: [1, 3, 5, 7])
        let normalized = ImagePreprocessing.normalize(images, mean: [1, 5], standardDeviation: [2, 4])
        #expect(normalized.scalars == [0, 1, 0, 0.5])
        #expect(ImagePreprocessing.normalize(images.squeezed(0), mean: [1, 5], standardDeviation: [2, 4]).scalars == [0, 1, 0, 0.5])
    }
}
