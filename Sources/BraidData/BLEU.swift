import BraidTensor
import Foundation

/// Corpus BLEU-1 … BLEU-N of tokenized captions, as coco-caption computes it: pycocoevalcap's
/// `Bleu(4).compute_score(gts, res)` (`bleu_scorer.py`, effective reference length "closest").
///
/// Image i has one candidate cᵢ and references Rᵢ (word arrays, as ``CaptionTokenizer`` makes
/// them). For each order n = 1…N:
/// - clipped matches mᵢₙ = Σ_g min(count_cᵢ(g), max_{r ∈ Rᵢ} count_r(g)) over the n-grams g of cᵢ;
/// - guesses gᵢₙ = max(0, |cᵢ| − n + 1);
/// - the effective reference length rᵢ is the length in Rᵢ closest to |cᵢ| (the shorter on a tie).
///
/// The corpus score sums the counts over images before dividing (it is not a mean of image
/// scores): with Mₙ = Σᵢ mᵢₙ, Gₙ = Σᵢ gᵢₙ, C = Σᵢ |cᵢ| and R = Σᵢ rᵢ,
///
///     pₙ     = (Mₙ + 10⁻¹⁵) / (Gₙ + 10⁻⁹)
///     BP     = exp(1 − 1/ρ) if ρ = (C + 10⁻¹⁵) / (R + 10⁻⁹) < 1, else 1
///     BLEU-n = BP · (p₁ · p₂ ⋯ pₙ)^(1/n)
///
/// An image's own score is the same formula over its own counts. The two epsilons are
/// coco-caption's: an order without any match gives a tiny positive precision rather than 0,
/// so, for example, a candidate with unigram but no 4-gram matches has an image BLEU-4 near 10⁻⁴,
/// not 0; and a candidate exactly as long as its reference gets BP = 1 − 10⁻⁹/R, not 1. Without
/// the epsilons this is sacrebleu's `corpus_bleu(candidates, references, tokenize="none",
/// smooth_method="none")` (which scales by 100 and gives 0 when some order has no match).
/// An empty candidate has brevity penalty 0. An empty corpus scores 0.
///
/// Scores are `Double`, as the reference computes them.
public struct BLEU: Sendable, Equatable {
    /// The highest n-gram order N (coco-caption's `Bleu(4)`: 4).
    public let maximumOrder: Int
    /// Corpus BLEU-1 … BLEU-N; element n − 1 is BLEU-n.
    public let scores: [Double]
    /// Each image's BLEU-1 … BLEU-N (`[image][n − 1]`), pycocoevalcap's per-image lists transposed.
    public let imageScores: [[Double]]
    /// Mₙ: the clipped n-gram matches summed over the corpus, element n − 1 for order n.
    public let matches: [Int]
    /// Gₙ: the candidates' n-grams summed over the corpus, element n − 1 for order n.
    public let guesses: [Int]
    /// C: the total length of the candidates in words.
    public let candidateLength: Int
    /// R: the total effective ("closest") reference length in words.
    public let referenceLength: Int
    /// The corpus brevity penalty BP in [0, 1].
    public let brevityPenalty: Double

    /// BLEU-N, the corpus score of the highest order (BLEU-4 by default).
    public var score: Double { scores[maximumOrder - 1] }

    /// Scores `candidates[i]` against `references[i]` for every image i; each image needs at
    /// least one reference. Words are compared as given (tokenize both sides the same way).
    public init(candidates: [[String]], references: [[[String]]], maximumOrder: Int = 4) {
        NGrams.checkCorpus("BLEU", candidates: candidates, references: references, maximumOrder: maximumOrder)
        var matches = [Int](repeating: 0, count: maximumOrder), guesses = matches
        var candidateLength = 0, referenceLength = 0
        var imageScores: [[Double]] = []
        imageScores.reserveCapacity(candidates.count)
        for (candidate, refs) in zip(candidates, references) {
            var maximumCounts = [[ArraySlice<String>: Int]](repeating: [:], count: maximumOrder)
            for reference in refs {
                for (order, counts) in NGrams.counts(reference, maximumOrder: maximumOrder).enumerated() {
                    for (gram, count) in counts { maximumCounts[order][gram] = max(maximumCounts[order][gram] ?? 0, count) }
                }
            }
            var imageMatches = [Int](repeating: 0, count: maximumOrder)
            for (order, counts) in NGrams.counts(candidate, maximumOrder: maximumOrder).enumerated() {
                for (gram, count) in counts { imageMatches[order] += min(count, maximumCounts[order][gram] ?? 0) }
            }
            let imageGuesses = (1...maximumOrder).map { max(0, candidate.count - $0 + 1) }
            // The closest reference length, the shorter on a tie: Python's min over (|Δ|, length).
            let closest = refs.map(\.count).min { (abs($0 - candidate.count), $0) < (abs($1 - candidate.count), $1) }!
            imageScores.append(Self.scores(matches: imageMatches, guesses: imageGuesses,
                                           candidateLength: candidate.count, referenceLength: closest))
            for n in 0..<maximumOrder {
                matches[n] += imageMatches[n]
                guesses[n] += imageGuesses[n]
            }
            candidateLength += candidate.count
            referenceLength += closest
        }
        self.maximumOrder = maximumOrder
        self.imageScores = imageScores
        (self.matches, self.guesses) = (matches, guesses)
        (self.candidateLength, self.referenceLength) = (candidateLength, referenceLength)
        brevityPenalty = Self.brevityPenalty(candidateLength: candidateLength, referenceLength: referenceLength)
        scores = candidates.isEmpty ? [Double](repeating: 0, count: maximumOrder)
            : Self.scores(matches: matches, guesses: guesses, candidateLength: candidateLength, referenceLength: referenceLength)
    }

    /// coco-caption's ε's: added to the matches and to the guesses (and lengths) before dividing.
    private static let tiny = 1e-15, small = 1e-9

    /// BP = exp(1 − 1/ρ) for ρ = (C + 10⁻¹⁵)/(R + 10⁻⁹) below 1, else 1.
    private static func brevityPenalty(candidateLength: Int, referenceLength: Int) -> Double {
        let ratio = (Double(candidateLength) + tiny) / (Double(referenceLength) + small)
        return ratio < 1 ? exp(1 - 1 / ratio) : 1
    }

    /// BLEU-1 … BLEU-N from the counts, in the reference's order of operations: a running product
    /// of the smoothed precisions, its n-th root, then the brevity penalty.
    private static func scores(matches: [Int], guesses: [Int], candidateLength: Int, referenceLength: Int) -> [Double] {
        let penalty = brevityPenalty(candidateLength: candidateLength, referenceLength: referenceLength)
        var product = 1.0
        return (0..<matches.count).map { k in
            product *= (Double(matches[k]) + tiny) / (Double(guesses[k]) + small)
            return pow(product, 1 / Double(k + 1)) * penalty
        }
    }
}
