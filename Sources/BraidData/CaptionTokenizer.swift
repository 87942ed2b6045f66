/// The word splitting that Braid's caption metrics (``BLEU``, ``CIDEr``) expect their captions to
/// have gone through: lower-case, ASCII punctuation removed, split on whitespace.
///
/// coco-caption (pycocoevalcap) runs Stanford's Java PTBTokenizer and then drops its punctuation
/// tokens; Braid needs no Java, so it uses this simpler rule instead, and its reference fixtures
/// (`Scripts/make-caption-metric-fixtures.py`) hand pycocoevalcap captions split by the same rule in
/// Python: `"".join(" " if c in string.punctuation else c for c in text.lower()).split()`.
/// On Unicode scalars, in order:
/// 1. Lower-casing: each scalar's full lower-case mapping (for ASCII, what `str.lower` does).
/// 2. Every ASCII punctuation character (codes 33–47, 58–64, 91–96 and 123–126: Python's
///    `string.punctuation`) becomes a space, so "left-of" gives two words and "dog's" gives
///    "dog" and "s" (PTBTokenizer would keep "'s" as a word).
/// 3. Splitting at whitespace (the Unicode `White_Space` property and U+001C–U+001F, as Python's
///    `str.split()`), dropping empty words.
public enum CaptionTokenizer {
    /// The words of `caption` by the rule above: `words("A red-circle, left of X!")` is
    /// `["a", "red", "circle", "left", "of", "x"]`.
    public static func words(_ caption: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finishWord() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in caption.unicodeScalars {
            if isSeparator(scalar) {
                finishWord()
            } else if scalar.properties.changesWhenLowercased {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                current.append(scalar)
            }
        }
        finishWord()
        return words
    }

    /// Whether `scalar` ends a word: ASCII punctuation (33–47, 58–64, 91–96, 123–126) or
    /// whitespace as Python's `str.isspace` sees it.
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126, 0x1C...0x1F: true
        default: BasicTokenizer.isWhitespace(scalar)
        }
    }
}
