import BraidTensor
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A terminal progress display for a training run.
///
/// Call ``update(epoch:step:loss:samples:)`` after each step and ``finishEpoch(record:)`` after
/// each epoch. A line reads, for example,
/// `epoch 2/10 [###.........] step 37/120 loss 0.4213 1834 samples/s ETA 0:42`.
///
/// On a terminal the bar redraws one line in place (`\r` then the line, then the erase-to-end
/// sequence `ESC[K`), at most ten times a second, and always on an epoch's last step. Elsewhere
/// (a log file, a pipe) it writes whole lines (ending in `\n`): at most one per tenth of an
/// epoch, and always on the last step. The epoch summary is always a whole line; on a terminal
/// it replaces the bar.
///
/// Throughput is the samples since the epoch began over the seconds since it began; the ETA
/// extrapolates the epoch's seconds per step over the steps left in the run. Before any time has
/// passed both read `--`.
public struct ProgressBar {
    /// The number of epochs in the run.
    public let epochs: Int
    /// The number of steps in each epoch.
    public let stepsPerEpoch: Int
    /// Whether the bar redraws one line in place rather than writing whole lines.
    public let isTerminal: Bool
    /// The number of characters between the bar's brackets.
    public static let barWidth = 12
    /// The least seconds between two redraws on a terminal.
    public static let redrawInterval = 0.1

    private let output: (String) -> Void
    private let clock: () -> Double
    private var currentEpoch: Int?
    private var epochStart: Double
    private var epochSamples = 0
    private var lastDraw: Double?
    private var lastUpdate: Double?
    private var lastTenth = 0
    private var lineOpen = false

    /// Creates a progress display.
    ///
    /// - Parameters:
    ///   - epochs: The number of epochs in the run, at least 1.
    ///   - stepsPerEpoch: The number of steps in each epoch, at least 1.
    ///   - output: Receives the text exactly as it would go to the terminal, control characters
    ///     and newlines included. By default: written unbuffered on a terminal (so the bar redraws
    ///     live), and through `print` otherwise (so lines stay in order with the program's own
    ///     output when standard output is a pipe or a file).
    ///   - isTerminal: Whether to redraw in place; by default whether standard output is a terminal.
    ///   - clock: Monotonic seconds; by default `CLOCK_MONOTONIC`.
    public init(epochs: Int, stepsPerEpoch: Int,
                output: ((String) -> Void)? = nil,
                isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
                clock: @escaping () -> Double = ProgressBar.monotonicSeconds) {
        check(epochs > 0, "ProgressBar: epochs must be positive, got \(epochs)")
        check(stepsPerEpoch > 0, "ProgressBar: stepsPerEpoch must be positive, got \(stepsPerEpoch)")
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        self.output = output ?? (isTerminal ? ProgressBar.standardOutput : { print($0, terminator: "") })
        self.isTerminal = isTerminal
        self.clock = clock
        epochStart = clock()
    }

    /// Writes `text` to standard output, unbuffered.
    public static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Seconds on the system's monotonic clock.
    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Records one finished step and redraws the display if it is due.
    ///
    /// - Parameters:
    ///   - epoch: The epoch, from 0 as in ``EpochRecord``; shown from 1.
    ///   - step: The number of steps finished in this epoch, 1 through `stepsPerEpoch`.
    ///   - loss: The loss to show, such as the epoch's running mean.
    ///   - samples: The number of samples in this step.
    public mutating func update(epoch: Int, step: Int, loss: Float, samples: Int) {
        let now = clock()
        if currentEpoch != epoch {
            // A new epoch without `finishEpoch`: the first one, or a caller that skips summaries.
            if currentEpoch != nil, let lastUpdate { epochStart = lastUpdate }
            currentEpoch = epoch
            epochSamples = 0
            lastTenth = 0
            lastDraw = nil
        }
        epochSamples += samples
        lastUpdate = now
        let isLast = step >= stepsPerEpoch
        let line = render(epoch: epoch, step: step, loss: loss, now: now)
        if isTerminal {
            if isLast || lastDraw == nil || now - lastDraw! >= Self.redrawInterval {
                output("\r" + line + "\u{1B}[K")
                lastDraw = now
                lineOpen = true
            }
        } else {
            let tenth = step * 10 / stepsPerEpoch
            if isLast || tenth > lastTenth {
                output(line + "\n")
                lastTenth = tenth
                lastDraw = now
            }
        }
    }

    /// Writes the summary line of a finished epoch and starts timing the next.
    ///
    /// The line reads, for example,
    /// `epoch 2/10 train loss 0.4213 val loss 0.3812 val acc 0.9120 (12.3s)`, leaving out the
    /// validation figures the record lacks.
    public mutating func finishEpoch(record: EpochRecord) {
        var line = "epoch \(record.epoch + 1)/\(epochs) train loss \(Self.fixed(record.trainingLoss, 4))"
        if let loss = record.validationLoss { line += " val loss \(Self.fixed(loss, 4))" }
        if let accuracy = record.validationAccuracy { line += " val acc \(Self.fixed(accuracy, 4))" }
        line += " (\(String(format: "%.1f", record.seconds))s)"
        output((isTerminal && lineOpen ? "\r" : "") + line + (isTerminal ? "\u{1B}[K" : "") + "\n")
        lineOpen = false
        currentEpoch = nil
        epochStart = clock()
    }

    /// The progress line for `step` of `epoch` at time `now`.
    private func render(epoch: Int, step: Int, loss: Float, now: Double) -> String {
        let clamped = min(max(step, 0), stepsPerEpoch)
        let filled = clamped * Self.barWidth / stepsPerEpoch
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Self.barWidth - filled)
        let elapsed = now - epochStart
        var rate = "--"
        var eta = "--"
        if elapsed > 0 {
            rate = String(Int((Double(epochSamples) / elapsed).rounded()))
            if clamped > 0 {
                let remaining = (stepsPerEpoch - clamped) + max(epochs - epoch - 1, 0) * stepsPerEpoch
                eta = Self.duration(elapsed / Double(clamped) * Double(remaining))
            }
        }
        return "epoch \(epoch + 1)/\(epochs) [\(bar)] step \(step)/\(stepsPerEpoch) loss \(Self.fixed(loss, 4)) \(rate) samples/s ETA \(eta)"
    }

    /// `value` with `digits` decimals.
    private static func fixed(_ value: Float, _ digits: Int) -> String {
        String(format: "%.\(digits)f", Double(value))
    }

    /// `seconds` as `m:ss`, or `h:mm:ss` from an hour.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}
