// Which payroll earning code each kind of statement line is paid under, and reading that table from a small CSV.

/// The payroll earning code for each kind of statement line.
///
/// The defaults are `COMM` (commission), `BONUS` (bonus), `SPIF` (spif), `OVR` (override), `ADJ` (adjustment),
/// `DRAW` (draw), `CLAW` (clawback), `TRUEUP` (year-to-date true-up), `HOLD` (held) and `RELEASE` (released).
/// Several kinds may share one code; the payroll export then sums them into one row.
public struct EarningCodes: Sendable, Hashable {
    var codes: [LineKind: String]

    /// Every kind, in the order they are listed in messages.
    static let kinds: [LineKind] = LineKind.allCases

    /// The default code of a kind.
    public static func defaultCode(_ kind: LineKind) -> String {
        switch kind {
        case .commission: return "COMM"
        case .bonus: return "BONUS"
        case .spif: return "SPIF"
        case .override: return "OVR"
        case .adjustment: return "ADJ"
        case .draw: return "DRAW"
        case .clawback: return "CLAW"
        case .trueUp: return "TRUEUP"
        case .hold: return "HOLD"
        case .release: return "RELEASE"
        }
    }

    /// `COMM`, `BONUS`, `SPIF`, `OVR` and `ADJ`.
    public static let standard = EarningCodes()

    /// The default codes, with `overrides` replacing some of them.
    public init(_ overrides: [LineKind: String] = [:]) {
        var codes: [LineKind: String] = [:]
        for kind in EarningCodes.kinds { codes[kind] = overrides[kind] ?? EarningCodes.defaultCode(kind) }
        self.codes = codes
    }

    /// The earning code lines of `kind` are paid under.
    public subscript(kind: LineKind) -> String {
        codes[kind] ?? EarningCodes.defaultCode(kind)
    }

    /// Reads a table with a header row `kind,code` and one row per kind, e.g. `commission,COMM`.
    ///
    /// Kinds the file does not list keep their default code. An unknown kind, a kind listed twice,
    /// an empty code or a missing column is an error with the file, line and column; all are reported.
    public static func parse(_ text: String, path: String) -> Result<EarningCodes, Diagnostics> {
        let (records, csvErrors) = CSVReader(path: path, bytes: Array(text.utf8)).read()
        var diagnostics = csvErrors
        guard let head = records.first else {
            diagnostics.append(.error("D202", "the file is empty; expected a header row with `kind`, `code`",
                                      at: SourceSpan(path: path, line: 1, column: 1, width: 1, lineText: "")))
            return .failure(diagnostics)
        }
        var header: [String: Int] = [:]
        for (i, name) in head.fields.enumerated() {
            let key = name.trimmingSpaces()
            if header[key] != nil {
                diagnostics.append(.error("D203", "column `\(key)` appears twice in the header",
                                          at: SourceSpan(path: path, line: head.line, column: head.column(i), width: max(1, name.count), lineText: head.lineText)))
                continue
            }
            header[key] = i
        }
        var missing = false
        for name in ["kind", "code"] where header[name] == nil {
            missing = true
            diagnostics.append(.error("D204", "missing column `\(name)`",
                                      at: SourceSpan(path: path, line: head.line, column: 1, width: max(1, head.lineText.count), lineText: head.lineText),
                                      notes: Suggestion.help(for: name, in: Array(header.keys))))
        }
        if missing { return .failure(DataLoader.capped(diagnostics, path: path)) }
        let kindColumn = header["kind"]!
        let codeColumn = header["code"]!
        var overrides: [LineKind: String] = [:]
        var firstLine: [LineKind: Int] = [:]
        for r in records.dropFirst() {
            func span(_ column: Int, _ text: String) -> SourceSpan {
                let col = column < r.fieldStarts.count ? r.column(column) : r.lineText.count + 1
                return SourceSpan(path: path, line: r.line, column: col, width: max(1, text.count), lineText: r.lineText)
            }
            guard r.fields.count == head.fields.count else {
                diagnostics.append(.error("D205", "expected \(head.fields.count) fields as in the header, found \(r.fields.count)",
                                          at: SourceSpan(path: path, line: r.line, column: 1, width: max(1, r.lineText.count), lineText: r.lineText)))
                continue
            }
            let name = r.fields[kindColumn].trimmingSpaces()
            let code = r.fields[codeColumn].trimmingSpaces()
            guard let kind = LineKind(rawValue: name) else {
                let known = kinds.map(\.rawValue)
                diagnostics.append(.error("D250", "unknown line kind `\(name)`", at: span(kindColumn, r.fields[kindColumn]),
                                          notes: Suggestion.help(for: name, in: known) + [.note("kinds are \(known.map { "`\($0)`" }.joined(separator: ", "))")]))
                continue
            }
            if let first = firstLine[kind] {
                diagnostics.append(.error("D251", "kind `\(name)` appears twice", at: span(kindColumn, r.fields[kindColumn]),
                                          notes: [.note("first on line \(first)")]))
                continue
            }
            firstLine[kind] = r.line
            if code.isEmpty {
                diagnostics.append(.error("D252", "the earning code for `\(name)` is empty", at: span(codeColumn, r.fields[codeColumn]),
                                          notes: [.help("write a code such as `\(defaultCode(kind))`, or remove the row to use it")]))
                continue
            }
            overrides[kind] = code
        }
        if diagnostics.hasErrors { return .failure(DataLoader.capped(diagnostics, path: path)) }
        return .success(EarningCodes(overrides))
    }
}
