import Braid

/// A word-level vocabulary for captions, with BERT's special tokens.
public struct CaptionVocabulary: Sendable {
    /// Word → id; `[PAD]` 0, `[UNK]` 1, `[CLS]` 2, `[SEP]` 3, then the words in sorted order.
    public let ids: [String: Int]

    /// The vocabulary of every word in `captions`.
    public init(captions: [[String]]) {
        var ids = ["[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3]
        for word in Set(captions.joined()).sorted() where ids[word] == nil { ids[word] = ids.count }
        self.ids = ids
    }

    /// The number of ids.
    public var count: Int { ids.count }

    /// `[CLS] words [SEP]` padded to the longest caption of the batch.
    public func batch(_ captions: [[String]]) -> TokenizedBatch {
        let length = (captions.map(\.count).max() ?? 0) + 2
        var tokens: [Int] = [], mask: [Int] = []
        for caption in captions {
            let row = [2] + caption.map { ids[$0] ?? 1 } + [3]
            tokens += row + [Int](repeating: 0, count: length - row.count)
            mask += [Int](repeating: 1, count: row.count) + [Int](repeating: 0, count: length - row.count)
        }
        let shape = [captions.count, length]
        return TokenizedBatch(
            inputIds: IntTensor(shape: shape, scalars: tokens), attentionMask: IntTensor(shape: shape, scalars: mask),
            tokenTypeIds: IntTensor(shape: shape, scalars: [Int](repeating: 0, count: tokens.count)))
    }
}
