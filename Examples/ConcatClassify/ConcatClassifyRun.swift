import Braid
import ExampleSupport
import Foundation

/// One run of the example: data, three models (fused, text only, image only), report.
struct ConcatClassifyRun {
    let options: ConcatClassifyOptions

    func run() throws {
        let start = Date()
        var generator = RandomGenerator(seed: options.seed)
        let digits = try DigitsDataset.load()
        let order = Array(0..<digits.labels.count).shuffled(using: &generator)
        let testCount = digits.labels.count / 5
        let train = CaptionedDigits(source: digits, sourceIndices: Array(order[testCount...]), variants: 2, generator: &generator)
        let test = CaptionedDigits(source: digits, sourceIndices: Array(order[..<testCount]), variants: 1, generator: &generator)
        let vocabulary = CaptionVocabulary(captions: train.captions + test.captions)
        let classCount = options.task == .digit ? 10 : 2
        let labels = { (data: CaptionedDigits) in data.digits.map { options.task == .digit ? $0 : ($0 >= 5 ? 1 : 0) } }
        print("captioned digits: \(train.digits.count) training and \(test.digits.count) test examples, "
              + "task \(options.task.rawValue) (\(classCount) classes), fusion \(options.fusion.rawValue)")

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

        var results: [String: [String: Double]] = [:]
        var history: [EpochRecord] = []
        for (name, inputs) in [("fused", Inputs.both), ("textOnly", .textOnly), ("imageOnly", .imageOnly)] {
            var modelGenerator = RandomGenerator(seed: options.seed &+ 2)
            let model = try MultimodalClassifier(
                inputs: inputs, fusion: options.fusion, makeText: makeText, classCount: classCount, generator: &modelGenerator)
            let trainer = Trainer(
                model: model, optimizer: Adam(parameters: model.parameters(), learningRate: options.training.learningRate),
                loader: DataLoader(count: train.digits.count, batchSize: options.training.batchSize, seed: options.seed),
                checkpointPath: name == "fused" ? options.save : nil)
            if name == "fused", let resume = options.resume {
                try trainer.resume(from: resume)
                print("resumed \(name) from \(resume) after epoch \(trainer.nextEpoch)")
            }
            print("training \(name)")
            let trainLabels = labels(train)
            let records = try trainer.fit(epochs: options.training.epochs) { rows in
                let (images, captions) = batch(train, rows)
                return crossEntropy(logits: try model(images: images, captions: captions), targets: IntTensor(rows.map { trainLabels[$0] }))
            }
            if name == "fused" { history = records }
            let metrics = try trainer.evaluate(labels: labels(test), classCount: classCount) { rows in
                let (images, captions) = batch(test, rows)
                return try model(images: images, captions: captions)
            }
            results[name] = RunReport.summary(metrics)
            print(name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: " test accuracy %.3f  precision %.3f  recall %.3f  F1 %.3f",
                         metrics.accuracy, metrics.macroPrecision, metrics.macroRecall, metrics.macroF1))
        }
        let seconds = Date().timeIntervalSince(start)
        let gain = (results["fused"]!["accuracy"]! - max(results["textOnly"]!["accuracy"]!, results["imageOnly"]!["accuracy"]!)) * 100
        print(String(format: "fusion gain over the better single modality: %+.1f accuracy points; %.1f s", gain, seconds))
        let configuration = [
            "epochs": "\(options.training.epochs)", "batchSize": "\(options.training.batchSize)", "learningRate": "\(options.training.learningRate)",
            "seed": "\(options.seed)", "task": options.task.rawValue, "fusion": options.fusion.rawValue,
            "textEncoder": options.textEncoder.rawValue,
        ]
        try RunReport(configuration: configuration, epochs: history, results: results, seconds: seconds).write(to: options.report)
        try LossPlot.write(history, title: "concat-classify (\(options.fusion.rawValue) fusion)",
                           to: URL(fileURLWithPath: options.report).deletingPathExtension().appendingPathExtension("svg").path)
        print("report: \(options.report)")
    }
}
