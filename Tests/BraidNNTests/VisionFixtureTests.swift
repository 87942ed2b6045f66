import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// Convolution, batch norm and pooling against PyTorch (`Tests/Fixtures/vision.safetensors`).
@Suite struct VisionFixtureTests {
    let file: SafeTensors
    init() throws { file = try Fixtures.open("vision.safetensors") }

    func tensor(_ key: String) throws -> Tensor { try file.tensor(key) }

    /// Loads `<prefix>.param.*` into `module`, runs it on `<prefix>.x`, back-propagates the upstream
    /// gradient, and compares the output, the input gradient and every parameter gradient.
    func check(_ prefix: String, _ module: some Layer) throws {
        for (name, parameter) in module.namedParameters() { parameter.value = try tensor("\(prefix).param.\(name)") }
        let x = Variable(try tensor("\(prefix).x"), requiresGrad: true)
        let y = module(x)
        y.backward(seed: try tensor("\(prefix).upstream"))
        expectClose(y.value, try tensor("\(prefix).y"), relative: 1e-4, absolute: 1e-5, "\(prefix) output")
        expectClose(x.grad!, try tensor("\(prefix).grad_x"), relative: 1e-4, absolute: 1e-5, "\(prefix) input gradient")
        for (name, parameter) in module.namedParameters() {
            expectClose(parameter.grad!, try tensor("\(prefix).grad.\(name)"), relative: 1e-4, absolute: 1e-5, "\(prefix) \(name)")
        }
    }

    @Test(arguments: [
        ("conv_plain", 3, 4, (3, 3), (1, 1), (0, 0), (1, 1), 1, true),
        ("conv_strided", 4, 6, (3, 2), (2, 1), (1, 2), (1, 1), 1, true),
        ("conv_dilated", 2, 4, (3, 3), (1, 1), (2, 2), (2, 2), 1, true),
        ("conv_groups", 4, 6, (3, 3), (2, 2), (1, 1), (1, 1), 2, false),
    ] as [(String, Int, Int, (Int, Int), (Int, Int), (Int, Int), (Int, Int), Int, Bool)])
    func convolution(
        name: String, inputs: Int, outputs: Int, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int),
        dilation: (Int, Int), groups: Int, bias: Bool
    ) throws {
        var generator = RandomGenerator(seed: 0)
        try check(name, Conv2d(
            inputChannels: inputs, outputChannels: outputs, kernelSize: kernel, stride: stride, padding: padding,
            dilation: dilation, groups: groups, bias: bias, generator: &generator))
    }

    @Test(arguments: ["bn_train", "bn_eval"])
    func batchNorm(name: String) throws {
        let layer = BatchNorm(channels: 3)
        layer.runningMean.value = try tensor("\(name).running_mean_before")
        layer.runningVariance.value = try tensor("\(name).running_var_before")
        layer.train(name == "bn_train")
        try check(name, layer)
        expectClose(layer.runningMean.value, try tensor("\(name).running_mean_after"), relative: 1e-5, absolute: 1e-6)
        expectClose(layer.runningVariance.value, try tensor("\(name).running_var_after"), relative: 1e-5, absolute: 1e-6)
        #expect(layer.namedBuffers().map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
    }

    @Test func pooling() throws {
        try check("maxpool", MaxPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)))
        try check("avgpool", AvgPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)))
        try check("avgpool_exclude", AvgPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePadding: false))
        try check("adaptive", AdaptiveAvgPool2d(outputSize: (3, 2)))
    }
}
