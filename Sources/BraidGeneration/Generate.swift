import BraidAutograd
import BraidTensor

/// Continues each prompt token by token, greedily or by sampling, as Hugging Face's `generate`
/// does with `num_beams=1`.
///
/// The prompts are left-padded into one batch (`configuration.paddingToken`, masked) and fed
/// once; then each step feeds one token per sequence through the model's cache. At each step the
/// last position's scores pass through the repetition penalty and, when sampling, temperature,
/// top-k and top-p (in that order); greedy decoding takes the highest score (the first on ties),
/// sampling draws from the softmax of what is left with a generator seeded by `sampling.seed`.
/// A sequence stops at one of `configuration.stopTokens` (kept as its last token) or after
/// `maxNewTokens` tokens; the others go on, and stopped rows are fed padding until all stop.
///
/// - Parameters:
///   - model: the model; its cache is made here and dropped at the end.
///   - prompts: one or more non-empty token sequences, of any lengths.
///   - configuration: length, stop tokens, padding, repetition penalty.
///   - sampling: `nil` for greedy decoding, else the sampling options.
///   - onToken: called with (prompt index, token) as soon as each new token is chosen, for
///     streaming; never for padding after a sequence has stopped. An error it throws ends the
///     generation and is rethrown.
/// - Returns: the new tokens of each prompt, without the prompt.
/// - Throws: `GenerationError` for an empty prompt, an id outside the vocabulary, a prompt that
///   with `maxNewTokens` passes the model's context, or an option out of range.
///
/// Unlike Hugging Face, the repetition penalty sees each sequence's own tokens only, not the
/// padding on its left (GPT-2 often pads with its end-of-text id, which would then be penalised).
public func generate<Model: AutoregressiveModel>(
    _ model: Model, prompts: [[Int]], configuration: GenerationConfiguration = GenerationConfiguration(),
    sampling: Sampling? = nil, onToken: ((_ prompt: Int, _ token: Int) throws -> Void)? = nil
) throws -> [[Int]] {
    let (ids, mask, length) = try configuration.batch(prompts, for: model)
    let processors = configuration.processors + (try sampling?.warpers() ?? [])
    var sampler = sampling.map { TokenSampler(seed: $0.seed) }
    let batch = prompts.count
    var histories = prompts
    var generated = [[Int]](repeating: [], count: batch)
    var stopped = [Bool](repeating: false, count: batch)
    try withoutGradients {
        var cache = model.makeCache(batchSize: batch)
        var logits = model.nextTokenLogits(
            IntTensor(shape: [batch, length], scalars: ids), paddingMask: mask.map { Tensor(shape: [batch, length], scalars: $0) },
            cache: &cache)
        for step in 0..<configuration.maxNewTokens {
            var next = [Int](repeating: configuration.paddingToken, count: batch)
            let vocabulary = logits.shape[1]
            for row in 0..<batch where !stopped[row] {
                var scores = Array(logits.scalars[row * vocabulary..<(row + 1) * vocabulary])
                for processor in processors { processor.process(&scores, history: histories[row]) }
                let token = sampler != nil ? sampler!.sample(scores) : argmax(scores)
                next[row] = token
                generated[row].append(token)
                histories[row].append(token)
                try onToken?(row, token)
                if configuration.stopTokens.contains(token) { stopped[row] = true }
            }
            guard step + 1 < configuration.maxNewTokens && stopped.contains(false) else { break }
            logits = model.nextTokenLogits(IntTensor(shape: [batch, 1], scalars: next), paddingMask: nil, cache: &cache)
        }
    }
    return generated
}
