// Renders diagnostics the way compilers people like do: location line, source with a caret, notes.

/// Turns diagnostics into text (every quoted text and source line with its invisible characters escaped,
/// `Diagnostics.visible`, so no control reaches a terminal raw):
///
///     plans/ae.plan:12:17: error[E101]: cannot add money (USD) to a percent
///        |
///     12 | measure x = deal.amount + 5%
///        |             ^~~~~~~~~~~~~~~~
///        = help: …
public enum DiagnosticRenderer {
    public static func render(_ d: Diagnostic) -> String {
        var out = ""
        if let span = d.span {
            out += "\(Diagnostics.visible(span.path)):\(span.line):\(span.column): "
        }
        out += "\(d.severity.rawValue)[\(d.code)]: \(Diagnostics.visible(d.message))\n"
        if let span = d.span {
            out += snippet(span)
        }
        for note in d.notes {
            if let span = note.span {
                out += "\(Diagnostics.visible(span.path)):\(span.line):\(span.column): \(note.kind.rawValue): \(Diagnostics.visible(note.message))\n"
                out += snippet(span)
            } else {
                out += "  = \(note.kind.rawValue): \(Diagnostics.visible(note.message))\n"
            }
        }
        return out
    }

    /// The span's line with a caret under it. Tabs become spaces; other invisible characters are escaped, and the caret
    /// moves and widens with them so it stays under the same text.
    static func snippet(_ span: SourceSpan) -> String {
        if span.lineText.isEmpty { return "" }
        let number = String(span.line)
        let gutter = String(repeating: " ", count: number.count)
        let chars = Array(span.lineText.replacingTabs())
        let before = min(chars.count, max(0, span.column - 1))
        let within = min(chars.count, before + max(1, span.width))
        let shownBefore = Diagnostics.visible(String(chars[..<before]))
        let shownWithin = Diagnostics.visible(String(chars[before..<within]))
        let line = shownBefore + shownWithin + Diagnostics.visible(String(chars[within...]))
        // Terminals give wide characters (Chinese, Japanese, Korean, full-width forms) two cells: the caret is placed
        // and sized by cells, so it stays under its text.
        let indent = String(repeating: " ", count: cells(shownBefore))
        let width = within > before ? max(cells(shownWithin), span.width - (within - before) + cells(shownWithin)) : span.width
        let marker = "^" + String(repeating: "~", count: max(0, width - 1))
        return "\(gutter) |\n\(number) | \(line)\n\(gutter) | \(indent)\(marker)\n"
    }

    /// The terminal cells a text takes: two for an East Asian wide or full-width character, one for any other.
    static func cells(_ text: String) -> Int {
        text.reduce(0) { n, c in
            guard let v = c.unicodeScalars.first?.value else { return n }
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
                || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return n + (wide ? 2 : 1)
        }
    }

    /// All diagnostics, errors and warnings in order given, then a count line when there are errors.
    public static func render(_ diagnostics: Diagnostics, trailer: String = "") -> String {
        var out = diagnostics.items.map(render).joined(separator: "\n")
        let errors = diagnostics.errors.count
        if errors > 0 {
            out += "\n\(errors) error\(errors == 1 ? "" : "s")\(trailer)\n"
        }
        return out
    }
}

extension String {
    /// Tabs become single spaces so a caret lines up under its column.
    func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}

extension DiagnosticRenderer {
    /// One line: `path:line:col: warning[R310]: message`.
    public static func plain(_ d: Diagnostic) -> String {
        var out = ""
        if let span = d.span { out += "\(Diagnostics.visible(span.path)):\(span.line):\(span.column): " }
        return out + "\(d.severity.rawValue)[\(d.code)]: \(Diagnostics.visible(d.message))"
    }
}
