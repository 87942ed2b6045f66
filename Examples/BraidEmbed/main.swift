// braid-embed: sentence embeddings from a BERT-family checkpoint folder.
//
//     braid-embed --model <checkpoint folder> [--batch-size N] < sentences.txt
//
// Reads one sentence per line on standard input and writes one JSON object per line:
// {"text": ..., "input_ids": [...], "embedding": [...]}, where the embedding is the attention-masked
// mean of the last hidden states, L2-normalised (sentence-transformers' recipe). The folder holds
// a Hugging Face checkpoint: config.json, model.safetensors and vocab.txt (tokenizer_config.json
// optional), such as all-MiniLM-L6-v2.
import Braid
import Foundation

do {
    let options = try EmbedOptions.parse(Array(CommandLine.arguments.dropFirst()))
    let embedder = try SentenceEmbedder(folder: options.modelFolder)
    var pending: [String] = []
    func flush() {
        for line in embedder.embed(pending) { print(line) }
        pending.removeAll()
    }
    while let line = readLine() {
        pending.append(line)
        if pending.count == options.batchSize { flush() }
    }
    flush()
} catch {
    FileHandle.standardError.write(Data("braid-embed: \(error)\n".utf8))
    exit(1)
}
