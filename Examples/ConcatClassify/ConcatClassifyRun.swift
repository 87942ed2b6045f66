import Braid
import BraidDistributed
import ExampleSupport
import Foundation

/// One run of the example: data split by source image into training, validation and test sets,
/// three models (fused, text only, image only) each trained with per-epoch validation, then the
/// report (figures, per-class scores, confusion matrices, curves) and its SVG of all three runs.
/// With `--distributed`, one rank of data-parallel training.
struct ConcatClassifyRun {
    let options: ConcatClassifyOptions

    func run() throws {
        let start = Date()
        let group = options.distributed ? try ProcessGroup.world() : nil
        let isPrimary = (group?.rank ?? 0) == 0
        func print(_ line: String) { if isPrimary { Swift.print(line) } }
        var generator = RandomGenerator(seed: options.seed)
        let digits = try DigitsDataset.load()
        let order = Array(0..<digits.labels.count).shuffled(using: &generator)
        // A fifth of the source images for testing, a tenth of the rest for validation.
        let testCount = digits.labels.count / 5
        let validationCount = (digits.labels.count - testCount) / 10
        let train = CaptionedDigits(
            source: digits, sourceIndices: Array(order[(testCount + validationCount)...]), variants: 2, generator: &generator)
        let validation = CaptionedDigits(
            source: digits, sourceIndices: Array(order[testCount..<(testCount + validationCount)]), variants: 1, generator: &generator)
        let test = CaptionedDigits(source: digits, sourceIndices: Array(order[..<testCount]), variants: 1, generator: &generator)
        let vocabulary = CaptionVocabulary(captions: train.captions + validation.captions + test.captions)
        let classCount = options.task == .digit ? 10 : 2
        let labels = { (data: CaptionedDigits) in data.digits.map { options.task == .digit ? $0 : ($0 >= 5 ? 1 : 0) } }
        print("captioned digits: \(train.digits.count) training, \(validation.digits.count) validation and "
              + "\(test.digits.count) test examples, "
              + "task \(options.task.rawValue) (\(classCount) classes), fusion \(options.fusion.rawValue)"
              + (group.map { ", \($0.size) ranks × batches of \(options.training.batchSize)" } ?? ""))

        // Loaded (and checked) once here, so a bad folder stops the run before any training.
        let pretrained = try options.modelFolder.map { folder in
            (tokenizer: try TextEncoder.loadWithTokenizer(directory: folder).tokenizer, folder: folder)
        }
        func makeText() throws -> TextEncoder {
            if let pretrained {
                let encoder = try TextEncoder.load(directory: pretrained.folder, pooling: .cls, normalizesPooledFeatures: false)
                encoder.train()
                return encoder
            }
            var textGenerator = RandomGenerator(seed: options.seed &+ 1)
            return TextEncoder(
                BertConfiguration(vocabularySize: vocabulary.count, hiddenSize: 64, layerCount: 2, headCount: 4,
                                  intermediateSize: 128, maximumPositions: 16),
                pooling: .cls, generator: &textGenerator)
        }
        func batch(_ data: CaptionedDigits, _ rows: [Int]) -> (Variable, TokenizedBatch) {
            let captions = rows.map { data.captions[$0] }
            let tokens = pretrained.map { $0.tokenizer.encodeBatch(captions.map { $0.joined(separator: " ") }) }
                ?? vocabulary.batch(captions)
            return (Variable(data.images.indexSelect(axis: 0, indices: rows)), tokens)
        }

        var results: [String: RunResult] = [:]
        var curves: [(label: String, records: [EpochRecord])] = []
        let logger = isPrimary ? try options.training.makeLogger(appending: options.resume != nil) : nil
        let shard = group.map { DataShard(rank: $0.rank, count: $0.size) }
        for (name, inputs) in [("fused", ClassifierInputs.both), ("textOnly", .textOnly), ("imageOnly", .imageOnly)] {
            var modelGenerator = RandomGenerator(seed: options.seed &+ 2)
            let model = try MultimodalClassifier(
                inputs: inputs, fusion: options.fusion, makeText: makeText, classCount: classCount, generator: &modelGenerator)
            let trainer = Trainer(
                model: model, optimizer: Adam(parameters: model.parameters(), learningRate: options.training.learningRate),
                loader: DataLoader(count: train.digits.count, batchSize: options.training.batchSize, shard: shard, seed: options.seed),
                checkpointPath: name == "fused" ? options.save : nil)
            trainer.dataParallel = try group.map { try DistributedDataParallel(model, group: $0) }
            model.synchronizeBatchStatistics(with: group)
            if name == "fused", let resume = options.resume {
                try trainer.resume(from: resume)
                print("resumed \(name) from \(resume) after epoch \(trainer.nextEpoch)")
            }
            logger?.run = name
            trainer.observers = logger.map { [$0] } ?? []
            print("training \(name)")
            let trainLabels = labels(train)
            func logits(_ data: CaptionedDigits) -> ([Int]) throws -> Variable {
                { rows in
                    let (images, captions) = batch(data, rows)
                    return try model(images: images, captions: captions)
                }
            }
            let records = try trainer.fit(epochs: options.training.epochs, validate: {
                try trainer.validateClassifier(labels: labels(validation), logits: logits(validation))
            }) { rows in
                crossEntropy(logits: try logits(train)(rows), targets: IntTensor(rows.map { trainLabels[$0] }))
            }
            curves.append((name, records))
            let metrics = try trainer.evaluate(labels: labels(test), classCount: classCount, logits: logits(test))
            results[name] = RunResult(metrics, epochs: records)
            print(name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " test accuracy %.3f  precision %.3f  recall %.3f  F1 %.3f",
                         metrics.accuracy, metrics.macroPrecision, metrics.macroRecall, metrics.macroF1))
        }
        let seconds = Date().timeIntervalSince(start)
        let gain = (results["fused"]!["accuracy"]! - max(results["textOnly"]!["accuracy"]!, results["imageOnly"]!["accuracy"]!)) * 100
        print(String(format: "fusion gain over the better single modality: %+.1f accuracy points; %.1f s", gain, seconds))
        let configuration = [
            "epochs": "\(options.training.epochs)", "batchSize": "\(options.training.batchSize)", "learningRate": "\(options.training.learningRate)",
            "seed": "\(options.seed)", "task": options.task.rawValue, "fusion": options.fusion.rawValue,
            "textEncoder": options.textEncoder.rawValue, "ranks": "\(group?.size ?? 1)",
        ]
        guard isPrimary else { return }
        try RunReport(configuration: configuration, results: results, seconds: seconds).write(to: options.report)
        try TrainingCurves.write(curves, title: "concat-classify: \(options.fusion.rawValue) fusion and single modalities",
                                 to: URL(fileURLWithPath: options.report).deletingPathExtension().appendingPathExtension("svg").path)
        print("report: \(options.report)")
    }
}
