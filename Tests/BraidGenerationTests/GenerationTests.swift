import BraidAttention
import BraidGeneration
import BraidTensor
import BraidTestSupport
import Foundation
import Testing

/// A model whose next-token scores depend only on the last token (a bigram table), for testing
/// the strategies without a network. Its cache is the last token of each row.
struct BigramModel: AutoregressiveModel {
    struct Cache: GenerationCache {
        var last: [Int]
        var count = 0
        var batchSize: Int { last.count }
        mutating func selectRows(_ rows: [Int]) { last = rows.map { last[$0] } }
    }

    /// `[V, V]`: row t holds the scores after token t.
    let table: Tensor
    var vocabularySize: Int { table.shape[0] }
    var contextLength: Int? { 40 }

    func makeCache(batchSize: Int) -> Cache { Cache(last: [Int](repeating: 0, count: batchSize)) }

    func nextTokenLogits(_ tokens: IntTensor, paddingMask: Tensor?, cache: inout Cache) -> Tensor {
        let (batch, n) = (tokens.shape[0], tokens.shape[1])
        cache.last = (0..<batch).map { tokens.scalars[$0 * n + n - 1] }
        cache.count += n
        return table.indexSelect(axis: 0, indices: cache.last)
    }
}

@Suite struct GenerationTests {
    let model = BigramModel(table: randomTensor([12, 12], seed: 5, scale: 2))

    /// The observed frequencies of `draws` tokens against `expected` probabilities: every count
    /// within 5 standard deviations of its binomial mean, and no token drawn that has probability 0.
    func expectFrequencies(_ draws: [Int], _ expected: [Float], _ comment: Comment? = nil) {
        var counts = [Int](repeating: 0, count: expected.count)
        for token in draws { counts[token] += 1 }
        let n = Float(draws.count)
        for (token, p) in expected.enumerated() {
            if p == 0 {
                #expect(counts[token] == 0, "token \(token) is outside the kept set but was drawn \(counts[token]) times")
            } else {
                let deviation = abs(Float(counts[token]) - n * p) / (n * p * (1 - p)).squareRoot()
                #expect(deviation < 5, "token \(token): \(counts[token]) draws, expected \(n * p)")
            }
        }
    }

