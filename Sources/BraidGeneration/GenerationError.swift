/// Why a generation request cannot run; each case names the value and what was expected.
public enum GenerationError: Error, Equatable, CustomStringConvertible {
    /// No prompts, or prompt `index` holds no token (a model needs at least one to predict from;
    /// GPT-2 prompts usually start with its beginning-of-text id).
    case emptyPrompt(index: Int?)
    /// Prompt `index` holds `token`, which is outside the model's vocabulary `0..<vocabularySize`.
    case unknownToken(index: Int, token: Int, vocabularySize: Int)
    /// Prompt `index` has `promptLength` tokens, and with `maxNewTokens` more it would pass the
    /// model's context of `contextLength` positions.
    case exceedsContext(index: Int, promptLength: Int, maxNewTokens: Int, contextLength: Int)
    /// The option `name` is `value`, outside what is `allowed`.
    case invalidOption(name: String, value: String, allowed: String)

    /// One sentence naming the value and what is wrong.
    public var description: String {
        switch self {
        case .emptyPrompt(nil): "generation: no prompts"
        case .emptyPrompt(let index?): "generation: prompt \(index) is empty; give at least one token"
        case let .unknownToken(index, token, vocabularySize):
            "generation: prompt \(index) holds token id \(token), outside the vocabulary 0..<\(vocabularySize)"
        case let .exceedsContext(index, promptLength, maxNewTokens, contextLength):
            "generation: prompt \(index) has \(promptLength) tokens; with \(maxNewTokens) new tokens it would pass the context of \(contextLength) positions"
        case let .invalidOption(name, value, allowed): "generation: \(name) is \(value); it must be \(allowed)"
        }
    }
}
