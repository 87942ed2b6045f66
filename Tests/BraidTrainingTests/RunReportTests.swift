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
        let metrics = ClassificationMetrics(predictions: [0, 1, 1, 0], labels: [0, 1, 0, 0], classCount: 2)
        let report = RunReport(configuration: ["learningRate": "0.001", "model": "fused"],
                               epochs: sampleEpochs,
                               results: ["fused": RunReport.summary(metrics), "textOnly": ["accuracy": 0.5]],
                               seconds: 4.5)
        let path = temporaryPath("report.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try report.write(to: path)

        let object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(Set(object.keys) == ["configuration", "epochs", "fused", "seconds", "textOnly"])
        let fused = try #require(object["fused"] as? [String: Double])
        #expect(fused["accuracy"] == 0.75)
        #expect((object["textOnly"] as? [String: Double])?["accuracy"] == 0.5)
        #expect(object["seconds"] as? Double == 4.5)
        #expect((object["epochs"] as? [Any])?.count == 2)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\n  \"configuration\" : {"))  // pretty-printed
        let order = ["\"configuration\"", "\"epochs\"", "\"fused\"", "\"seconds\"", "\"textOnly\""]
            .map { text.range(of: "\n  " + $0 + " :")!.lowerBound }
        #expect(order == order.sorted())

        #expect(try RunReport(contentsOf: path) == report)
    }

    @Test func summaryHoldsTheMacroFigures() {
        let metrics = ClassificationMetrics(predictions: [0, 1, 1, 0], labels: [0, 1, 0, 0], classCount: 2)
        let summary = RunReport.summary(metrics)
        #expect(Set(summary.keys) == ["accuracy", "macroPrecision", "macroRecall", "macroF1"])
        #expect(summary["accuracy"] == Double(metrics.accuracy))
        #expect(summary["macroPrecision"] == Double(metrics.macroPrecision))
        #expect(summary["macroRecall"] == Double(metrics.macroRecall))
        #expect(summary["macroF1"] == Double(metrics.macroF1))
    }

    @Test func rejectsResultsNamedLikeReportFields() {
        let report = RunReport(results: ["seconds": ["accuracy": 1]], seconds: 1)
        #expect(throws: EncodingError.self) { try report.json() }
    }

    @Test func roundTripsNonFiniteLossesAndReplacesFiles() throws {
        let report = RunReport(epochs: [EpochRecord(epoch: 0, trainingLoss: .nan, validationLoss: .infinity, seconds: 1)],
                               seconds: 1)
        let path = temporaryPath("nan.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RunReport(seconds: 99).write(to: path)
        try report.write(to: path)
        let read = try RunReport(contentsOf: path)
        #expect(read.seconds == 1)
        #expect(read.epochs.first?.trainingLoss.isNaN == true)
        #expect(read.epochs.first?.validationLoss == .infinity)
        #expect(read.results.isEmpty)
    }

    @Test func reportsAndPlotsThatCannotBeWrittenThrowNamingTheFile() {
        let path = "/nonexistent-braid-folder/report.json"
        let error = #expect(throws: ReportWriteError.self) { try RunReport(seconds: 1).write(to: path) }
        #expect(error?.path == path)
        #expect(error?.description.hasPrefix("\(path): cannot write the report: cannot create") == true)
        #expect(throws: ReportWriteError.self) { try LossPlot.write(sampleEpochs, title: "run", to: "/nonexistent-braid-folder/plot.svg") }
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

@Suite struct LossPlotTests {
    private func classes(_ elements: [(name: String, attributes: [String: String])], _ name: String) -> [String] {
        elements.filter { $0.name == name }.compactMap { $0.attributes["class"] }
    }

    @Test func chartsEverySeriesWithATickPerEpoch() throws {
        let records = (0..<5).map {
            EpochRecord(epoch: $0, trainingLoss: 1 / Float($0 + 1), validationLoss: 1.2 / Float($0 + 1),
                        validationAccuracy: 0.5 + Float($0) / 10, seconds: 1)
        }
        let svg = LossPlot.svg(records, title: "fusion <run> & \"test\"")
        let elements = try #require(parse(svg))
        #expect(elements.first?.name == "svg")
        #expect(classes(elements, "polyline").sorted() ==
                ["series-training-loss", "series-validation-accuracy", "series-validation-loss"])
        // Two panels, each with a tick per epoch.
        #expect(classes(elements, "line").filter { $0 == "x-tick" }.count == 2 * records.count)
        #expect(classes(elements, "line").filter { $0 == "y-tick" }.count == 10)
        #expect(classes(elements, "g").filter { $0 == "legend" }.count == 3)
        #expect(svg.contains("fusion &lt;run&gt; &amp; &quot;test&quot;"))
        let polyline = try #require(elements.first { $0.attributes["class"] == "series-training-loss" })
        #expect(polyline.attributes["points"]?.split(separator: " ").count == 5)
    }

    @Test func handlesOneEpochAndMissingValidation() throws {
        let svg = LossPlot.svg([EpochRecord(epoch: 0, trainingLoss: 0.7, seconds: 1)], title: "one")
        let elements = try #require(parse(svg))
        #expect(classes(elements, "polyline") == ["series-training-loss"])
        #expect(classes(elements, "line").filter { $0 == "x-tick" }.count == 2)
        #expect(svg.contains("no validation accuracy"))
        #expect(!svg.contains(">nan<") && !svg.contains("nan,"))

        let some = [
            EpochRecord(epoch: 0, trainingLoss: 1, validationLoss: 1.1, seconds: 1),
            EpochRecord(epoch: 1, trainingLoss: 0.9, seconds: 1),
            EpochRecord(epoch: 2, trainingLoss: 0.8, validationLoss: 0.95, seconds: 1),
        ]
        let partial = try #require(parse(LossPlot.svg(some, title: "partial")))
        let validation = try #require(partial.first { $0.attributes["class"] == "series-validation-loss" })
        #expect(validation.attributes["points"]?.split(separator: " ").count == 2)
        #expect(classes(partial, "polyline").count == 2)
    }

    @Test func emptyRunsStillMakeValidSVGAndFilesAreWritten() throws {
        let elements = try #require(parse(LossPlot.svg([], title: "empty")))
        #expect(classes(elements, "polyline").isEmpty)
        let path = temporaryPath("plot.svg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LossPlot.write(sampleEpochs, title: "run", to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == LossPlot.svg(sampleEpochs, title: "run"))
        #expect(parse(written) != nil)
    }
}
