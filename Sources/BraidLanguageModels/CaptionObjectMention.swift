/// A token of a training caption that names an object, and where in the image that object lies:
/// one target of ``ImageCaptioner``'s grounding loss
/// (``ImageCaptioner/groundedLoss(images:captions:imageIndices:paddingID:labelSmoothing:mentions:)``).
///
/// A captioner trained on captions alone can learn which objects an image has without learning
/// where the one it is naming lies, and so not which relation to state between two of them. The
/// grounding loss makes the decoder's state at the token say where that object is.
public struct CaptionObjectMention: Sendable, Equatable {
    /// Which object's place the state at the token is trained to give.
    public enum Subject: Sendable, Equatable {
        /// The object the token names (columns 0–1 of the grounding head).
        case named
        /// The object the caption names after this one (columns 2–3), the one a relation
        /// stated next would be relative to.
        case next
    }

    /// The caption: a row of the captions `[K, L]`.
    public var caption: Int
    /// The token's position in its caption row, 0 ≤ position < L − 1: the decoder state that has
    /// read the caption up to and including it is grounded.
    public var position: Int
    /// The object's centre, each coordinate scaled to [−1, 1] across the image: x to the right,
    /// y downwards.
    public var x: Float, y: Float
    /// Whose centre (`x`, `y`) is.
    public var subject: Subject

    /// A mention at `position` of caption `caption` of the object centred at (`x`, `y`).
    public init(caption: Int, position: Int, x: Float, y: Float, subject: Subject = .named) {
        (self.caption, self.position, self.x, self.y, self.subject) = (caption, position, x, y, subject)
    }
}
