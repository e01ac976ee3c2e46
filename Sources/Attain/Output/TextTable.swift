// Plain-text tables for the terminal: columns two spaces apart, numbers right-aligned, no trailing spaces; widths
// counted in terminal cells (a Chinese character takes two), ids and amounts isolated under a right-to-left language.

/// A table as text. Cells are shown with their invisible characters escaped (`Diagnostics.visible`): a name holding a
/// line break or a terminal control never reaches the terminal raw, and columns stay aligned.
public enum TextTable {
    /// `numeric`: the columns aligned to the right. Under a right-to-left `locale`, the cells of the `isolate` columns
    /// (the numeric ones when nil) below the header row (the first, when `header`) are wrapped in Unicode isolates, so
    /// an id or an amount keeps its order among Persian words; the isolates take no cell.
    public static func render(_ rows: [[String]], numeric: (Int) -> Bool, locale: ReportLocale = .english, header: Bool = true,
                              isolate: ((Int) -> Bool)? = nil) -> String {
        var rows = rows.map { $0.map(Diagnostics.visible) }
        if locale.isRightToLeft {
            for r in rows.indices where !(header && r == 0) {
                for c in rows[r].indices where (isolate?(c) ?? numeric(c)) && !rows[r][c].isEmpty { rows[r][c] = isolated(rows[r][c]) }
            }
        }
        var widths: [Int] = []
        let sizes = rows.map { $0.map(cells) }
        for row in sizes {
            for (i, size) in row.enumerated() {
                if i >= widths.count { widths.append(0) }
                widths[i] = max(widths[i], size)
            }
        }
        return rows.enumerated().map { r, row in
            var line = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - sizes[r][i])
                return numeric(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }

    public static func render(_ rows: [[String]], numeric: Set<Int>, locale: ReportLocale = .english, header: Bool = true) -> String {
        render(rows, numeric: { numeric.contains($0) }, locale: locale, header: header)
    }

    /// The terminal cells a cell takes: two for a wide (East Asian) character, none for a format character (an isolate,
    /// a direction mark), one for any other.
    public static func cells(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        return text.reduce(0) { n, c in
            guard let v = c.unicodeScalars.first else { return n }
            if v.properties.generalCategory == .format && c.unicodeScalars.count == 1 { return n }
            return n + DiagnosticRenderer.cells(String(c))
        }
    }
}
