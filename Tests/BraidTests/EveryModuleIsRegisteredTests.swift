import Braid
import Foundation
import Testing

/// Every public module type, built with every optional part present, registers every `Variable`
/// and module it stores: a part that reflection missed would silently drop out of the optimiser
/// and the checkpoint.
@Suite struct EveryModuleIsRegisteredTests {
    /// One instance of each module type in `Sources/` (smaller ones are reached inside larger ones).
    static func everyModule() -> [Module] {
        var g = RandomGenerator(seed: 1)
        let modalities = ["audio": 3, "image": 4, "text": 5]
        let clipEncoder = CLIPEncoderConfiguration(hiddenSize: 4, intermediateSize: 8, layerCount: 1, headCount: 2)
        return [
            Sequential(
                Linear(inputFeatures: 2, outputFeatures: 3, generator: &g), ReLU(), GELU(), SiLU(), Tanh(), Sigmoid(),
                Softmax(), LogSoftmax(), Dropout(probability: 0.1),
                Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: (3, 3), generator: &g), BatchNorm(channels: 2),
                MaxPool2d(kernelSize: (2, 2)), AvgPool2d(kernelSize: (2, 2)), AdaptiveAvgPool2d(outputSize: (1, 1)),
                LayerNorm(3)),
            Embedding(count: 4, dimension: 2, generator: &g),
            LearnableTemperature(),
            EarlyFusion(modalities: modalities, projectionDimension: 2, generator: &g),
            LateFusion(modalities: modalities, classCount: 2, combination: .learnedWeights, generator: &g),
            GatedFusion(modalities: modalities, dimension: 2, generator: &g),
            GatedMultimodalUnit(modalities: modalities, dimension: 2, generator: &g),
            GatedMultimodalUnit(gatingFeaturesOf: modalities, generator: &g),
            WeightedSumFusion(modalities: modalities, dimension: 2, generator: &g),
            TensorFusion(modalities: modalities, projectionDimension: 2, outputDimension: 2, generator: &g),
            LowRankTensorFusion(modalities: modalities, rank: 2, outputDimension: 2, generator: &g),
            CrossAttentionFusion(modalities: modalities, dimension: 4, headCount: 2, generator: &g),
            ResNet(ResNetConfiguration(block: .basic, stageDepths: [1, 1], stageWidths: [2, 4], classCount: 3), generator: &g),
            ResNet(ResNetConfiguration(block: .bottleneck, stageDepths: [1], stageWidths: [2], classCount: nil), generator: &g),
            VisionTransformer(
                VisionTransformerConfiguration(
                    imageSize: 8, patchSize: 4, hiddenSize: 4, layerCount: 1, headCount: 2, mlpSize: 8, classCount: 3),
                generator: &g),
            TextEncoder(
                BertConfiguration(vocabularySize: 10, hiddenSize: 4, layerCount: 1, headCount: 2, intermediateSize: 8,
                                  maximumPositions: 8),
                generator: &g),
            AudioEncoder(
                AudioEncoderConfiguration(melCount: 8, hiddenSize: 4, layerCount: 1, headCount: 2, feedForwardSize: 8),
                generator: &g),
            MultiHeadAttention(embedDimension: 4, headCount: 2, keyDimension: 3, valueDimension: 5, generator: &g),
            TransformerDecoder(
                count: 2, finalNorm: LayerNorm(4),
                {
                    TransformerDecoderLayer(
                        dimension: 4, headCount: 2, feedForwardDimension: 8, memoryDimension: 3, generator: &$0)
                }, generator: &g),
            GPT2LanguageModel(
                GPT2Configuration(
                    vocabularySize: 7, contextLength: 5, embeddingSize: 4, layerCount: 2, headCount: 2,
                    addsCrossAttention: true, tiesWordEmbeddings: false),
                generator: &g),
            CLIPModel(
                CLIPConfiguration(
                    text: CLIPTextConfiguration(
                        vocabularySize: 9, contextLength: 5, encoder: clipEncoder, paddingToken: 0, beginningOfTextToken: 7,
                        endOfTextToken: 8),
                    vision: CLIPVisionConfiguration(imageSize: 8, patchSize: 4, encoder: clipEncoder), projectionDimension: 3),
                generator: &g),
            ImageCaptioner(
                ImageCaptionerConfiguration(
                    imageSize: 8, encoder: ResNetConfiguration(block: .basic, stageDepths: [1], stageWidths: [4], classCount: nil),
                    decoder: CaptionDecoderConfiguration(
                        vocabularySize: 7, dimension: 4, layerCount: 1, headCount: 2, feedForwardDimension: 8, contextLength: 5,
                        tiesEmbeddings: false),
                    groundingLayer: 0),
                generator: &g),
        ]
    }

    @Test func everyStoredVariableAndModuleIsRegistered() {
        for module in Self.everyModule() {
            let missed = unregisteredParts(of: module)
            #expect(missed.isEmpty, "stored but not registered: \(missed)")
            let walked = Set(reachableParts(of: module).variables.keys)
            let extra = (module.namedParameters() + module.namedBuffers()).filter { !walked.contains(ObjectIdentifier($0.variable)) }
            #expect(extra.isEmpty, "registered but not stored: \(extra.map(\.name))")
        }
    }

    /// The walk sees what reflection cannot register: a `Variable` inside a struct.
    @Test func aVariableHiddenInAStructIsReported() {
        #expect(unregisteredParts(of: Hiding()) == ["Hiding.hidden.weight"])
    }

    /// Every module class declared in `Sources/` is among the modules the walk above reaches; the
    /// code listings of documentation catalogs (`*.docc/`) are not library code and are left out.
    @Test func theWalkCoversEveryModuleTypeInSources() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" && !$0.pathComponents.contains { $0.hasSuffix(".docc") } }
        let declaration = try Regex(#"class (\w+): Module\b"#)
        var declared = Set<String>()
        for file in files {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: declaration) {
                declared.insert(String(match.output[1].substring!))
            }
        }
        let reached = Set(Self.everyModule().flatMap { $0.namedModules() }.map { String(describing: type(of: $0.module)) })
        #expect(declared.count > 30)
        #expect(declared.subtracting(reached).isEmpty, "not walked: \(declared.subtracting(reached).sorted())")
    }

    /// The paths of stored variables and modules that `namedParameters()`, `namedBuffers()` and
    /// `namedModules()` do not list.
    private func unregisteredParts(of module: Module) -> [String] {
        let (variables, modules) = reachableParts(of: module)
        let registeredVariables = Set((module.namedParameters() + module.namedBuffers()).map { ObjectIdentifier($0.variable) })
        let registeredModules = Set(module.namedModules().map { ObjectIdentifier($0.module) })
        let missedVariables = variables.filter { !registeredVariables.contains($0.key) }.map(\.value)
        return (missedVariables + modules.filter { !registeredModules.contains($0.key) }.map(\.value)).sorted()
    }

    private func reachableParts(of module: Module) -> (variables: [ObjectIdentifier: String], modules: [ObjectIdentifier: String]) {
        var variables: [ObjectIdentifier: String] = [:], modules: [ObjectIdentifier: String] = [:]
        collect(module, path: String(describing: type(of: module)), variables: &variables, modules: &modules)
        return (variables, modules)
    }

    /// Every `Variable` and module reachable from `value` through stored properties, structs,
    /// optionals and collections, by the path that reaches it first.
    private func collect(
        _ value: Any, path: String, variables: inout [ObjectIdentifier: String], modules: inout [ObjectIdentifier: String]
    ) {
        let reflected = Mirror(reflecting: value)
        if reflected.displayStyle == .optional {
            for child in reflected.children { collect(child.value, path: path, variables: &variables, modules: &modules) }
            return
        }
        if let variable = value as? Variable {
            variables[ObjectIdentifier(variable), default: path] = path
            return
        }
        if let module = value as? Module {
            let id = ObjectIdentifier(module)
            guard modules[id] == nil else { return }
            modules[id] = path
        }
        var mirror: Mirror? = reflected
        while let current = mirror {
            if current.displayStyle == .collection && current.children.count > 64 { return }  // scalar arrays
            for (index, child) in current.children.enumerated() {
                collect(child.value, path: "\(path).\(child.label ?? String(index))", variables: &variables, modules: &modules)
            }
            mirror = current.superclassMirror
        }
    }
}

/// A module that keeps a parameter where reflection does not look.
private final class Hiding: Module {
    struct Parts { let weight = Variable(Tensor.ones([1]), requiresGrad: true) }
    let hidden = Parts()
}
