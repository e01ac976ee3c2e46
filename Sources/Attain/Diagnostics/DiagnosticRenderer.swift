// Renders diagnostics the way compilers people like do: location line, source with a caret, notes.

/// Turns diagnostics into text:
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
            out += "\(span.path):\(span.line):\(span.column): "
        }
        out += "\(d.severity.rawValue)[\(d.code)]: \(d.message)\n"
        if let span = d.span {
            out += snippet(span)
        }
        for note in d.notes {
            if let span = note.span {
                out += "\(span.path):\(span.line):\(span.column): \(note.kind.rawValue): \(note.message)\n"
                out += snippet(span)
            } else {
                out += "  = \(note.kind.rawValue): \(note.message)\n"
            }
        }
        return out
    }

    static func snippet(_ span: SourceSpan) -> String {
        if span.lineText.isEmpty { return "" }
        let number = String(span.line)
        let gutter = String(repeating: " ", count: number.count)
        let line = span.lineText.replacingTabs()
        let indent = String(repeating: " ", count: max(0, span.column - 1))
        let marker = "^" + String(repeating: "~", count: max(0, span.width - 1))
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
        if let span = d.span { out += "\(span.path):\(span.line):\(span.column): " }
        return out + "\(d.severity.rawValue)[\(d.code)]: \(d.message)"
    }
}
