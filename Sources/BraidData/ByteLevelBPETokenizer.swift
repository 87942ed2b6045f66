import BraidTensor

/// The byte-level BPE tokenizer of GPT-2 and RoBERTa: text to token ids and back, matching the
/// Hugging Face `tokenizers` library's `models.BPE` with `pre_tokenizers.ByteLevel` and
/// `decoders.ByteLevel` (what `GPT2TokenizerFast` and `RobertaTokenizerFast` run) id for id.
///
/// Encoding runs in three steps:
/// 1. The special tokens (such as `<|endoftext|>`) are found in the raw text, exactly,
///    leftmost-longest first, as `tokenizers` finds added tokens; each becomes its own id.
/// 2. Each stretch of text between them is split into pieces by ``GPT2PreTokenizer`` (with a
///    space put before it when ``addPrefixSpace`` is set).
/// 3. Each piece's UTF-8 bytes start as one symbol a byte (the vocabulary token of its
///    ``ByteLevelAlphabet`` character), and the merges of `merges.txt` join them: the pair of
///    lowest rank first, the leftmost of equal ones, until no merge applies.
///
/// Decoding maps each token back to its bytes, so `decodeBytes(encode(text))` is the text's
/// UTF-8 exactly. A byte whose character is missing from the vocabulary is left out when
/// encoding, as `tokenizers` leaves it out; vocabularies trained for byte-level BPE hold all
/// 256. No special tokens are added around the ids (GPT-2 adds none).
///
/// ```swift
/// let tokenizer = try ByteLevelBPETokenizer(directory: "gpt2")
/// tokenizer.tokenize("Hello world")     // ["Hello", "Ġworld"]
/// let ids = tokenizer.encode("Hello world")
/// try tokenizer.decode(ids)             // "Hello world"
/// ```
public struct ByteLevelBPETokenizer: Sendable {
    /// The pre-tokenizer, which holds the ``addPrefixSpace`` option.
    public let preTokenizer: GPT2PreTokenizer
    /// The special tokens found in raw text, as given (duplicates and empty strings removed).
    public let specialTokens: [String]

    /// The token ids, ascending; a token's index here is its symbol in the BPE merges.
    private let ids: [Int]
    /// Whether `ids[i] == i` for every token (no gaps), so that an id is its own index.
    private let idsAreIndices: Bool
    /// The tokens as written in `vocab.json` (byte-level spelling), by index.
    private let tokens: [String]
    /// Every token's index, keyed by its UTF-8 bytes.
    private let tokenIndices: [[UInt8]: Int32]
    /// The bytes that each token decodes to: those of index `i` are
    /// `decodedBytes[decodedOffsets[i]..<decodedOffsets[i + 1]]`.
    private let decodedBytes: [UInt8]
    private let decodedOffsets: [Int]
    /// The index of the single-character token of each byte, or -1 when the vocabulary lacks it.
    private let byteSymbols: [Int32]
    /// The merge rules over token indices.
    private let merges: BPEMerges
    /// How text is normalised and split, and whether words end in a suffix token.
    package let scheme: ByteLevelScheme
    /// The index of the single-character token of each byte with CLIP's `</w>` after it, the
    /// last symbol of each word under the CLIP scheme (-1 when missing); empty for GPT-2's.
    private let wordEndSymbols: [Int32]
    /// The index of the token that stands for a byte the vocabulary lacks, or -1 to leave it out.
    private let unknownIndex: Int32
    /// The special tokens' bytes and indices, longest first, for matching in raw text.
    private let specialPatterns: [(bytes: [UInt8], index: Int32)]
    /// Whether some special token starts with the byte.
    private let specialFirstBytes: [Bool]
    /// The indices of the special tokens.
    private let specialIndices: Set<Int32>

