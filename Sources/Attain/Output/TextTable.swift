// Plain-text tables for the terminal: columns two spaces apart, numbers right-aligned, no trailing spaces.

/// A table as text. Cells are shown with their invisible characters escaped (`Diagnostics.visible`): a name holding a
/// line break or a terminal control never reaches the terminal raw, and columns stay aligned.
public enum TextTable {
    public static func render(_ rows: [[String]], numeric: (Int) -> Bool) -> String {
        let rows = rows.map { $0.map(Diagnostics.visible) }
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i >= widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        return rows.map { row in
            var line = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }

    public static func render(_ rows: [[String]], numeric: Set<Int>) -> String {
        render(rows, numeric: { numeric.contains($0) })
    }
}
