import BraidAutograd
import Foundation
import BraidTensor

/// When beam search stops (Hugging Face's `early_stopping`).
public enum BeamStopping: Sendable, Equatable {
    /// As soon as `beams` hypotheses have finished (`early_stopping=True`).
    case whenBeamsFinish
    /// When no running beam, at its current length, could beat the worst finished hypothesis
    /// (`early_stopping=False`, the default).
    case heuristic
    /// When no running beam could beat it even at the most favourable length
    /// (`early_stopping="never"`: the maximum length when the length penalty is positive).
    case never
}

/// Beam-search options (`num_beams`, `length_penalty`, `early_stopping`, `num_return_sequences`).
public struct BeamSearch: Sendable, Equatable {
    /// How many hypotheses are kept per prompt, at least 1.
    public var beams: Int
    /// A finished hypothesis scores Σ log p / (new tokens)^lengthPenalty: above 0 favours longer
    /// ones, below 0 shorter ones.
    public var lengthPenalty: Float
    /// When to stop.
    public var stopping: BeamStopping
    /// How many of the best finished hypotheses to return per prompt, 1…beams.
    public var returnedSequences: Int

    /// Creates options; the defaults are `GenerationConfig`'s, with 4 beams.
    public init(beams: Int = 4, lengthPenalty: Float = 1, stopping: BeamStopping = .heuristic, returnedSequences: Int = 1) {
        self.beams = beams
        self.lengthPenalty = lengthPenalty
        self.stopping = stopping
        self.returnedSequences = returnedSequences
    }
}

/// One finished beam-search hypothesis.
public struct BeamHypothesis: Sendable, Equatable {
    /// The new tokens, ending with a stop token unless the maximum length ended it.
    public var tokens: [Int]
    /// Σ log p(token) / (tokens.count)^lengthPenalty (`sequences_scores`).
    public var score: Float
}

/// Beam search over `model` for each prompt, reproducing Hugging Face's `generate(num_beams=…)`
/// (its vectorised beam search of `transformers` 4.50 and later) token for token.
///
/// Each step, every running beam's next-token log-probabilities (log-softmax, then the
/// repetition penalty) are added to its running score; of all beams × vocabulary continuations
/// the best 2·beams are kept. Those ending in a stop token, or reaching `maxNewTokens`, finish:
/// one that ranks among the first `beams` joins the finished hypotheses if its length-penalised
/// score is among the best `beams` so far. The best `beams` continuations that did not finish
/// run on, and the cache's rows are reordered to follow them. Stopping follows `options.stopping`.
///
/// - Returns: for each prompt, its best `returnedSequences` finished hypotheses, best first.
/// - Throws: `GenerationError` as `generate` does, and for options out of range.
public func beamSearch<Model: AutoregressiveModel>(
    _ model: Model, prompts: [[Int]], configuration: GenerationConfiguration = GenerationConfiguration(),
    options: BeamSearch = BeamSearch()
) throws -> [[BeamHypothesis]] {
    let (ids, mask, promptLength) = try configuration.batch(prompts, for: model)
    let k = options.beams
    guard k >= 1 else { throw GenerationError.invalidOption(name: "beams", value: "\(k)", allowed: "at least 1") }
    guard (1...k).contains(options.returnedSequences) else {
        throw GenerationError.invalidOption(
            name: "returnedSequences", value: "\(options.returnedSequences)", allowed: "in 1...\(k) (the number of beams)")
    }
    let batch = prompts.count
    var search = (0..<batch).map { BeamState(prompt: prompts[$0], beams: k) }
    withoutGradients {
        var cache = model.makeCache(batchSize: batch)
        var logits = model.nextTokenLogits(
            IntTensor(shape: [batch, promptLength], scalars: ids),
            paddingMask: mask.map { Tensor(shape: [batch, promptLength], scalars: $0) }, cache: &cache)
        // Every beam starts from the prompt's cache; only the first is live at the first step.
        cache.selectRows((0..<batch).flatMap { [Int](repeating: $0, count: k) })
        var rowsOfLogits = (0..<batch).flatMap { [Int](repeating: $0, count: k) }
        for step in 0..<configuration.maxNewTokens {
            let vocabulary = logits.shape[1]
            var reorder: [Int] = []
            for b in 0..<batch {
                let rows = (0..<k).map { beam -> [Float] in
                    let row = rowsOfLogits[b * k + beam]
                    var scores = logSoftmax(Array(logits.scalars[row * vocabulary..<(row + 1) * vocabulary]))
                    for processor in configuration.processors {
                        processor.process(&scores, history: search[b].prompt + search[b].running[beam].tokens)
                    }
                    return scores
                }
                let kept = search[b].step(
                    scores: rows, isLast: step + 1 == configuration.maxNewTokens, stopTokens: configuration.stopTokens,
                    newLength: step + 1, options: options, maxNewTokens: configuration.maxNewTokens)
                reorder += kept.map { b * k + $0 }
            }
            guard search.contains(where: { $0.isOpen(options.stopping) }) else { break }
            cache.selectRows(reorder)
            rowsOfLogits = Array(0..<batch * k)
            let next = search.flatMap { state in state.running.map { $0.tokens.last! } }
            logits = model.nextTokenLogits(IntTensor(shape: [batch * k, 1], scalars: next), paddingMask: nil, cache: &cache)
        }
    }
    return search.map { state in
        state.finished.prefix(options.returnedSequences).map { BeamHypothesis(tokens: $0.tokens, score: $0.score) }
    }
}

