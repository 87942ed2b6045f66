import BraidTestSupport
import Foundation
import Testing

/// `Tests/Fixtures/captions/metrics.json`, pycocoevalcap's and sacrebleu's scores of 30
/// hand-written captions (`Scripts/make-caption-metric-fixtures.py`).
struct CaptionMetricFixture: Decodable {
    struct Image: Decodable {
        let note: String
        let candidate: String
        let references: [String]
        let candidateWords: [String]
        let referenceWords: [[String]]
    }

    struct Corpus: Decodable {
        let images: [Int]
        let bleu: [Double]
        let bleuImages: [[Double]]
        let cider: Double
        let ciderImages: [Double]
        /// sacrebleu's BLEU-1…4 / 100, `nil` where some order has no match.
        let sacrebleu: [Double?]
    }

    let images: [Image]
    let corpora: [String: Corpus]

    static func load() throws -> CaptionMetricFixture {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("captions/metrics.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(CaptionMetricFixture.self, from: data)
    }

    /// The fixture's corpus `name`, with the words of its candidates and references as the
    /// script split them and the note on each of its images.
    static func corpus(_ name: String) throws
        -> (corpus: Corpus, candidates: [[String]], references: [[[String]]], notes: [String]) {
        let fixture = try load()
        let corpus = try #require(fixture.corpora[name])
        let images = corpus.images.map { fixture.images[$0] }
        return (corpus, images.map(\.candidateWords), images.map(\.referenceWords), images.map(\.note))
    }

    /// The corpora by name, for `@Test(arguments:)`.
    static let corpusNames = ["all", "first-five", "single", "short-candidates"]
}

/// Expects every element of `actual` within `tolerance` of `expected`, naming `what` and the index.
func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tolerance) {
        Issue.record("\(what)[\(index)]: \(a) vs expected \(e) (tolerance \(tolerance))", sourceLocation: sourceLocation)
    }
}
