/// Command-line options of `braid-embed`.
struct EmbedOptions {
    var modelFolder: String
    var batchSize = 32

    /// Parses `--model <folder>` (required) and `--batch-size N`.
    static func parse(_ arguments: [String]) throws -> EmbedOptions {
        var model: String?
        var batchSize = 32
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw EmbedError("\(flag) needs a value") }
            switch flag {
            case "--model": model = value
            case "--batch-size":
                guard let size = Int(value), size > 0 else { throw EmbedError("--batch-size needs a positive integer, got '\(value)'") }
                batchSize = size
            default: throw EmbedError("unknown option \(flag); usage: braid-embed --model <folder> [--batch-size N]")
            }
        }
        guard let model else { throw EmbedError("missing --model <checkpoint folder>") }
        return EmbedOptions(modelFolder: model, batchSize: batchSize)
    }
}

/// A usage or input problem, printed as its message.
struct EmbedError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
