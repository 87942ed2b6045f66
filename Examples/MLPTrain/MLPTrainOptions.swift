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
            case "--epochs": options.epochs = try positive(value, flag)
            case "--seed": options.seed = UInt64(try positive(value, flag))
            case "--points": options.points = try positive(value, flag)
            default: throw OptionError("unknown option \(flag); options: --epochs N, --seed S, --points N")
            }
        }
        return options
    }

    private static func positive(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw OptionError("\(flag) needs a positive integer, got '\(text)'") }
        return value
    }
}

/// A command-line mistake, printed as its message.
struct OptionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
