import ArgumentParser
import Foundation

/// braid-embed: sentence embeddings from a BERT-family checkpoint folder.
///
/// Reads one sentence per line on standard input and writes one JSON object per line,
/// {"embedding": [...], "input_ids": [...], "text": ...} (keys sorted), where the embedding is the
/// attention-masked mean of the last hidden states, L2-normalised (sentence-transformers' recipe). The folder holds
/// a Hugging Face checkpoint: config.json, model.safetensors and vocab.txt (tokenizer_config.json
/// optional), such as all-MiniLM-L6-v2.
@main
struct BraidEmbed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "braid-embed",
        abstract: "Sentence embeddings of standard input's lines, one JSON object per line.",
        discussion: "The embedding is the normalised mean of the last hidden states, as sentence-transformers computes it.")

    @Option(name: .customLong("model"), help: ArgumentHelp("A Hugging Face BERT checkpoint folder (config.json, model.safetensors, vocab.txt).", valueName: "folder"))
    var modelFolder: String

    @Option(help: "Sentences encoded together.")
    var batchSize = 32

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    }

    func run() throws {
        let embedder = try SentenceEmbedder(folder: modelFolder)
        var pending: [String] = []
        func flush() throws {
            for line in try embedder.embed(pending) { print(line) }
            pending.removeAll()
        }
        while let line = readLine() {
            pending.append(line)
            if pending.count == batchSize { try flush() }
        }
        try flush()
    }
}
