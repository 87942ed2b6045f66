import ArgumentParser
import Braid
import Foundation

/// braid-clip: scores image files against texts with a CLIP checkpoint folder.
///
/// Writes one JSON object per image, in the order given, keys sorted:
/// {"best": text, "image": path, "probabilities": [...], "scores": [...]}, where the scores are
/// transformers' `logits_per_image` (exp(logit scale) times the cosine similarity with each text)
/// and the probabilities their softmax over the texts. An image that cannot be read gets
/// {"error": message, "image": path} instead, and the command exits with status 1 at the end.
@main
struct BraidCLIP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "braid-clip",
        abstract: "Scores PNG and JPEG files against texts with CLIP, one JSON object per image.",
        discussion: "The folder is a Hugging Face CLIP checkpoint: config.json, model.safetensors, vocab.json, merges.txt.")

    @Option(name: .customLong("model"), help: ArgumentHelp("A Hugging Face CLIP checkpoint folder.", valueName: "folder"))
    var modelFolder: String

    @Option(name: .customLong("text"), help: ArgumentHelp("A text to score each image against; give it once per text.", valueName: "text"))
    var texts: [String] = []

    @Option(help: "Images encoded together.")
    var batchSize = 32

    @Argument(help: ArgumentHelp("PNG or JPEG files.", valueName: "image"))
    var images: [String] = []

    func validate() throws {
        guard !texts.isEmpty else { throw ValidationError("give at least one --text") }
        guard !images.isEmpty else { throw ValidationError("give at least one image file") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    }

    /// One output line.
    struct Line: Encodable {
        var image: String
        var best: String?
        var scores: [Float]?
        var probabilities: [Float]?
        var error: String?
    }

    func run() throws {
        let clip = try CLIPEmbedder(directory: modelFolder)
        let textEmbeddings = clip.encode(texts: texts)
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failed = false
        for start in stride(from: 0, to: images.count, by: batchSize) {
            var lines: [Line] = []
            var bitmaps: [Bitmap] = []
            var rows: [Int] = []
            for path in images[start..<min(start + batchSize, images.count)] {
                do {
                    bitmaps.append(try Bitmap.read(contentsOf: path))
                    rows.append(lines.count)
                    lines.append(Line(image: path))
                } catch {
                    lines.append(Line(image: path, error: "\(error)"))
                    failed = true
                }
            }
            if !bitmaps.isEmpty {
                let scores = clip.similarity(images: clip.encode(images: bitmaps, batchSize: batchSize), texts: textEmbeddings)
                let probabilities = scores.softmax(alongAxis: 1)
                for (i, row) in rows.enumerated() {
                    let range = (i * texts.count)..<((i + 1) * texts.count)
                    lines[row].scores = Array(scores.scalars[range])
                    lines[row].probabilities = Array(probabilities.scalars[range])
                    lines[row].best = texts[probabilities.argmax(alongAxis: 1).scalars[i]]
                }
            }
            for line in lines { print(String(decoding: try json.encode(line), as: UTF8.self)) }
        }
        if failed { throw ExitCode.failure }
    }
}
