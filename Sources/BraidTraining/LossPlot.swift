import BraidData
import Foundation

/// A self-contained SVG chart of a training run's per-epoch figures, with no dependencies.
///
/// The chart has two panels side by side: on the left training and validation loss, on the
/// right validation accuracy (on a fixed 0–1 axis). Each panel has axes with tick labels, a tick
/// on the epoch axis for every record (labels thinned to about ten), a legend, and one
/// `<polyline>` per series that has any finite value, with a dot at each point so that a single
/// epoch shows. Records missing a figure, or holding a non-finite one, leave that point out of
/// its series; a series with no points is left out of the chart and its legend, and a panel with
/// no series says so. Epochs are placed by ``EpochRecord/epoch`` and labelled from 1.
///
/// Elements carry classes for styling and inspection: `series-training-loss`,
/// `series-validation-loss` and `series-validation-accuracy` on the polylines, `x-tick` and
/// `y-tick` on tick marks, `legend` on legend groups.
public enum LossPlot {
    /// The chart's width and height in pixels.
    public static let size = (width: 960, height: 400)

    /// One plotted line.
    private struct Series {
        let id: String
        let label: String
        let color: String
        let dashed: Bool
        let points: [(epoch: Int, value: Double)]
    }

    /// The SVG document charting `records` under `title`.
    public static func svg(_ records: [EpochRecord], title: String) -> String {
        func series(_ id: String, _ label: String, _ color: String, dashed: Bool,
                    _ value: (EpochRecord) -> Float?) -> Series {
            let points = records.compactMap { record -> (epoch: Int, value: Double)? in
                guard let v = value(record), v.isFinite else { return nil }
                return (record.epoch, Double(v))
            }
            return Series(id: id, label: label, color: color, dashed: dashed, points: points)
        }
        let training = series("training-loss", "training loss", "#1f77b4", dashed: false) { $0.trainingLoss }
        let validation = series("validation-loss", "validation loss", "#ff7f0e", dashed: true) { $0.validationLoss }
        let accuracy = series("validation-accuracy", "validation accuracy", "#2ca02c", dashed: false) { $0.validationAccuracy }
        let epochs = records.map(\.epoch)

        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(size.width)" height="\(size.height)" \
        viewBox="0 0 \(size.width) \(size.height)" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(size.width / 2)" y="24" text-anchor="middle" font-size="16">\(escape(title))</text>

        """
        let lossSeries = [training, validation].filter { !$0.points.isEmpty }
        let lossValues = lossSeries.flatMap { $0.points.map(\.value) }
        var low = lossValues.min() ?? 0
        var high = lossValues.max() ?? 1
        if high - low < 1e-12 {
            let pad = max(abs(high) * 0.1, 0.5)
            low -= pad
            high += pad
        }
        // Start the axis at 0 when the losses sit close to it.
        if low > 0 && low < (high - low) * 0.5 { low = 0 }
        out += panel(x: 70, title: "loss", series: lossSeries, epochs: epochs, yRange: (low, high),
                     empty: "no loss values")
        out += panel(x: 70 + 480, title: "validation accuracy", series: [accuracy].filter { !$0.points.isEmpty },
                     epochs: epochs, yRange: (0, 1), empty: "no validation accuracy")
        out += "</svg>\n"
        return out
    }

    /// Writes ``svg(_:title:)`` to `path`, replacing any file there atomically (as
    /// `RunReport.write(to:)` does); throws `ReportWriteError` when the file cannot be written.
    public static func write(_ records: [EpochRecord], title: String, to path: String) throws(ReportWriteError) {
        do throws(AtomicFile.Failure) { try AtomicFile.write(Array(svg(records, title: title).utf8), to: path) } catch {
            throw ReportWriteError(path: path, reason: error.reason)
        }
    }

    /// One panel: a plot area 380 × 290 whose left edge is at `x`.
    private static func panel(x: Int, title: String, series: [Series], epochs: [Int],
                              yRange: (Double, Double), empty: String) -> String {
        let (left, top, width, height) = (Double(x), 50.0, 380.0, 290.0)
        let bottom = top + height
        let first = epochs.min() ?? 0
        let last = epochs.max() ?? 0
        func px(_ epoch: Int) -> Double {
            last == first ? left + width / 2 : left + width * Double(epoch - first) / Double(last - first)
        }
        func py(_ value: Double) -> Double {
            bottom - height * (value - yRange.0) / (yRange.1 - yRange.0)
        }
        var out = "<g class=\"panel\">\n"
        out += "<text x=\"\(f(left + width / 2))\" y=\"\(f(top - 8))\" text-anchor=\"middle\" font-size=\"13\">\(escape(title))</text>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#888\"/>\n"
        // Epoch axis: a tick per record, labels thinned to about ten.
        let unique = Array(Set(epochs)).sorted()
        let every = max(1, (unique.count + 9) / 10)
        for (i, epoch) in unique.enumerated() {
            let tx = f(px(epoch))
            out += "<line class=\"x-tick\" x1=\"\(tx)\" y1=\"\(f(bottom))\" x2=\"\(tx)\" y2=\"\(f(bottom + 5))\" stroke=\"#444\"/>\n"
            if i % every == 0 || i == unique.count - 1 {
                out += "<text x=\"\(tx)\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\">\(epoch + 1)</text>\n"
            }
        }
        out += "<text x=\"\(f(left + width / 2))\" y=\"\(f(bottom + 36))\" text-anchor=\"middle\">epoch</text>\n"
        // Value axis: five ticks with grid lines.
        for i in 0...4 {
            let value = yRange.0 + (yRange.1 - yRange.0) * Double(i) / 4
            let ty = f(py(value))
            out += "<line class=\"y-tick\" x1=\"\(f(left - 5))\" y1=\"\(ty)\" x2=\"\(f(left))\" y2=\"\(ty)\" stroke=\"#444\"/>\n"
            out += "<line x1=\"\(f(left))\" y1=\"\(ty)\" x2=\"\(f(left + width))\" y2=\"\(ty)\" stroke=\"#eee\"/>\n"
            out += "<text x=\"\(f(left - 8))\" y=\"\(ty)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(label(value))</text>\n"
        }
        if series.isEmpty {
            out += "<text x=\"\(f(left + width / 2))\" y=\"\(f(top + height / 2))\" text-anchor=\"middle\" fill=\"#888\">\(escape(empty))</text>\n"
        }
        for s in series {
            let points = s.points.map { "\(f(px($0.epoch))),\(f(py($0.value)))" }.joined(separator: " ")
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<polyline class=\"series-\(s.id)\" points=\"\(points)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
            for p in s.points {
                out += "<circle cx=\"\(f(px(p.epoch)))\" cy=\"\(f(py(p.value)))\" r=\"3\" fill=\"\(s.color)\"/>\n"
            }
        }
        // Legend, top right inside the plot area.
        for (i, s) in series.enumerated() {
            let ly = top + 14 + Double(i) * 18
            let lx = left + width - 150
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<g class=\"legend\"><line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(f(lx + 30))\" y=\"\(f(ly))\" dominant-baseline=\"middle\">\(escape(s.label))</text></g>\n"
        }
        out += "</g>\n"
        return out
    }

    /// `value` as a coordinate with at most two decimals.
    private static func f(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// `value` as a short tick label.
    private static func label(_ value: Double) -> String {
        String(format: "%.3g", value)
    }

    /// `text` with XML's special characters escaped.
    private static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
