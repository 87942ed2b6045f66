import BraidData
import Testing

@Suite struct CaptionTokenizerTests {
    /// The script split every fixture caption with the Python form of the same rule.
    @Test func matchesTheFixtureScriptsSplitting() throws {
        let fixture = try CaptionMetricFixture.load()
        for image in fixture.images {
            #expect(CaptionTokenizer.words(image.candidate) == image.candidateWords, "\(image.note)")
            for (reference, words) in zip(image.references, image.referenceWords) {
                #expect(CaptionTokenizer.words(reference) == words)
            }
        }
    }

    @Test func lowerCasesAndSplitsAtPunctuationAndWhitespace() {
        #expect(CaptionTokenizer.words("A red-circle, left of X!") == ["a", "red", "circle", "left", "of", "x"])
        #expect(CaptionTokenizer.words("  The dog's\tbone\n(big)  ") == ["the", "dog", "s", "bone", "big"])
        #expect(CaptionTokenizer.words("ÉCOLE naïve 3.5") == ["école", "naïve", "3", "5"])
        #expect(CaptionTokenizer.words("a\u{1F}b\u{A0}c") == ["a", "b", "c"])
        #expect(CaptionTokenizer.words("... !!").isEmpty)
        #expect(CaptionTokenizer.words("").isEmpty)
    }
}
