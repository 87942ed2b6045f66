/// A change to one sequence's next-token scores before a token is chosen (Hugging Face's
/// `LogitsProcessor`/`LogitsWarper`): `scores` holds V values, `history` the sequence's tokens
/// so far, prompt included.
public protocol LogitsProcessor: Sendable {
    /// Rewrites `scores` in place.
    func process(_ scores: inout [Float], history: [Int])
}

/// Makes tokens already in the sequence less likely (`RepetitionPenaltyLogitsProcessor`, from
/// CTRL): each distinct earlier token's score s becomes s / penalty when positive and s · penalty
/// when negative, so `penalty` > 1 discourages repeats and 1 changes nothing.
public struct RepetitionPenalty: LogitsProcessor {
    /// The penalty, positive.
    public var penalty: Float

    /// A penalty of `penalty` (> 0).
    public init(_ penalty: Float) { self.penalty = penalty }

    /// Applies the penalty once to each distinct token of `history`.
    public func process(_ scores: inout [Float], history: [Int]) {
        for token in Set(history) {
            let s = scores[token]
            scores[token] = s < 0 ? s * penalty : s / penalty
        }
    }
}

/// Divides the scores by `temperature` (`TemperatureLogitsWarper`): below 1 sharpens the
/// distribution, above 1 flattens it.
public struct Temperature: LogitsProcessor {
    /// The temperature, positive.
    public var temperature: Float

    /// A temperature of `temperature` (> 0).
    public init(_ temperature: Float) { self.temperature = temperature }

    /// s / T for every score.
    public func process(_ scores: inout [Float], history: [Int]) {
        let inverse = 1 / temperature
        for i in scores.indices { scores[i] *= inverse }
    }
}

/// Keeps the `k` highest scores and sets the rest to −∞ (`TopKLogitsWarper`); scores tied with
/// the k-th are kept too.
public struct TopK: LogitsProcessor {
    /// How many tokens to keep, at least 1.
    public var k: Int

    /// Keeps the `k` (≥ 1) most likely tokens.
    public init(_ k: Int) { self.k = k }

    /// −∞ below the k-th largest score.
    public func process(_ scores: inout [Float], history: [Int]) {
        guard k < scores.count else { return }
        let threshold = kthLargest(scores, k)
        for i in scores.indices where scores[i] < threshold { scores[i] = -.infinity }
    }
}

/// Nucleus sampling (`TopPLogitsWarper`): keeps the most likely tokens whose probabilities
/// (softmax of the scores) add up to `p`: a token is kept when the tokens ranked above it hold
/// less than `p` of the mass, so at least the most likely one always is; the rest get −∞.
public struct TopP: LogitsProcessor {
    /// The mass to keep, in (0, 1].
    public var p: Float

    /// Keeps the smallest set of most likely tokens with probability at least `p` (in (0, 1]).
    public init(_ p: Float) { self.p = p }

    /// −∞ outside the nucleus.
    public func process(_ scores: inout [Float], history: [Int]) {
        guard p < 1 else { return }
        let probabilities = softmax(scores)
        let order = scores.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        var above: Float = 0
        var cut = order.count
        for (rank, index) in order.enumerated() {
            if above >= p {
                cut = rank
                break
            }
            above += probabilities[index]
        }
        for index in order[cut...] { scores[index] = -.infinity }
    }
}
