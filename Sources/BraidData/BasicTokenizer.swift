import Foundation

/// The text cleaning and splitting that BERT runs before WordPiece: it turns text into words
/// and punctuation marks, each of which WordPiece then splits into vocabulary pieces.
///
/// It follows Hugging Face's Rust-backed `BertTokenizer` (`BertTokenizerFast`): the
/// `BertNormalizer` then the `BertPreTokenizer` of the `tokenizers` library, which implement
/// the `BasicTokenizer` of the original BERT. In order, on Unicode scalars:
/// 1. Cleaning: NUL, U+FFFD and control characters (general categories Cc, Cf and Co, except
///    tab, newline and carriage return) are dropped; whitespace (the Unicode `White_Space`
///    property, which includes tab, newline and carriage return) becomes a space.
/// 2. CJK ideographs (BERT's `_is_chinese_char` ranges) get a space on each side.
/// 3. Accent stripping, when on: canonical decomposition (NFD), then nonspacing marks (Mn)
///    are dropped.
/// 4. Lowercasing, when on: each scalar's full lowercase mapping, without context (so a
///    final capital sigma becomes "σ", not "ς").
/// 5. Splitting on whitespace, and around every punctuation character (ASCII 33–47, 58–64,
///    91–96, 123–126, and general categories P*), each of which becomes a word of its own.
///
/// Special tokens such as `[CLS]` are not handled here: `WordPieceTokenizer` takes them out of
/// the text before this runs.
public struct BasicTokenizer: Sendable, Equatable {
    /// Whether text is lowercased (`do_lower_case`).
    public var lowercase: Bool
    /// Whether accents are stripped (`strip_accents`); `nil` strips them exactly when lowercasing.
    public var stripAccents: Bool?
    /// Whether CJK ideographs are split into words of their own (`tokenize_chinese_chars`).
    public var tokenizeChineseChars: Bool

    /// Creates a basic tokenizer; the defaults are those of an uncased BERT model
    /// (`BasicTokenizer(do_lower_case=True, strip_accents=None, tokenize_chinese_chars=True)`).
    public init(lowercase: Bool = true, stripAccents: Bool? = nil, tokenizeChineseChars: Bool = true) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        self.tokenizeChineseChars = tokenizeChineseChars
    }

    /// Whether accents are stripped: `stripAccents`, or `lowercase` when that is `nil`.
    public var stripsAccents: Bool { stripAccents ?? lowercase }

    /// Cleans and normalizes `text`, then splits it into words and punctuation marks
    /// (`BasicTokenizer(...).tokenize(text)`).
    public func tokenize(_ text: String) -> [String] {
        words(in: Array(text.unicodeScalars)).map(Self.string)
    }

    /// The words of `scalars`, each as the scalars WordPiece splits.
    func words(in scalars: some Collection<Unicode.Scalar>) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in normalize(scalars) {
            if Self.isWhitespace(scalar) {
                if !current.isEmpty { words.append(current) }
                current.removeAll(keepingCapacity: true)
            } else if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(current) }
                current.removeAll(keepingCapacity: true)
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Steps 1–4: cleaning, CJK spacing, accent stripping and lowercasing.
    func normalize(_ scalars: some Collection<Unicode.Scalar>) -> [Unicode.Scalar] {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if tokenizeChineseChars && Self.isChineseCharacter(scalar) {
                cleaned.append(contentsOf: [" ", scalar, " "])
            } else {
                cleaned.append(scalar)
            }
        }
        let allASCII = cleaned.allSatisfy(\.isASCII)
        if stripsAccents && !allASCII {
            // NFD leaves ASCII unchanged, so only text with other scalars needs it.
            cleaned = Self.string(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { $0.properties.generalCategory != .nonspacingMark }
        }
        guard lowercase else { return cleaned }
        if allASCII {
            return cleaned.map { (65...90).contains($0.value) ? Unicode.Scalar($0.value + 32)! : $0 }
        }
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(cleaned.count)
        for scalar in cleaned {
            if scalar.properties.changesWhenLowercased {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                lowered.append(scalar)
            }
        }
        return lowered
    }

    /// A string of exactly these scalars (`String` comparison would treat canonically
    /// equivalent strings as equal, but its storage keeps the scalars as given).
    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Whether cleaning drops `scalar`: general categories Cc, Cf, Co and Cs, except tab,
    /// newline and carriage return (the `tokenizers` `is_control`). Unassigned scalars (Cn)
    /// are kept, as the `tokenizers` library keeps them.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// Whether `scalar` is whitespace: the Unicode `White_Space` property, which includes tab,
    /// newline, carriage return and every Zs space.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// BERT's `_is_punctuation`: the ASCII symbols 33–47, 58–64, 91–96 and 123–126, and
    /// every scalar of a punctuation general category (Pc, Pd, Ps, Pe, Pi, Pf, Po).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0..<128: return false
        default:
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default: return false
            }
        }
    }

    /// BERT's `_is_chinese_char`: the CJK Unified Ideographs blocks and extensions A to F and
    /// the compatibility ideographs. Like the `tokenizers` library, the fifth range starts at
    /// U+2B920; Python's `BasicTokenizer` starts it at U+2B820.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
