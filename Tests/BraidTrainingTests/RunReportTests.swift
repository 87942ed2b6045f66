import BraidData
import BraidTraining
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("braid-\(UUID().uuidString)-\(name)").path
}

private let sampleEpochs = [
    EpochRecord(epoch: 0, trainingLoss: 1.25, validationLoss: 1.5, validationAccuracy: 0.5, seconds: 2),
    EpochRecord(epoch: 1, trainingLoss: 0.75, validationLoss: 1.0, validationAccuracy: 0.625, seconds: 2.5),
]

@Suite struct RunReportTests {
    @Test func writesResultsAtTheTopLevelAndReadsThemBack() throws {
        let metrics = ClassificationMetrics(predictions: [0, 1, 1, 0, 2], labels: [0, 1, 0, 0, 2], classCount: 3)
        let report = RunReport(configuration: ["learningRate": "0.001", "model": "fused"],
                               results: ["fused": RunResult(metrics, epochs: sampleEpochs), "textOnly": ["accuracy": 0.5]],
                               seconds: 4.5)
        let path = temporaryPath("report.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try report.write(to: path)

        let object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(Set(object.keys) == ["configuration", "fused", "seconds", "textOnly"])
        let fused = try #require(object["fused"] as? [String: Any])
        #expect(fused["accuracy"] as? Double == Double(metrics.accuracy))
        #expect(fused["confusionMatrix"] as? [[Int]] == [[2, 1, 0], [0, 1, 0], [0, 0, 1]])
        let perClass = try #require(fused["perClass"] as? [[String: Any]])
        #expect(perClass.count == 3)
        #expect(perClass[0]["recall"] as? Double == Double(metrics.recall[0]) && perClass[0]["support"] as? Int == 3)
        #expect(perClass[1]["precision"] as? Double == 0.5 && perClass[2]["f1"] as? Double == 1)
        #expect((fused["epochs"] as? [Any])?.count == 2)
        #expect((object["textOnly"] as? [String: Double])?["accuracy"] == 0.5)
        #expect(object["seconds"] as? Double == 4.5)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\n  \"configuration\" : {"))  // pretty-printed
        let order = ["\"configuration\"", "\"fused\"", "\"seconds\"", "\"textOnly\""]
            .map { text.range(of: "\n  " + $0 + " :")!.lowerBound }
        #expect(order == order.sorted())

        #expect(try RunReport(contentsOf: path) == report)
    }

    @Test func aClassificationResultHoldsTheMacroFiguresAndEveryClass() {
        let metrics = ClassificationMetrics(predictions: [0, 1, 1, 0], labels: [0, 1, 0, 0], classCount: 2)
        let result = RunResult(metrics)
        #expect(Set(result.figures.keys) == ["accuracy", "macroPrecision", "macroRecall", "macroF1"])
        #expect(result["accuracy"] == Double(metrics.accuracy))
        #expect(result["macroPrecision"] == Double(metrics.macroPrecision))
        #expect(result["macroRecall"] == Double(metrics.macroRecall))
        #expect(result["macroF1"] == Double(metrics.macroF1))
        #expect(result.perClass?.map(\.f1) == metrics.f1.map(Double.init))
        #expect(result.perClass?.map(\.support) == [3, 1])
        #expect(result.confusionMatrix == [[2, 1], [0, 1]])
        #expect(result.epochs == nil)
    }

    @Test func rejectsResultsAndFiguresNamedLikeReservedFields() {
        #expect(throws: EncodingError.self) { try RunReport(results: ["seconds": ["accuracy": 1]], seconds: 1).json() }
        #expect(throws: EncodingError.self) { try RunReport(results: ["fused": ["epochs": 1]], seconds: 1).json() }
    }

    @Test func roundTripsNonFiniteLossesAndReplacesFiles() throws {
        let epochs = [EpochRecord(epoch: 0, trainingLoss: .nan, validationLoss: .infinity, seconds: 1)]
        let report = RunReport(results: ["model": RunResult(figures: ["loss": -.infinity], epochs: epochs)], seconds: 1)
        let path = temporaryPath("nan.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RunReport(seconds: 99).write(to: path)
        try report.write(to: path)
        let read = try RunReport(contentsOf: path)
        #expect(read.seconds == 1)
        #expect(read.results["model"]?.epochs?.first?.trainingLoss.isNaN == true)
        #expect(read.results["model"]?.epochs?.first?.validationLoss == .infinity)
        #expect(read.results["model"]?["loss"] == -.infinity)
    }

    @Test func reportsAndChartsThatCannotBeWrittenThrowNamingTheFile() {
        let path = "/nonexistent-braid-folder/report.json"
        let error = #expect(throws: ReportWriteError.self) { try RunReport(seconds: 1).write(to: path) }
        #expect(error?.path == path)
        #expect(error?.description.hasPrefix("\(path): cannot write the report: cannot create") == true)
        #expect(throws: ReportWriteError.self) {
            try TrainingCurves.write([("run", sampleEpochs)], title: "run", to: "/nonexistent-braid-folder/plot.svg")
        }
        #expect(throws: ReportWriteError.self) {
            try BarChart.write([.init(label: "a", value: 1)], title: "t", axisLabel: "x", to: "/nonexistent-braid-folder/bars.svg")
        }
    }
}

