import Foundation

/// A self-contained SVG chart of per-epoch figures of one or more training runs (a fused model
/// and its single-modality baselines, or every method of a comparison), with no dependencies.
///
/// Two panels side by side: on the left each run's training loss (solid) and validation loss
/// (dashed), on the right each run's validation accuracy; one colour per run, named in a legend.
/// When no run has a validation accuracy, the loss panel takes the whole width.
/// Both axes have ticks at round numbers (steps of 1, 2 or 5 × 10ᵏ; whole epochs, numbered from
/// 1), the loss axis starts at 0 when the losses sit close to it and the accuracy axis spans
/// 0–1. Every point has a dot, so a single epoch shows. Records missing a figure, or holding a
/// non-finite one, leave that point out; a series with no points is left out, and a panel with
/// none says so.
///
/// Elements carry classes for styling and inspection: `series-training-loss`,
/// `series-validation-loss` and `series-validation-accuracy` on the polylines (with the run's
/// label in `data-run`), `x-tick` and `y-tick` on tick marks, `legend` on legend entries.
public enum TrainingCurves {
    /// The chart's width and height in pixels.
    public static let size = (width: 960, height: 420)

    /// One plotted line.
    private struct Series {
        let kind: String
        let run: String
        let color: String
        let dashed: Bool
        let points: [(epoch: Int, value: Double)]
    }

    /// The SVG document charting `runs` (a label and its records each) under `title`.
    public static func svg(_ runs: [(label: String, records: [EpochRecord])], title: String) -> String {
        func series(_ kind: String, _ run: Int, dashed: Bool, _ value: (EpochRecord) -> Float?) -> Series {
            let points = runs[run].records.compactMap { record -> (epoch: Int, value: Double)? in
                guard let v = value(record), v.isFinite else { return nil }
                return (record.epoch + 1, Double(v))
            }
            return Series(kind: kind, run: runs[run].label, color: SVG.color(run), dashed: dashed, points: points)
        }
        let losses = runs.indices.flatMap { run in
            [series("training-loss", run, dashed: false) { $0.trainingLoss },
             series("validation-loss", run, dashed: true) { $0.validationLoss }]
        }.filter { !$0.points.isEmpty }
        let accuracies = runs.indices.map { run in series("validation-accuracy", run, dashed: false) { $0.validationAccuracy } }
            .filter { !$0.points.isEmpty }
        let epochs = runs.flatMap { $0.records.map { $0.epoch + 1 } }
        let epochTicks = SVG.ticks(Double(epochs.min() ?? 1), Double(epochs.max() ?? 1), target: 8, integers: true)

        let lossValues = losses.flatMap { $0.points.map(\.value) }
        var low = lossValues.min() ?? 0
        let high = lossValues.max() ?? 1
        if low > 0 && low < (high - low) * 0.5 { low = 0 }
        var body = panel(x: 70, width: 380, title: "loss", series: losses, epochTicks: epochTicks, valueTicks: SVG.ticks(low, high),
                         empty: "no loss values")
        if accuracies.isEmpty {
            body = panel(x: 70, width: 860, title: "loss", series: losses, epochTicks: epochTicks,
                         valueTicks: SVG.ticks(low, high), empty: "no loss values")
        } else {
            body += panel(x: 70 + 480, width: 380, title: "validation accuracy", series: accuracies, epochTicks: epochTicks,
                          valueTicks: SVG.ticks(0, 1), empty: "no validation accuracy")
        }
        body += legend(runs.map(\.label), losses: losses, x: 70, y: Double(size.height) - 22)
        return SVG.document(width: size.width, height: size.height, title: title, body: body)
    }

    /// Writes ``svg(_:title:)`` to `path`, replacing any file there atomically (as
    /// `RunReport.write(to:)` does); throws `ReportWriteError` when the file cannot be written.
    public static func write(
        _ runs: [(label: String, records: [EpochRecord])], title: String, to path: String
    ) throws(ReportWriteError) {
        try SVG.write(svg(runs, title: title), to: path)
    }

