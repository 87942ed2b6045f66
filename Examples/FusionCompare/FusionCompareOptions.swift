import ExampleSupport

/// Command-line options of `fusion-compare`.
struct FusionCompareOptions {
    var data = ".build-data/av-digits.safetensors"
    var epochs = 12
    var batchSize = 64
    var learningRate: Float = 2e-3
    var seeds = 3
    var methods = FusionCompareOptions.allMethods
    var report = "fusion-compare-report.json"

    /// Every method: the three single modalities, then every fusion head over all three.
    static let allMethods = Modality.allCases.map { "\($0.rawValue)-only" } + FusionMethod.allCases.map(\.rawValue)

    static let usage = """
        usage: fusion-compare [--data PATH] [--epochs N] [--batch-size N] [--lr X] [--seeds N]
                              [--methods M,M,… of \(allMethods.joined(separator: ","))] [--report PATH]
        """

    /// Parses the arguments; throws with the usage on anything unknown or impossible.
    static func parse(_ arguments: [String]) throws -> FusionCompareOptions {
        var options = FusionCompareOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw OptionError("\(flag) needs a value\n\(usage)") }
            switch flag {
            case "--data": options.data = value
            case "--epochs": options.epochs = try OptionError.positiveInteger(value, flag: flag)
            case "--batch-size": options.batchSize = try OptionError.positiveInteger(value, flag: flag)
            case "--lr": options.learningRate = try OptionError.positiveNumber(value, flag: flag)
            case "--seeds": options.seeds = try OptionError.positiveInteger(value, flag: flag)
            case "--methods":
                let methods = value.split(separator: ",").map(String.init)
                if let unknown = methods.first(where: { !allMethods.contains($0) }) {
                    throw OptionError("unknown method '\(unknown)': \(allMethods.joined(separator: ", "))")
                }
                guard !methods.isEmpty else { throw OptionError("--methods needs at least one method") }
                options.methods = methods
            case "--report": options.report = value
            default: throw OptionError("unknown option \(flag)\n\(usage)")
            }
        }
        try OptionError.checkWritable(options.report, flag: "--report")
        return options
    }
}
