import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// Forward values and gradients of layers and losses against PyTorch (`Tests/Fixtures/layers.safetensors`).
@Suite struct LayerFixtureTests {
    let file: SafeTensors
    init() throws { file = try Fixtures.open("layers.safetensors") }

    func tensor(_ key: String) throws -> Tensor { try file.tensor(key) }

    /// Runs `forward` on a variable holding `<prefix>.x`, back-propagates `<prefix>.upstream`, and
    /// compares the output with `<output>.y` and the input gradient with `<output>.grad_x`.
    func checkPointwise(_ prefix: String, output: String, _ forward: (Variable) -> Variable) throws {
        let x = Variable(try tensor("\(prefix).x"), requiresGrad: true)
        let y = forward(x)
        y.backward(seed: try tensor("\(prefix).upstream"))
        expectClose(y.value, try tensor("\(output).y"), relative: 1e-5, absolute: 1e-6, "\(output) forward")
        expectClose(x.grad!, try tensor("\(output).grad_x"), relative: 1e-5, absolute: 1e-6, "\(output) gradient")
    }

    @Test(arguments: ["linear", "linear3d"])
    func linear(prefix: String) throws {
        var generator = RandomGenerator(seed: 0)
        let layer = Linear(inputFeatures: 5, outputFeatures: 3, generator: &generator)
        layer.weight.value = try tensor("\(prefix).weight")
        layer.bias!.value = try tensor("\(prefix).bias")
        try checkPointwise(prefix, output: prefix) { layer($0) }
        expectClose(layer.weight.grad!, try tensor("\(prefix).grad_weight"), relative: 1e-5, absolute: 1e-6)
        expectClose(layer.bias!.grad!, try tensor("\(prefix).grad_bias"), relative: 1e-5, absolute: 1e-6)
    }

    @Test func layerNorm() throws {
        let layer = LayerNorm(6)
        layer.weight!.value = try tensor("layernorm.weight")
        layer.bias!.value = try tensor("layernorm.bias")
        try checkPointwise("layernorm", output: "layernorm") { layer($0) }
        expectClose(layer.weight!.grad!, try tensor("layernorm.grad_weight"), relative: 1e-5, absolute: 1e-6)
        expectClose(layer.bias!.grad!, try tensor("layernorm.grad_bias"), relative: 1e-5, absolute: 1e-6)
    }

    @Test func activations() throws {
        try checkPointwise("gelu", output: "gelu") { GELU()($0) }
        try checkPointwise("gelu", output: "gelu_tanh") { GELU(approximate: true)($0) }
        try checkPointwise("gelu", output: "silu") { SiLU()($0) }
        try checkPointwise("gelu", output: "sigmoid") { Sigmoid()($0) }
        try checkPointwise("gelu", output: "tanh") { Tanh()($0) }
        try checkPointwise("gelu", output: "relu") { ReLU()($0) }
        try checkPointwise("softmax", output: "softmax") { Softmax()($0) }
        try checkPointwise("softmax", output: "log_softmax") { LogSoftmax()($0) }
    }

    @Test(arguments: [
        ("plain", "targets_all", Float(0), LossReduction.mean),
        ("ignore", "targets", 0, .mean),
        ("smooth", "targets_all", 0.1, .mean),
        ("smooth_ignore", "targets", 0.2, .mean),
        ("sum", "targets_all", 0, .sum),
    ])
    func crossEntropyLoss(name: String, targetsKey: String, smoothing: Float, reduction: LossReduction) throws {
        let logits = Variable(try tensor("cross_entropy.logits"), requiresGrad: true)
        let targets = try file.intTensor("cross_entropy.\(targetsKey)")
        let loss = crossEntropy(logits: logits, targets: targets, labelSmoothing: smoothing, reduction: reduction)
        loss.backward()
        expectClose(loss.value, try tensor("cross_entropy.\(name).loss"), relative: 1e-5, absolute: 1e-6, "\(name) loss")
        expectClose(logits.grad!, try tensor("cross_entropy.\(name).grad_logits"), relative: 1e-5, absolute: 1e-6, "\(name) gradient")
    }

    @Test func binaryCrossEntropyAndMeanSquaredError() throws {
        let logits = Variable(try tensor("bce.logits"), requiresGrad: true)
        let bce = binaryCrossEntropyWithLogits(logits: logits, targets: try tensor("bce.targets"))
        bce.backward()
        expectClose(bce.value, try tensor("bce.loss"), relative: 1e-5)
        expectClose(logits.grad!, try tensor("bce.grad_logits"), relative: 1e-5, absolute: 1e-6)
        let input = Variable(try tensor("mse.input"), requiresGrad: true)
        let mse = meanSquaredError(input, target: try tensor("mse.target"))
        mse.backward()
        expectClose(mse.value, try tensor("mse.loss"), relative: 1e-5)
        expectClose(input.grad!, try tensor("mse.grad_input"), relative: 1e-5, absolute: 1e-6)
    }
}
