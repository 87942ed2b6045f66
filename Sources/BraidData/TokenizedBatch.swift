import BraidTensor

/// A batch of tokenized texts padded to one length: the `input_ids`, `attention_mask` and
/// `token_type_ids` of a Hugging Face `BatchEncoding` returned with `return_tensors="pt"`.
///
/// All three tensors have shape [batch size, sequence length]; padding is on the right.
public struct TokenizedBatch: Sendable, Equatable {
    /// The token ids, padded with the padding token's id.
    public var inputIds: IntTensor
    /// 1 where `inputIds` holds a real token (special tokens included), 0 where it holds padding.
    public var attentionMask: IntTensor
    /// 0 for the tokens of the first text of each row and 1 for those of the second text of a
    /// pair, with its closing separator; 0 for padding.
    public var tokenTypeIds: IntTensor

    /// Creates a batch from three tensors of one shape [batch size, sequence length].
    public init(inputIds: IntTensor, attentionMask: IntTensor, tokenTypeIds: IntTensor) {
        check(inputIds.shape.count == 2, "TokenizedBatch: inputIds must have shape [B, T], got \(inputIds.shape)")
        check(
            attentionMask.shape == inputIds.shape && tokenTypeIds.shape == inputIds.shape,
            "TokenizedBatch: shapes \(inputIds.shape), \(attentionMask.shape) and \(tokenTypeIds.shape) differ")
        self.inputIds = inputIds
        self.attentionMask = attentionMask
        self.tokenTypeIds = tokenTypeIds
    }

    /// Pads `encodings` on the right to `length` tokens each with `paddingID`;
    /// no encoding may be longer than `length`.
    init(padding encodings: [WordPieceTokenizer.Encoding], to length: Int, paddingID: Int) {
        var ids: [Int] = []
        var mask: [Int] = []
        var types: [Int] = []
        let count = encodings.count * length
        ids.reserveCapacity(count)
        mask.reserveCapacity(count)
        types.reserveCapacity(count)
        for encoding in encodings {
            let padding = length - encoding.ids.count
            check(padding >= 0, "TokenizedBatch: an encoding of \(encoding.ids.count) tokens exceeds \(length)")
            ids += encoding.ids
            ids += repeatElement(paddingID, count: padding)
            mask += repeatElement(1, count: encoding.ids.count)
            mask += repeatElement(0, count: padding)
            types += encoding.tokenTypeIds
            types += repeatElement(0, count: padding)
        }
        let shape = [encodings.count, length]
        self.init(
            inputIds: IntTensor(shape: shape, scalars: ids),
            attentionMask: IntTensor(shape: shape, scalars: mask),
            tokenTypeIds: IntTensor(shape: shape, scalars: types))
    }

    /// The number of rows.
    public var batchSize: Int { inputIds.shape[0] }

    /// The padded length of every row.
    public var sequenceLength: Int { inputIds.shape[1] }
}
