import Foundation
import BraidData
import BraidTensor

/// Zero-shot classification with CLIP: each class is the text embedding of its name in prompt
/// templates ("a photo of a {}."), averaged over the templates and renormalised, as OpenAI's
/// CLIP evaluation builds its classifiers; an image's class probabilities are the softmax of
/// exp(logit scale) times its cosine similarity with each class.
///
/// ```swift
/// let classifier = CLIPZeroShotClassifier(clip, labels: ["cat", "dog"], templates: ["a photo of a {}.", "a drawing of a {}."])
/// let probabilities = classifier.probabilities(of: clip.encode(images: images))   // [N, 2]
/// ```
public struct CLIPZeroShotClassifier {
    /// The class names, in the order of the probabilities' columns.
    public let labels: [String]
    /// The classes' normalised embeddings `[classes, projection]`.
    public let classEmbeddings: Tensor
    /// exp(logit scale), the factor on the cosine similarities.
    public let logitScale: Float

    /// Builds the classes of `labels` from `templates`, each holding `{}` where the label goes.
    public init(_ embedder: CLIPEmbedder, labels: [String], templates: [String] = ["a photo of a {}."]) {
        self.init(labels: labels, templates: templates, logitScale: embedder.model.logitScale.scale) { embedder.encode(texts: $0) }
    }

    /// Builds the classes of `labels` from `templates` with any text encoder: `encodeTexts` maps
    /// prompts to their embeddings `[prompts, P]` (normalised or not: each class's mean is
    /// normalised); `logitScale` is the factor on the cosine similarities. For a CLIP trained with
    /// a tokenizer of its own.
    public init(labels: [String], templates: [String], logitScale: Float, encodeTexts: ([String]) -> Tensor) {
        check(!labels.isEmpty && !templates.isEmpty, "CLIPZeroShotClassifier: \(labels.count) labels and \(templates.count) templates; both must be at least 1")
        if let bad = templates.first(where: { !$0.contains("{}") }) {
            checkFailed("CLIPZeroShotClassifier: the template \"\(bad)\" has no {} for the label")
        }
        let prompts = labels.flatMap { label in templates.map { $0.replacingOccurrences(of: "{}", with: label) } }
        let embeddings = encodeTexts(prompts)
        check(embeddings.rank == 2 && embeddings.shape[0] == prompts.count,
              "CLIPZeroShotClassifier: the text encoder gave \(embeddings.shape) for \(prompts.count) prompts; expected [\(prompts.count), P]")
        let normalised = embeddings / (embeddings * embeddings).sum(alongAxes: [1], keepDims: true).sqrt()
        let mean = normalised.reshaped(to: [labels.count, templates.count, -1]).mean(alongAxes: [1])  // [classes, P]
        classEmbeddings = mean / (mean * mean).sum(alongAxes: [1], keepDims: true).sqrt()
        (self.labels, self.logitScale) = (labels, logitScale)
    }

    /// The class probabilities `[N, classes]` of images with normalised embeddings `[N, P]`.
    public func probabilities(of imageEmbeddings: Tensor) -> Tensor {
        (Tensor.matmul(imageEmbeddings, classEmbeddings, transposeB: true) * logitScale).softmax(alongAxis: 1)
    }

    /// The most probable class of each image, an index into ``labels``.
    public func classify(_ imageEmbeddings: Tensor) -> [Int] {
        probabilities(of: imageEmbeddings).argmax(alongAxis: 1).scalars
    }
}