/// One prompt's beam search, in Hugging Face's bookkeeping: scores are `Float` as there, and a
/// hypothesis that may not be chosen carries −1e9 added to its score instead of being removed.
private struct BeamState {
    struct Hypothesis {
        var tokens: [Int]
        var score: Float
        var isFinished = false
    }

    let prompt: [Int]
    /// The running beams, best first.
    var running: [Hypothesis]
    /// The finished slots, best first (−1e9 while empty).
    var finished: [Hypothesis]
    /// Whether a running beam could still beat a finished one (`is_early_stop_heuristic_unsatisfied`).
    var improvable = true
    /// Whether every candidate of the last step ended (all hit a stop token or the length limit).
    var exhausted = false

    init(prompt: [Int], beams: Int) {
        self.prompt = prompt
        running = (0..<beams).map { Hypothesis(tokens: [], score: $0 == 0 ? 0 : -1e9) }
        finished = [Hypothesis](repeating: Hypothesis(tokens: [], score: -1e9), count: beams)
    }

    /// Whether the search of this prompt goes on (`_beam_search_has_unfinished_sequences`).
    func isOpen(_ stopping: BeamStopping) -> Bool {
        improvable && !(stopping == .whenBeamsFinish && finished.allSatisfy(\.isFinished)) && !exhausted
    }

    /// One step over the running beams' log-probabilities `scores` (one row of V per beam);
    /// returns, for each new running beam, the index of the old beam it continues.
    mutating func step(
        scores: [[Float]], isLast: Bool, stopTokens: Set<Int>, newLength: Int, options: BeamSearch, maxNewTokens: Int
    ) -> [Int] {
        let k = running.count, vocabulary = scores[0].count
        // The best 2k of k × V continuations (`_get_top_k_continuations`).
        var candidates: [(score: Float, beam: Int, token: Int)] = []
        candidates.reserveCapacity(2 * k + 1)
        for beam in 0..<k {
            let base = running[beam].score
            for token in 0..<vocabulary {
                let score = scores[beam][token] + base
                guard candidates.count < 2 * k || score > candidates[candidates.count - 1].score else { continue }
                let position = candidates.firstIndex { score > $0.score } ?? candidates.count
                candidates.insert((score, beam, token), at: position)
                if candidates.count > 2 * k { candidates.removeLast() }
            }
        }
        let ends = candidates.map { isLast || stopTokens.contains($0.token) }
        exhausted = !ends.contains(false)
        // New running beams: the best k that did not end (`_get_running_beams_for_next_iteration`).
        let penalised = candidates.indices.map { candidates[$0].score + (ends[$0] ? -1e9 : 0) }
        let order = penalised.indices.sorted { penalised[$0] > penalised[$1] || (penalised[$0] == penalised[$1] && $0 < $1) }
        let kept = order.prefix(k)
        let previous = running
        running = kept.map { Hypothesis(tokens: previous[candidates[$0].beam].tokens + [candidates[$0].token], score: penalised[$0]) }
        // Finished hypotheses (`_update_finished_beams`).
        let lengthFactor = Float(pow(Double(newLength), Double(options.lengthPenalty)))
        let full = options.stopping == .whenBeamsFinish && finished.allSatisfy(\.isFinished)
        var merged = finished
        for (i, candidate) in candidates.enumerated() {
            let justFinished = ends[i] && i < k
            var score = candidate.score / lengthFactor
            if full { score += -1e9 }
            if !improvable { score += -1e9 }
            if !justFinished { score += -1e9 }
            merged.append(Hypothesis(
                tokens: previous[candidate.beam].tokens + [candidate.token], score: score, isFinished: justFinished))
        }
        let best = merged.indices.sorted { merged[$0].score > merged[$1].score || (merged[$0].score == merged[$1].score && $0 < $1) }
        finished = best.prefix(k).map { merged[$0] }
        // Could a running beam still improve on the finished ones (`_check_early_stop_heuristic`)?
        let hypotheticalLength = options.stopping == .never && options.lengthPenalty > 0 ? maxNewTokens : newLength
        let bestPossible = running[0].score / Float(pow(Double(hypotheticalLength), Double(options.lengthPenalty)))
        let worstFinished = finished.map(\.score).min()!
        improvable = improvable && finished.contains { bestPossible > ($0.isFinished ? worstFinished : -1e9) }
        return kept.map { candidates[$0].beam }
    }
}
