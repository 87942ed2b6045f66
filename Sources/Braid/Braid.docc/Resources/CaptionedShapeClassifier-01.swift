import Braid

/// Reads a shape's image and its caption: a small BERT over the caption, a small ResNet over the
/// image, early fusion of their pooled features, and a linear classifier over the six classes.
final class CaptionedShapeClassifier: Module {
    /// Encodes the caption's tokens.
    let text: TextEncoder
    /// Encodes the image.
    let image: ResNet
    /// Concatenates the two pooled feature vectors.
    let fusion: EarlyFusion
    /// Maps the fused features to one logit per class.
    let classifier: Linear
}
