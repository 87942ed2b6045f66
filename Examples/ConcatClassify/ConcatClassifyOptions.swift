import ExampleSupport

/// Command-line options of `concat-classify`.
struct ConcatClassifyOptions {
    enum Task: String { case digit, highLow = "high-low" }
    enum TextEncoderKind: String { case small, minilm }

    var epochs = 12
    var batchSize = 64
    var learningRate: Float = 2e-3
    var seed: UInt64 = 1
    var task = Task.digit
    var fusion = FusionMethod.early
    var textEncoder = TextEncoderKind.small
    var modelFolder: String?
    var save: String?
    var resume: String?
    var report = "concat-classify-report.json"

    static let usage = """
        usage: concat-classify [--epochs N] [--batch-size N] [--lr X] [--seed N] [--task digit|high-low]
                               [--fusion \(FusionMethod.names(separator: "|"))]
                               [--text-encoder small|minilm --model <folder>] [--save PATH] [--resume PATH] [--report PATH]
        """

    /// Parses the arguments; throws with the usage on anything unknown or impossible.
    static func parse(_ arguments: [String]) throws -> ConcatClassifyOptions {
        var options = ConcatClassifyOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw OptionError("\(flag) needs a value\n\(usage)") }
            func positive() throws -> Int { try OptionError.positiveInteger(value, flag: flag) }
            switch flag {
            case "--epochs": options.epochs = try positive()
            case "--batch-size": options.batchSize = try positive()
            case "--seed": options.seed = UInt64(try positive())
            case "--lr": options.learningRate = try OptionError.positiveNumber(value, flag: flag)
            case "--task":
                guard let task = Task(rawValue: value) else { throw OptionError("unknown task '\(value)': digit or high-low") }
                options.task = task
            case "--fusion":
                guard let fusion = FusionMethod(rawValue: value) else {
                    throw OptionError("unknown fusion '\(value)': \(FusionMethod.names(separator: ", "))")
                }
                options.fusion = fusion
            case "--text-encoder":
                guard let kind = TextEncoderKind(rawValue: value) else { throw OptionError("unknown text encoder '\(value)': small or minilm") }
                options.textEncoder = kind
            case "--model": options.modelFolder = value
            case "--save": options.save = value
            case "--resume": options.resume = value
            case "--report": options.report = value
            default: throw OptionError("unknown option \(flag)\n\(usage)")
            }
        }
        if options.textEncoder == .minilm && options.modelFolder == nil {
            throw OptionError("--text-encoder minilm needs --model <checkpoint folder>")
        }
        // The report's SVG goes beside it, so one check covers both.
        try OptionError.checkWritable(options.report, flag: "--report")
        if let save = options.save { try OptionError.checkWritable(save, flag: "--save") }
        return options
    }
}
