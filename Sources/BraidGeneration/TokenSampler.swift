import BraidTensor

/// Draws token ids from next-token scores with its own seeded generator, so the same seed gives
/// the same text (`torch.multinomial` on the softmax, with Braid's generator instead of
/// PyTorch's: the same distribution, not the same draws).
public struct TokenSampler: Sendable {
    /// The generator the draws come from.
    public var generator: RandomGenerator

    /// A sampler seeded with `seed`.
    public init(seed: UInt64) { generator = RandomGenerator(seed: seed) }

    /// A token drawn with probability softmax(scores); tokens at −∞ are never drawn.
    public mutating func sample(_ scores: [Float]) -> Int {
        let probabilities = softmax(scores)
        let u = Float(generator.nextUniform())
        var cumulative: Float = 0
        var last = 0
        for (token, probability) in probabilities.enumerated() where probability > 0 {
            cumulative += probability
            last = token
            if u < cumulative { return token }
        }
        return last  // rounding left the sum just below u: the last token with any mass
    }
}
