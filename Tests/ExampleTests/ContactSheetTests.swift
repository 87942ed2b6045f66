import Braid
import ExampleSupport
import Foundation
import Testing

@Suite struct ContactSheetTests {
    @Test func imagesAndEscapedCaptionsInAGrid() throws {
        let dataset = ShapeSceneDataset(split: .test, configuration: ShapeSceneConfiguration(testCount: 7))
        let lines = (0..<7).map { ["generated: a <red> & \"blue\" circle", "reference: " + dataset.references[$0][0].joined(separator: " ")] }
        let svg = ContactSheet.svg(title: "Captions & <scenes>", images: dataset.images(Array(0..<7)), lines: lines, columns: 3)
        // Booleans first, so that a failure does not print the whole document.
        let (framed, images, uris) = (svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"),
                                      svg.components(separatedBy: "<image ").count - 1,
                                      svg.components(separatedBy: "href=\"data:image/png;base64,").count - 1)
        #expect(framed && images == 7 && uris == 7)
        let escapedTitle = svg.contains("Captions &amp; &lt;scenes&gt;")
        let escapedLine = svg.contains(">generated: a &lt;red&gt; &amp; &quot;blue&quot;</text>")
        let raw = svg.contains("<red>") || svg.contains("\"blue\"")
        #expect(escapedTitle && escapedLine && !raw)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sheet-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ContactSheet.write(title: "t", images: dataset.images([0]), lines: [["x"]], to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("<image "))
    }

    @Test func longLinesWrapAtWords() {
        let words = Array(repeating: "rhombus", count: 20).joined(separator: " ")
        let svg = ContactSheet.svg(title: "", images: Tensor.zeros([1, 3, 4, 4]), lines: [[words]], columns: 1, scale: 1)
        let texts = svg.components(separatedBy: "<text x=\"8\"").count - 1
        #expect(texts > 3, "a 159-character line in a 176-pixel cell takes several lines")
    }
}
