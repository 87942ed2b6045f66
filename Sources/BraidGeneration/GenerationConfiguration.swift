/// What every decoding strategy shares: how long to go, what stops a sequence, how prompts are
/// padded, and how repeats are penalised (a subset of Hugging Face's `GenerationConfig`).
public struct GenerationConfiguration: Sendable, Equatable {
    /// The most tokens to add to each prompt (`max_new_tokens`), at least 1.
    public var maxNewTokens: Int
    /// Tokens that end a sequence when generated (`eos_token_id`); the stop token is kept as
    /// the sequence's last token.
    public var stopTokens: Set<Int>
    /// The id that left-pads shorter prompts of a batch and fills rows that have stopped
    /// (`pad_token_id`); padding is masked, so its value never changes a result.
    public var paddingToken: Int
    /// The repetition penalty (`repetition_penalty`; 1 = none), applied to each token already in
    /// the sequence, prompt included.
    public var repetitionPenalty: Float

    /// Creates a configuration; the defaults are `GenerationConfig`'s.
    public init(maxNewTokens: Int = 20, stopTokens: Set<Int> = [], paddingToken: Int = 0, repetitionPenalty: Float = 1) {
        self.maxNewTokens = maxNewTokens
        self.stopTokens = stopTokens
        self.paddingToken = paddingToken
        self.repetitionPenalty = repetitionPenalty
    }

    /// The processors the configuration itself asks for, before any sampling warpers.
    var processors: [any LogitsProcessor] { repetitionPenalty == 1 ? [] : [RepetitionPenalty(repetitionPenalty)] }

    /// Checks the options and the prompts against `model`, then left-pads the prompts into one
    /// batch: ids `[B, L]` and a padding mask `[B, L]` (1 at padding), or `nil` when all have
    /// the same length.
    func batch<Model: AutoregressiveModel>(_ prompts: [[Int]], for model: Model) throws -> (ids: [Int], mask: [Float]?, length: Int) {
        guard maxNewTokens >= 1 else {
            throw GenerationError.invalidOption(name: "maxNewTokens", value: "\(maxNewTokens)", allowed: "at least 1")
        }
        guard repetitionPenalty > 0 && repetitionPenalty.isFinite else {
            throw GenerationError.invalidOption(
                name: "repetitionPenalty", value: "\(repetitionPenalty)", allowed: "a positive number")
        }
        for token in stopTokens.sorted() + [paddingToken] where token < 0 || token >= model.vocabularySize {
            throw GenerationError.invalidOption(
                name: stopTokens.contains(token) ? "stopTokens" : "paddingToken", value: "\(token)",
                allowed: "a token id in 0..<\(model.vocabularySize)")
        }
        guard !prompts.isEmpty else { throw GenerationError.emptyPrompt(index: nil) }
        for (index, prompt) in prompts.enumerated() {
            guard !prompt.isEmpty else { throw GenerationError.emptyPrompt(index: index) }
            if let bad = prompt.first(where: { $0 < 0 || $0 >= model.vocabularySize }) {
                throw GenerationError.unknownToken(index: index, token: bad, vocabularySize: model.vocabularySize)
            }
            if let context = model.contextLength, prompt.count + maxNewTokens > context {
                throw GenerationError.exceedsContext(
                    index: index, promptLength: prompt.count, maxNewTokens: maxNewTokens, contextLength: context)
            }
        }
        let length = prompts.map(\.count).max()!
        var ids: [Int] = [], mask: [Float] = []
        for prompt in prompts {
            let padding = length - prompt.count
            ids += [Int](repeating: paddingToken, count: padding) + prompt
            mask += [Float](repeating: 1, count: padding) + [Float](repeating: 0, count: prompt.count)
        }
        return (ids, prompts.allSatisfy { $0.count == length } ? nil : mask, length)
    }
}

/// Random sampling options (`do_sample=True`): the scores are divided by `temperature`, cut to
/// the `topK` most likely tokens and then to the nucleus of mass `topP`, and a token is drawn
/// from what remains with a generator seeded by `seed`.
public struct Sampling: Sendable, Equatable {
    /// The temperature, positive (1 = unchanged).
    public var temperature: Float
    /// Keep only the k most likely tokens, or all when `nil`.
    public var topK: Int?
    /// Keep the most likely tokens holding this much probability, in (0, 1] (1 = all).
    public var topP: Float
    /// Seeds the draws: the same seed gives the same tokens.
    public var seed: UInt64

    /// Creates sampling options; the defaults change nothing but the seed.
    public init(temperature: Float = 1, topK: Int? = nil, topP: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
    }

    /// Temperature, top-k and top-p, in Hugging Face's order; throws for options out of range.
    func warpers() throws -> [any LogitsProcessor] {
        guard temperature > 0 && temperature.isFinite else {
            throw GenerationError.invalidOption(name: "temperature", value: "\(temperature)", allowed: "a positive number")
        }
        if let topK, topK < 1 {
            throw GenerationError.invalidOption(name: "topK", value: "\(topK)", allowed: "at least 1")
        }
        guard topP > 0 && topP <= 1 else {
            throw GenerationError.invalidOption(name: "topP", value: "\(topP)", allowed: "in (0, 1]")
        }
        var result: [any LogitsProcessor] = []
        if temperature != 1 { result.append(Temperature(temperature)) }
        if let topK { result.append(TopK(topK)) }
        if topP < 1 { result.append(TopP(topP)) }
        return result
    }
}
