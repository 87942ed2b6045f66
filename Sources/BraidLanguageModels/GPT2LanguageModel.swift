import BraidAttention
import BraidAutograd
import BraidData
import BraidGeneration
import BraidNN
import BraidTensor
import Foundation

/// A GPT-2-family causal language model (Hugging Face's `GPT2LMHeadModel`): the transformer
/// (`transformer.*`) and the output projection `lm_head`, which by default is the token
/// embedding table itself (tied, as `tie_word_embeddings`), so that logits = h·wteᵀ.
///
/// ```swift
/// let model = try GPT2LanguageModel.load(directory: "gpt2")
/// let logits = model(IntTensor(shape: [1, 3], scalars: [15496, 11, 995]))   // [1, 3, 50257]
/// ```
///
/// It conforms to `AutoregressiveModel`, so every decoding strategy of `BraidGeneration` drives
/// it with a `DecoderCache`.
public final class GPT2LanguageModel: Module {
    /// `transformer`.
    public let transformer: GPT2Model
    /// `lm_head`: `[V, E]`, the token embeddings when tied.
    public let head: Linear

    /// A randomly initialised model shaped by `configuration`.
    public init(_ configuration: GPT2Configuration, generator: inout RandomGenerator) {
        transformer = GPT2Model(configuration, generator: &generator)
        head = configuration.tiesWordEmbeddings
            ? Linear(weight: transformer.tokenEmbedding.weight)
            : Linear(
                weight: Variable(
                    Tensor.randomNormal(
                        [configuration.vocabularySize, configuration.embeddingSize], standardDeviation: 0.02,
                        generator: &generator),
                    requiresGrad: true))
    }

    /// The shape the model was built with.
    public var configuration: GPT2Configuration { transformer.configuration }

    /// Hugging Face's names; a tied `lm_head.weight` is registered once, as `transformer.wte.weight`.
    public override var stateDictKeys: [String: String] { ["head": "lm_head"] }

    /// The logits `[B, N, V]` of token ids `[B, N]`; see `GPT2Model.callAsFunction(_:paddingMask:positions:encoderStates:encoderPaddingMask:)`.
    public func callAsFunction(
        _ ids: IntTensor, paddingMask: Tensor? = nil, positions: IntTensor? = nil, encoderStates: Variable? = nil,
        encoderPaddingMask: Tensor? = nil
    ) -> Variable {
        head(
            transformer(
                ids, paddingMask: paddingMask, positions: positions, encoderStates: encoderStates,
                encoderPaddingMask: encoderPaddingMask))
    }

    /// Loads a Hugging Face checkpoint folder: `config.json` and `model.safetensors`, as
    /// `save_pretrained` writes them (`transformer.`-prefixed names, the tied `lm_head.weight`
    /// left out) or as the original GPT-2 uploads hold them (no prefix, with the unused
    /// `attn.bias`/`attn.masked_bias` mask buffers). Any other missing, unexpected or mis-shaped
    /// key is a `StateDictError`. The model starts in evaluation mode.
    ///
    /// Nothing is allocated before the configuration's ``GPT2Configuration/parameterCount`` is
    /// found to fit in the values the checkpoint's header declares, so a configuration that
    /// describes a larger model than its weights throws `ConfigurationError.mismatch` at once.
    public static func load(directory: String) throws -> GPT2LanguageModel {
        let folder = try CheckpointFolder(directory: directory)
        let configuration = try GPT2Configuration(contentsOf: folder.configurationPath)
        let weights = try folder.openWeights(describing: configuration.parameterCount)
        var values = try weights.tensors()
        if !values.keys.contains(where: { $0.hasPrefix("transformer.") }) {
            values = Dictionary(uniqueKeysWithValues: values.map { ($0.key.hasPrefix("lm_head.") ? $0.key : "transformer." + $0.key, $0.value) })
        }
        var generator = RandomGenerator(seed: 0)
        let model = GPT2LanguageModel(configuration, generator: &generator)
        try model.loadStateDict(values, source: weights.path) { name in
            name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias")
                || (configuration.tiesWordEmbeddings && name == "lm_head.weight")
        }
        model.eval()
        return model
    }
}

extension GPT2LanguageModel: AutoregressiveModel {
    /// V.
    public var vocabularySize: Int { configuration.vocabularySize }
    /// `n_positions`.
    public var contextLength: Int? { configuration.contextLength }

    /// An empty cache for `batchSize` sequences of a model without cross-attention.
    public func makeCache(batchSize: Int) -> DecoderCache { transformer.makeCache(batchSize: batchSize) }

    /// The last new position's logits `[B, V]`; only that row goes through the output projection.
    public func nextTokenLogits(_ tokens: IntTensor, paddingMask: Tensor?, cache: inout DecoderCache) -> Tensor {
        let hidden = transformer(tokens, paddingMask: paddingMask, cache: &cache)
        let (batch, length) = (hidden.shape[0], hidden.shape[1])
        // [B, n, E] -> [B, E] (the last position of each row)
        let last = length == 1 ? hidden.reshaped(to: [batch, hidden.shape[2]]) : hidden.sliced(axis: 1, start: length - 1, end: length).squeezed(1)
        return head(last).value
    }
}
