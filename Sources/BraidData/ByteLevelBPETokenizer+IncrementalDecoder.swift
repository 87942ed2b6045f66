extension ByteLevelBPETokenizer {
    /// Decodes ids one at a time, as a model generates them, and returns only complete text:
    /// a UTF-8 character whose bytes are split over tokens is held back until its last byte
    /// comes (the use of `tokenizers`' `decoders.DecodeStream`).
    ///
    /// The pieces returned by `append` and `finish`, joined, are exactly
    /// `decode(ids, skipSpecialTokens:)` of all the ids: bytes that can never become a valid
    /// character are replaced by U+FFFD at once, and `finish` replaces a character left
    /// incomplete at the end by one U+FFFD, as `decode` (`errors="replace"`) does.
    ///
    /// ```swift
    /// var decoder = tokenizer.makeIncrementalDecoder()
    /// for id in generatedIDs { print(try decoder.append(id), terminator: "") }
    /// print(decoder.finish())
    /// ```
    public struct IncrementalDecoder: Sendable {
        /// The tokenizer whose tokens are decoded.
        public let tokenizer: ByteLevelBPETokenizer
        /// Whether special tokens are left out, as `decode(_:skipSpecialTokens:)` leaves them.
        public let skipSpecialTokens: Bool
        /// The bytes of a character not yet complete: at most three.
        private var pending: [UInt8] = []

        /// A decoder of `tokenizer`'s ids.
        public init(tokenizer: ByteLevelBPETokenizer, skipSpecialTokens: Bool = false) {
            self.tokenizer = tokenizer
            self.skipSpecialTokens = skipSpecialTokens
        }

        /// The number of bytes held back: the start of a character that the next ids may complete.
        public var pendingByteCount: Int { pending.count }

        /// The text that token `id` completes: the held-back bytes and the token's, up to the
        /// start of a character the token leaves incomplete. Throws `unknownTokenID` (and
        /// changes nothing) for an id that no token has.
        public mutating func append(_ id: Int) throws(BPETokenizerError) -> String {
            var bytes = pending
            try tokenizer.appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &bytes)
            let held = Self.incompleteSuffixLength(bytes)
            pending = Array(bytes.suffix(held))
            return String(decoding: bytes.dropLast(held), as: UTF8.self)
        }

        /// The text of the held-back bytes, U+FFFD for the incomplete character, and an empty
        /// pending state, ready for a new sequence.
        public mutating func finish() -> String {
            defer { pending = [] }
            return String(decoding: pending, as: UTF8.self)
        }

        /// The length of the longest suffix of `bytes` that is the start of a well-formed
        /// UTF-8 character without its end: a lead byte followed by fewer continuation bytes
        /// than it announces, each in the range that the lead byte allows (so that "F0 80",
        /// never valid, is not held back). 0 when there is none.
        package static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
            for length in 1...3 where length <= bytes.count {
                let lead = bytes[bytes.count - length]
                if lead & 0xC0 == 0x80 { continue }  // a continuation byte: look further back
                let needed: Int
                var second: ClosedRange<UInt8> = 0x80...0xBF
                switch lead {
                case 0xC2...0xDF: needed = 2
                case 0xE0: needed = 3; second = 0xA0...0xBF
                case 0xED: needed = 3; second = 0x80...0x9F
                case 0xE1...0xEF: needed = 3
                case 0xF0: needed = 4; second = 0x90...0xBF
                case 0xF4: needed = 4; second = 0x80...0x8F
                case 0xF1...0xF3: needed = 4
                default: return 0
                }
                guard length < needed else { return 0 }
                let continuations = bytes.suffix(length - 1)
                guard continuations.first.map(second.contains) ?? true,
                      continuations.allSatisfy({ $0 & 0xC0 == 0x80 })
                else { return 0 }
                return length
            }
            return 0
        }
    }

    /// An ``IncrementalDecoder`` of this tokenizer's ids.
    public func makeIncrementalDecoder(skipSpecialTokens: Bool = false) -> IncrementalDecoder {
        IncrementalDecoder(tokenizer: self, skipSpecialTokens: skipSpecialTokens)
    }
}