/// Gathers the elements of an XML document.
private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append((elementName, attributeDict))
    }
}

/// The elements of `svg`, or nil when it is not well-formed XML.
private func parse(_ svg: String) -> [(name: String, attributes: [String: String])]? {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = ElementCollector()
    parser.delegate = collector
    return parser.parse() ? collector.elements : nil
}

/// The `class` attributes of the elements named `name`.
private func classes(_ elements: [(name: String, attributes: [String: String])], _ name: String) -> [String] {
    elements.filter { $0.name == name }.compactMap { $0.attributes["class"] }
}

/// The text of every `<text>` element of `svg`, in order.
private func texts(_ svg: String) -> [String] {
    svg.split(separator: "<text").dropFirst().compactMap { part in
        part.split(separator: ">", maxSplits: 1).last?.split(separator: "<").first.map(String.init)
    }
}

@Suite struct TrainingCurvesTests {
    @Test func chartsEveryRunsSeriesWithRoundTicks() throws {
        let runs = ["fused", "textOnly", "imageOnly"].enumerated().map { index, label in
            (label: label, records: (0..<12).map {
                EpochRecord(epoch: $0, trainingLoss: 2.3 / Float($0 + 1 + index), validationLoss: 2.5 / Float($0 + 1 + index),
                            validationAccuracy: 0.3 + Float($0) / 20 - Float(index) / 10, seconds: 1)
            })
        }
        let svg = TrainingCurves.svg(runs, title: "fusion <run> & \"test\"")
        let elements = try #require(parse(svg))
        #expect(elements.first?.name == "svg")
        let polylines = elements.filter { $0.name == "polyline" }
        #expect(polylines.count == 9)
        for label in ["fused", "textOnly", "imageOnly"] {
            #expect(Set(polylines.filter { $0.attributes["data-run"] == label }.compactMap { $0.attributes["class"] })
                    == ["series-training-loss", "series-validation-loss", "series-validation-accuracy"])
        }
        #expect(polylines.allSatisfy { $0.attributes["points"]?.split(separator: " ").count == 12 })
        // Whole epochs 1, 2, 4, … in steps of 2; the loss axis from 0 in steps of 0.5; accuracy 0–1 in steps of 0.2.
        let labels = texts(svg)
        #expect(labels.contains("2") && labels.contains("12") && !labels.contains("3"))
        #expect(labels.contains("0.0") && labels.contains("0.5") && labels.contains("2.5") && labels.contains("0.2") && labels.contains("1.0"))
        #expect(classes(elements, "line").filter { $0 == "x-tick" }.count == 2 * 7)
        #expect(classes(elements, "g").filter { $0 == "legend" }.count == 4)  // three runs and the line styles
        #expect(svg.contains("fusion &lt;run&gt; &amp; &quot;test&quot;"))
    }

    @Test func handlesOneEpochAndMissingValidation() throws {
        let svg = TrainingCurves.svg([("run", [EpochRecord(epoch: 0, trainingLoss: 0.7, seconds: 1)])], title: "one")
        let elements = try #require(parse(svg))
        #expect(classes(elements, "polyline") == ["series-training-loss"])
        // No validation accuracy anywhere: one wide loss panel with a single epoch tick.
        #expect(classes(elements, "g").filter { $0 == "panel" }.count == 1)
        #expect(classes(elements, "line").filter { $0 == "x-tick" }.count == 1)
        #expect(!svg.contains("validation accuracy"))
        #expect(!svg.contains(">nan<") && !svg.contains("nan,"))

        let some = [
            EpochRecord(epoch: 0, trainingLoss: 1, validationLoss: 1.1, seconds: 1),
            EpochRecord(epoch: 1, trainingLoss: 0.9, seconds: 1),
            EpochRecord(epoch: 2, trainingLoss: 0.8, validationLoss: 0.95, seconds: 1),
        ]
        let partial = try #require(parse(TrainingCurves.svg([("run", some), ("other", [EpochRecord(epoch: 0, trainingLoss: 1, validationAccuracy: 0.5, seconds: 1)])], title: "partial")))
        #expect(classes(partial, "g").filter { $0 == "panel" }.count == 2)
        let validation = try #require(partial.first { $0.attributes["class"] == "series-validation-loss" })
        #expect(validation.attributes["points"]?.split(separator: " ").count == 2)
        #expect(classes(partial, "polyline").count == 4)  // run: training, validation loss; other: training loss, accuracy
    }

    @Test func emptyRunsStillMakeValidSVGAndFilesAreWritten() throws {
        let elements = try #require(parse(TrainingCurves.svg([], title: "empty")))
        #expect(classes(elements, "polyline").isEmpty)
        let path = temporaryPath("plot.svg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TrainingCurves.write([("run", sampleEpochs)], title: "run", to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == TrainingCurves.svg([("run", sampleEpochs)], title: "run"))
        #expect(parse(written) != nil)
    }
}

