import BraidData
import Testing

@Suite struct CIDErTests {
    /// Corpus and per-image CIDEr-D against pycocoevalcap 1.2's `Cider()` on each fixture corpus.
    /// Document frequencies depend on the corpus, so the same image scores differently in
    /// "all" and "first-five". Sums run in another order than numpy's, hence 1e-12, not 0.
    @Test(arguments: CaptionMetricFixture.corpusNames)
    func matchesPycocoevalcap(corpusName: String) throws {
        let (corpus, candidates, references, _) = try CaptionMetricFixture.corpus(corpusName)
        let cider = CIDEr(candidates: candidates, references: references)
        #expect(cider.maximumOrder == 4 && cider.sigma == 6)
        expectClose([cider.score], [corpus.cider], tolerance: 1e-12, "\(corpusName) corpus CIDEr-D")
        expectClose(cider.imageScores, corpus.ciderImages, tolerance: 1e-12, "\(corpusName) image CIDEr-D")
    }

    @Test func aSingleImageCorpusScoresZero() {
        let cider = CIDEr(candidates: [["a", "dog"]], references: [[["a", "dog"], ["a", "cat"]]])
        #expect(cider.score == 0 && cider.imageScores == [0])
    }

    /// Two images, one word each: "dog" occurs in one image's references (df 1, idf log 2) and
    /// the candidate equals its reference, so sim₁ = 1 and the higher orders are empty (0):
    /// 10 · (1 + 0 + 0 + 0)/4 = 2.5. The other candidate shares nothing.
    @Test func handComputedTwoImageCorpus() {
        let cider = CIDEr(candidates: [["dog"], ["fish"]], references: [[["dog"]], [["cat"]]])
        #expect(abs(cider.imageScores[0] - 2.5) < 1e-12)
        #expect(cider.imageScores[1] == 0)
        #expect(abs(cider.score - 1.25) < 1e-12)
    }

    /// Repeating a matched word beyond its reference count adds nothing to the numerator but
    /// grows the candidate's norm and length, so the score falls.
    @Test func repeatsAreClippedAndPenalised() {
        let references = [[["a", "red", "circle"]], [["a", "blue", "square"]]]
        let once = CIDEr(candidates: [["red", "circle"], []], references: references)
        let repeated = CIDEr(candidates: [["red", "red", "red", "circle"], []], references: references)
        #expect(repeated.imageScores[0] < once.imageScores[0])
        #expect(once.imageScores[1] == 0)
    }

    @Test func emptyCorpusScoresZero() {
        let cider = CIDEr(candidates: [], references: [])
        #expect(cider.score == 0 && cider.imageScores.isEmpty)
    }
}
