import ExampleSupport

/// Command-line options of `make-av-digits`.
struct MakeOptions {
    var output = ".build-data/av-digits.safetensors"
    var seed: UInt64 = 1
    var variants = 2
    var signalToNoise: ClosedRange<Float> = -25...0

    static let usage = "usage: make-av-digits [--output PATH] [--seed N] [--variants N] [--snr MIN:MAX (dB)]"

    /// Parses the arguments; throws with the usage on anything unknown or impossible.
    static func parse(_ arguments: [String]) throws -> MakeOptions {
        var options = MakeOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw OptionError("\(flag) needs a value\n\(usage)") }
            switch flag {
            case "--output": options.output = value
            case "--seed": options.seed = UInt64(try OptionError.positiveInteger(value, flag: flag))
            case "--variants": options.variants = try OptionError.positiveInteger(value, flag: flag)
            case "--snr":
                let parts = value.split(separator: ":", omittingEmptySubsequences: false).map { Float($0) }
                guard parts.count == 2, let low = parts[0], let high = parts[1], low.isFinite, high.isFinite, low <= high else {
                    throw OptionError("--snr needs MIN:MAX in decibels, got '\(value)'")
                }
                options.signalToNoise = low...high
            default: throw OptionError("unknown option \(flag)\n\(usage)")
            }
        }
        return options
    }
}
