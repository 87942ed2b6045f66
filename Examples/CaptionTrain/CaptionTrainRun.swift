import Braid
import ExampleSupport
import Foundation

/// One run of caption-train: the shape-scene splits, the captioner and the unconditional
/// baseline trained the same way, the test split captioned by each and by nearest-neighbour
/// retrieval, then the tables, sample captions, the report, the curves and the contact sheet.
struct CaptionTrainRun {
    let options: CaptionTrainOptions
    let vocabulary = ShapeSceneVocabulary()

    /// The length of every caption row: `<bos>`, up to the grammar's longest caption, `<eos>`;
    /// also the decoders' context.
    static let captionLength = ShapeSceneGrammar.maximumLength + 2
    /// Scenes per batch when encoding or captioning without gradients.
    static let evaluationBatch = 250
    /// Scenes per batch of the relation probe (each brings up to 66 captions).
    static let probeBatch = 100

    func run() throws {
        let start = Date()
        let splits = options.scenes.splits(seed: options.seed)
        let (train, validation, test) = (splits.train, splits.validation, splits.test)
        let (seenRows, unseenRows) = (splits.seenTestRows, test.heldOutRows)
        print(splits.summary(tokens: vocabulary.count))

        var generator = RandomGenerator(seed: options.seed &+ 1)
        var shape = ImageCaptionerConfiguration.small(vocabularySize: vocabulary.count, contextLength: Self.captionLength)
        shape.decoder.layerCount = options.decoderLayers
        shape.groundingLayer = options.groundingWeight > 0 ? 0 : nil
        let captioner = ImageCaptioner(shape, generator: &generator)
        let unconditional = UnconditionalCaptioner(captioner.configuration.decoder, generator: &generator)
        let logger = try options.log.map { try JSONLinesLogger(path: $0) }
        // A batch of scenes brings all their references: the captions `[K, L]` (padded to the
        // batch's longest) and, for each, the row within the batch of the scene it describes.
        func references(_ data: ShapeSceneDataset, _ rows: [Int]) -> [(scene: Int, words: [String])] {
            rows.indices.flatMap { i in data.references[rows[i]].map { (i, $0) } }
        }
        func captions(_ data: ShapeSceneDataset, _ rows: [Int]) -> (ids: IntTensor, scenes: [Int]) {
            let pairs = references(data, rows)
            return (vocabulary.encode(pairs.map(\.words)), pairs.map(\.scene))
        }
        // The grounding targets of those captions: at the colour and the shape word of each object
        // named, its centre; at the shape word also the centre of the object named next (token
        // position = word index + 1, after `<bos>`).
        func mentions(_ data: ShapeSceneDataset, _ rows: [Int]) -> [CaptionObjectMention] {
            references(data, rows).enumerated().flatMap { caption, reference in
                let scene = data.scenes[rows[reference.scene]]
                let named = scene.mentions(in: reference.words)
                return named.indices.flatMap { m in
                    let (x, y) = scene.normalisedCentre(of: named[m].object)
                    var targets = [named[m].shapeWord, named[m].colourWord].map {
                        CaptionObjectMention(caption: caption, position: $0 + 1, x: x, y: y)
                    }
                    if m + 1 < named.count {
                        let (nextX, nextY) = scene.normalisedCentre(of: named[m + 1].object)
                        targets.append(
                            CaptionObjectMention(caption: caption, position: named[m].shapeWord + 1, x: nextX, y: nextY, subject: .next))
                    }
                    return targets
                }
            }
        }
        let pad = ShapeSceneVocabulary.padID
        print("training the captioner (\(captioner.parameterCount.formatted()) parameters)")
        let captionerRun = try fit(captioner, name: "captioner", epochs: options.epochs, logger: logger, validationCount: validation.count) { rows in
            let (ids, scenes) = captions(train, rows)
            guard captioner.groundingHead != nil else {
                return captioner.loss(images: Variable(train.images(rows)), captions: ids, imageIndices: scenes, paddingID: pad,
                                      labelSmoothing: options.labelSmoothing)
            }
            let (caption, grounding) = captioner.groundedLoss(
                images: Variable(train.images(rows)), captions: ids, imageIndices: scenes, paddingID: pad,
                labelSmoothing: options.labelSmoothing, mentions: mentions(train, rows))
            return caption + grounding * options.groundingWeight
        } validationLoss: { rows in
            let (ids, scenes) = captions(validation, rows)
            return captioner.loss(images: Variable(validation.images(rows)), captions: ids, imageIndices: scenes, paddingID: pad)
        }
        print("training the unconditional language model (\(unconditional.parameterCount.formatted()) parameters)")
        let unconditionalRun = try fit(
            unconditional, name: "unconditional", epochs: options.baselineEpochs, logger: logger, validationCount: validation.count
        ) { rows in
            unconditional.loss(captions: captions(train, rows).ids, paddingID: pad, labelSmoothing: options.labelSmoothing)
        } validationLoss: { rows in
            unconditional.loss(captions: captions(validation, rows).ids, paddingID: pad, labelSmoothing: 0)
        }

        captioner.eval()
        unconditional.eval()
        let decodeStart = Date()
        let generated = try decode(count: test.count) { rows in captioner.conditioned(on: test.images(rows)) }
        let unconditionalCaptions = try decode(count: test.count) { rows in unconditional.conditioned(count: rows.count) }
        let retrieval = NearestNeighbourCaptions(features: pooledFeatures(captioner, train), captions: train.references.map { $0[0] })
        let retrieved = retrieval.captions(for: pooledFeatures(captioner, test))
        print(String(format: "captioned %d test scenes with each system in %.1f s", test.count, Date().timeIntervalSince(decodeStart)))
        // The relation probe of each model that can score captions, on each part of the test split.
        let probes = [seenRows, unseenRows].map { rows in
            (captioner: relationProbe(captioner.decoder, test, rows) { captioner.conditioned(on: test.images($0)).memory },
             unconditional: relationProbe(unconditional.decoder, test, rows) { unconditional.conditioned(count: $0.count).memory })
        }

        let systems = [
            System(name: "captioner", key: "captioner", captions: generated, parameters: captioner.parameterCount, run: captionerRun),
            System(name: "unconditional", key: "unconditional", captions: unconditionalCaptions,
                   parameters: unconditional.parameterCount, run: unconditionalRun),
            System(name: "nearest neighbour", key: "nearestNeighbour", captions: retrieved),
        ]
        typealias Probe = (accuracy: Double, axis: Double)
        func scores(_ rows: [Int], probe: (captioner: Probe, unconditional: Probe)) -> [(name: String, scores: CaptionScores)] {
            zip(systems, [probe.captioner, probe.unconditional, nil]).map { system, probe in
                (system.name, CaptionScores(candidates: rows.map { system.captions[$0] }, rows: rows, of: test, relationProbe: probe))
            }
        }
        let (seen, unseen) = (scores(seenRows, probe: probes[0]), scores(unseenRows, probe: probes[1]))
        print("\ntest scenes with seen pairings only (\(seenRows.count)):\n" + CaptionScores.table(seen))
        print("\ntest scenes with a held-out pairing (\(unseenRows.count)):\n" + CaptionScores.table(unseen))
        for (part, rows) in [("seen", seenRows), ("held-out", unseenRows)] {
            for row in rows.prefix(3) {
                print("\ntest scene \(row) (\(part) pairings):")
                for system in systems {
                    print("  " + system.name.padding(toLength: 19, withPad: " ", startingAt: 0) + system.captions[row].joined(separator: " "))
                }
                print("  references         " + test.references[row].map { $0.joined(separator: " ") }.joined(separator: " | "))
            }
        }
        let (ours, language, nearest) = (unseen[0].scores.cider, unseen[1].scores.cider, unseen[2].scores.cider)
        print(String(format: "\nheld-out pairings: captioner CIDEr-D %.3f, %.1f× the unconditional model's (%.3f), %+.3f over nearest neighbour (%.3f)",
                     ours, ours / max(language, 1e-12), language, ours - nearest, nearest))

        let seconds = Date().timeIntervalSince(start)
        var results: [String: RunResult] = [:]
        for (index, system) in systems.enumerated() {
            var figures = seen[index].scores.figures(suffix: "Seen").merging(unseen[index].scores.figures(suffix: "Unseen")) { a, _ in a }
            if let run = system.run {
                figures["parameters"] = Double(system.parameters!)
                figures["trainingSeconds"] = run.seconds
            }
            results[system.key] = RunResult(figures: figures, epochs: system.run?.records)
        }
        try RunReport(configuration: reportConfiguration(splits), results: results, seconds: seconds).write(to: options.report)
        try TrainingCurves.write([("captioner", captionerRun.records), ("unconditional", unconditionalRun.records)],
                                 title: "caption-train: teacher-forced loss of the captioner and the unconditional model",
                                 to: options.curvesPath)
        let sheetRows = Array(seenRows.prefix(10) + unseenRows.prefix(10))
        try ContactSheet.write(
            title: "caption-train: test scenes, seen pairings (first rows) and held-out (last rows): captioner, nearest neighbour, a reference",
            images: test.images(sheetRows),
            lines: sheetRows.map { row in
                [generated[row].joined(separator: " "), "nearest: " + retrieved[row].joined(separator: " "),
                 "reference: " + test.references[row][0].joined(separator: " ")]
            }, to: options.sheetPath)
        print(String(format: "%.1f s; report: %@, curves: %@, contact sheet: %@", seconds, options.report, options.curvesPath, options.sheetPath))
    }

