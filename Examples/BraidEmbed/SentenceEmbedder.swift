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

    /// One JSON line per text: the text, its token ids and its embedding.
    func embed(_ texts: [String]) -> [String] {
        guard !texts.isEmpty else { return [] }
        let embeddings = encoder.embed(texts, tokenizer: tokenizer, batchSize: texts.count)
        let width = encoder.outputDimension
        return texts.indices.map { row in
            let ids = tokenizer.encode(texts[row], maxLength: encoder.configuration.maximumPositions)
            let vector = embeddings.scalars[(row * width)..<((row + 1) * width)]
            return "{\"text\": \(jsonString(texts[row])), \"input_ids\": [\(ids.map(String.init).joined(separator: ", "))], "
                + "\"embedding\": [\(vector.map { "\($0)" }.joined(separator: ", "))]}"
        }
    }

    private func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
