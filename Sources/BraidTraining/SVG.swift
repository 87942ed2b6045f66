import BraidData
import Foundation

/// What the charts share: the document frame, escaping, coordinates, round-number ticks and the
/// atomic write. The frame, escaping and write are `package`, for the examples' contact sheets.
package enum SVG {
    /// The series colours, in order (matplotlib's tab10).
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// The colour of the `index`th series.
    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// A white `width` × `height` document titled `title`, holding `body`.
    package static func document(width: Int, height: Int, title: String, body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
        viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="24" text-anchor="middle" font-size="16">\(escape(title))</text>
        \(body)</svg>

        """
    }

    /// Writes `svg` to `path`, replacing any file there atomically; throws `ReportWriteError`.
    package static func write(_ svg: String, to path: String) throws(ReportWriteError) {
        do throws(AtomicFile.Failure) { try AtomicFile.write(Array(svg.utf8), to: path) } catch {
            throw ReportWriteError(path: path, reason: error.reason)
        }
    }

    /// Round-number ticks (steps of 1, 2 or 5 × 10ᵏ) whose first is at or below `low` and whose
    /// last is at or above `high`, about `target` of them; `integers` keeps the step at 1 or more
    /// and gives a single tick when `low` equals `high`. Non-finite or reversed bounds give 0 and 1.
    static func ticks(_ low: Double, _ high: Double, target: Int = 5, integers: Bool = false) -> Ticks {
        guard low.isFinite, high.isFinite, low <= high else { return Ticks(values: [0, 1], decimals: 0) }
        var (low, high) = (low, high)
        if high - low < 1e-12 {
            if integers { return Ticks(values: [low.rounded()], decimals: 0) }
            let pad = max(abs(high) * 0.1, 0.5)
            (low, high) = (low - pad, high + pad)
        }
        let rough = (high - low) / Double(max(target - 1, 1))
        let magnitude = pow(10, log10(rough).rounded(.down))
        let fraction = rough / magnitude
        var step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude  // Heckbert's nice numbers
        if integers { step = max(step.rounded(), 1) }
        let first = Int((low / step + 1e-9).rounded(.down)), last = Int((high / step - 1e-9).rounded(.up))
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        return Ticks(values: (first...max(first, last)).map { Double($0) * step }, decimals: decimals)
    }

    /// Tick values and the decimals their labels need.
    struct Ticks {
        /// The values, ascending; the first and last bound the axis.
        let values: [Double]
        /// Digits after the decimal point in every label.
        let decimals: Int
        /// The axis range (one value when there is a single tick).
        var range: (low: Double, high: Double) { (values.first!, values.last!) }
        /// The label of `value`.
        func label(_ value: Double) -> String { String(format: "%.\(decimals)f", value) }
    }

    /// `value` as a coordinate with at most two decimals.
    static func f(_ value: Double) -> String { String(format: "%.2f", value) }

    /// `text` with XML's special characters escaped.
    package static func escape(_ text: String) -> String {
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
