import BraidAttention
import BraidAutograd
import BraidNN
import BraidTensor

/// The shape of a Vision Transformer (Dosovitskiy et al. 2021).
public struct VisionTransformerConfiguration: Sendable, Equatable {
    /// Input height and width (square images).
    public var imageSize: Int
    /// Patch height and width; `imageSize` must be a multiple.
    public var patchSize: Int
    /// Input channels.
    public var inputChannels: Int
    /// Token width D.
    public var hiddenSize: Int
    /// Transformer layers.
    public var layerCount: Int
    /// Attention heads.
    public var headCount: Int
    /// Feed-forward width.
    public var mlpSize: Int
    /// Dropout in the encoder.
    public var dropout: Float
    /// Classes of the classification head; `nil` for a feature extractor.
    public var classCount: Int?

    /// Creates a configuration.
    public init(
        imageSize: Int, patchSize: Int, inputChannels: Int = 3, hiddenSize: Int, layerCount: Int, headCount: Int,
        mlpSize: Int, dropout: Float = 0, classCount: Int? = nil
    ) {
        check(imageSize % patchSize == 0, "VisionTransformerConfiguration: image size \(imageSize) is not a multiple of patch size \(patchSize)")
        (self.imageSize, self.patchSize, self.inputChannels) = (imageSize, patchSize, inputChannels)
        (self.hiddenSize, self.layerCount, self.headCount, self.mlpSize) = (hiddenSize, layerCount, headCount, mlpSize)
        (self.dropout, self.classCount) = (dropout, classCount)
    }

    /// ViT-B/16 at 224×224 with 1000 classes (86.6 M parameters, as torchvision's `vit_b_16`).
    public static let vitB16 = VisionTransformerConfiguration(
        imageSize: 224, patchSize: 16, hiddenSize: 768, layerCount: 12, headCount: 12, mlpSize: 3072, classCount: 1000)

    /// A small ViT for 28×28 or 32×32 images: 4×4 patches, width 128, 4 layers of 4 heads.
    public static func small(imageSize: Int, inputChannels: Int = 1, classCount: Int? = nil) -> VisionTransformerConfiguration {
        VisionTransformerConfiguration(
            imageSize: imageSize, patchSize: 4, inputChannels: inputChannels, hiddenSize: 128, layerCount: 4,
            headCount: 4, mlpSize: 256, classCount: classCount)
    }

    /// Patches per image.
    public var patchCount: Int { (imageSize / patchSize) * (imageSize / patchSize) }
}

/// The class token, the position embeddings, and the patch projection of a ViT.
public final class PatchEmbedding: Module {
    /// The patch projection: a convolution with kernel and stride equal to the patch size.
    public let projection: Conv2d
    /// The learned class token `[1, 1, D]`.
    public let classToken: Variable
    /// Learned positions for the class token and every patch `[1, 1 + patches, D]`.
    public let positions: Variable

    init(_ c: VisionTransformerConfiguration, generator: inout RandomGenerator) {
        projection = Conv2d(
            inputChannels: c.inputChannels, outputChannels: c.hiddenSize, kernelSize: (c.patchSize, c.patchSize),
            stride: (c.patchSize, c.patchSize), generator: &generator)
        classToken = Variable(Tensor.zeros([1, 1, c.hiddenSize]), requiresGrad: true)
        positions = Variable(
            Tensor.randomNormal([1, 1 + c.patchCount, c.hiddenSize], standardDeviation: 0.02, generator: &generator),
            requiresGrad: true)
    }

    /// Hugging Face's `cls_token`, `position_embeddings` and `patch_embeddings.projection`.
    public override var stateDictKeys: [String: String] {
        ["class_token": "cls_token", "positions": "position_embeddings", "projection": "patch_embeddings.projection"]
    }

    /// Images `[B, C, H, W]` → tokens `[B, 1 + patches, D]`.
    func callAsFunction(_ images: Variable) -> Variable {
        let map = projection(images)  // [B, D, h, w]
        let (batch, width) = (map.shape[0], map.shape[1])
        let patches = map.reshaped(to: [batch, width, -1]).permuted([0, 2, 1])  // [B, h·w, D]
        let tokens = Variable.concat([classToken.broadcast(to: [batch, 1, width]), patches], axis: 1)
        return tokens + positions
    }
}

/// A Vision Transformer: patch embedding with a class token and learned positions, a pre-norm
/// GELU transformer encoder, and a final LayerNorm.
///
/// As an encoder, the sequence is every token `[B, 1 + patches, D]` and the pooled features the
/// class token `[B, D]`; called directly, it returns the head's logits when there are classes.
/// Embedding and final-norm names follow Hugging Face's ViT (`embeddings.cls_token`,
/// `embeddings.patch_embeddings.projection`, `layernorm`); encoder layers use Braid's BERT-style
/// names under `encoder.layer.<i>`.
public final class VisionTransformer: Module, FeatureEncoder, Layer {
    /// The architecture.
    public let configuration: VisionTransformerConfiguration
    /// Patches, class token and positions.
    public let embeddings: PatchEmbedding
    /// The pre-norm transformer layers.
    public let encoder: TransformerEncoder
    /// The final LayerNorm.
    public let finalNorm: LayerNorm
    /// The classifier, when the configuration has classes.
    public let head: Linear?

    /// A randomly initialised network.
    public init(_ configuration: VisionTransformerConfiguration, generator: inout RandomGenerator) {
        self.configuration = configuration
        embeddings = PatchEmbedding(configuration, generator: &generator)
        encoder = TransformerEncoder(count: configuration.layerCount, { generator in
            TransformerEncoderLayer(
                dimension: configuration.hiddenSize, headCount: configuration.headCount,
                feedForwardDimension: configuration.mlpSize, dropout: configuration.dropout, activation: .gelu,
                normFirst: true, layerNormEpsilon: 1e-6, generator: &generator)
        }, generator: &generator)
        finalNorm = LayerNorm(configuration.hiddenSize, epsilon: 1e-6)
        head = configuration.classCount.map {
            Linear(inputFeatures: configuration.hiddenSize, outputFeatures: $0, generator: &generator)
        }
    }

    /// D.
    public var outputDimension: Int { configuration.hiddenSize }

    /// Hugging Face's `layernorm`.
    public override var stateDictKeys: [String: String] { ["final_norm": "layernorm"] }

    /// Every token's features and the class token's.
    public func encode(_ images: Variable) -> EncodedFeatures {
        let c = configuration
        check(
            images.shape == [images.shape.first ?? 0, c.inputChannels, c.imageSize, c.imageSize],
            "VisionTransformer: images \(images.shape) must be [B, \(c.inputChannels), \(c.imageSize), \(c.imageSize)]")
        let tokens = finalNorm(encoder(embeddings(images)))
        let batch = tokens.shape[0]
        return EncodedFeatures(
            sequence: tokens, paddingMask: nil,
            pooled: tokens.sliced(axis: 1, start: 0, end: 1).reshaped(to: [batch, c.hiddenSize]))
    }

    /// Logits `[B, classes]`, or the class token's features without a head.
    public func callAsFunction(_ images: Variable) -> Variable {
        let pooled = encode(images).pooled
        return head.map { $0(pooled) } ?? pooled
    }
}
