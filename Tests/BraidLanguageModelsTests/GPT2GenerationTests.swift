import BraidGeneration
import BraidLanguageModels
import BraidTestSupport
import Foundation
import Testing

/// Greedy decoding and beam search on the tiny GPT-2 against `transformers`' `generate`
/// (`Tests/Fixtures/gpt2/generation.json`), token for token.
@Suite struct GPT2GenerationTests {
    let model: GPT2LanguageModel
    let fixture: GenerationFixture
    init() throws {
        model = try GPT2LanguageModel.load(directory: Fixtures.path("gpt2/tiny"))
        fixture = try GenerationFixture.load()
    }

    /// Hugging Face fills the rest of a stopped row with padding (or the stop token); the
    /// sequence proper ends at its first stop token.
    func trimmed(_ tokens: [Int], stop: Int?) -> [Int] {
        guard let stop, let end = tokens.firstIndex(of: stop) else { return tokens }
        return Array(tokens.prefix(end + 1))
    }

    @Test func greedyMatchesGenerate() throws {
        let greedy = fixture.greedy
        let tokens = try generate(model, prompts: [greedy.prompt], configuration: .init(maxNewTokens: greedy.maxNewTokens))
        #expect(tokens == greedy.tokens)
    }

    /// A left-padded batch of prompts of different lengths, with and without a stop token.
    @Test(arguments: [false, true])
    func leftPaddedBatchMatchesGenerate(stopping: Bool) throws {
        let expected = stopping ? fixture.greedyBatchEOS : fixture.greedyBatch
        let stop = stopping ? fixture.eos : nil
        let tokens = try generate(
            model, prompts: expected.prompts,
            configuration: .init(maxNewTokens: expected.maxNewTokens, stopTokens: stop.map { [$0] } ?? []))
        #expect(tokens == expected.tokens.map { trimmed($0, stop: stop) })
        // Each row alone gives the same tokens: padding changes nothing.
        for (prompt, row) in zip(expected.prompts, tokens) {
            #expect(try generate(model, prompts: [prompt], configuration: .init(
                maxNewTokens: expected.maxNewTokens, stopTokens: stop.map { [$0] } ?? [])) == [row])
        }
    }

    /// Four beams, four returned sequences, for every length penalty and stopping rule in the
    /// fixture: the same hypotheses in the same order, with scores within 1e-4.
    @Test func beamSearchMatchesGenerate() throws {
        try #require(fixture.beam.count == 24)
        for case_ in fixture.beam {
            let stopping: BeamStopping = switch case_.earlyStopping {
            case .bool(true): .whenBeamsFinish
            case .bool(false): .heuristic
            case .never: .never
            }
            let result = try beamSearch(
                model, prompts: [case_.prompt],
                configuration: .init(maxNewTokens: case_.maxNewTokens, stopTokens: [case_.eos]),
                options: BeamSearch(
                    beams: case_.beams, lengthPenalty: case_.lengthPenalty, stopping: stopping,
                    returnedSequences: case_.tokens.count))[0]
            let label = "eos \(case_.eos), length penalty \(case_.lengthPenalty), \(stopping)"
            #expect(result.map(\.tokens) == case_.tokens.map { trimmed($0, stop: case_.eos) }, "\(label)")
            for (ours, theirs) in zip(result.map(\.score), case_.scores) {
                #expect(abs(ours - theirs) <= 1e-4 * max(1, abs(theirs)), "\(label): score \(ours) vs \(theirs)")
            }
        }
    }

    /// A prompt that with its new tokens passes GPT-2's context is refused before any work.
    @Test func aPromptLongerThanTheContextThrows() {
        #expect(throws: GenerationError.exceedsContext(index: 0, promptLength: 90, maxNewTokens: 10, contextLength: 96)) {
            _ = try generate(model, prompts: [[Int](repeating: 1, count: 90)], configuration: .init(maxNewTokens: 10))
        }
    }
}

/// `Tests/Fixtures/gpt2/generation.json`: what `transformers`' `generate` produced on the tiny model.
struct GenerationFixture: Decodable {
    struct Greedy: Decodable {
        let prompt: [Int]
        let maxNewTokens: Int
        let tokens: [[Int]]
        enum CodingKeys: String, CodingKey { case prompt, tokens, maxNewTokens = "max_new_tokens" }
    }

    struct Batch: Decodable {
        let prompts: [[Int]]
        let maxNewTokens: Int
        let tokens: [[Int]]
        enum CodingKeys: String, CodingKey { case prompts, tokens, maxNewTokens = "max_new_tokens" }
    }

    /// `early_stopping`: `true`, `false` or `"never"`.
    enum EarlyStopping: Decodable {
        case bool(Bool)
        case never

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let flag = try? value.decode(Bool.self) { self = .bool(flag) } else {
                guard try value.decode(String.self) == "never" else {
                    throw DecodingError.dataCorruptedError(in: value, debugDescription: "early_stopping")
                }
                self = .never
            }
        }
    }

    struct Beam: Decodable {
        let prompt: [Int]
        let maxNewTokens, beams, eos: Int
        let lengthPenalty: Float
        let earlyStopping: EarlyStopping
        let tokens: [[Int]]
        let scores: [Float]
        enum CodingKeys: String, CodingKey {
            case prompt, beams, eos, tokens, scores, maxNewTokens = "max_new_tokens", lengthPenalty = "length_penalty"
            case earlyStopping = "early_stopping"
        }
    }

    let greedy: Greedy
    let eos: Int
    let greedyBatch, greedyBatchEOS: Batch
    let beam: [Beam]

    enum CodingKeys: String, CodingKey {
        case greedy, eos, beam, greedyBatch = "greedy_batch", greedyBatchEOS = "greedy_batch_eos"
    }

    static func load() throws -> GenerationFixture {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("gpt2/generation.json")))
        return try JSONDecoder().decode(GenerationFixture.self, from: data)
    }
}
