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
        let indent = String(repeating: " ", count: shownBefore.count)
        let width = within > before ? max(shownWithin.count, span.width - (within - before) + shownWithin.count) : span.width
        let marker = "^" + String(repeating: "~", count: max(0, width - 1))
        return "\(gutter) |\n\(number) | \(line)\n\(gutter) | \(indent)\(marker)\n"
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