    /// One panel: a plot area `width` × 290 whose left edge is at `x`.
    private static func panel(
        x: Int, width: Double, title: String, series: [Series], epochTicks: SVG.Ticks, valueTicks: SVG.Ticks, empty: String
    ) -> String {
        let (left, top, height) = (Double(x), 50.0, 290.0)
        let bottom = top + height
        let (first, last) = epochTicks.range, (low, high) = valueTicks.range
        func px(_ epoch: Double) -> Double { last == first ? left + width / 2 : left + width * (epoch - first) / (last - first) }
        func py(_ value: Double) -> Double { bottom - height * (value - low) / (high - low) }
        let f = SVG.f
        var out = "<g class=\"panel\">\n"
        out += "<text x=\"\(f(left + width / 2))\" y=\"\(f(top - 8))\" text-anchor=\"middle\" font-size=\"13\">\(SVG.escape(title))</text>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#888\"/>\n"
        for epoch in epochTicks.values {
            let tx = f(px(epoch))
            out += "<line class=\"x-tick\" x1=\"\(tx)\" y1=\"\(f(bottom))\" x2=\"\(tx)\" y2=\"\(f(bottom + 5))\" stroke=\"#444\"/>\n"
            out += "<text x=\"\(tx)\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\">\(epochTicks.label(epoch))</text>\n"
        }
        out += "<text x=\"\(f(left + width / 2))\" y=\"\(f(bottom + 36))\" text-anchor=\"middle\">epoch</text>\n"
        for value in valueTicks.values {
            let ty = f(py(value))
            out += "<line class=\"y-tick\" x1=\"\(f(left - 5))\" y1=\"\(ty)\" x2=\"\(f(left))\" y2=\"\(ty)\" stroke=\"#444\"/>\n"
            out += "<line x1=\"\(f(left))\" y1=\"\(ty)\" x2=\"\(f(left + width))\" y2=\"\(ty)\" stroke=\"#eee\"/>\n"
            out += "<text x=\"\(f(left - 8))\" y=\"\(ty)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(valueTicks.label(value))</text>\n"
        }
        if series.isEmpty {
            out += "<text x=\"\(f(left + width / 2))\" y=\"\(f(top + height / 2))\" text-anchor=\"middle\" fill=\"#888\">\(SVG.escape(empty))</text>\n"
        }
        for s in series {
            let points = s.points.map { "\(f(px(Double($0.epoch)))),\(f(py($0.value)))" }.joined(separator: " ")
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<polyline class=\"series-\(s.kind)\" data-run=\"\(SVG.escape(s.run))\" points=\"\(points)\" fill=\"none\" "
                + "stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
            for p in s.points {
                out += "<circle cx=\"\(f(px(Double(p.epoch))))\" cy=\"\(f(py(p.value)))\" r=\"3\" fill=\"\(s.color)\"/>\n"
            }
        }
        return out + "</g>\n"
    }

    /// One legend row under the panels: a coloured swatch per run, then what solid and dashed
    /// lines mean when any validation loss is drawn.
    private static func legend(_ labels: [String], losses: [Series], x: Int, y: Double) -> String {
        let f = SVG.f
        var out = "", lx = Double(x)
        for (index, label) in labels.enumerated() {
            out += "<g class=\"legend\"><line x1=\"\(f(lx))\" y1=\"\(f(y))\" x2=\"\(f(lx + 24))\" y2=\"\(f(y))\" stroke=\"\(SVG.color(index))\" stroke-width=\"3\"/>"
            out += "<text x=\"\(f(lx + 30))\" y=\"\(f(y))\" dominant-baseline=\"middle\">\(SVG.escape(label))</text></g>\n"
            lx += 40 + 7 * Double(label.count)
        }
        if losses.contains(where: \.dashed) {
            out += "<g class=\"legend\"><line x1=\"\(f(lx + 20))\" y1=\"\(f(y))\" x2=\"\(f(lx + 44))\" y2=\"\(f(y))\" stroke=\"#444\" stroke-width=\"2\"/>"
            out += "<text x=\"\(f(lx + 50))\" y=\"\(f(y))\" dominant-baseline=\"middle\">training</text>"
            out += "<line x1=\"\(f(lx + 120))\" y1=\"\(f(y))\" x2=\"\(f(lx + 144))\" y2=\"\(f(y))\" stroke=\"#444\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
            out += "<text x=\"\(f(lx + 150))\" y=\"\(f(y))\" dominant-baseline=\"middle\">validation</text></g>\n"
        }
        return out
    }
}
