import Braid
import ExampleSupport
import Testing

/// The relation probe asks about every ordered pair, reads each caption back to its relation, and
/// scores a model by the relation its captions' summed probabilities favour.
@Suite struct SceneRelationProbeTests {
    let scenes = [
        ShapeScene(objects: [
            SceneObject(shape: .circle, colour: .red, size: .small, x: 15, y: 30),
            SceneObject(shape: .square, colour: .orange, size: .large, x: 45, y: 32),
        ], noiseSeed: 1),
        ShapeScene(objects: [SceneObject(shape: .star, colour: .blue, size: .small, x: 30, y: 30)], noiseSeed: 2),
        ShapeScene(objects: [
            SceneObject(shape: .star, colour: .yellow, size: .large, x: 20, y: 12),
            SceneObject(shape: .triangle, colour: .purple, size: .small, x: 22, y: 50),
            SceneObject(shape: .diamond, colour: .white, size: .small, x: 52, y: 40),
        ], noiseSeed: 3),
    ]

    @Test func questionsCoverEveryOrderedPairWithEveryPhrase() {
        let questions = SceneRelationProbe.questions(about: scenes)
        #expect(questions.count == 2 + 6)
        #expect(questions.map(\.scene) == [0, 0, 2, 2, 2, 2, 2, 2])
        #expect(questions[0].truth == .leftOf && questions[1].truth == .rightOf && questions[2].truth == .above)
        let first = questions[0]
        #expect(first.captions.count == 11 && first.relations.count == 11)
        #expect(first.captions[0] == ["a", "red", "circle", "left", "of", "an", "orange", "square"])
        // Every caption parses back to the scene's objects and the relation it was made with.
        for question in questions {
            for (caption, relation) in zip(question.captions, question.relations) {
                #expect(ParsedSceneCaption(caption).statements.map(\.relation) == [relation])
            }
        }
    }

    @Test func accuracyFollowsTheScores() {
        // A model that puts its mass on one phrase of the true relation; one that prefers the inverse.
        func oracle(inverse: Bool) -> ([[String]], [Int]) -> [Double] {
            { captions, indices in
                zip(captions, indices).map { caption, index in self.scenes[index].checkCaption(caption).relations != inverse ? -1 : -9 }
            }
        }
        #expect(SceneRelationProbe(scenes: scenes, logLikelihoods: oracle(inverse: false)).accuracy == 1)
        #expect(SceneRelationProbe(scenes: scenes, logLikelihoods: oracle(inverse: true)).accuracy == 0)
        // Summed over phrases: three weak "left of" phrases outweigh one stronger "above".
        let sums = SceneRelationProbe(scenes: [scenes[0]]) { captions, _ in
            captions.map { $0.contains("above") ? -1.0 : $0.contains("left") ? -1.5 : -20 }
        }
        #expect(sums.answers == [.leftOf, .leftOf])
        #expect(sums.accuracy == 0.5 && sums.axisAccuracy == 1)
    }
}
