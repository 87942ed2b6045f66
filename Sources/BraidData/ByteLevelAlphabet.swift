/// GPT-2's table of one printable character per byte, through which byte-level BPE
/// vocabularies spell bytes: `bytes_to_unicode()` in OpenAI's `encoder.py`, the
/// `pre_tokenizers.ByteLevel.alphabet()` of Hugging Face `tokenizers`.
///
/// The bytes of the printable ranges "!"..."~", "¡"..."¬" and "®"..."ÿ" stand for themselves;
/// the other 68 bytes (controls, the space, U+00A0 and the soft hyphen U+00AD) stand, in
/// increasing order, for U+0100...U+0143. So the space is "Ġ" (U+0120) and "\n" is "Ċ"
/// (U+010A), and the vocabulary token "Ġhello" is the bytes of " hello".
public enum ByteLevelAlphabet {
    /// `characters[b]` stands for byte `b`.
    public static let characters: [Unicode.Scalar] = {
        var characters = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if isPrintable(byte) {
                characters[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                characters[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return characters
    }()

    /// The byte of each character U+0000...U+0143, -1 for those that stand for none.
    private static let bytes: [Int16] = {
        var bytes = [Int16](repeating: -1, count: 0x144)
        for (byte, character) in characters.enumerated() { bytes[Int(character.value)] = Int16(byte) }
        return bytes
    }()

    /// Whether `byte` stands for itself.
    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The byte that `character` stands for, or `nil` when it is not in the alphabet.
    public static func byte(of character: Unicode.Scalar) -> UInt8? {
        let value = Int(character.value)
        guard value < bytes.count, bytes[value] >= 0 else { return nil }
        return UInt8(bytes[value])
    }

    /// `bytes` spelled in the alphabet, one character a byte: the mapping that the ByteLevel
    /// pre-tokenizer applies to each piece of text before BPE.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(characters[Int(byte)]) }
        return String(text)
    }

    /// The bytes that `text` spells, or `nil` when one of its characters is not in the
    /// alphabet: the ByteLevel decoder's mapping of one token.
    public static func decode(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            guard let byte = byte(of: character) else { return nil }
            result.append(byte)
        }
        return result
    }
}
