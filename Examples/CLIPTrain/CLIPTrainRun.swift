import Braid
import ExampleSupport
import Foundation

/// One run of clip-train: the shape-scene splits, a small CLIP trained on them with the symmetric
/// contrastive loss, then retrieval and zero-shot classification on the test split, the tables,
/// the report, the curves and the similarity heat map.
struct CLIPTrainRun {
    let options: CLIPTrainOptions
    let vocabulary = ShapeSceneVocabulary()

    /// The length of every text row: `<bos>`, up to the grammar's longest caption, `<eos>`; also the
    /// text tower's context.
    static let textLength = ShapeSceneGrammar.maximumLength + 2
    /// Images or texts per batch when embedding without gradients.
    static let evaluationBatch = 250
    /// The zero-shot prompt templates, each sentence of the caption grammar around a plain
    /// "a colour shape" phrase.
    static let templates = ["{}", "there is {}", "a picture of {}", "an image of {}"]
    static let recallKs = [1, 5, 10]
    /// Test scenes of each part drawn in the heat map.
    static let heatMapRows = 6

    func run() throws {
        let start = Date()
        let splits = options.scenes.splits(seed: options.seed)
        let (train, validation, test) = (splits.train, splits.validation, splits.test)
        let (seenRows, unseenRows) = (splits.seenTestRows, test.heldOutRows)
        print(splits.summary(tokens: vocabulary.count))

        var generator = RandomGenerator(seed: options.seed &+ 1)
        let model = CLIPModel(modelConfiguration(), generator: &generator)
        print("training CLIP (\(model.parameterCount.formatted()) parameters)")
        let (records, trainingSeconds) = try fit(model, train: train, validation: validation)

        model.eval()
        let images = embedImages(model, test)
        let firstCaptions = test.references.map { $0[0] }
        let texts = embedTexts(model, firstCaptions)
        let imageToText = retrievalRecall(queries: images, candidates: texts, k: Self.recallKs)
        let textToImage = retrievalRecall(queries: texts, candidates: images, k: Self.recallKs)
        print("\nretrieval over the \(test.count) test scenes and their first reference captions:")
        print(retrievalTable(imageToText: imageToText, textToImage: textToImage, count: test.count))

        let zeroShot = ZeroShotPairings(model: model, run: self)
        let singles = { (rows: [Int]) in rows.filter { test.scenes[$0].objects.count == 1 } }
        let (seenSingles, unseenSingles) = (singles(seenRows), singles(unseenRows))
        let seen = zeroShot.accuracy(images: images, rows: seenSingles, of: test)
        let unseen = zeroShot.accuracy(images: images, rows: unseenSingles, of: test)
        print("\nzero-shot classification of the single-object test scenes among the \(zeroShot.pairings.count) colour–shape "
              + "pairings, from the prompts \(Self.templates.map { "\"\($0)\"" }.joined(separator: ", ")) alone:")
        print(ZeroShotPairings.table([("seen pairings", seenSingles.count, seen), ("held-out pairings", unseenSingles.count, unseen)],
                                     pairings: zeroShot.pairings.count))

