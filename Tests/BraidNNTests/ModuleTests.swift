import BraidAutograd
import BraidData
import BraidNN
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

@Suite struct ModuleTests {
    func makeModel(seed: UInt64) -> Sequential {
        var generator = RandomGenerator(seed: seed)
        return Sequential(
            Linear(inputFeatures: 4, outputFeatures: 8, generator: &generator), ReLU(), Dropout(probability: 0.5),
            LayerNorm(8), Linear(inputFeatures: 8, outputFeatures: 2, bias: false, generator: &generator))
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("braid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func namedParametersUsePyTorchNames() {
        let model = makeModel(seed: 1)
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "3.weight", "3.bias", "4.weight"])
        #expect(model.parameterCount == 4 * 8 + 8 + 8 + 8 + 8 * 2)
    }

    @Test func trainAndEvalReachEveryLayer() {
        let model = makeModel(seed: 1)
        model.eval()
        #expect(model.layers.allSatisfy { !$0.isTraining })
        let x = Variable(randomTensor([3, 4], seed: 2))
        expectClose(model(x).value, model(x).value, relative: 1e-6, absolute: 1e-7)  // no dropout in eval mode
        model.train()
        #expect(model.layers.allSatisfy { $0.isTraining })
    }

    @Test func dropoutZeroesAboutPAndRescales() {
        let dropout = Dropout(probability: 0.25, seed: 3)
        let y = dropout(Variable(Tensor.ones([10_000]))).value
        let zeros = y.scalars.filter { $0 == 0 }.count
        #expect(abs(Float(zeros) / 10_000 - 0.25) < 0.02)
        #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - 4 / 3) < 1e-6 })
        dropout.eval()
        #expect(dropout(Variable(Tensor.ones([5]))).value == Tensor.ones([5]))
    }

    @Test func embeddingLooksUpRowsAndSkipsPaddingGradient() {
        var generator = RandomGenerator(seed: 4)
        let embedding = Embedding(count: 5, dimension: 3, paddingIndex: 0, generator: &generator)
        let ids = IntTensor(shape: [2, 2], scalars: [1, 0, 1, 4])
        let y = embedding(ids)
        #expect(y.shape == [2, 2, 3])
        #expect(y.value.sliced(axis: 1, start: 1, end: 2).sliced(axis: 0, start: 0, end: 1).scalars == [0, 0, 0])
        y.sum().backward()
        let grad = embedding.weight.grad!
        #expect(grad.scalars == [0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 1, 1, 1])
    }

    @Test func defaultInitialisationHasPyTorchBounds() {
        var generator = RandomGenerator(seed: 5)
        let layer = Linear(inputFeatures: 100, outputFeatures: 50, generator: &generator)
        #expect(layer.weight.value.abs().max().scalar <= 0.1)
        #expect(layer.weight.value.abs().max().scalar > 0.09)
        let std = Initialization.kaimingNormal([400, 300], generator: &generator).variance().scalar.squareRoot()
        #expect(abs(std - (2 / Float(300)).squareRoot()) < 0.002)
        let bound = Initialization.xavierUniform([30, 20], generator: &generator).abs().max().scalar
        #expect(bound <= (6 / Float(50)).squareRoot() && bound > 0.3)
    }

    @Test func stateDictRoundTripsThroughSafetensors() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("model.safetensors").path
        let source = makeModel(seed: 1), target = makeModel(seed: 2)
        try source.saveStateDict(to: path)
        try target.loadStateDict(from: path)
        for ((name, a), (_, b)) in zip(source.namedParameters(), target.namedParameters()) {
            #expect(a.value == b.value, "\(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
    }

    @Test func loadingNamesEveryMissingUnexpectedAndMisshapedKey() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("other.safetensors").path
        var tensors = makeModel(seed: 1).stateDict()
        tensors["0.bias"] = nil
        tensors["extra.weight"] = Tensor.zeros([1])
        tensors["4.weight"] = Tensor.zeros([3, 8])
        try SafeTensors.write(tensors, to: path)
        let model = makeModel(seed: 2)
        let before = model.parameters().map(\.value)
        #expect {
            try model.loadStateDict(from: path)
        } throws: { error in
            guard let error = error as? StateDictError else { return false }
            return error.missingKeys == ["0.bias"] && error.unexpectedKeys == ["extra.weight"]
                && error.shapeMismatches == [.init(key: "4.weight", expected: [2, 8], found: [3, 8])]
                && error.description.contains(path)
        }
        #expect(model.parameters().map(\.value) == before)
    }

    @Test func unexpectedKeysCanBeTolerated() throws {
        let path = try temporaryDirectory().appendingPathComponent("pooled.safetensors").path
        var tensors = makeModel(seed: 1).stateDict()
        tensors["pooler.dense.weight"] = Tensor.zeros([2])
        try SafeTensors.write(tensors, to: path)
        let model = makeModel(seed: 2)
        #expect(throws: StateDictError.self) { try model.loadStateDict(from: path) }
        try model.loadStateDict(from: path) { $0.hasPrefix("pooler.") }
        #expect(model.stateDict()["0.weight"] == tensors["0.weight"])
    }
}
