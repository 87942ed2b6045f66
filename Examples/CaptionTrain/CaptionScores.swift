import Braid
import ExampleSupport

/// One system's figures on one part of the test split: corpus BLEU-4 and CIDEr-D against each
/// scene's references, and attribute accuracy against its ground truth.
struct CaptionScores {
    /// Corpus BLEU-4 (pycocoevalcap's `Bleu(4)`).
    var bleu4: Double
    /// CIDEr-D over this part's references (pycocoevalcap's `Cider`).
    var cider: Double
    /// Shapes, colours, pairings, sizes and relations read back from the captions.
    var accuracy: SceneCaptionAccuracy
    /// The accuracy and the axis accuracy of the model's ``SceneRelationProbe`` on these scenes;
    /// `nil` for a system that cannot score captions (retrieval).
    var relationProbe: (accuracy: Double, axis: Double)?

    /// The fraction of the captions that state a relation (over which ``SceneCaptionAccuracy/relations`` is taken).
    var statingRelations: Double { Double(accuracy.captionsWithRelations) / Double(max(accuracy.count, 1)) }

    /// Scores `candidates` (one per entry of `rows`) for the scenes at `rows` of `dataset`, with
    /// the system's relation-probe accuracy there if it has one.
    init(candidates: [[String]], rows: [Int], of dataset: ShapeSceneDataset, relationProbe: (accuracy: Double, axis: Double)? = nil) {
        self.relationProbe = relationProbe
        let references = rows.map { dataset.references[$0] }
        bleu4 = BLEU(candidates: candidates, references: references).score
        cider = CIDEr(candidates: candidates, references: references).score
        accuracy = SceneCaptionAccuracy(captions: candidates, scenes: rows.map { dataset.scenes[$0] })
    }

    /// The figures under their report names, each with `suffix` (`bleu4Seen`, `pairingsUnseen`, …).
    func figures(suffix: String) -> [String: Double] {
        [
            "bleu4": bleu4, "cider": cider, "shapes": accuracy.shapes, "colours": accuracy.colours, "pairings": accuracy.pairings,
            "sizes": accuracy.sizes, "relations": accuracy.relations, "allCorrect": accuracy.allCorrect,
            "statingRelations": statingRelations, "relationProbe": relationProbe?.accuracy, "relationProbeAxis": relationProbe?.axis,
        ].compactMapValues { $0 }.reduce(into: [:]) { $0[$1.key + suffix] = $1.value }
    }

    /// The Markdown table of `systems`' scores on one part: BLEU-4, CIDEr-D, the attribute
    /// accuracies, the fraction of captions that state a relation, and the relation probe (the
    /// relation, and its axis).
    static func table(_ systems: [(name: String, scores: CaptionScores)]) -> String {
        var lines = ["| system | BLEU-4 | CIDEr-D | shapes | colours | pairings | sizes | relations | all correct | stating relations | probe | probe axis |",
                     "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for (name, scores) in systems {
            let a = scores.accuracy
            let values = [scores.bleu4, scores.cider, a.shapes, a.colours, a.pairings, a.sizes, a.relations, a.allCorrect, scores.statingRelations]
            let probe = scores.relationProbe.map { String(format: "%.3f | %.3f", $0.accuracy, $0.axis) } ?? "– | –"
            lines.append("| \(name) | " + values.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " | \(probe) |")
        }
        return lines.joined(separator: "\n")
    }
}
