import BraidData
import Foundation

/// The record of one training run: its configuration, per-epoch figures, final evaluation results
/// and duration, as written to a JSON report.
///
/// The JSON object holds `configuration`, `epochs` and `seconds`, and each entry of ``results``
/// as a key of its own at the top level, so a reader can write `report["fused"]["accuracy"]`:
///
/// ```json
/// { "configuration": { "lr": "0.001" }, "epochs": [ … ],
///   "fused": { "accuracy": 0.93, "macroF1": 0.92 }, "seconds": 81.5 }
/// ```
///
/// A result may therefore not be named `configuration`, `epochs` or `seconds`; encoding such a
/// report throws. Non-finite numbers (a diverged loss) are written as the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"` by ``write(to:)`` and read back by ``init(contentsOf:)``.
public struct RunReport: Codable, Sendable, Equatable {
    /// Settings of the run, such as hyperparameters, as text.
    public var configuration: [String: String]
    /// The figures of each epoch, in order.
    public var epochs: [EpochRecord]
    /// Named evaluation results, such as `"fused": ["accuracy": 0.93, "macroF1": 0.91]`.
    public var results: [String: [String: Double]]
    /// Wall-clock seconds the whole run took.
    public var seconds: Double

    /// The top-level keys that are not results.
    public static let reservedKeys: Set<String> = ["configuration", "epochs", "seconds"]

    /// Creates a report.
    public init(configuration: [String: String] = [:], epochs: [EpochRecord] = [],
                results: [String: [String: Double]] = [:], seconds: Double = 0) {
        self.configuration = configuration
        self.epochs = epochs
        self.results = results
        self.seconds = seconds
    }

    /// Reads a report written by ``write(to:)`` from the file at `path`.
    public init(contentsOf path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        self = try decoder.decode(RunReport.self, from: data)
    }

    /// The JSON text of the report: pretty-printed with sorted keys, ending in a newline.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes the report as JSON (see ``json()``) to `path`, replacing any file there atomically:
    /// the text goes to a temporary file in the same directory, which is synced and then renamed
    /// over `path`. Throws `ReportWriteError` when the file cannot be written.
    public func write(to path: String) throws {
        let bytes = Array(try json())
        do throws(AtomicFile.Failure) { try AtomicFile.write(bytes, to: path) } catch {
            throw ReportWriteError(path: path, reason: error.reason)
        }
    }

    /// The summary figures of `metrics` for ``results``: `accuracy`, `macroPrecision`,
    /// `macroRecall` and `macroF1`.
    public static func summary(_ metrics: ClassificationMetrics) -> [String: Double] {
        [
            "accuracy": Double(metrics.accuracy),
            "macroPrecision": Double(metrics.macroPrecision),
            "macroRecall": Double(metrics.macroRecall),
            "macroF1": Double(metrics.macroF1),
        ]
    }

    /// A JSON object key of any name.
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes a report whose results are the top-level keys other than ``reservedKeys``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        configuration = try container.decodeIfPresent([String: String].self, forKey: Key("configuration")) ?? [:]
        epochs = try container.decodeIfPresent([EpochRecord].self, forKey: Key("epochs")) ?? []
        seconds = try container.decode(Double.self, forKey: Key("seconds"))
        var results: [String: [String: Double]] = [:]
        for key in container.allKeys where !Self.reservedKeys.contains(key.stringValue) {
            results[key.stringValue] = try container.decode([String: Double].self, forKey: key)
        }
        self.results = results
    }

    /// Encodes the report with each result as a top-level key; throws
    /// `EncodingError.invalidValue` when a result is named like a reserved key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(configuration, forKey: Key("configuration"))
        try container.encode(epochs, forKey: Key("epochs"))
        try container.encode(seconds, forKey: Key("seconds"))
        for (name, values) in results {
            guard !Self.reservedKeys.contains(name) else {
                throw EncodingError.invalidValue(values, EncodingError.Context(
                    codingPath: [Key(name)],
                    debugDescription: "RunReport: result name \"\(name)\" is reserved for the report's own fields"))
            }
            try container.encode(values, forKey: Key(name))
        }
    }
}