@Suite struct BarChartTests {
    @Test func drawsABarAndWhiskerPerMethodOnARoundAxis() throws {
        let bars = [BarChart.Bar(label: "early", value: 71.3, spread: 2.1), .init(label: "gated <softmax>", value: 54.2, spread: 2.5),
                    .init(label: "text-only", value: 38.0)]
        let svg = BarChart.svg(bars, title: "accuracy", axisLabel: "test accuracy (%)")
        let elements = try #require(parse(svg))
        let rectangles = elements.filter { $0.attributes["class"] == "bar" }
        #expect(rectangles.map { $0.attributes["data-label"] } == ["early", "gated <softmax>", "text-only"])
        #expect(classes(elements, "path").filter { $0 == "whisker" }.count == 2)
        let widths = rectangles.compactMap { $0.attributes["width"].flatMap(Double.init) }
        #expect(abs(widths[1] / widths[0] - 54.2 / 71.3) < 1e-3)
        let labels = texts(svg)
        #expect(labels.contains("71.3 ± 2.1") && labels.contains("38.0"))
        #expect(["0", "20", "40", "60", "80"].allSatisfy(labels.contains))
        #expect(svg.contains("gated &lt;softmax&gt;"))
    }

    @Test func skipsNonFiniteBars() throws {
        let svg = BarChart.svg([.init(label: "diverged", value: .nan), .init(label: "huge", value: 1e308, spread: 1e308),
                                .init(label: "fine", value: 0.5, spread: 0.1)],
                               title: "t", axisLabel: "x", decimals: 2)
        let elements = try #require(parse(svg))
        #expect(elements.filter { $0.attributes["class"] == "bar" }.map { $0.attributes["data-label"] } == ["fine"])
        #expect(texts(svg).contains("0.50 ± 0.10"))
    }
}
