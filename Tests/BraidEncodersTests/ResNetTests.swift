import BraidAutograd
import BraidData
import BraidEncoders
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

@Suite struct ResNetTests {
    @Test func torchvisionNamesAndParameterCounts() {
        var generator = RandomGenerator(seed: 0)
        let resnet18 = ResNet(.resnet18, generator: &generator)
        #expect(resnet18.parameterCount == 11_689_512)
        let names = resnet18.namedParameters().map(\.name) + resnet18.namedBuffers().map(\.name)
        for name in ["conv1.weight", "bn1.running_var", "layer1.0.conv2.weight", "layer2.0.downsample.0.weight",
                     "layer2.0.downsample.1.num_batches_tracked", "layer4.1.bn2.bias", "fc.weight"] {
            #expect(names.contains(name), "\(name)")
        }
        let resnet50 = ResNet(.resnet50, generator: &generator)
        #expect(resnet50.parameterCount == 25_557_032)
        #expect(resnet50.namedParameters().contains { $0.name == "layer3.5.conv3.weight" })
    }

    /// torchvision-layout resnet18 in eval mode against PyTorch: weights from the shared counter
    /// hash, written as a safetensors checkpoint and loaded by name.
    @Test func resnet18MatchesPyTorchThroughACheckpoint() throws {
        var generator = RandomGenerator(seed: 0)
        let model = ResNet(.resnet18, generator: &generator)
        let names = (model.namedParameters() + model.namedBuffers()).map { ($0.name, $0.variable.shape) }
            .sorted { $0.0 < $1.0 }
        var state: [String: Tensor] = [:]
        for (stream, (name, shape)) in names.enumerated() {
            state[name] = HashedValues.tensor(name: name, shape: shape, stream: stream)
        }
        let fixture = try Fixtures.open("resnet18.safetensors")
        #expect(Array(state["conv1.weight"]!.scalars.prefix(8)) == (try fixture.tensor("resnet18.conv1_weight_head")).scalars)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resnet18-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensors.write(state, to: path)
        try model.loadStateDict(from: path)
        model.eval()

        let x = Variable(HashedValues.tensor(name: "input", shape: [2, 3, 64, 64], stream: 100_000), requiresGrad: true)
        let y = model(x)
        y.backward(seed: HashedValues.tensor(name: "upstream", shape: [2, 1000], stream: 100_001))
        expectClose(y.value, try fixture.tensor("resnet18.y"), relative: 1e-4, absolute: 1e-5, "logits")
        expectClose(x.grad!, try fixture.tensor("resnet18.grad_x"), relative: 1e-4, absolute: 1e-6, "input gradient")
        // Inference (batch norm folded; layer1's 3×3 convolutions by Winograd at this size).
        let inferred = withoutGradients { model(Variable(x.value)).value }
        expectClose(inferred, try fixture.tensor("resnet18.y"), relative: 1e-4, absolute: 1e-5, "logits without gradients")
    }

    /// The inference path (folded batch norm, Winograd for 3×3 stride-1 layers over at least 16
    /// blocks: none at 32×32, layer1 and layer2 at 128×128) against the layers run separately,
    /// also after the weights and statistics change between calls (the folded cache is refreshed).
    @Test(arguments: [32, 128]) func foldedInferenceEqualsTheLayersRunSeparately(size: Int) {
        var generator = RandomGenerator(seed: 4)
        let model = ResNet(.resnet18, generator: &generator)
        func perturbStatistics() {
            for (name, buffer) in model.namedBuffers() where name.hasSuffix("running_mean") || name.hasSuffix("running_var") {
                buffer.value = buffer.value + Tensor.randomUniform(buffer.shape, upperBound: 0.5, generator: &generator)
            }
        }
        perturbStatistics()
        model.eval()
        let x = Variable(randomTensor([2, 3, size, size], seed: 5))
        for round in 0..<2 {
            let separate = model(x).value  // gradients enabled: conv and batch norm run as two layers
            let folded = withoutGradients { model(x).value }
            expectClose(folded, separate, relative: 1e-4, absolute: 1e-5, "round \(round)")
            perturbStatistics()
            model.stages[1].parameters().first!.value = randomTensor(model.stages[1].parameters().first!.shape, seed: 6, scale: 0.05)
        }
    }

    @Test func encoderOutputsHaveTheSharedShape() {
        var generator = RandomGenerator(seed: 1)
        let encoder = ResNet(.smallResNet18(inputChannels: 1), generator: &generator)
        let features = encoder.encode(Variable(randomTensor([2, 1, 28, 28], seed: 2)))
        #expect(encoder.outputDimension == 512)
        #expect(features.sequence.shape == [2, 16, 512])
        #expect(features.pooled.shape == [2, 512])
        #expect(features.paddingMask == nil)
        #expect(encoder(Variable(randomTensor([2, 1, 32, 32], seed: 3))).shape == [2, 512])
    }
}
