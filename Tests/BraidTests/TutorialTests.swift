import Braid
import Foundation
import Testing

/// The DocC tutorial "Build a Text and Image Classifier" cannot rot: the last step of each of its
/// files is compiled into this target (`Tutorial/` links to the catalog's `Resources/`) and run
/// here, and every earlier step shows only lines of the step after it, in the same order.
@Suite struct TutorialTests {
    /// `Sources/Braid/Braid.docc`.
    static let catalog = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Braid/Braid.docc").standardizedFileURL

    @Test func theFinalProgramTrainsSavesReloadsAndEvaluates() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tutorial-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (trained, reloaded) = try trainCaptionedShapeClassifier(epochs: 1, savingTo: path)
        #expect(trained.accuracy > 0.9)  // 0.973 here; chance is 1/6, the image or the caption alone 1/2 or 1/3
        #expect(reloaded == trained)
    }

    @Test func everyStepLeadsToTheCompiledCode() throws {
        let tutorial = try String(
            contentsOf: Self.catalog.appendingPathComponent("Tutorials/BuildATextAndImageClassifier.tutorial"), encoding: .utf8)
        var stepsByName: [String: [String]] = [:]
        for match in tutorial.matches(of: try Regex(#"@Code\(name: "([^"]+)", file: "([^"]+)"\)"#)) {
            stepsByName[String(match.output[1].substring!), default: []].append(String(match.output[2].substring!))
        }
        let compiledDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tutorial")
        let compiled = try FileManager.default.contentsOfDirectory(atPath: compiledDirectory.path)
        #expect(Set(stepsByName.keys) == Set(compiled), "the tutorial's files and Tests/BraidTests/Tutorial differ")

        for (name, steps) in stepsByName {
            var previous: (file: String, lines: [Substring])?
            for file in steps {
                let text = try String(contentsOf: Self.catalog.appendingPathComponent("Resources/\(file)"), encoding: .utf8)
                for (open, close) in [("{", "}"), ("(", ")")] {
                    #expect(text.count { String($0) == open } == text.count { String($0) == close },
                            "\(file): unbalanced \(open)\(close)")
                }
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                if let previous {
                    let missing = Self.firstLineMissing(from: previous.lines, in: lines)
                    #expect(missing == nil, "\(previous.file) has a line that \(file) lacks, or puts later: \(missing ?? "")")
                }
                previous = (file, lines)
            }
            let final = try String(contentsOf: Self.catalog.appendingPathComponent("Resources/\(steps.last!)"), encoding: .utf8)
            let built = try String(contentsOf: compiledDirectory.appendingPathComponent(name), encoding: .utf8)
            #expect(final == built, "the last step of \(name), \(steps.last!), is not the file compiled here")
        }
    }

    /// The first line of `part` that is not in `whole` after the lines before it; `nil` when
    /// `part` is `whole` with some lines left out.
    static func firstLineMissing(from part: [Substring], in whole: [Substring]) -> Substring? {
        var rest = whole[...]
        for line in part {
            guard let index = rest.firstIndex(of: line) else { return line }
            rest = rest[(index + 1)...]
        }
        return nil
    }
}
