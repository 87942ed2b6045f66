// Tensors with gradients, a module of two layers, training steps, and saving and loading weights.
import Braid
import Foundation

// snippet.gradients
var generator = RandomGenerator(seed: 42)
let x = Variable(Tensor.randomNormal([2, 3], generator: &generator), requiresGrad: true)
let y = (x * x).sum()  // Σ x²
y.backward()
print(x.grad!)  // ∂y/∂x = 2x, shape [2, 3]

// snippet.module
/// Two `Linear` layers with a ReLU between them.
final class TwoLayerPerceptron: Module {
    /// `[B, 2] → [B, 16]`.
    let hidden: Linear
    /// `[B, 16] → [B, 2]`, one logit per class.
    let output: Linear

    /// A randomly initialised perceptron.
    init(generator: inout RandomGenerator) {
        hidden = Linear(inputFeatures: 2, outputFeatures: 16, generator: &generator)
        output = Linear(inputFeatures: 16, outputFeatures: 2, generator: &generator)
    }

    /// The logits `[B, 2]` of points `[B, 2]`.
    func callAsFunction(_ points: Variable) -> Variable {
        output(hidden(points).relu())
    }
}

let model = TwoLayerPerceptron(generator: &generator)
print(model.namedParameters().map(\.name))  // ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]

// snippet.training
// Points above the line y = x are class 1, the others class 0.
let points = Tensor.randomNormal([64, 2], generator: &generator)
let labels = IntTensor((0..<64).map { points[$0, 1] > points[$0, 0] ? 1 : 0 })
let optimizer = Adam(parameters: model.parameters(), learningRate: 1e-2)
for step in 1...100 {
    optimizer.zeroGrad()
    let loss = crossEntropy(logits: model(Variable(points)), targets: labels)
    loss.backward()
    optimizer.step()
    if step % 25 == 0 { print("step", step, "loss", loss.value.scalar) }
}

// snippet.saving
let path = FileManager.default.temporaryDirectory.appendingPathComponent("perceptron.safetensors").path
try model.saveStateDict(to: path)
let restored = TwoLayerPerceptron(generator: &generator)  // different random weights …
try restored.loadStateDict(from: path)                     // … replaced by the saved ones
// snippet.end
