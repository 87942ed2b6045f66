import Braid
import BraidTraining
import Foundation

/// An SVG heat map of image–text similarities: one row per image (drawn at the row's start), one
/// column per text (numbered, the texts listed under the grid), each cell shaded from white at the
/// matrix's lowest value to dark blue at its highest and labelled with its value to two decimals.
/// The cells of matching pairs (row i, column i) are outlined, so a good model shows a dark
/// outlined diagonal.
public enum SimilarityHeatMap {
    /// The side of a cell in pixels.
    static let cell = 44

    /// The SVG document of `similarities` `[N, M]` between `images` `[N, 3, H, W]` (in 0…1) and `texts` (M of them).
    public static func svg(title: String, images: Tensor, texts: [String], similarities: Tensor) -> String {
        check(images.rank == 4 && images.shape[1] == 3, "SimilarityHeatMap: expected images [N, 3, H, W], got \(images.shape)")
        check(
            similarities.shape == [images.shape[0], texts.count],
            "SimilarityHeatMap: similarities \(similarities.shape) must be [images, texts] = [\(images.shape[0]), \(texts.count)]")
        let (rows, columns, height, width) = (images.shape[0], texts.count, images.shape[2], images.shape[3])
        let values = similarities.scalars
        let (low, high) = (values.min() ?? 0, values.max() ?? 1)
        let (left, top) = (cell + 16, 64)
        var body = ""
        for column in 0..<columns {
            body += "<text x=\"\(left + column * cell + cell / 2)\" y=\"\(top - 8)\" font-size=\"12\" text-anchor=\"middle\">\(column + 1)</text>\n"
        }
        for row in 0..<rows {
            let y = top + row * cell
            let image = images.indexSelect(axis: 0, indices: [row]).reshaped(to: [3, height, width])
            body += "<image x=\"8\" y=\"\(y + 2)\" width=\"\(cell - 4)\" height=\"\(cell - 4)\" style=\"image-rendering:pixelated\" "
                + "href=\"\(PNG.dataURI(image))\"/>\n"
            for column in 0..<columns {
                let value = values[row * columns + column]
                let t = high > low ? Double((value - low) / (high - low)) : 1
                let x = left + column * cell
                body += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(shade(t))\""
                    + (row == column ? " stroke=\"#d62728\" stroke-width=\"2\"" : "") + "/>\n"
                body += "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 4)\" font-size=\"10\" text-anchor=\"middle\" "
                    + "fill=\"\(t > 0.55 ? "white" : "black")\">\(String(format: "%.2f", value))</text>\n"
            }
        }
        var legendY = top + rows * cell + 24
        for (index, text) in texts.enumerated() {
            body += "<text x=\"8\" y=\"\(legendY)\" font-size=\"12\">\(index + 1). \(SVG.escape(text))</text>\n"
            legendY += 16
        }
        let gridWidth = left + columns * cell + 8
        // About 7 pixels a character of the 12 px legend, 8 of the 16 px title.
        let (legendWidth, titleWidth) = (8 + 7 * ((texts.map(\.count).max() ?? 0) + 4), 16 + 8 * title.count)
        return SVG.document(width: max(gridWidth, legendWidth, titleWidth), height: legendY + 8, title: title, body: body)
    }

    /// Writes ``svg(title:images:texts:similarities:)`` to `path` atomically; throws
    /// `ReportWriteError`.
    public static func write(title: String, images: Tensor, texts: [String], similarities: Tensor, to path: String) throws(ReportWriteError) {
        try SVG.write(svg(title: title, images: images, texts: texts, similarities: similarities), to: path)
    }

    /// White at 0 to dark blue (#08306b, the end of matplotlib's Blues) at 1.
    static func shade(_ t: Double) -> String {
        let t = min(max(t, 0), 1)
        let (r, g, b) = (255 + (8 - 255) * t, 255 + (48 - 255) * t, 255 + (107 - 255) * t)
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }
}
