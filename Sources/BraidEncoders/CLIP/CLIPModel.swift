import BraidAutograd
import BraidData
import BraidFusion
import BraidNN
import BraidTensor

/// CLIP (Radford et al. 2021): a text tower and a vision tower whose pooled features are
/// projected, without bias, into one space where matching images and texts lie close
/// (`CLIPModel` in transformers, with its parameter names: `text_model.…`, `vision_model.…`,
/// `visual_projection`, `text_projection`, `logit_scale`).
///
/// ``imageFeatures(_:)`` and ``textFeatures(_:paddingMask:)`` are the projections
/// (`get_image_features`, `get_text_features`); ``callAsFunction(images:texts:paddingMask:)``
/// normalises them and scores every image against every text; ``contrastiveLoss(images:texts:paddingMask:)``
/// trains both towers on matching pairs. Load a Hugging Face checkpoint with ``load(directory:)``.
public final class CLIPModel: Module {
    /// The shape.
    public let configuration: CLIPConfiguration
    /// The text tower.
    public let textModel: CLIPTextTransformer
    /// The vision tower.
    public let visionModel: CLIPVisionTransformer
    /// The image projection `[projection, vision D]`, without bias.
    public let visualProjection: Linear
    /// The text projection `[projection, text D]`, without bias.
    public let textProjection: Linear
    /// The learnable logit scale, stored as its logarithm (`logit_scale`).
    public let logitScale: LearnableTemperature

    /// A randomly initialised model (see the towers for their initialisation; the projections
    /// have PyTorch's default, the logit scale the configuration's initial value).
    public init(_ configuration: CLIPConfiguration, generator: inout RandomGenerator) {
        textModel = CLIPTextTransformer(configuration.text, generator: &generator)
        visionModel = CLIPVisionTransformer(configuration.vision, generator: &generator)
        let p = configuration.projectionDimension
        visualProjection = Linear(inputFeatures: configuration.vision.encoder.hiddenSize, outputFeatures: p, bias: false, generator: &generator)
        textProjection = Linear(inputFeatures: configuration.text.encoder.hiddenSize, outputFeatures: p, bias: false, generator: &generator)
        logitScale = LearnableTemperature(logScale: configuration.logitScaleInitialValue)
        self.configuration = configuration
    }

    /// `logit_scale` at the top level, as transformers names it.
    public override var stateDictKeys: [String: String] { ["logit_scale": ""] }

    /// The projected, unnormalised embeddings `[B, projection]` of images `[B, C, S, S]`
    /// (`get_image_features`).
    public func imageFeatures(_ images: Variable) -> Variable {
        visualProjection(visionModel.pooledFeatures(images))
    }

    /// The projected, unnormalised embeddings `[B, projection]` of token ids `[B, N]`
    /// (`get_text_features`); see ``CLIPTextTransformer/encode(_:paddingMask:)``.
    public func textFeatures(_ ids: IntTensor, paddingMask: Tensor? = nil) -> Variable {
        textProjection(textModel.pooledFeatures(ids, paddingMask: paddingMask))
    }

    /// Both embeddings, L2-normalised, and the scaled cosine similarity of every image with every
    /// text: `logitsPerImage` `[images, texts]` = exp(logit scale)·îᵀt̂, as transformers' `CLIPModel` forward.
    public func callAsFunction(images: Variable, texts ids: IntTensor, paddingMask: Tensor? = nil) -> CLIPOutput {
        let image = l2NormalizedRows(imageFeatures(images))
        let text = l2NormalizedRows(textFeatures(ids, paddingMask: paddingMask))
        let logits = Variable.matmul(image, text, transposeB: true) * logitScale.logScale.reshaped(to: []).exp()
        return CLIPOutput(imageEmbeddings: image, textEmbeddings: text, logitsPerImage: logits)
    }

    /// CLIP's symmetric InfoNCE loss of images `[B, C, S, S]` and the texts `[B, N]` that match
    /// them row for row (`return_loss=True`): see `contrastiveLoss(_:_:logTemperature:)`. CLIP
    /// clamps the logit scale at ln 100 after each step: call `logitScale.clampToMaximumScale()`.
    public func contrastiveLoss(images: Variable, texts ids: IntTensor, paddingMask: Tensor? = nil) -> Variable {
        BraidFusion.contrastiveLoss(
            imageFeatures(images), textFeatures(ids, paddingMask: paddingMask), logTemperature: logitScale.logScale)
    }

    /// Loads a Hugging Face checkpoint folder: `config.json` (see
    /// ``CLIPConfiguration/init(contentsOf:)``) and `model.safetensors`, as `save_pretrained`
    /// writes them (older uploads' `position_ids` buffers are accepted and ignored). Any other
    /// missing, unexpected or mis-shaped key is a `StateDictError`; nothing is allocated before the
    /// configuration's ``CLIPConfiguration/parameterCount`` is found to fit in the values the
    /// checkpoint declares. The model starts in evaluation mode.
    public static func load(directory: String) throws -> CLIPModel {
        let folder = try CheckpointFolder(directory: directory)
        let configuration = try CLIPConfiguration(contentsOf: folder.configurationPath)
        let weights = try folder.openWeights(describing: configuration.parameterCount)
        var generator = RandomGenerator(seed: 0)
        let model = CLIPModel(configuration, generator: &generator)
        try model.loadStateDict(weights.tensors(), source: weights.path) { $0.hasSuffix(".embeddings.position_ids") }
        model.eval()
        return model
    }
}

/// What ``CLIPModel/callAsFunction(images:texts:paddingMask:)`` returns.
public struct CLIPOutput {
    /// The L2-normalised image embeddings `[images, projection]` (`image_embeds`).
    public var imageEmbeddings: Variable
    /// The L2-normalised text embeddings `[texts, projection]` (`text_embeds`).
    public var textEmbeddings: Variable
    /// exp(logit scale) times the cosine similarity of each image with each text `[images, texts]`.
    public var logitsPerImage: Variable
    /// `logitsPerImage` transposed, `[texts, images]`.
    public var logitsPerText: Variable { logitsPerImage.transposed() }
}
