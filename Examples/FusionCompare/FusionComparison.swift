import Braid
import BraidDistributed
import ExampleSupport
import Foundation

/// The whole comparison: data, a split by source image, every method over every seed, the table
/// and the report. With `--distributed`, one rank of data-parallel training of each model.
struct FusionComparison {
    let options: FusionCompareOptions

    /// One method's results over the seeds.
    struct MethodResult {
        var method: String
        var modalities: [Modality]
        var accuracies: [Double]
        var parameters: Int
        var seconds: [Double]
        /// Each seed's per-epoch records.
        var histories: [[EpochRecord]] = []

        /// The mean over seeds of each epoch's training loss and seconds.
        var meanHistory: [EpochRecord] {
            guard let first = histories.first else { return [] }
            return first.indices.map { epoch in
                let runs = histories.filter { $0.count > epoch }.map { $0[epoch] }
                return EpochRecord(
                    epoch: first[epoch].epoch, trainingLoss: runs.map(\.trainingLoss).reduce(0, +) / Float(runs.count),
                    seconds: runs.map(\.seconds).reduce(0, +) / Double(runs.count))
            }
        }
    }

    func run() throws {
        let start = Date()
        let group = options.distributed ? try ProcessGroup.world() : nil
        let isPrimary = (group?.rank ?? 0) == 0
        func print(_ line: String) { if isPrimary { Swift.print(line) } }
        guard FileManager.default.fileExists(atPath: options.data) else {
            throw ExampleError("\(options.data): no such file; build it first with `swift run -c release make-av-digits` "
                              + "(or run Scripts/fusion-compare, which does)")
        }
        let data = try AudioVisualDigits(contentsOf: options.data)
        let (train, test) = Self.split(data)
        guard train.count > 0, test.count > 0 else {
            throw ExampleError("\(options.data): \(Set(data.sources).count) source images are too few to hold out a fifth for testing")
        }
        let vocabulary = CaptionVocabulary(captions: data.captions)
        print("audio-visual-text digits: \(train.count) training and \(test.count) test examples "
              + "(split by source image), \(options.training.epochs) epochs, \(options.seeds) seeds"
              + (group.map { ", \($0.size) ranks × batches of \(options.training.batchSize)" } ?? ""))
        var results: [MethodResult] = []
        let logger = isPrimary ? try options.training.makeLogger() : nil
        let shard = group.map { DataShard(rank: $0.rank, count: $0.size) }
        for method in options.methods {
            let (modalities, fusion) = Self.parse(method)
            var result = MethodResult(method: method, modalities: modalities.sorted(), accuracies: [], parameters: 0, seconds: [])
            for seed in 1...UInt64(options.seeds) {
                let runStart = Date()
                let model = AudioVisualTextModel(
                    modalities: modalities, method: fusion, vocabularySize: vocabulary.count, sampleRate: data.sampleRate, seed: seed)
                let trainer = Trainer(
                    model: model, optimizer: Adam(parameters: model.parameters(), learningRate: options.training.learningRate),
                    loader: DataLoader(count: train.count, batchSize: options.training.batchSize, shard: shard, seed: seed),
                    showsProgress: false)
                if let group {
                    trainer.dataParallel = try DistributedDataParallel(model, group: group)
                    model.synchronizeBatchStatistics(with: group)
                }
                logger?.run = "\(method) seed \(seed)"
                trainer.observers = logger.map { [$0] } ?? []
                let records = try trainer.fit(epochs: options.training.epochs) { rows in
                    crossEntropy(logits: try model(Self.batch(train, rows, vocabulary)), targets: IntTensor(rows.map { train.digits[$0] }))
                }
                let metrics = try trainer.evaluate(labels: test.digits, classCount: 10) { rows in
                    try model(Self.batch(test, rows, vocabulary))
                }
                let accuracy = Double(metrics.accuracy)
                result.accuracies.append(accuracy)
                result.parameters = model.parameterCount
                result.seconds.append(Date().timeIntervalSince(runStart))
                result.histories.append(records)
                print(String(format: "%@ seed %d: final training loss %.4f, test accuracy %.3f (%.1f s)",
                             method, Int(seed), records.last!.trainingLoss, accuracy, result.seconds.last!))
                if let gates = try GateSummary(model: model, count: test.count, batch: { Self.batch(test, $0, vocabulary) }) {
                    print("  \(gates.description)")
                }
            }
            results.append(result)
        }
        let table = ResultsTable(results: results)
        print("")
        print(table.markdown())
        if let summary = table.fusionGain() { print(summary) }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "total %.1f s", seconds))
        guard isPrimary else { return }
        try report(results, seconds: seconds, ranks: group?.size ?? 1).write(to: options.report)
        let stem = URL(fileURLWithPath: options.report).deletingPathExtension()
        let bars = results.map { BarChart.Bar(label: $0.method, value: 100 * ResultsTable.mean($0.accuracies),
                                              spread: 100 * ResultsTable.standardDeviation($0.accuracies)) }
        try BarChart.write(bars, title: "fusion-compare: test accuracy over \(options.seeds) seeds (mean ± standard deviation)",
                           axisLabel: "test accuracy (%)", to: stem.appendingPathExtension("svg").path)
        try TrainingCurves.write(results.map { ($0.method, $0.meanHistory) },
                                 title: "fusion-compare: training loss, mean over \(options.seeds) seeds",
                                 to: stem.appendingPathExtension("curves.svg").path)
        print("report: \(options.report), with \(stem.lastPathComponent).svg (accuracy) and \(stem.lastPathComponent).curves.svg (loss)")
    }

    /// Test examples come from the sources of a fixed fifth of the UCI images (drawn with seed 0),
    /// so no test image was seen in training in any variant.
    static func split(_ data: AudioVisualDigits) -> (train: AudioVisualDigits, test: AudioVisualDigits) {
        var generator = RandomGenerator(seed: 0)
        let sources = Set(data.sources).sorted().shuffled(using: &generator)
        let testSources = Set(sources.prefix(sources.count / 5))
        let rows = Array(0..<data.count)
        return (data.subset(rows.filter { !testSources.contains(data.sources[$0]) }),
                data.subset(rows.filter { testSources.contains(data.sources[$0]) }))
    }

    /// The modalities and fusion head of a method name (`audio-only`, or a head over all three).
    static func parse(_ method: String) -> (Set<Modality>, FusionMethod) {
        if method.hasSuffix("-only"), let modality = Modality(rawValue: String(method.dropLast(5))) { return ([modality], .early) }
        return (Set(Modality.allCases), FusionMethod(rawValue: method)!)
    }

    /// The inputs of `rows`.
    static func batch(_ data: AudioVisualDigits, _ rows: [Int], _ vocabulary: CaptionVocabulary) -> ModalityBatch {
        ModalityBatch(
            images: Variable(data.images.indexSelect(axis: 0, indices: rows)),
            captions: vocabulary.batch(rows.map { data.captions[$0] }),
            audio: AudioBatch(samples: data.audio.indexSelect(axis: 0, indices: rows)))
    }

    /// The JSON report: the options, and per method the accuracy of every seed, their mean and
    /// standard deviation, the parameter count, the mean training seconds and the mean curve; the
    /// options and the number of ranks.
    func report(_ results: [MethodResult], seconds: Double, ranks: Int) -> RunReport {
        var entries: [String: RunResult] = [:]
        for result in results {
            var entry = ["accuracyMean": ResultsTable.mean(result.accuracies), "accuracyStd": ResultsTable.standardDeviation(result.accuracies),
                         "parameters": Double(result.parameters), "seconds": ResultsTable.mean(result.seconds)]
            for (index, accuracy) in result.accuracies.enumerated() { entry["accuracySeed\(index + 1)"] = accuracy }
            entries[result.method] = RunResult(figures: entry, epochs: result.meanHistory)
        }
        let configuration = [
            "data": options.data, "epochs": "\(options.training.epochs)", "batchSize": "\(options.training.batchSize)",
            "learningRate": "\(options.training.learningRate)", "seeds": "\(options.seeds)", "ranks": "\(ranks)",
        ]
        return RunReport(configuration: configuration, results: entries, seconds: seconds)
    }
}
