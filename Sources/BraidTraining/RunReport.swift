import BraidData
import Foundation

/// The record of one training run: its configuration, each model's results (figures, per-class
/// scores, confusion matrix, per-epoch history) and the duration, as written to a JSON report.
///
/// The JSON object holds `configuration` and `seconds`, and each entry of ``results`` as a key
/// of its own at the top level, so a reader can write `report["fused"]["accuracy"]`:
///
/// ```json
/// { "configuration": { "lr": "0.001" }, "seconds": 81.5,
///   "fused": { "accuracy": 0.93, "macroF1": 0.92, "confusionMatrix": [[…]], "perClass": [ … ],
///              "epochs": [ … ] } }
/// ```
///
/// A result may therefore not be named `configuration` or `seconds`; encoding such a report throws. Non-finite numbers (a diverged loss) are written as the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"` by ``write(to:)`` and read back by ``init(contentsOf:)``.
public struct RunReport: Codable, Sendable, Equatable {
    /// Settings of the run, such as hyperparameters, as text.
    public var configuration: [String: String]
    /// Each model's results by name, such as `"fused": RunResult(metrics, epochs: history)`.
    public var results: [String: RunResult]
    /// Wall-clock seconds the whole run took.
    public var seconds: Double

    /// The top-level keys that are not results.
    public static let reservedKeys: Set<String> = ["configuration", "seconds"]

    /// Creates a report.
    public init(configuration: [String: String] = [:], results: [String: RunResult] = [:], seconds: Double = 0) {
        self.configuration = configuration
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

    /// Decodes a report whose results are the top-level keys other than ``reservedKeys``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        configuration = try container.decodeIfPresent([String: String].self, forKey: JSONKey("configuration")) ?? [:]
        seconds = try container.decode(Double.self, forKey: JSONKey("seconds"))
        results = try container.decodeEntries(RunResult.self, except: Self.reservedKeys)
    }

    /// Encodes the report with each result as a top-level key; throws
    /// `EncodingError.invalidValue` when a result is named like a reserved key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(configuration, forKey: JSONKey("configuration"))
        try container.encode(seconds, forKey: JSONKey("seconds"))
        try container.encodeEntries(results, except: Self.reservedKeys, owner: "RunReport")
    }
}
