import Braid

/// The two weak views of a UCI digit the example trainers build: a degraded image and a caption
/// with partial, sometimes missing, hints.
public enum DigitHints {
    /// The English names of the digits 0–9.
    public static let names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    /// An 8×8 image (64 values in [0, 1]) with Gaussian noise (σ = 0.3) everywhere and a 4×4 patch
    /// of uniform noise at a random place.
    public static func degrade(_ image: [Float], generator: inout RandomGenerator) -> [Float] {
        var result = image.map { $0 + 0.3 * generator.nextNormal() }
        let (top, left) = (Int(generator.next() % 5), Int(generator.next() % 5))
        for r in top..<(top + 4) {
            for c in left..<(left + 4) { result[r * 8 + c] = generator.nextUniform() }
        }
        return result
    }

    /// One or two hints (parity, small or large, multiple of three), the digit itself one time in
    /// ten, or no description one time in seven.
    public static func caption(for digit: Int, generator: inout RandomGenerator) -> [String] {
        let draw = generator.nextUniform()
        if draw < 0.14 { return ["no", "description"] }
        if draw < 0.24 { return ["the", "digit", names[digit]] }
        let hints: [[String]] = [
            digit % 2 == 0 ? ["an", "even", "number"] : ["an", "odd", "number"],
            digit >= 5 ? ["a", "large", "number"] : ["a", "small", "number"],
            digit % 3 == 0 ? ["a", "multiple", "of", "three"] : ["not", "a", "multiple", "of", "three"],
        ]
        let first = Int(generator.next() % 3)
        guard generator.nextUniform() < 0.6 else { return hints[first] }
        let second = (first + 1 + Int(generator.next() % 2)) % 3
        return hints[first] + ["and"] + hints[second]
    }
}