    /// One captioning system of the comparison.
    struct System {
        /// Its name in the tables.
        var name: String
        /// Its name in the report.
        var key: String
        /// Its caption of every test scene.
        var captions: [[String]]
        /// The parameters and the training run of a trained model; `nil` for retrieval.
        var parameters: Int? = nil
        var run: (records: [EpochRecord], seconds: Double)? = nil
    }

    /// Trains `model` for `epochs` on the training scenes with AdamW (weight decay 0.01) on a
    /// linear warm-up over the first 5% of steps and a cosine decay to 1% of the peak, gradients
    /// clipped to norm 1, validating the teacher-forced loss (no label smoothing) on
    /// `validationCount` scenes after every epoch.
    func fit(
        _ model: Module, name: String, epochs: Int, logger: JSONLinesLogger?, validationCount: Int, loss: ([Int]) -> Variable,
        validationLoss: @escaping ([Int]) -> Variable
    ) throws -> (records: [EpochRecord], seconds: Double) {
        let start = Date()
        let learningRate = options.learningRate
        let loader = DataLoader(count: options.scenes.trainScenes, batchSize: options.batchSize, seed: options.seed)
        let trainer = Trainer(
            model: model, optimizer: Adam.adamW(parameters: model.parameters(), learningRate: learningRate, weightDecay: 0.01),
            loader: loader)
        let steps = epochs * loader.batchCount
        trainer.schedule = CosineWithWarmup(peak: learningRate, warmupSteps: steps / 20, totalSteps: max(steps, 1), minimum: learningRate / 100)
        trainer.maxGradientNorm = 1
        logger?.run = name
        trainer.observers = logger.map { [$0] } ?? []
        let records = try trainer.fit(epochs: epochs, validate: {
            model.eval()
            var total: Double = 0
            for rows in DataLoader(count: validationCount, batchSize: Self.evaluationBatch, shuffle: false, seed: 0) {
                total += Double(withoutGradients { validationLoss(rows) }.value.scalar) * Double(rows.count)
            }
            return (Float(total / Double(validationCount)), nil)
        }, loss: loss)
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "%@: final training loss %.4f, validation loss %.4f (%.1f s)", name,
                     records.last!.trainingLoss, records.last!.validationLoss!, seconds))
        return (records, seconds)
    }

    /// Captions for `count` scenes: `<bos>`-prompted beam search (greedy decoding with one beam)
    /// over the model that `condition` gives for each batch of rows, up to `<eos>`.
    func decode(count: Int, condition: ([Int]) -> ConditionedDecoder) throws -> [[String]] {
        let generation = GenerationConfiguration(
            maxNewTokens: ShapeSceneGrammar.maximumLength + 1, stopTokens: [ShapeSceneVocabulary.endID],
            paddingToken: ShapeSceneVocabulary.padID)
        var captions: [[String]] = []
        for rows in DataLoader(count: count, batchSize: Self.evaluationBatch, shuffle: false, seed: 0) {
            let model = condition(rows)
            let prompts = rows.map { _ in [ShapeSceneVocabulary.beginID] }
            let tokens = options.beams == 1
                ? try generate(model, prompts: prompts, configuration: generation)
                : try beamSearch(model, prompts: prompts, configuration: generation, options: BeamSearch(beams: options.beams)).map { $0[0].tokens }
            captions += tokens.map { vocabulary.decode($0) }
        }
        return captions
    }

    /// The accuracy and axis accuracy of `decoder`'s ``SceneRelationProbe`` on the scenes at `rows` of `data`, the
    /// image of each batch of rows given by `memory`: every question's captions (without `<eos>`)
    /// scored by their log-likelihood, ``probeBatch`` scenes at a time.
    func relationProbe(
        _ decoder: CaptionDecoder, _ data: ShapeSceneDataset, _ rows: [Int], memory: ([Int]) -> Variable
    ) -> (accuracy: Double, axis: Double) {
        let probe = SceneRelationProbe(scenes: rows.map { data.scenes[$0] }) { captions, sceneIndices in
            var scores: [Double] = []
            var start = 0
            while start < captions.count {
                // The captions of the next `probeBatch` scenes (questions come in scene order).
                let first = sceneIndices[start]
                let end = sceneIndices[start...].firstIndex { $0 >= first + Self.probeBatch } ?? captions.count
                var ids = vocabulary.encode(Array(captions[start..<end])).scalars
                for i in ids.indices where ids[i] == ShapeSceneVocabulary.endID { ids[i] = ShapeSceneVocabulary.padID }
                let batchMemory = withoutGradients { memory((first...sceneIndices[end - 1]).map { rows[$0] }) }
                scores += decoder.logLikelihoods(
                    IntTensor(shape: [end - start, ids.count / (end - start)], scalars: ids), memory: batchMemory,
                    memoryIndices: sceneIndices[start..<end].map { $0 - first }, paddingID: ShapeSceneVocabulary.padID)
                start = end
            }
            return scores
        }
        return (probe.accuracy, probe.axisAccuracy)
    }

    /// The captioner's pooled image features `[N, C]` of every scene of `data`, without gradients.
    func pooledFeatures(_ captioner: ImageCaptioner, _ data: ShapeSceneDataset) -> Tensor {
        let batches = DataLoader(count: data.count, batchSize: Self.evaluationBatch, shuffle: false, seed: 0).map { rows in
            withoutGradients { captioner.encode(Variable(data.images(rows))).pooled.value }
        }
        return Tensor.concat(batches)
    }

    /// The run's settings for the report.
    func reportConfiguration(_ splits: ShapeSceneSplits) -> [String: String] {
        splits.reportEntries.merging([
            "epochs": "\(options.epochs)", "baselineEpochs": "\(options.baselineEpochs)", "batchSize": "\(options.batchSize)",
            "learningRate": "\(options.learningRate)", "seed": "\(options.seed)", "beams": "\(options.beams)",
            "labelSmoothing": "\(options.labelSmoothing)", "decoderLayers": "\(options.decoderLayers)",
            "groundingWeight": "\(options.groundingWeight)",
        ]) { a, _ in a }
    }
}
