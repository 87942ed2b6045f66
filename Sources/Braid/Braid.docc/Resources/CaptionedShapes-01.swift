import Braid

/// Grey 8×8 images of a bar, a column or a diagonal, each with a short caption that names the shape's
/// colour. The image shows the shape and only the caption tells the colour, so the class needs
/// both.
struct CaptionedShapes {
    /// The six classes; the class of a shape s (0 bar, 1 column, 2 diagonal) and colour c (0 red,
    /// 1 blue) is 2s + c.
    static let classNames = ["red bar", "blue bar", "red column", "blue column", "red diagonal", "blue diagonal"]
    /// The caption words, after BERT's special tokens: `[PAD]` is 0, `[CLS]` 1, `[SEP]` 2.
    static let vocabulary = ["[PAD]", "[CLS]", "[SEP]", "red", "blue", "a", "one", "something"]
    /// Tokens per caption: `[CLS]`, one or two words, `[SEP]`, padded with `[PAD]`.
    static let captionLength = 4

    /// The images `[N, 1, 8, 8]`.
    let images: Tensor
    /// The class of each example.
    let labels: [Int]
    /// The token ids of each caption, `captionLength` of them.
    let tokenIds: [[Int]]

    /// The number of examples.
    var count: Int { labels.count }
}
