import BraidAutograd
import BraidNN
import BraidTensor
import Foundation
import Testing

/// A module that uses every kind of property reflection registers.
private final class Registered: Module {
    let runningTotal = Variable(Tensor.zeros([2]))
    let scale = Variable(Tensor.ones([1]), requiresGrad: true)
    let optionalParameter: Variable? = Variable(Tensor.ones([3]), requiresGrad: true)
    let missingParameter: Variable? = nil
    let blocks: [Linear]
    let heads: [String: LayerNorm] = ["text": LayerNorm(2), "audio": LayerNorm(2)]
    let tables: [String: Variable] = ["b": Variable(Tensor.ones([1])), "a": Variable(Tensor.ones([1]))]
    let cAttn: Linear
    let name = "not a part"
    let sizes = [1, 2, 3]

    init(generator: inout RandomGenerator) {
        blocks = [
            Linear(inputFeatures: 2, outputFeatures: 2, generator: &generator),
            Linear(inputFeatures: 2, outputFeatures: 2, bias: false, generator: &generator),
        ]
        cAttn = Linear(inputFeatures: 2, outputFeatures: 6, generator: &generator)
    }

    override var bufferNames: Set<String> { ["running_total"] }
    override var stateDictKeys: [String: String] { ["blocks.1": "last", "heads.text": "text_norm"] }
}

/// Holds one layer twice: directly and inside a Sequential (a tied or shortcut reference).
private final class Sharing: Module {
    let body: Sequential
    let shortcut: Linear

    init(generator: inout RandomGenerator) {
        shortcut = Linear(inputFeatures: 2, outputFeatures: 2, generator: &generator)
        body = Sequential(shortcut, ReLU())
    }
}

private final class Misspelt: Module {
    let layerNorm = LayerNorm(2)
    override var stateDictKeys: [String: String] { ["layernorm": "LayerNorm"] }
}

private final class Clashing: Module {
    let first = LayerNorm(2)
    let second = LayerNorm(2)
    override var stateDictKeys: [String: String] { ["second": "first"] }
}

@Suite struct ModuleRegistrationTests {
    @Test func reflectionFindsEveryKindOfPartUnderPyTorchNames() {
        var generator = RandomGenerator(seed: 1)
        let module = Registered(generator: &generator)
        #expect(module.namedParameters().map(\.name) == [
            "scale", "optional_parameter", "tables.a", "tables.b",
            "blocks.0.weight", "blocks.0.bias", "last.weight",
            "heads.audio.weight", "heads.audio.bias", "text_norm.weight", "text_norm.bias",
            "c_attn.weight", "c_attn.bias",
        ])
        #expect(module.namedBuffers().map(\.name) == ["running_total"])
        #expect(module.namedBuffers()[0].variable === module.runningTotal)
        #expect(module.parameters().count == 13 && module.parameters()[0] === module.scale)
        #expect(module.namedModules().map(\.name) == ["", "blocks.0", "last", "heads.audio", "text_norm", "c_attn"])
        #expect(module.stateDict().keys.sorted().count == 14)
    }

    @Test func trainAndEvalReachModulesInsideArraysAndDictionaries() {
        var generator = RandomGenerator(seed: 2)
        let module = Registered(generator: &generator)
        module.eval()
        #expect(module.namedModules().allSatisfy { !$0.module.isTraining })
        module.train()
        #expect(module.namedModules().allSatisfy { $0.module.isTraining })
    }

    @Test func aPartReachedTwiceIsRegisteredOnceUnderItsFirstName() {
        var generator = RandomGenerator(seed: 3)
        let module = Sharing(generator: &generator)
        #expect(module.namedParameters().map(\.name) == ["body.0.weight", "body.0.bias"])
        #expect(module.namedModules().map(\.name) == ["", "body", "body.0", "body.1"])
        #expect(module.parameterCount == 6)
    }

    @Test func propertyNamesBecomeSnakeCase() {
        #expect(snakeCased("runningMean") == "running_mean")
        #expect(snakeCased("cAttn") == "c_attn")
        #expect(snakeCased("lnF") == "ln_f")
        #expect(snakeCased("linear1") == "linear1")
        #expect(snakeCased("conv2Weight") == "conv2_weight")
        #expect(snakeCased("URLPath") == "url_path")
        #expect(snakeCased("weight") == "weight")
    }

    @Test func aMisspeltRenamingStopsWithItsName() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Misspelt().namedParameters()
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(printed.contains("Misspelt: stateDictKeys renames [\"layernorm\"], which start at no stored property"), "\(printed)")
    }

    @Test func twoEntriesWithOneNameStop() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Clashing().namedParameters()
        }
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(printed.contains("Clashing: two state-dict entries are named 'first.weight'"), "\(printed)")
    }
}
