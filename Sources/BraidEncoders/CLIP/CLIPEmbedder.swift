import BraidAutograd
import BraidData
import BraidFusion
import BraidTensor

/// CLIP with its tokenizer and image processor: images and strings in, L2-normalised joint
/// embeddings out, as transformers' `CLIPProcessor` and `CLIPModel` give them together.
///
/// ```swift
/// let clip = try CLIPEmbedder(directory: "clip-vit-base-patch32")
/// let images = clip.encode(images: try ["cat.jpg", "dog.png"].map { try Bitmap.read(contentsOf: $0) })
/// let texts = clip.encode(texts: ["a photo of a cat", "a photo of a dog"])
/// let scores = clip.similarity(images: images, texts: texts)   // [2, 2], exp(logit scale)·cosine
/// ```
public struct CLIPEmbedder {
    /// The model, used in evaluation mode without gradients.
    public let model: CLIPModel
    /// The tokenizer of the texts.
    public let tokenizer: CLIPTokenizer
    /// The preprocessing of the images.
    public let processor: CLIPImageProcessor

    /// An embedder of `model`, `tokenizer` and `processor`, whose crop must be the model's image
    /// size; `processor` defaults to CLIP's preprocessing at that size.
    public init(model: CLIPModel, tokenizer: CLIPTokenizer, processor: CLIPImageProcessor? = nil) {
        let side = model.configuration.vision.imageSize
        let processor = processor ?? CLIPImageProcessor(shortestEdge: side, cropSize: side)
        check(processor.cropSize == side, "CLIPEmbedder: the processor crops \(processor.cropSize) pixels, the model takes \(side)")
        check(
            tokenizer.bpe.vocabularySize <= model.configuration.text.vocabularySize,
            "CLIPEmbedder: the tokenizer has \(tokenizer.bpe.vocabularySize) tokens, the model \(model.configuration.text.vocabularySize)")
        (self.model, self.tokenizer, self.processor) = (model, tokenizer, processor)
        model.eval()
    }

    /// Loads a Hugging Face CLIP folder: the model (``CLIPModel/load(directory:)``) and the
    /// tokenizer (``/BraidData/CLIPTokenizer/init(directory:)``); the images are preprocessed
    /// with CLIP's settings at the model's image size (`preprocessor_config.json` is not read).
    public init(directory: String) throws {
        self.init(model: try CLIPModel.load(directory: directory), tokenizer: try CLIPTokenizer(directory: directory))
    }

    /// The normalised embeddings `[N, projection]` of `images`, `batchSize` at a time.
    public func encode(images: [Bitmap], batchSize: Int = 32) -> Tensor {
        Self.embed(count: images.count, batchSize: batchSize) { range in
            model.imageFeatures(Variable(processor(Array(images[range]))))
        }
    }

    /// The normalised embeddings `[N, projection]` of `texts` (each cut at the tokenizer's
    /// context), `batchSize` at a time, each batch padded to its longest text.
    public func encode(texts: [String], batchSize: Int = 256) -> Tensor {
        Self.embed(count: texts.count, batchSize: batchSize) { range in
            let batch = tokenizer.encodeBatch(Array(texts[range]), length: model.configuration.text.contextLength, padsToLongest: true)
            return model.textFeatures(batch.inputIds, paddingMask: 1 - batch.attentionMask.floats)
        }
    }

    /// exp(logit scale) times the cosine similarity of each of `images` `[N, P]` with each of
    /// `texts` `[M, P]`, embeddings from ``encode(images:batchSize:)`` and
    /// ``encode(texts:batchSize:)``: `[N, M]`, transformers' `logits_per_image`.
    public func similarity(images: Tensor, texts: Tensor) -> Tensor {
        Tensor.matmul(images, texts, transposeB: true) * model.logitScale.scale
    }

    /// The normalised features `[count, P]` of `count` items, computed without gradients
    /// `batchSize` at a time by `features` (for a CLIP model fed by other code than this one's,
    /// as clip-train's).
    package static func embed(count: Int, batchSize: Int, _ features: (Range<Int>) -> Variable) -> Tensor {
        check(count > 0 && batchSize > 0, "CLIPEmbedder: \(count) items in batches of \(batchSize); both must be positive")
        let batches = stride(from: 0, to: count, by: batchSize).map { start in
            withoutGradients { l2NormalizedRows(features(start..<min(start + batchSize, count))).value }
        }
        return Tensor.concat(batches, axis: 0)
    }
}
