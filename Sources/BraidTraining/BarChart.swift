import Foundation

/// A self-contained SVG chart of one figure per method with its spread: a horizontal bar per
/// method (mean) with a whisker of ± one standard deviation and the value written beside it,
/// on an axis from 0 with ticks at round numbers.
///
/// Elements carry classes for inspection: `bar` (with the method in `data-label`), `whisker`,
/// `x-tick`.
public enum BarChart {
    /// One method's bar.
    public struct Bar: Sendable, Equatable {
        /// The method's name.
        public var label: String
        /// The bar's length (a mean).
        public var value: Double
        /// The whisker's half-width (a standard deviation); 0 for none.
        public var spread: Double

        /// A bar of `value` ± `spread` for `label`.
        public init(label: String, value: Double, spread: Double = 0) {
            (self.label, self.value, self.spread) = (label, value, spread)
        }
    }

    /// The SVG document of `bars`, top to bottom in the given order, under `title`, with the
    /// value axis named `axisLabel` and values written with `decimals` digits.
    public static func svg(_ bars: [Bar], title: String, axisLabel: String, decimals: Int = 1) -> String {
        let (left, top, width, rowHeight) = (170.0, 50.0, 620.0, 26.0)
        let height = rowHeight * Double(max(bars.count, 1))
        let finite = bars.filter { ($0.value + $0.spread).isFinite && $0.spread.isFinite }
        let ticks = SVG.ticks(0, max(finite.map { $0.value + $0.spread }.max() ?? 1, 1e-9))
        let high = ticks.range.high
        func px(_ value: Double) -> Double { left + width * max(0, value) / high }
        let f = SVG.f
        var body = "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#888\"/>\n"
        for value in ticks.values {
            let tx = f(px(value))
            body += "<line x1=\"\(tx)\" y1=\"\(f(top))\" x2=\"\(tx)\" y2=\"\(f(top + height))\" stroke=\"#eee\"/>\n"
            body += "<line class=\"x-tick\" x1=\"\(tx)\" y1=\"\(f(top + height))\" x2=\"\(tx)\" y2=\"\(f(top + height + 5))\" stroke=\"#444\"/>\n"
            body += "<text x=\"\(tx)\" y=\"\(f(top + height + 18))\" text-anchor=\"middle\">\(ticks.label(value))</text>\n"
        }
        body += "<text x=\"\(f(left + width / 2))\" y=\"\(f(top + height + 36))\" text-anchor=\"middle\">\(SVG.escape(axisLabel))</text>\n"
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index), middle = y + rowHeight / 2
            body += "<text x=\"\(f(left - 8))\" y=\"\(f(middle))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(SVG.escape(bar.label))</text>\n"
            guard (bar.value + bar.spread).isFinite && bar.spread.isFinite else { continue }
            body += "<rect class=\"bar\" data-label=\"\(SVG.escape(bar.label))\" x=\"\(f(left))\" y=\"\(f(y + 4))\" "
                + "width=\"\(f(px(bar.value) - left))\" height=\"\(f(rowHeight - 8))\" fill=\"\(SVG.color(index))\"/>\n"
            if bar.spread > 0 {
                let (low, high) = (f(px(bar.value - bar.spread)), f(px(bar.value + bar.spread)))
                body += "<path class=\"whisker\" d=\"M\(low) \(f(middle))H\(high)M\(low) \(f(middle - 5))V\(f(middle + 5))"
                    + "M\(high) \(f(middle - 5))V\(f(middle + 5))\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>\n"
            }
            let text = String(format: "%.\(decimals)f", bar.value) + (bar.spread > 0 ? String(format: " ± %.\(decimals)f", bar.spread) : "")
            body += "<text x=\"\(f(px(bar.value + bar.spread) + 6))\" y=\"\(f(middle))\" dominant-baseline=\"middle\">\(text)</text>\n"
        }
        return SVG.document(width: Int(left + width + 110), height: Int(top + height + 50), title: title, body: body)
    }

    /// Writes ``svg(_:title:axisLabel:decimals:)`` to `path`, replacing any file there atomically;
    /// throws `ReportWriteError` when the file cannot be written.
    public static func write(
        _ bars: [Bar], title: String, axisLabel: String, decimals: Int = 1, to path: String
    ) throws(ReportWriteError) {
        try SVG.write(svg(bars, title: title, axisLabel: axisLabel, decimals: decimals), to: path)
    }
}
