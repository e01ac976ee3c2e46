// Where an error in a CSV file is, with a long line cut so that a message about it stays short.

extension SourceSpan {
    /// Characters of a CSV line shown under a message; a longer line is cut, and a span beyond them shows no line.
    static let shownLineCharacters = 200
    /// Carets shown under a span at most.
    static let shownWidth = 60

    /// A span in a CSV line: file, line and column exact, the line's text cut to its first 200 characters ("…" after),
    /// and no text at all when the span starts beyond them; the caret at most 60 wide and within the text shown.
    static func csv(path: String, line: Int, column: Int, width: Int, lineText: String) -> SourceSpan {
        let width = max(1, width)
        guard lineText.utf8.count > shownLineCharacters else {
            return SourceSpan(path: path, line: line, column: column, width: width, lineText: lineText)
        }
        var end = lineText.startIndex, count = 0
        while end < lineText.endIndex && count < shownLineCharacters {
            end = lineText.index(after: end)
            count += 1
        }
        if end == lineText.endIndex {
            return SourceSpan(path: path, line: line, column: column, width: width, lineText: lineText)
        }
        guard column <= shownLineCharacters else {
            return SourceSpan(path: path, line: line, column: column, width: min(width, shownWidth), lineText: "")
        }
        return SourceSpan(path: path, line: line, column: column, width: max(1, min(width, shownWidth, shownLineCharacters - column + 1)),
                          lineText: String(lineText[..<end]) + "…")
    }
}

extension Diagnostic {
    /// The diagnostic with its span (and its notes' spans) cut as `SourceSpan.csv` cuts one.
    func withCSVSpanCut() -> Diagnostic {
        func cut(_ s: SourceSpan?) -> SourceSpan? {
            s.map { SourceSpan.csv(path: $0.path, line: $0.line, column: $0.column, width: $0.width, lineText: $0.lineText) }
        }
        return Diagnostic(severity, code: code, message, at: cut(span),
                          notes: notes.map { $0.span == nil ? $0 : Note(kind: $0.kind, message: $0.message, span: cut($0.span)) })
    }
}