        let seconds = Date().timeIntervalSince(start)
        var figures: [String: Double] = ["parameters": Double(model.parameterCount), "trainingSeconds": trainingSeconds,
                                         "logitScale": Double(model.logitScale.scale)]
        for k in Self.recallKs {
            figures["imageToTextRecall\(k)"] = Double(imageToText[k]!)
            figures["textToImageRecall\(k)"] = Double(textToImage[k]!)
            figures["chanceRecall\(k)"] = Double(k) / Double(test.count)
        }
        for (suffix, accuracy) in [("Seen", seen), ("Unseen", unseen)] {
            figures["zeroShotPairing" + suffix] = accuracy.pairing
            figures["zeroShotColour" + suffix] = accuracy.colour
            figures["zeroShotShape" + suffix] = accuracy.shape
            figures["zeroShotShapeFromShapePrompts" + suffix] = accuracy.shapeFromShapePrompts
        }
        try RunReport(configuration: reportConfiguration(splits), results: ["clip": RunResult(figures: figures, epochs: records)],
                      seconds: seconds).write(to: options.report)
        try TrainingCurves.write([("clip", records)], title: "clip-train: contrastive loss (symmetric InfoNCE)", to: options.curvesPath)
        let mapRows = Array(seenRows.prefix(Self.heatMapRows) + unseenRows.prefix(Self.heatMapRows))
        try SimilarityHeatMap.write(
            title: "clip-train: cosine similarity of test images (rows; seen pairings, then held-out) with their first captions",
            images: test.images(mapRows), texts: mapRows.map { firstCaptions[$0].joined(separator: " ") },
            similarities: Tensor.matmul(images.indexSelect(axis: 0, indices: mapRows), texts.indexSelect(axis: 0, indices: mapRows),
                                        transposeB: true),
            to: options.heatMapPath)
        print(String(format: "\n%.1f s; report: %@, curves: %@, heat map: %@", seconds, options.report, options.curvesPath, options.heatMapPath))
    }

    /// A CLIP of `--width` over the shape scenes: a ViT over 8×8 patches of the 64×64 images
    /// (`--vision-layers`) and a causal text transformer over the grammar's words
    /// (`--text-layers`), both of 4 heads and an MLP of 4 × width, projected to a joint space of
    /// the same width.
    func modelConfiguration() -> CLIPConfiguration {
        func encoder(_ layers: Int) -> CLIPEncoderConfiguration {
            CLIPEncoderConfiguration(hiddenSize: options.width, intermediateSize: 4 * options.width, layerCount: layers, headCount: 4)
        }
        return CLIPConfiguration(
            text: CLIPTextConfiguration(
                vocabularySize: vocabulary.count, contextLength: Self.textLength, encoder: encoder(options.textLayers),
                paddingToken: ShapeSceneVocabulary.padID, beginningOfTextToken: ShapeSceneVocabulary.beginID,
                endOfTextToken: ShapeSceneVocabulary.endID),
            vision: CLIPVisionConfiguration(imageSize: ShapeScene.side, patchSize: 8, encoder: encoder(options.visionLayers)),
            projectionDimension: options.width)
    }

    /// Trains `model` with AdamW (weight decay 0.1) on a linear warm-up over the first 5% of steps
    /// and a cosine decay to 1% of the peak, gradients clipped to norm 1, the logit scale clamped
    /// at 100 after every step. Each step pairs a batch of scenes with one reference caption each,
    /// drawn afresh every time; with probability `--colour-dropout` the caption loses its colour
    /// words and the image its colours (grey, as SimCLR's colour augmentation), so that shape is
    /// learned apart from colour. The validation loss pairs each validation scene with its first.
    func fit(_ model: CLIPModel, train: ShapeSceneDataset, validation: ShapeSceneDataset) throws -> (records: [EpochRecord], seconds: Double) {
        let start = Date()
        let loader = DataLoader(count: train.count, batchSize: options.batchSize, seed: options.seed)
        let trainer = Trainer(
            model: model,
            optimizer: Adam.adamW(parameters: model.parameters(), learningRate: options.learningRate, weightDecay: 0.1),
            loader: loader)
        let steps = options.epochs * loader.batchCount
        trainer.schedule = CosineWithWarmup(
            peak: options.learningRate, warmupSteps: steps / 20, totalSteps: max(steps, 1), minimum: options.learningRate / 100)
        trainer.maxGradientNorm = 1
        let logger = try options.log.map { try JSONLinesLogger(path: $0) }
        logger?.run = "clip"
        trainer.observers = [LogitScaleClamp(model.logitScale)] + (logger.map { [$0] } ?? [])
        var captionGenerator = RandomGenerator(seed: options.seed &+ 2)
        let records = try trainer.fit(epochs: options.epochs, validate: {
            model.eval()
            var total: Double = 0
            for rows in DataLoader(count: validation.count, batchSize: options.batchSize, shuffle: false, seed: 0) {
                let loss = withoutGradients { contrastiveLoss(model, validation, rows, captions: rows.map { validation.references[$0][0] }) }
                total += Double(loss.value.scalar) * Double(rows.count)
            }
            return (Float(total / Double(validation.count)), nil)
        }, loss: { rows in
            var (captions, colourFree): ([[String]], [Int]) = ([], [])
            for (index, row) in rows.enumerated() {
                let caption = train.references[row][Int(captionGenerator.next() % UInt64(train.references[row].count))]
                let dropsColour = captionGenerator.nextUniform() < options.colourDropout
                captions.append(dropsColour ? ShapeSceneGrammar.withoutColours(caption) : caption)
                if dropsColour { colourFree.append(index) }
            }
            let images = Greyscale.apply(to: train.images(rows), at: colourFree)
            return model.contrastiveLoss(images: Variable(pixels(images)), texts: tokens(captions))
        })
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "clip: final training loss %.4f, validation loss %.4f, logit scale %.1f (%.1f s)",
                     records.last!.trainingLoss, records.last!.validationLoss!, model.logitScale.scale, seconds))
        return (records, seconds)
    }

    func contrastiveLoss(_ model: CLIPModel, _ data: ShapeSceneDataset, _ rows: [Int], captions: [[String]]) -> Variable {
        model.contrastiveLoss(images: Variable(pixels(data.images(rows))), texts: tokens(captions))
    }

    /// Images in 0…1 centred to −2…2 (mean 0.5, standard deviation 0.25 per channel).
    func pixels(_ images: Tensor) -> Tensor { (images - 0.5) * 4 }

    /// Token rows `<bos> words <eos> <pad>…` `[N, textLength]`. No padding mask is needed: each
    /// text is pooled at its `<eos>`, which the causal mask keeps from the padding after it.
    func tokens(_ captions: [[String]]) -> IntTensor { vocabulary.encode(captions, length: Self.textLength) }

    /// The normalised image embeddings `[N, P]` of every scene of `data`.
    func embedImages(_ model: CLIPModel, _ data: ShapeSceneDataset) -> Tensor {
        CLIPEmbedder.embed(count: data.count, batchSize: Self.evaluationBatch) { range in
            model.imageFeatures(Variable(pixels(data.images(Array(range)))))
        }
    }

    /// The normalised text embeddings `[N, P]` of `captions`.
    func embedTexts(_ model: CLIPModel, _ captions: [[String]]) -> Tensor {
        CLIPEmbedder.embed(count: captions.count, batchSize: Self.evaluationBatch) { range in
            model.textFeatures(tokens(Array(captions[range])))
        }
    }

    func retrievalTable(imageToText: [Int: Float], textToImage: [Int: Float], count: Int) -> String {
        let header = "| | " + Self.recallKs.map { "image → text R@\($0)" }.joined(separator: " | ") + " | "
            + Self.recallKs.map { "text → image R@\($0)" }.joined(separator: " | ") + " |"
        let rule = "| --- |" + String(repeating: " ---: |", count: 2 * Self.recallKs.count)
        let row = { (name: String, values: [Double]) in "| \(name) | " + values.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |" }
        return [header, rule,
                row("CLIP", Self.recallKs.map { Double(imageToText[$0]!) } + Self.recallKs.map { Double(textToImage[$0]!) }),
                row("chance", (Self.recallKs + Self.recallKs).map { Double($0) / Double(count) })].joined(separator: "\n")
    }

    /// The run's settings for the report.
    func reportConfiguration(_ splits: ShapeSceneSplits) -> [String: String] {
        splits.reportEntries.merging([
            "epochs": "\(options.epochs)", "batchSize": "\(options.batchSize)", "learningRate": "\(options.learningRate)",
            "width": "\(options.width)", "visionLayers": "\(options.visionLayers)", "textLayers": "\(options.textLayers)",
            "colourDropout": "\(options.colourDropout)", "seed": "\(options.seed)", "templates": Self.templates.joined(separator: " | "),
        ]) { a, _ in a }
    }
}

/// Clamps a CLIP logit scale at 100 after every optimiser step, as CLIP's training does.
final class LogitScaleClamp: TrainingObserver {
    let temperature: LearnableTemperature

    init(_ temperature: LearnableTemperature) { self.temperature = temperature }

    func trainerDidFinishStep(_ record: StepRecord) throws { temperature.clampToMaximumScale() }
}
