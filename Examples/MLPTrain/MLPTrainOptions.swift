import ExampleSupport

/// Command-line options of `mlp-train`.
struct MLPTrainOptions {
    var epochs = 200
    var seed: UInt64 = 7
    var points = 1000

    /// Parses `--epochs N`, `--seed S` and `--points N`; throws on anything else.
    static func parse(_ arguments: ArraySlice<String>) throws -> MLPTrainOptions {
        var options = MLPTrainOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw OptionError("\(flag) needs a value") }
            switch flag {
            case "--epochs": options.epochs = try OptionError.positiveInteger(value, flag: flag)
            case "--seed": options.seed = UInt64(try OptionError.positiveInteger(value, flag: flag))
            // Enough points for a held-out quarter; at most what suits a quick example.
            case "--points": options.points = try OptionError.integer(value, flag: flag, in: 8...1_000_000)
            default: throw OptionError("unknown option \(flag); options: --epochs N, --seed S, --points N")
            }
        }
        return options
    }
}
