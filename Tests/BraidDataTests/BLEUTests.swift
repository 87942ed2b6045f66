import BraidData
import Testing

@Suite struct BLEUTests {
    /// Corpus and per-image BLEU-1…4 against pycocoevalcap 1.2's `Bleu(4)` on each fixture corpus
    /// (exact copies, empty and one-word candidates, candidates shorter and longer than every
    /// reference, a tie for the closest reference length, repeated words). The same double
    /// arithmetic in the same order, so the tolerance is a few ulps, not 1e-6.
    @Test(arguments: CaptionMetricFixture.corpusNames)
    func matchesPycocoevalcap(corpusName: String) throws {
        let (corpus, candidates, references, notes) = try CaptionMetricFixture.corpus(corpusName)
        let bleu = BLEU(candidates: candidates, references: references)
        #expect(bleu.maximumOrder == 4 && bleu.score == bleu.scores[3])
        expectClose(bleu.scores, corpus.bleu, tolerance: 1e-12, "\(corpusName) corpus BLEU")
        #expect(bleu.imageScores.count == corpus.images.count)
        for (image, note) in notes.enumerated() {
            expectClose(bleu.imageScores[image], corpus.bleuImages[image], tolerance: 1e-12, "\(corpusName) image \(image) (\(note))")
        }
    }

    /// sacrebleu 2.6 (`tokenize="none"`, `smooth_method="none"`) agrees with the corpus scores
    /// to 1e-6: it has no ε's, which move these scores by about 1e-9 relative.
    @Test(arguments: CaptionMetricFixture.corpusNames)
    func agreesWithSacrebleu(corpusName: String) throws {
        let (corpus, candidates, references, _) = try CaptionMetricFixture.corpus(corpusName)
        let bleu = BLEU(candidates: candidates, references: references)
        for (order, expected) in corpus.sacrebleu.enumerated() {
            let expected = try #require(expected, "every fixture corpus has matches at every order")
            #expect(abs(bleu.scores[order] - expected) < 1e-6, "BLEU-\(order + 1): \(bleu.scores[order]) vs \(expected)")
        }
    }

    /// The counts behind a hand-checked corpus: one exact copy and one candidate with clipped
    /// repeats, shorter than its reference.
    @Test func countsClipAndSumOverTheCorpus() {
        let candidates = [["a", "red", "circle"], ["the", "the", "the"]]
        let references = [[["a", "red", "circle"]], [["the", "cat", "on", "the", "mat"], ["a", "cat"]]]
        let bleu = BLEU(candidates: candidates, references: references, maximumOrder: 2)
        // "the" occurs at most twice in one reference, so two of its three occurrences match.
        #expect(bleu.matches == [3 + 2, 2 + 0])
        #expect(bleu.guesses == [6, 4])
        #expect(bleu.candidateLength == 6)
        // The second candidate's 3 words are closer to the 2-word reference than to the 5-word one.
        #expect(bleu.referenceLength == 3 + 2)
        #expect(bleu.brevityPenalty == 1)
        let p1 = (5 + 1e-15) / (6 + 1e-9), p2 = (2 + 1e-15) / (4 + 1e-9)
        #expect(abs(bleu.scores[0] - p1) < 1e-15)
        #expect(abs(bleu.scores[1] - (p1 * p2).squareRoot()) < 1e-15)
    }

    @Test func closestReferenceLengthPrefersTheShorterOnATie() {
        let bleu = BLEU(candidates: [["x", "y", "z"]], references: [[["a", "b", "c", "d"], ["a", "b"]]], maximumOrder: 1)
        #expect(bleu.referenceLength == 2)
    }

    @Test func emptyCandidateHasNoBrevityAndEmptyCorpusScoresZero() {
        let bleu = BLEU(candidates: [[]], references: [[["a", "dog"]]])
        #expect(bleu.brevityPenalty == 0 && bleu.scores == [0, 0, 0, 0] && bleu.imageScores == [[0, 0, 0, 0]])
        let empty = BLEU(candidates: [], references: [])
        #expect(empty.scores == [0, 0, 0, 0] && empty.imageScores.isEmpty)
    }
}
