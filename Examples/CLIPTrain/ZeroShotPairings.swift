import Braid
import ExampleSupport

/// Zero-shot classification of single-object scenes among every colour–shape pairing: each class
/// is the plain phrase of its pairing ("an orange circle") in every prompt template, embedded by
/// the text tower and averaged (`CLIPZeroShotClassifier`), so a held-out pairing's class is built
/// from words the model has only seen in other pairings. Shape is also classified among the shapes
/// alone, from colour-free prompts ("a circle").
struct ZeroShotPairings {
    /// One figure of each kind, over a set of scenes.
    struct Accuracy {
        /// The fraction of scenes whose predicted pairing is theirs.
        var pairing: Double
        /// The fraction whose predicted pairing has their object's colour.
        var colour: Double
        /// The fraction whose predicted pairing has their object's shape.
        var shape: Double
        /// The fraction whose object's shape is the one predicted among the shapes alone, from
        /// colour-free prompts ("a picture of a circle").
        var shapeFromShapePrompts: Double
    }

    /// The classes, in the classifier's order: every colour with every shape.
    let pairings: [ColouredShape]
    let classifier: CLIPZeroShotClassifier
    /// The classifier among the shapes alone, in `SceneShape.allCases` order.
    let shapeClassifier: CLIPZeroShotClassifier

    init(model: CLIPModel, run: CLIPTrainRun) {
        pairings = SceneColour.allCases.flatMap { colour in SceneShape.allCases.map { ColouredShape(colour, $0) } }
        let labels = pairings.map {
            ShapeSceneGrammar.plainPhrase(for: SceneObject(shape: $0.shape, colour: $0.colour, size: .small, x: 0, y: 0))
                .joined(separator: " ")
        }
        let embed = { (prompts: [String]) in run.embedTexts(model, prompts.map { $0.split(separator: " ").map(String.init) }) }
        classifier = CLIPZeroShotClassifier(
            labels: labels, templates: CLIPTrainRun.templates, logitScale: model.logitScale.scale, encodeTexts: embed)
        shapeClassifier = CLIPZeroShotClassifier(
            labels: SceneShape.allCases.map { ShapeSceneGrammar.shapePhrase(for: $0).joined(separator: " ") },
            templates: CLIPTrainRun.templates, logitScale: model.logitScale.scale, encodeTexts: embed)
    }

    /// The accuracy on the single-object scenes at `rows` of `data`, whose normalised image
    /// embeddings are rows of `images`; 0 for no rows.
    func accuracy(images: Tensor, rows: [Int], of data: ShapeSceneDataset) -> Accuracy {
        guard !rows.isEmpty else { return Accuracy(pairing: 0, colour: 0, shape: 0, shapeFromShapePrompts: 0) }
        let selected = images.indexSelect(axis: 0, indices: rows)
        let predicted = classifier.classify(selected).map { pairings[$0] }
        let predictedShapes = shapeClassifier.classify(selected).map { SceneShape.allCases[$0] }
        let truth = rows.map { data.scenes[$0].objects[0].colouredShape }
        func fraction(_ holds: (ColouredShape, ColouredShape) -> Bool) -> Double {
            Double(zip(predicted, truth).filter(holds).count) / Double(rows.count)
        }
        let shapesRight = zip(predictedShapes, truth).filter { $0 == $1.shape }.count
        return Accuracy(pairing: fraction(==), colour: fraction { $0.colour == $1.colour }, shape: fraction { $0.shape == $1.shape },
                        shapeFromShapePrompts: Double(shapesRight) / Double(rows.count))
    }

    /// A Markdown table of `parts` with a last row of chance (1 / pairings, 1 / colours, 1 / shapes).
    static func table(_ parts: [(name: String, count: Int, accuracy: Accuracy)], pairings: Int) -> String {
        let format = { (value: Double) in String(format: "%.3f", value) }
        var lines = ["| single-object test scenes | scenes | pairing | colour | shape | shape from shape prompts |",
                     "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for part in parts {
            let accuracy = part.accuracy
            lines.append("| \(part.name) | \(part.count) | \(format(accuracy.pairing)) | \(format(accuracy.colour)) | "
                         + "\(format(accuracy.shape)) | \(format(accuracy.shapeFromShapePrompts)) |")
        }
        let shapeChance = format(1 / Double(SceneShape.allCases.count))
        lines.append("| chance | – | \(format(1 / Double(pairings))) | \(format(1 / Double(SceneColour.allCases.count))) | "
                     + "\(shapeChance) | \(shapeChance) |")
        return lines.joined(separator: "\n")
    }
}