    /// Loads `vocab.json` (token → id) and `merges.txt` (`models.BPE.from_file(vocab, merges)`),
    /// with `specialTokens`, each of which must be in the vocabulary, found in raw text as
    /// `tokenizer.add_special_tokens(specialTokens)` makes `tokenizers` find them.
    ///
    /// The vocabulary must be one JSON object whose values are integers in 0...4294967295, no
    /// token or id given twice; ids may leave gaps, as they may in `tokenizers`. The merges file
    /// holds one merge a line, two tokens separated by one space; lines ending "\n" or "\r\n";
    /// lines that start with `#version` are skipped. Both tokens of a merge and their
    /// concatenation must be in the vocabulary. Errors name the file and the line.
    public init(
        vocabularyFile: String, mergesFile: String, specialTokens: [String] = [], addPrefixSpace: Bool = false
    ) throws(BPETokenizerError) {
        try self.init(
            vocabularyFile: vocabularyFile, mergesFile: mergesFile, specialTokens: specialTokens, addPrefixSpace: addPrefixSpace,
            scheme: .gpt2, unknownToken: nil)
    }

    /// The tokenizer of the files, read as ``init(vocabularyFile:mergesFile:specialTokens:addPrefixSpace:)``
    /// reads them, under `scheme`; a byte whose token is missing becomes `unknownToken` (which
    /// must then be in the vocabulary) instead of being left out.
    package init(
        vocabularyFile: String, mergesFile: String, specialTokens: [String], addPrefixSpace: Bool, scheme: ByteLevelScheme,
        unknownToken: String?
    ) throws(BPETokenizerError) {
        let vocabulary = try BPEFile(path: vocabularyFile)
        let entries = try BPEVocabularyJSON.entries(of: vocabulary)
        guard entries.count <= Int(Int32.max) else {
            throw .tooManyTokens(path: vocabularyFile, count: entries.count)
        }
        let sorted = entries.sorted { $0.id < $1.id }
        for (first, second) in zip(sorted, sorted.dropFirst()) where first.id == second.id {
            let (a, b) = first.offset < second.offset ? (first, second) : (second, first)
            throw .duplicateTokenID(
                path: vocabularyFile, id: first.id, firstToken: String(decoding: a.token, as: UTF8.self),
                secondToken: String(decoding: b.token, as: UTF8.self))
        }
        var tokenIndices: [[UInt8]: Int32] = [:]
        tokenIndices.reserveCapacity(sorted.count)
        var decodedBytes: [UInt8] = []
        var decodedOffsets = [0]
        decodedOffsets.reserveCapacity(sorted.count + 1)
        var tokens: [String] = []
        tokens.reserveCapacity(sorted.count)
        for (index, entry) in sorted.enumerated() {
            tokenIndices[entry.token] = Int32(index)
            let token = String(decoding: entry.token, as: UTF8.self)
            tokens.append(token)
            // The ByteLevel decoder: a token spelled in the alphabet is the bytes it spells,
            // any other (a special token such as "日本") its own UTF-8.
            decodedBytes += ByteLevelAlphabet.decode(token) ?? entry.token
            decodedOffsets.append(decodedBytes.count)
        }
        var byteSymbols = [Int32](repeating: -1, count: 256)
        var wordEndSymbols = scheme == .clip ? [Int32](repeating: -1, count: 256) : []
        for (byte, character) in ByteLevelAlphabet.characters.enumerated() {
            byteSymbols[byte] = tokenIndices[Array(String(character).utf8)] ?? -1
            if scheme == .clip { wordEndSymbols[byte] = tokenIndices[Array((String(character) + "</w>").utf8)] ?? -1 }
        }
        var unknownIndex: Int32 = -1
        if let unknownToken {
            guard let index = tokenIndices[Array(unknownToken.utf8)] else {
                throw .missingSpecialToken(path: vocabularyFile, token: unknownToken)
            }
            unknownIndex = index
        }

        let mergesText = try BPEFile(path: mergesFile)
        let rules = try Self.rules(of: mergesText, tokenIndices: tokenIndices)

        var patterns: [(bytes: [UInt8], index: Int32)] = []
        var kept: [String] = []
        for token in specialTokens where !token.isEmpty && !kept.contains(where: { $0.utf8.elementsEqual(token.utf8) }) {
            guard let index = tokenIndices[Array(token.utf8)] else {
                throw .missingSpecialToken(path: vocabularyFile, token: token)
            }
            kept.append(token)
            patterns.append((Array(token.utf8), index))
        }
        patterns.sort { $0.bytes.count > $1.bytes.count }
        var firstBytes = [Bool](repeating: false, count: 256)
        for pattern in patterns { firstBytes[Int(pattern.bytes[0])] = true }

        self.preTokenizer = GPT2PreTokenizer(addPrefixSpace: addPrefixSpace)
        self.specialTokens = kept
        self.ids = sorted.map(\.id)
        self.idsAreIndices = sorted.last.map { $0.id == sorted.count - 1 } ?? true
        self.tokens = tokens
        self.tokenIndices = tokenIndices
        self.decodedBytes = decodedBytes
        self.decodedOffsets = decodedOffsets
        self.byteSymbols = byteSymbols
        self.merges = BPEMerges(rules)
        self.scheme = scheme
        self.wordEndSymbols = wordEndSymbols
        self.unknownIndex = unknownIndex
        self.specialPatterns = patterns
        self.specialFirstBytes = firstBytes
        self.specialIndices = Set(patterns.map(\.index))
    }