    /// softmax of `scores` with the given tokens removed.
    func renormalised(_ scores: [Float], keeping kept: Set<Int>) -> [Float] {
        let exps = scores.indices.map { kept.contains($0) ? Float(exp(Double(scores[$0]))) : 0 }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    let scores: [Float] = [2.0, 1.5, 1.4, 0.3, 0.2, -1, -1.5, -3]

    @Test func samplingFollowsTheSoftmax() {
        var sampler = TokenSampler(seed: 1)
        expectFrequencies((0..<20000).map { _ in sampler.sample(scores) }, renormalised(scores, keeping: Set(scores.indices)))
    }

    @Test func topKDrawsOnlyTheKeptTokensInTheirRenormalisedProportions() {
        var warped = scores
        TopK(3).process(&warped, history: [])
        #expect(warped.filter { $0 > -.infinity }.count == 3)
        var sampler = TokenSampler(seed: 2)
        expectFrequencies((0..<20000).map { _ in sampler.sample(warped) }, renormalised(scores, keeping: [0, 1, 2]))
        var tied: [Float] = [1, 3, 3, 0]
        TopK(1).process(&tied, history: [])
        #expect(tied == [-.infinity, 3, 3, -.infinity])  // ties with the k-th are kept, as Hugging Face keeps them
    }

    @Test func topPKeepsTheSmallestNucleus() {
        let probabilities = renormalised(scores, keeping: Set(scores.indices))
        // The most likely tokens hold 0.39, 0.62 and 0.83 of the mass together.
        for (p, kept) in [(Float(0.3), Set([0])), (0.5, [0, 1]), (0.62, [0, 1]), (0.63, [0, 1, 2]), (1, Set(scores.indices))] {
            var warped = scores
            TopP(p).process(&warped, history: [])
            #expect(Set(warped.indices.filter { warped[$0] > -.infinity }) == kept, "p = \(p), probabilities \(probabilities)")
        }
        var warped = scores
        TopP(0.7).process(&warped, history: [])
        var sampler = TokenSampler(seed: 3)
        expectFrequencies((0..<20000).map { _ in sampler.sample(warped) }, renormalised(scores, keeping: [0, 1, 2]))
    }

    @Test func temperatureAndRepetitionPenaltyFollowHuggingFace() {
        var warped = scores
        Temperature(0.5).process(&warped, history: [])
        #expect(warped == scores.map { $0 * 2 })
        var penalised = scores
        RepetitionPenalty(2).process(&penalised, history: [0, 0, 5, 7])
        #expect(penalised == [1.0, 1.5, 1.4, 0.3, 0.2, -2, -1.5, -6])
    }

    @Test func greedyDecodingFollowsTheHighestScores() throws {
        let generated = try generate(model, prompts: [[3]], configuration: .init(maxNewTokens: 6))
        var expected: [Int] = [], last = 3
        for _ in 0..<6 {
            let row = Array(model.table.scalars[last * 12..<(last + 1) * 12])
            last = row.indices.max { row[$0] < row[$1] }!
            expected.append(last)
        }
        #expect(generated == [expected])
    }

    @Test func theSameSeedGivesTheSameTokensAndStreamsThem() throws {
        let configuration = GenerationConfiguration(maxNewTokens: 15)
        var streamed: [(Int, Int)] = []
        let first = try generate(
            model, prompts: [[1], [4, 2]], configuration: configuration, sampling: Sampling(temperature: 1.5, seed: 9)
        ) { streamed.append(($0, $1)) }
        let second = try generate(model, prompts: [[1], [4, 2]], configuration: configuration, sampling: Sampling(temperature: 1.5, seed: 9))
        let other = try generate(model, prompts: [[1], [4, 2]], configuration: configuration, sampling: Sampling(temperature: 1.5, seed: 10))
        #expect(first == second && first != other)
        #expect(streamed.filter { $0.0 == 0 }.map(\.1) == first[0] && streamed.filter { $0.0 == 1 }.map(\.1) == first[1])
        #expect(streamed.map(\.0) == Array(repeating: [0, 1], count: 15).flatMap { $0 })  // step by step, row by row
    }

    /// Sampling through `generate` with top-k never leaves the kept set of each step.
    @Test func sampledTokensStayInsideTheTopK() throws {
        let generated = try generate(
            model, prompts: [[Int]](repeating: [0], count: 50), configuration: .init(maxNewTokens: 10),
            sampling: Sampling(topK: 2, seed: 4))
        for sequence in generated {
            var last = 0
            for token in sequence {
                let row = Array(model.table.scalars[last * 12..<(last + 1) * 12])
                let topTwo = Set(row.indices.sorted { row[$0] > row[$1] }.prefix(2))
                #expect(topTwo.contains(token))
                last = token
            }
        }
    }

    @Test func aStopTokenEndsOnlyItsSequence() throws {
        let free = try generate(model, prompts: [[3]], configuration: .init(maxNewTokens: 8))[0]
        let stop = free[2]
        let first = free.firstIndex(of: stop)!
        let generated = try generate(model, prompts: [[3], [stop]], configuration: .init(maxNewTokens: 8, stopTokens: [stop]))
        #expect(generated[0] == Array(free.prefix(first + 1)))
        #expect(generated[1].count == 8 || generated[1].last == stop)
    }

    @Test func badRequestsThrowNamingTheValue() {
        let cases: [(() throws -> Void, GenerationError)] = [
            ({ _ = try generate(model, prompts: []) }, .emptyPrompt(index: nil)),
            ({ _ = try generate(model, prompts: [[1], []]) }, .emptyPrompt(index: 1)),
            ({ _ = try generate(model, prompts: [[1, 12]]) }, .unknownToken(index: 0, token: 12, vocabularySize: 12)),
            ({ _ = try generate(model, prompts: [[1, -1]]) }, .unknownToken(index: 0, token: -1, vocabularySize: 12)),
            (
                { _ = try generate(model, prompts: [[1], [Int](repeating: 1, count: 30)], configuration: .init(maxNewTokens: 11)) },
                .exceedsContext(index: 1, promptLength: 30, maxNewTokens: 11, contextLength: 40)
            ),
            ({ _ = try generate(model, prompts: [[1]], configuration: .init(maxNewTokens: 0)) },
             .invalidOption(name: "maxNewTokens", value: "0", allowed: "at least 1")),
            ({ _ = try generate(model, prompts: [[1]], configuration: .init(stopTokens: [99])) },
             .invalidOption(name: "stopTokens", value: "99", allowed: "a token id in 0..<12")),
            ({ _ = try generate(model, prompts: [[1]], sampling: Sampling(temperature: 0)) },
             .invalidOption(name: "temperature", value: "0.0", allowed: "a positive number")),
            ({ _ = try generate(model, prompts: [[1]], sampling: Sampling(topP: 0)) },
             .invalidOption(name: "topP", value: "0.0", allowed: "in (0, 1]")),
            ({ _ = try generate(model, prompts: [[1]], sampling: Sampling(topK: 0)) },
             .invalidOption(name: "topK", value: "0", allowed: "at least 1")),
            ({ _ = try beamSearch(model, prompts: [[1]], options: BeamSearch(beams: 2, returnedSequences: 3)) },
             .invalidOption(name: "returnedSequences", value: "3", allowed: "in 1...2 (the number of beams)")),
        ]
        for (run, expected) in cases {
            #expect(throws: expected) { try run() }
        }
        #expect(GenerationError.unknownToken(index: 0, token: 12, vocabularySize: 12).description.contains("token id 12"))
    }

    /// With one beam and no length penalty, beam search is greedy decoding.
    @Test func oneBeamIsGreedy() throws {
        let greedy = try generate(model, prompts: [[3], [7]], configuration: .init(maxNewTokens: 6))
        let beams = try beamSearch(model, prompts: [[3], [7]], configuration: .init(maxNewTokens: 6), options: BeamSearch(beams: 1))
        #expect(beams.map { $0[0].tokens } == greedy)
    }
}
