import ArgumentParser
import Braid
import ExampleSupport
import Testing

/// The examples' classifier: every fusion method over three modalities, a single modality, and
/// the error for features of other modalities.
@Suite struct FusionClassifierTests {
    static let widths = ["audio": 6, "image": 5, "text": 4]

    /// Random features of `widths`' modalities for a batch of 3, with sequences of 2 positions.
    static func features(_ widths: [String: Int]) -> [String: EncodedFeatures] {
        var generator = RandomGenerator(seed: 5)
        return widths.mapValues { width in
            EncodedFeatures(
                sequence: Variable(Tensor.randomNormal([3, 2, width], generator: &generator)), paddingMask: nil,
                pooled: Variable(Tensor.randomNormal([3, width], generator: &generator)))
        }
    }

    @Test(arguments: FusionMethod.allCases)
    func everyMethodGivesLogitsForThreeModalities(method: FusionMethod) throws {
        var generator = RandomGenerator(seed: 1)
        let classifier = FusionClassifier(modalities: Self.widths, method: method, classCount: 7, generator: &generator)
        #expect(classifier.modalityNames == ["audio", "image", "text"])
        let logits = try classifier(Self.features(Self.widths))
        #expect(logits.shape == [3, 7])
        #expect(logits.value.scalars.allSatisfy { $0.isFinite })
        #expect((classifier.head != nil) && ((classifier.hidden == nil) == (method == .late)))
        #expect(FusionMethod(rawValue: method.rawValue) == method)
    }

    @Test func aSingleModalityUsesItsPooledFeatures() throws {
        var generator = RandomGenerator(seed: 2)
        let classifier = FusionClassifier(modalities: ["image": 5], method: .gated, classCount: 3, generator: &generator)
        #expect(classifier.head == nil)
        let features = Self.features(["image": 5])
        let expected = classifier.output!(classifier.hidden!(features["image"]!.pooled).relu())
        #expect(try classifier(features).value == expected.value)
        #expect(classifier.stateDict().keys.sorted() == ["hidden.bias", "hidden.weight", "output.bias", "output.weight"])
    }

    @Test func otherModalitiesAreNamedInTheError() throws {
        var generator = RandomGenerator(seed: 3)
        let single = FusionClassifier(modalities: ["image": 5], method: .early, classCount: 3, generator: &generator)
        let error = try #require(throws: FusionError.self) { try single(Self.features(["text": 5])) }
        #expect(error.missing == ["image"])
        #expect(error.unexpected == ["text"])

        let fused = FusionClassifier(modalities: Self.widths, method: .early, classCount: 3, generator: &generator)
        let fusedError = try #require(throws: FusionError.self) { try fused(Self.features(["audio": 6, "image": 5])) }
        #expect(fusedError.missing == ["text"])
    }

    @Test func captionVocabularyPadsAndMarksUnknownWords() {
        let vocabulary = CaptionVocabulary(captions: [["an", "odd", "number"], ["no", "description"]])
        #expect(vocabulary.count == 9)
        let batch = vocabulary.batch([["an", "odd", "number"], ["no", "zebra"]])
        #expect(batch.inputIds.shape == [2, 5])
        let (an, odd, number, no) = (vocabulary.ids["an"]!, vocabulary.ids["odd"]!, vocabulary.ids["number"]!, vocabulary.ids["no"]!)
        #expect(batch.inputIds.scalars == [2, an, odd, number, 3, 2, no, 1, 3, 0])
        #expect(batch.attentionMask.scalars == [1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    }

    @Test func optionChecksNameTheFlagAndTheValue() throws {
        #expect(throws: ValidationError.self) { try OptionChecks.positive(0, "--batch-size") }
        try OptionChecks.positive(12, "--epochs")
        do {
            try OptionChecks.positive(Float(-1), "--lr")
            Issue.record("a negative learning rate was accepted")
        } catch {
            #expect("\(error)" == "--lr must be a positive number, got -1.0")
        }
        #expect(throws: ValidationError.self) { try OptionChecks.positive(Float.infinity, "--lr") }
    }
}
