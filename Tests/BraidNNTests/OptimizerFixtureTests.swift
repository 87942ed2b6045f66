import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Testing

/// Three optimiser steps on a small MLP against PyTorch (`Tests/Fixtures/optimizers.safetensors`).
@Suite struct OptimizerFixtureTests {
    let file: SafeTensors
    init() throws { file = try Fixtures.open("optimizers.safetensors") }

    /// `Sequential(Linear(4, 8), Tanh(), Linear(8, 3))` holding the fixture's initial parameters.
    func makeModel() throws -> Sequential {
        var generator = RandomGenerator(seed: 1)
        let model = Sequential(
            Linear(inputFeatures: 4, outputFeatures: 8, generator: &generator), Tanh(),
            Linear(inputFeatures: 8, outputFeatures: 3, generator: &generator))
        for (name, parameter) in model.namedParameters() { parameter.value = try file.tensor("mlp.initial.\(name)") }
        return model
    }

    func loss(_ model: Sequential) throws -> Variable {
        crossEntropy(logits: model(Variable(try file.tensor("mlp.x"))), targets: try file.intTensor("mlp.targets"))
    }

    static let optimizers: [(String, @Sendable ([Variable]) -> any Optimizer)] = [
        ("sgd", { SGD(parameters: $0, learningRate: 0.1) }),
        ("sgd_momentum", { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01) }),
        ("sgd_nesterov", { SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) }),
        ("adam", { Adam(parameters: $0, learningRate: 0.01) }),
        ("adam_l2", { Adam(parameters: $0, learningRate: 0.01, weightDecay: 0.1) }),
        ("adamw", { Adam.adamW(parameters: $0, learningRate: 0.01, weightDecay: 0.1) }),
    ]

    @Test(arguments: optimizers)
    func threeStepsMatchPyTorch(name: String, make: @Sendable ([Variable]) -> any Optimizer) throws {
        let model = try makeModel()
        let optimizer = make(model.parameters())
        for step in 1...3 {
            optimizer.zeroGrad()
            let l = try loss(model)
            l.backward()
            optimizer.step()
            expectClose(l.value, try file.tensor("\(name).loss\(step)"), relative: 1e-5, "\(name) loss \(step)")
            for (key, parameter) in model.namedParameters() {
                expectClose(parameter.value, try file.tensor("\(name).step\(step).\(key)"), relative: 1e-5, absolute: 1e-6,
                            "\(name) step \(step) \(key)")
            }
        }
    }

    @Test func gradientClippingByGlobalNorm() throws {
        let model = try makeModel()
        try loss(model).backward()
        let norm = clipGradientNorm(model.parameters(), maxNorm: 0.5)
        expectClose(Tensor(norm), try file.tensor("clip.total_norm"), relative: 1e-5)
        for (key, parameter) in model.namedParameters() {
            expectClose(parameter.grad!, try file.tensor("clip.\(key)"), relative: 1e-5, absolute: 1e-7, "\(key)")
        }
    }

    @Test func schedulesMatchPyTorch() throws {
        let step = StepDecay(initial: 0.1, stepSize: 3, gamma: 0.5)
        expectClose(Tensor((0..<12).map { step.learningRate(at: $0) }), try file.tensor("schedule.step_lr"), relative: 1e-6)
        let cosine = CosineWithWarmup(peak: 0.1, warmupSteps: 3, totalSteps: 12)
        expectClose(Tensor((0..<12).map { cosine.learningRate(at: $0) }), try file.tensor("schedule.cosine_warmup"),
                    relative: 1e-5, absolute: 1e-7)
    }
}
