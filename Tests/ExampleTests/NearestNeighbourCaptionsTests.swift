import Braid
import ExampleSupport
import Testing

/// The nearest-neighbour captioning baseline: cosine similarity, whatever the features' scale.
@Suite struct NearestNeighbourCaptionsTests {
    /// Rows 1 and 3 point the same way ([2, 0] and [1, 0]).
    let retrieval = NearestNeighbourCaptions(
        features: Tensor(shape: [4, 2], scalars: [0, 1, 2, 0, 1, 1, 1, 0]),
        captions: [["a", "blue", "star"], ["a", "big", "red", "circle"], ["a", "white", "box"], ["a", "red", "circle"]])

    /// Cosine, not distance: [5, 5] is far from [1, 1] but points the same way, and [−1, 0] is
    /// least unlike [0, 1] (cosine 0, against −0.71 and −1).
    @Test func eachQueryTakesTheCaptionOfTheMostSimilarTrainingRow() {
        let queries = Tensor(shape: [4, 2], scalars: [3, 0.1, 0.1, 30, 5, 5, -1, 0])
        #expect(retrieval.neighbours(of: queries) == [1, 0, 2, 0])
        #expect(retrieval.captions(for: queries).map { $0.joined(separator: " ") }
                == ["a big red circle", "a blue star", "a white box", "a blue star"])
    }

    /// A tie goes to the earlier row; a zero query is similar to nothing and takes row 0; the
    /// stored rows have unit length.
    @Test func tiesGoToTheEarlierRowAndZeroFeaturesAreSafe() {
        #expect(retrieval.neighbours(of: Tensor(shape: [2, 2], scalars: [7, 0, 0, 0])) == [1, 0])
        let f = retrieval.features
        #expect((0..<4).allSatisfy { abs((f[$0, 0] * f[$0, 0] + f[$0, 1] * f[$0, 1]).squareRoot() - 1) < 1e-6 })
    }
}
