import Braid
import Foundation

/// A probe of whether a captioner grounds spatial relations, independent of how it decodes: for
/// every ordered pair of objects (A, B) of a scene with two or three objects, is the true relation
/// the most likely of the four in "A rel B"? Each relation's probability is summed over all its
/// phrases ("left of", "to the left of", "on the left of"), and A and B are named by colour and
/// the first word for the shape ("a red circle above a blue square").
///
/// Beam search states few relations on its own: a caption without one ("there is A and B") is
/// as likely as any with one, whose probability is split among the relation's synonyms. So
/// ``SceneCaptionAccuracy/relations`` is taken over a few, uncertain captions, and this probe is
/// what shows whether the model knows where things are (the same ranking of captions that differ
/// in one relation as vision–language benchmarks of relation understanding use). ``axisAccuracy``
/// asks less: is the answer on the right axis (left/right or above/below), whichever the direction?
/// A model can get the axis from where the objects are alone; the direction needs to know where
/// the first-named one is.
///
/// With label smoothing, every token a model predicts keeps a share ε/V of spread-out mass, so a
/// model that cannot tell two relations apart prefers the one with more single-word phrases
/// ("below", "under", "beneath"); chance is about 1/4 either way.
public struct SceneRelationProbe: Sendable, Equatable {
    /// One ordered pair of one scene, and the captions that ask about it.
    public struct Question: Sendable, Equatable {
        /// The scene's position in the probed list.
        public var scene: Int
        /// Where the object named first in the captions lies relative to the one named second.
        public var truth: SpatialRelation
        /// "A rel B" for every phrase of every relation.
        public var captions: [[String]]
        /// The relation each caption states.
        public var relations: [SpatialRelation]
    }

    /// The questions asked.
    public let questions: [Question]
    /// For each question, the relation of highest summed probability.
    public let answers: [SpatialRelation]

    /// Every question about `scenes` (each ordered pair of objects of a scene with at least two).
    public static func questions(about scenes: [ShapeScene]) -> [Question] {
        let phrases = SpatialRelation.allCases.flatMap { relation in
            ShapeSceneGrammar.relationPhrases[relation]!.map { (relation, $0) }
        }
        var questions: [Question] = []
        for (index, scene) in scenes.enumerated() where scene.objects.count >= 2 {
            for first in scene.objects.indices {
                for second in scene.objects.indices where second != first {
                    let (a, b) = (ShapeSceneGrammar.plainPhrase(for: scene.objects[first]),
                                  ShapeSceneGrammar.plainPhrase(for: scene.objects[second]))
                    questions.append(Question(
                        scene: index, truth: scene.relation(of: first, to: second),
                        captions: phrases.map { a + $0.1 + b }, relations: phrases.map(\.0)))
                }
            }
        }
        return questions
    }

    /// Asks every question about `scenes`; `logLikelihoods(captions, scenes)` gives the model's
    /// log-probability of each caption (its words after `<bos>`, without `<eos>`) for the image of
    /// `scenes[sceneIndices[i]]`.
    public init(
        scenes: [ShapeScene], logLikelihoods: (_ captions: [[String]], _ sceneIndices: [Int]) throws -> [Double]
    ) rethrows {
        questions = Self.questions(about: scenes)
        let scores = try logLikelihoods(
            questions.flatMap(\.captions), questions.flatMap { question in question.captions.map { _ in question.scene } })
        var offset = 0
        answers = questions.map { question in
            // Each relation's probability, relative to the question's most likely caption.
            let own = scores[offset..<offset + question.captions.count]
            let top = own.max()!
            var probability: [SpatialRelation: Double] = [:]
            for (relation, score) in zip(question.relations, own) { probability[relation, default: 0] += exp(score - top) }
            offset += question.captions.count
            return SpatialRelation.allCases.max { probability[$0, default: 0] < probability[$1, default: 0] }!
        }
    }

    /// The fraction of questions answered with the true relation (0 when there are none); chance is about 1/4.
    public var accuracy: Double { fraction { $0 == $1 } }

    /// The fraction of questions answered on the true relation's axis, horizontal or vertical (0
    /// when there are none); chance is about 1/2.
    public var axisAccuracy: Double { fraction { $0.isHorizontal == $1.isHorizontal } }

    /// The fraction of questions whose truth and answer satisfy `agree`.
    private func fraction(_ agree: (SpatialRelation, SpatialRelation) -> Bool) -> Double {
        questions.isEmpty ? 0 : Double(zip(questions, answers).filter { agree($0.truth, $1) }.count) / Double(questions.count)
    }
}
