import BraidAutograd
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// The README's example, kept compiling and working.
@Suite struct ReadmeExampleTests {
    @Test func buildTrainSaveAndReload() throws {
        var generator = RandomGenerator(seed: 42)
        let model = Sequential(
            Linear(inputFeatures: 784, outputFeatures: 256, generator: &generator), ReLU(),
            Linear(inputFeatures: 256, outputFeatures: 10, generator: &generator))
        let optimizer = Adam(parameters: model.parameters(), learningRate: 1e-3)

        let images = Variable(Tensor.randomNormal([32, 784], generator: &generator))
        let labels = IntTensor((0..<32).map { $0 % 10 })
        optimizer.zeroGrad()
        let loss = crossEntropy(logits: model(images), targets: labels)
        loss.backward()
        optimizer.step()
        let after = crossEntropy(logits: model(images), targets: labels)
        #expect(after.value.scalar < loss.value.scalar)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mlp-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.saveStateDict(to: path)
        let restored = Sequential(
            Linear(inputFeatures: 784, outputFeatures: 256, generator: &generator), ReLU(),
            Linear(inputFeatures: 256, outputFeatures: 10, generator: &generator))
        try restored.loadStateDict(from: path)
        #expect(restored.namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        for ((_, a), (_, b)) in zip(model.namedParameters(), restored.namedParameters()) { #expect(a.value == b.value) }
        // Outputs agree to rounding: OpenBLAS's sgemm may sum in another order for other buffer alignments.
        expectClose(restored(images).value, model(images).value, relative: 1e-5, absolute: 1e-6)
    }
}
