import Braid
import BraidTraining

/// An SVG page of images in a grid, each with a few lines of text under it: generated and
/// reference captions of a captioning run, or the retrievals of a retrieval run.
///
/// Each image is embedded as a PNG data URI (``PNG``), drawn `scale` times its size without
/// smoothing (`image-rendering: pixelated`); each text line is wrapped at word boundaries to the
/// width of a cell and XML-escaped. The first line of each image is drawn in black, the others in
/// grey. The page has a white background and `title` at the top, as Braid's charts.
public enum ContactSheet {
    /// The SVG document of `images` (`[N, 3, H, W]` in 0…1) with `lines[i]` under image i,
    /// `columns` images to a row.
    public static func svg(title: String, images: Tensor, lines: [[String]], columns: Int = 5, scale: Int = 2) -> String {
        check(images.rank == 4 && images.shape[1] == 3, "ContactSheet: expected images [N, 3, H, W], got \(images.shape)")
        check(lines.count == images.shape[0], "ContactSheet: \(lines.count) text entries for \(images.shape[0]) images")
        check(columns > 0 && scale > 0, "ContactSheet: columns (\(columns)) and scale (\(scale)) must be positive")
        let (count, height, width) = (images.shape[0], images.shape[2], images.shape[3])
        let cellWidth = max(width * scale, 160) + 16
        let charactersPerLine = (cellWidth - 8) / 6  // about 6 pixels a character at 11 px
        let wrapped = lines.map { $0.map { wrap($0, width: charactersPerLine) } }
        let textLines = wrapped.map { $0.joined().count }.max() ?? 0
        let lineHeight = 14, top = 44
        let cellHeight = height * scale + 10 + textLines * lineHeight + 12
        let rows = (count + columns - 1) / columns
        var body = ""
        for index in 0..<count {
            let (x, y) = ((index % columns) * cellWidth + 8, top + (index / columns) * cellHeight)
            let image = images.indexSelect(axis: 0, indices: [index]).reshaped(to: [3, height, width])
            body += "<image x=\"\(x + (cellWidth - 16 - width * scale) / 2)\" y=\"\(y)\" width=\"\(width * scale)\" "
                + "height=\"\(height * scale)\" style=\"image-rendering:pixelated\" href=\"\(PNG.dataURI(image))\"/>\n"
            var lineY = y + height * scale + 10 + 11
            for (entry, pieces) in wrapped[index].enumerated() {
                for piece in pieces {
                    body += "<text x=\"\(x)\" y=\"\(lineY)\" font-size=\"11\" fill=\"\(entry == 0 ? "black" : "#555555")\">"
                        + "\(SVG.escape(piece))</text>\n"
                    lineY += lineHeight
                }
            }
        }
        return SVG.document(width: max(columns, 1) * cellWidth + 8, height: top + rows * cellHeight, title: title, body: body)
    }

    /// Writes ``svg(title:images:lines:columns:scale:)`` to `path` atomically; throws
    /// `ReportWriteError`.
    public static func write(title: String, images: Tensor, lines: [[String]], columns: Int = 5, scale: Int = 2,
                             to path: String) throws(ReportWriteError) {
        try SVG.write(svg(title: title, images: images, lines: lines, columns: columns, scale: scale), to: path)
    }

    /// `text` split at spaces into lines of at most `width` characters (a longer word stands alone).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
