import Braid

/// The word vocabulary of the shape-scene captions: four special tokens, then every word of
/// ``ShapeSceneGrammar/words`` in sorted order, so ids never depend on the data.
///
/// Ids: `<pad>` 0, `<bos>` 1 (begin), `<eos>` 2 (end), `<unk>` 3 (any word outside the grammar),
/// then the grammar's words from 4.
public struct ShapeSceneVocabulary: Sendable, Equatable {
    /// The padding token, id 0.
    public static let pad = "<pad>"
    /// The begin-of-sequence token, id 1.
    public static let begin = "<bos>"
    /// The end-of-sequence token, id 2.
    public static let end = "<eos>"
    /// The token for a word outside the vocabulary, id 3.
    public static let unknown = "<unk>"
    /// The ids of the special tokens.
    public static let padID = 0, beginID = 1, endID = 2, unknownID = 3

    /// Id → word.
    public let words: [String]
    /// Word → id.
    public let ids: [String: Int]

    /// The vocabulary of the grammar.
    public init() {
        words = [Self.pad, Self.begin, Self.end, Self.unknown] + ShapeSceneGrammar.words
        ids = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, $0) })
    }

    /// The number of ids (4 special tokens and the grammar's words).
    public var count: Int { words.count }

    /// The id of `word`, ``unknownID`` for a word outside the vocabulary.
    public func id(_ word: String) -> Int { ids[word] ?? Self.unknownID }

    /// `<bos>`, the ids of `caption`, `<eos>`.
    public func encode(_ caption: [String]) -> [Int] { [Self.beginID] + caption.map(id) + [Self.endID] }

    /// `captions` encoded as rows `<bos> words <eos> <pad>…` of `length` ids, `[N, length]`;
    /// `length` defaults to the longest caption's words + 2. A caption too long for `length` is
    /// cut and still ends with `<eos>`.
    public func encode(_ captions: [[String]], length: Int? = nil) -> IntTensor {
        let length = length ?? ((captions.map(\.count).max() ?? 0) + 2)
        check(length >= 2, "ShapeSceneVocabulary: length \(length) leaves no room for <bos> and <eos>")
        var ids: [Int] = []
        ids.reserveCapacity(captions.count * length)
        for caption in captions {
            var row = encode(caption)
            if row.count > length { row = Array(row.prefix(length - 1)) + [Self.endID] }
            ids += row + [Int](repeating: Self.padID, count: length - row.count)
        }
        return IntTensor(shape: [captions.count, length], scalars: ids)
    }

    /// The words of `ids` up to the first `<eos>`, leaving out `<bos>` and `<pad>`; an id outside
    /// the vocabulary reads as `<unk>`.
    public func decode(_ ids: some Sequence<Int>) -> [String] {
        var caption: [String] = []
        for id in ids {
            if id == Self.endID { break }
            if id == Self.beginID || id == Self.padID { continue }
            caption.append(words.indices.contains(id) ? words[id] : Self.unknown)
        }
        return caption
    }
}
