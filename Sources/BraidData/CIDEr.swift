import BraidTensor
import Foundation

/// CIDEr-D of tokenized captions, as coco-caption computes it: pycocoevalcap's
/// `Cider().compute_score(gts, res)` (`cider_scorer.py`), which despite its name is CIDEr-D
/// (Vedantam et al. 2015): clipped tf-idf n-gram similarity with a Gaussian length penalty.
///
/// The evaluated corpus is I images, image i with one candidate cᵢ and references Rᵢ (word arrays,
/// as ``CaptionTokenizer`` makes them). Document frequencies come from the references of this
/// corpus only: df(g) is the number of images whose references contain the n-gram g. A sentence s
/// becomes, for each order n = 1…N, the tf-idf vector over its n-grams
///
///     vₙ(s)[g] = tf_s(g) · (log I − log max(1, df(g)))
///
/// (an n-gram in every image's references weighs 0; one in none weighs log I). A candidate c and
/// a reference r have, at order n,
///
///     simₙ(c, r) = Σ_g min(vₙ(c)[g], vₙ(r)[g]) · vₙ(r)[g] / (‖vₙ(c)‖ · ‖vₙ(r)‖)
///                  · exp(−(ℓ(c) − ℓ(r))² / (2σ²))
///
/// with the numerator's clipping (a word repeated beyond its reference count earns nothing
/// more), 0 where either norm is 0, and ℓ(s) the number of bigrams of s, max(0, |s| − 1): the
/// reference counts a sentence's length on its n = 2 vector (0 for every sentence when N = 1),
/// which differs from |s| only for an empty sentence. Then
///
///     CIDEr-D(cᵢ, Rᵢ) = 10 · (1/N) Σₙ (1/|Rᵢ|) Σ_{r ∈ Rᵢ} simₙ(cᵢ, r)
///
/// and the corpus score is the mean over the images. The defaults N = 4 and σ = 6 are
/// pycocoevalcap's. Since the weights depend on the whole corpus, an image's score changes with
/// the other images evaluated beside it; a corpus of one image scores 0 (log I = 0 = log df).
/// An empty corpus scores 0 (pycocoevalcap gives NaN).
public struct CIDEr: Sendable, Equatable {
    /// The highest n-gram order N.
    public let maximumOrder: Int
    /// The standard deviation σ of the Gaussian length penalty, in words.
    public let sigma: Double
    /// The corpus CIDEr-D: the mean of `imageScores`.
    public let score: Double
    /// Each image's CIDEr-D (×10, as the corpus score).
    public let imageScores: [Double]

    /// Scores `candidates[i]` against `references[i]` for every image i; each image needs at
    /// least one reference. Words are compared as given (tokenize both sides the same way).
    public init(candidates: [[String]], references: [[[String]]], maximumOrder: Int = 4, sigma: Double = 6) {
        NGrams.checkCorpus("CIDEr", candidates: candidates, references: references, maximumOrder: maximumOrder)
        check(sigma > 0 && sigma.isFinite, "CIDEr: sigma must be a positive number, got \(sigma)")
        let referenceCounts = references.map { $0.map { NGrams.counts($0, maximumOrder: maximumOrder) } }
        var documentFrequency: [ArraySlice<String>: Int] = [:]
        for image in referenceCounts {
            var seen = Set<ArraySlice<String>>()
            for reference in image { for counts in reference { seen.formUnion(counts.keys) } }
            for gram in seen { documentFrequency[gram, default: 0] += 1 }
        }
        let logImageCount = log(Double(candidates.count))
        // The tf-idf vectors of one sentence's counts, their norms and ℓ.
        func vectors(_ counts: [[ArraySlice<String>: Int]]) -> (weights: [[ArraySlice<String>: Double]], norms: [Double], length: Int) {
            var weights: [[ArraySlice<String>: Double]] = [], norms: [Double] = []
            for order in counts {
                var vector: [ArraySlice<String>: Double] = [:], squares = 0.0
                for (gram, tf) in order {
                    let weight = Double(tf) * (logImageCount - log(Double(max(1, documentFrequency[gram] ?? 0))))
                    vector[gram] = weight
                    squares += weight * weight
                }
                weights.append(vector)
                norms.append(squares.squareRoot())
            }
            return (weights, norms, maximumOrder >= 2 ? counts[1].values.reduce(0, +) : 0)
        }
        var imageScores: [Double] = []
        imageScores.reserveCapacity(candidates.count)
        for (candidate, references) in zip(candidates, referenceCounts) {
            let c = vectors(NGrams.counts(candidate, maximumOrder: maximumOrder))
            var similarities = [Double](repeating: 0, count: maximumOrder)  // Σ over references of simₙ
            for reference in references {
                let r = vectors(reference)
                let delta = Double(c.length - r.length)
                let penalty = exp(-(delta * delta) / (2 * sigma * sigma))
                for n in 0..<maximumOrder {
                    var dot = 0.0
                    for (gram, weight) in c.weights[n] {
                        let referenceWeight = r.weights[n][gram] ?? 0
                        dot += min(weight, referenceWeight) * referenceWeight
                    }
                    if c.norms[n] != 0 && r.norms[n] != 0 { dot /= c.norms[n] * r.norms[n] }
                    similarities[n] += dot * penalty
                }
            }
            imageScores.append(similarities.reduce(0, +) / Double(maximumOrder) / Double(references.count) * 10)
        }
        self.maximumOrder = maximumOrder
        self.sigma = sigma
        self.imageScores = imageScores
        score = imageScores.isEmpty ? 0 : imageScores.reduce(0, +) / Double(imageScores.count)
    }
}
