import Braid
import ExampleSupport
import Foundation

/// A tokenizer and a mean-pooling, normalising text encoder loaded from one checkpoint folder.
struct SentenceEmbedder {
    let tokenizer: WordPieceTokenizer
    let encoder: TextEncoder

    /// Loads `folder`; each missing file is named in the error.
    init(folder: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExampleError("model folder '\(folder)' does not exist")
        }
        for file in ["config.json", "vocab.txt", "model.safetensors"] {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path) else { throw ExampleError("'\(path)' is missing") }
        }
        (encoder, tokenizer) = try TextEncoder.loadWithTokenizer(directory: folder, pooling: .mean, normalizesPooledFeatures: true)
    }

    /// One output line: a text, its token ids and its embedding. `JSONEncoder` keeps no order of
    /// keys but a sorted one, so the line reads `{"embedding": …, "input_ids": …, "text": …}`.
    struct Line: Encodable {
        let text: String
        let inputIds: [Int]
        let embedding: [Float]

        private enum CodingKeys: String, CodingKey {
            case text, inputIds = "input_ids", embedding
        }
    }

    /// One JSON line per text: the text, its token ids and its embedding. Throws `EncodingError`
    /// for an embedding that is not finite, which JSON cannot hold.
    func embed(_ texts: [String]) throws -> [String] {
        guard !texts.isEmpty else { return [] }
        let embeddings = encoder.embed(texts, tokenizer: tokenizer, batchSize: texts.count)
        let width = encoder.outputDimension
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try texts.indices.map { row in
            let line = Line(
                text: texts[row], inputIds: tokenizer.encode(texts[row], maxLength: encoder.configuration.maximumPositions),
                embedding: Array(embeddings.scalars[(row * width)..<((row + 1) * width)]))
            return String(decoding: try json.encode(line), as: UTF8.self)
        }
    }
}