    /// The merge rules of `file`, over the indices of `tokenIndices`, as `tokenizers` reads
    /// `merges.txt`: Rust's `lines()` (a final line without "\n" counts, a final "\n" starts no
    /// line, "\r" is removed only before "\n"), `#version` lines skipped, `split(' ')` into exactly
    /// two parts, and both parts and their concatenation looked up.
    private static func rules(of file: BPEFile, tokenIndices: [[UInt8]: Int32]) throws(BPETokenizerError) -> [BPEMerges.Rule] {
        let bytes = file.bytes
        var rules: [BPEMerges.Rule] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n"))
            var line = bytes[lineStart..<(newline ?? bytes.count)]
            lineStart = (newline ?? bytes.count) + 1
            if newline != nil && line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.starts(with: "#version".utf8) { continue }
            let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            let text = { String(decoding: line, as: UTF8.self) }
            guard parts.count == 2 else { throw .invalidMerge(path: file.path, line: lineNumber, text: text()) }
            let (left, right) = (Array(parts[0]), Array(parts[1]))
            var found: [Int32] = []
            for token in [left, right, left + right] {
                guard let index = tokenIndices[token] else {
                    throw .mergeTokenNotInVocabulary(
                        path: file.path, line: lineNumber, merge: text(), token: String(decoding: token, as: UTF8.self))
                }
                found.append(index)
            }
            rules.append(BPEMerges.Rule(left: found[0], right: found[1], merged: found[2]))
        }
        return rules
    }

    // MARK: Vocabulary

    /// Whether a space is put before each stretch of text that does not start with one
    /// (`add_prefix_space`, RoBERTa's setting; GPT-2's is false).
    public var addPrefixSpace: Bool { preTokenizer.addPrefixSpace }

    /// The number of tokens in the vocabulary (`get_vocab_size()`); with gaps in the ids, the
    /// largest id may be larger.
    public var vocabularySize: Int { ids.count }

    /// The id of `token`, spelled as in `vocab.json` ("Ġworld"), or `nil` when it is not in the
    /// vocabulary (`token_to_id`). The comparison is byte by byte.
    public func id(of token: String) -> Int? {
        tokenIndices[Array(token.utf8)].map { ids[Int($0)] }
    }

    /// The token with id `id` as spelled in `vocab.json`, or `nil` when there is none (`id_to_token`).
    public func token(of id: Int) -> String? {
        index(of: id).map { tokens[Int($0)] }
    }

    /// Whether `id` is the id of one of the special tokens.
    public func isSpecial(_ id: Int) -> Bool {
        index(of: id).map(specialIndices.contains) ?? false
    }

    /// The index of `id` in `ids`, or `nil` when no token has it.
    private func index(of id: Int) -> Int32? {
        if idsAreIndices { return ids.indices.contains(id) ? Int32(id) : nil }
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? Int32(low) : nil
    }

    // MARK: Encoding

    /// The token ids of `text` (`tokenizer.encode(text).ids`; no special tokens are added).
    public func encode(_ text: String) -> [Int] {
        tokenIndices(of: text).map { ids[Int($0)] }
    }

    /// The tokens of `text` as spelled in the vocabulary, spaces as "Ġ"
    /// (`tokenizer.encode(text).tokens`).
    public func tokenize(_ text: String) -> [String] {
        tokenIndices(of: text).map { tokens[Int($0)] }
    }

    /// The indices of the tokens of `text`, in order: special tokens found in the raw text, and
    /// the merged pieces of the stretches between them.
    private func tokenIndices(of text: String) -> [Int32] {
        var indices: [Int32] = []
        var encoder = SegmentEncoder(
            merges: merges, byteSymbols: byteSymbols, wordEndSymbols: wordEndSymbols, unknownIndex: unknownIndex,
            addPrefixSpace: addPrefixSpace, scheme: scheme)
        var text = text
        text.withUTF8 { utf8 in
            var segmentStart = 0
            var i = 0
            while i < utf8.count {
                guard specialFirstBytes[Int(utf8[i])],
                      let pattern = specialPatterns.first(where: { UnsafeBufferPointer(rebasing: utf8[i...]).starts(with: $0.bytes) })
                else {
                    i += 1
                    continue
                }
                encoder.encode(UnsafeBufferPointer(rebasing: utf8[segmentStart..<i]), into: &indices)
                indices.append(pattern.index)
                i += pattern.bytes.count
                segmentStart = i
            }
            encoder.encode(UnsafeBufferPointer(rebasing: utf8[segmentStart...]), into: &indices)
        }
        return indices
    }

    /// Encodes stretches of text without special tokens: the tables it needs and the buffers it
    /// reuses from piece to piece, so that the loop over pieces copies and allocates nothing.
    private struct SegmentEncoder {
        let merges: BPEMerges
        let byteSymbols: [Int32]
        let wordEndSymbols: [Int32]
        let unknownIndex: Int32
        let addPrefixSpace: Bool
        let scheme: ByteLevelScheme
        /// The symbols of the piece being merged; at least as long as the longest piece so far.
        var symbols: [Int32] = []
        var scratch = BPEMerges.Scratch()
        /// The segment with a space before it, for `addPrefixSpace`.
        var prefixed: [UInt8] = []

        init(
            merges: BPEMerges, byteSymbols: [Int32], wordEndSymbols: [Int32], unknownIndex: Int32, addPrefixSpace: Bool,
            scheme: ByteLevelScheme
        ) {
            (self.merges, self.byteSymbols, self.wordEndSymbols) = (merges, byteSymbols, wordEndSymbols)
            (self.unknownIndex, self.addPrefixSpace, self.scheme) = (unknownIndex, addPrefixSpace, scheme)
        }

        /// Pre-tokenizes `segment` and appends the indices of the merged tokens of each piece.
        mutating func encode(_ segment: UnsafeBufferPointer<UInt8>, into indices: inout [Int32]) {
            guard !segment.isEmpty else { return }
            if scheme == .clip {
                CLIPPreTokenizer.normalized(String(decoding: segment, as: UTF8.self)).withUnsafeBufferPointer { text in
                    CLIPPreTokenizer.forEachWord(of: text) { encodeWord(UnsafeBufferPointer(rebasing: text[$0]), into: &indices) }
                }
                return
            }
            guard addPrefixSpace && segment[0] != UInt8(ascii: " ") else {
                encodePieces(of: segment, into: &indices)
                return
            }
            var prefixed = self.prefixed
            self.prefixed = []
            prefixed.removeAll(keepingCapacity: true)
            prefixed.append(UInt8(ascii: " "))
            prefixed.append(contentsOf: segment)
            prefixed.withUnsafeBufferPointer { encodePieces(of: $0, into: &indices) }
            self.prefixed = prefixed
        }

        private mutating func encodePieces(of text: UnsafeBufferPointer<UInt8>, into indices: inout [Int32]) {
            GPT2PreTokenizer.forEachPiece(of: text) { encodeWord(UnsafeBufferPointer(rebasing: text[$0]), into: &indices) }
        }

        /// Appends the merged tokens of one word: a symbol a byte, the last one with `</w>`
        /// under the CLIP scheme; a byte without a token becomes the unknown token or is left out.
        private mutating func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into indices: inout [Int32]) {
            if symbols.count < word.count { symbols = [Int32](repeating: 0, count: max(word.count, 2 * symbols.count)) }
            let endsWords = !wordEndSymbols.isEmpty
            byteSymbols.withUnsafeBufferPointer { byteSymbols in
                symbols.withUnsafeMutableBufferPointer { symbols in
                    var count = 0
                    for (position, byte) in word.enumerated() {
                        let symbol = endsWords && position == word.count - 1 ? wordEndSymbols[Int(byte)] : byteSymbols[Int(byte)]
                        symbols[count] = symbol >= 0 ? symbol : unknownIndex
                        if symbols[count] >= 0 { count += 1 }
                    }
                    let merged = merges.merge(UnsafeMutableBufferPointer(rebasing: symbols[..<count]), scratch: &scratch)
                    indices.append(contentsOf: symbols[..<merged])
                }
            }
        }
    }

    // MARK: Decoding

    /// The bytes of `ids` (the bytes of the ByteLevel decoder's output, before any UTF-8
    /// repair): each token's bytes, special tokens' own UTF-8, in order. With
    /// `skipSpecialTokens`, the special tokens are left out. Throws `unknownTokenID` for an id
    /// that no token has.
    public func decodeBytes(_ ids: [Int], skipSpecialTokens: Bool = false) throws(BPETokenizerError) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids { try appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &bytes) }
        return bytes
    }

    /// The text of `ids` (`tokenizer.decode(ids, skip_special_tokens=skipSpecialTokens)`):
    /// `decodeBytes(ids)` read as UTF-8, each ill-formed part (such as a character cut short at
    /// the end) replaced by U+FFFD, as `tokenizers` and Python's `errors="replace"` do. Throws
    /// `unknownTokenID` for an id that no token has, where `tokenizers` skips it.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws(BPETokenizerError) -> String {
        String(decoding: try decodeBytes(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// Appends the bytes of token `id` to `bytes`.
    package func appendBytes(of id: Int, skipSpecialTokens: Bool, to bytes: inout [UInt8]) throws(BPETokenizerError) {
        guard let index = index(of: id) else {
            throw .unknownTokenID(id: id, vocabularySize: ids.count, largestID: ids.last ?? -1)
        }
        if skipSpecialTokens && specialIndices.contains(index) { return }
        bytes += decodedBytes[decodedOffsets[Int(index)]..<decodedOffsets[Int(index) + 1]]
    }
}

/// How a ``ByteLevelBPETokenizer`` reads text between special tokens.
package enum ByteLevelScheme: Sendable {
    /// GPT-2's and RoBERTa's: ``GPT2PreTokenizer`` pieces, raw text.
    case gpt2
    /// CLIP's: ``CLIPPreTokenizer``'s normalisation and words, each word's last byte the token
    /// of its character with `</w>` after it.
    case clip
}
