import Braid
import BraidTestSupport
import Testing

/// The README's text-generation example, run on the tiny GPT-2 checkpoint folder of the fixtures
/// (a randomly initialised model with a byte-level BPE of its 331 ids).
@Suite struct ReadmeGenerationExampleTests {
    @Test func samplesStreamsAndSearchesBeams() throws {
        let folder = Fixtures.path("gpt2/tiny")
        let model = try GPT2LanguageModel.load(directory: folder)
        let tokenizer = try ByteLevelBPETokenizer(directory: folder)
        let prompt = tokenizer.encode("Images and text, fused:")
        let stop = Set([model.configuration.endOfTextToken].compactMap { $0 })

        var text = tokenizer.makeIncrementalDecoder()
        var streamed = ""
        let sampled = try generate(
            model, prompts: [prompt], configuration: GenerationConfiguration(maxNewTokens: 40, stopTokens: stop),
            sampling: Sampling(temperature: 0.8, topK: 50, topP: 0.95, seed: 1)
        ) { _, token in
            streamed += try text.append(token)
        }
        streamed += text.finish()
        #expect(!sampled[0].isEmpty && sampled[0].count <= 40)
        #expect(streamed == (try tokenizer.decode(sampled[0])))

        let best = try beamSearch(
            model, prompts: [prompt], configuration: GenerationConfiguration(maxNewTokens: 20, stopTokens: stop),
            options: BeamSearch(beams: 4, lengthPenalty: 1))[0][0]
        #expect(!best.tokens.isEmpty && best.score < 0)
        _ = try tokenizer.decode(best.tokens)
    }
}
