import BraidData
import Foundation

/// A `TrainingObserver` that appends one JSON object per line to a file as training goes, so any
/// plotting tool (or `tail -f`) can follow a run live:
///
/// ```json
/// {"elapsed":0.41,"epoch":0,"kind":"step","learningRate":0.002,"loss":2.31,"samplesPerSecond":1570.2,"step":1}
/// {"elapsed":12.9,"epoch":0,"kind":"epoch","seconds":12.9,"trainingLoss":1.12,"validationAccuracy":0.81,"validationLoss":0.62}
/// ```
///
/// With ``run`` set, every line also names it (`"run":"fused"`), so one file can follow several
/// models trained in turn. Keys are sorted; a non-finite validation figure is written as the string `"NaN"`,
/// `"Infinity"` or `"-Infinity"`, as `RunReport` does. Each line is written (unbuffered) when its
/// step or epoch ends.
public final class JSONLinesLogger: TrainingObserver {
    /// The log file.
    public let path: String
    /// The name written into every line as `run`, when set.
    public var run: String?
    private let handle: FileHandle
    private let encoder: JSONEncoder

    /// Opens `path` for the log: a new, empty file, or with `appending` (a resumed run) the end
    /// of an existing one. Throws `ReportWriteError` when the file cannot be opened.
    public init(path: String, appending: Bool = false) throws(ReportWriteError) {
        let manager = FileManager.default
        if !appending || !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil) else {
                throw ReportWriteError(path: path, reason: "cannot create the file")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ReportWriteError(path: path, reason: "cannot open the file for writing")
        }
        do { try handle.seekToEnd() } catch { throw ReportWriteError(path: path, reason: "cannot seek to its end: \(error)") }
        self.path = path
        self.handle = handle
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    }

    deinit { try? handle.close() }

    /// A step's line.
    private struct StepLine: Encodable {
        let kind = "step"
        let run: String?
        let step: Int, epoch: Int, loss: Float, learningRate: Float, samplesPerSecond: Double, elapsed: Double
    }

    /// An epoch's line.
    private struct EpochLine: Encodable {
        let kind = "epoch"
        let run: String?
        let epoch: Int, trainingLoss: Float, validationLoss: Float?, validationAccuracy: Float?, seconds: Double, elapsed: Double
    }

    /// Writes the step's line.
    public func trainerDidFinishStep(_ record: StepRecord) throws {
        try write(StepLine(run: run, step: record.step, epoch: record.epoch, loss: record.loss, learningRate: record.learningRate,
                           samplesPerSecond: record.samplesPerSecond, elapsed: record.elapsed))
    }

    /// Writes the epoch's line.
    public func trainerDidFinishEpoch(_ record: EpochRecord, elapsed: Double) throws {
        try write(EpochLine(run: run, epoch: record.epoch, trainingLoss: record.trainingLoss, validationLoss: record.validationLoss,
                            validationAccuracy: record.validationAccuracy, seconds: record.seconds, elapsed: elapsed))
    }

    private func write(_ line: some Encodable) throws {
        var data = try encoder.encode(line)
        data.append(0x0A)
        do { try handle.write(contentsOf: data) } catch {
            throw ReportWriteError(path: path, reason: "cannot append to the log: \(error.localizedDescription)")
        }
    }
}
