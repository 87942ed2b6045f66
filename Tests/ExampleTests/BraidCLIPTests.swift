import Braid
import Foundation
import Testing

/// braid-clip on a small random CLIP with OpenAI's real vocabulary, against `CLIPEmbedder` in
/// this process.
@Suite struct BraidCLIPTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures").standardized.path

    /// A CLIP folder: config.json, random weights and the real tokenizer files.
    static func modelFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "braid-clip-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let json = #"""
            {"model_type": "clip", "projection_dim": 6,
             "text_config": {"hidden_size": 8, "intermediate_size": 12, "num_hidden_layers": 1, "num_attention_heads": 2},
             "vision_config": {"hidden_size": 8, "intermediate_size": 12, "num_hidden_layers": 1, "num_attention_heads": 2,
                               "image_size": 16, "patch_size": 8}}
            """#
        try json.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        var generator = RandomGenerator(seed: 9)
        try CLIPModel(try CLIPConfiguration(contentsOf: folder + "/config.json"), generator: &generator)
            .saveStateDict(to: folder + "/model.safetensors")
        for name in ["vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(atPath: fixtures + "/clip/tokenizer/" + name, toPath: folder + "/" + name)
        }
        return folder
    }

    struct Line: Decodable {
        let image: String
        let best: String?
        let scores: [Float]?
        let probabilities: [Float]?
        let error: String?
    }

    /// One line per image in order, scores as the embedder's, an unreadable file reported in
    /// its line and in the exit status.
    @Test func scoresImagesAgainstTexts() throws {
        let folder = try Self.modelFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let images = ["rgb.png", "grey.jpg", "bad/truncated.png", "orientation-6.jpg"].map { Self.fixtures + "/images/" + $0 }
        let texts = ["a red square", "a photo of a cat", "日本"]
        let result = try CommandLineTests.run(
            "braid-clip", ["--model", folder, "--batch-size", "2"] + texts.flatMap { ["--text", $0] } + images)
        #expect(result.status == 1, "\(result.error)")
        let lines = try result.output.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        #expect(lines.map(\.image) == images)
        #expect(lines[2].error?.contains("a truncated or corrupt PNG file") == true && lines[2].scores == nil)
        let clip = try CLIPEmbedder(directory: folder)
        let readable = [0, 1, 3]
        let expected = clip.similarity(
            images: clip.encode(images: try readable.map { try Bitmap.read(contentsOf: images[$0]) }), texts: clip.encode(texts: texts))
        for (row, index) in readable.enumerated() {
            let scores = try #require(lines[index].scores)
            let reference = Array(expected.scalars[(row * 3)..<(row * 3 + 3)])
            #expect(zip(scores, reference).allSatisfy { abs($0 - $1) <= 1e-4 }, "\(scores) vs \(reference)")
            let probabilities = try #require(lines[index].probabilities)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
            #expect(lines[index].best == texts[probabilities.indices.max { probabilities[$0] < probabilities[$1] }!])
        }
    }

    @Test func missingTextsOrImagesAreUsageErrors() throws {
        let noText = try CommandLineTests.run("braid-clip", ["--model", "/tmp", "a.png"])
        #expect(noText.status == 64 && noText.error.contains("give at least one --text"))
        let noImage = try CommandLineTests.run("braid-clip", ["--model", "/tmp", "--text", "a cat"])
        #expect(noImage.status == 64 && noImage.error.contains("give at least one image file"))
    }
}
