// Checks a plan's `show` line: each column a declared `field` or a standard deal column (P312), none named twice (P313).

extension Checker {
    /// The deal columns the plan shows on lines, in the order written; the ones in error are left out.
    mutating func checkShow() -> [ShownColumn] {
        guard let show = ast.show else { return [] }
        var out: [ShownColumn] = []
        var first: [String: SourceSpan] = [:]
        let standard = DealField.standard.map(\.0)
        for column in show.value {
            let name = column.value
            if let at = first[name] {
                error("P313", "the `show` line names `deal.\(name)` twice", at: span(column), notes: [.note("first named here", at: at)])
                continue
            }
            first[name] = span(column)
            if let field = DealField.standard.first(where: { $0.0 == name })?.1 {
                out.append(ShownColumn(name: name, field: field))
            } else if let i = fields.firstIndex(where: { $0.name == name }) {
                out.append(ShownColumn(name: name, field: .extra(i)))
            } else if ast.fields.contains(where: { !$0.activity && $0.name.value == name }) {
                // Declared, but in error (reported at its `field` line).
                continue
            } else {
                error("P312", "unknown deal column `deal.\(name)` in `show`", at: span(column),
                      notes: Suggestion.help(for: name, in: standard + fields.map(\.name))
                          + [.help("a column of deals.csv the plan shows needs a `field \(name)` line; standard columns are \(standard.map { "`\($0)`" }.joined(separator: ", "))")])
            }
        }
        return out
    }
}

extension ExtraField {
    /// A deal column's value as a statement shows it: text as it is, amounts with the currency's digits, dates ISO.
    static func shownText(_ value: Value) -> String {
        switch value {
        case .money(let r, let c): return Value.decimalText(r, minimumScale: c.minorUnits)
        case .number(let r): return Value.decimalText(r, minimumScale: 0)
        case .text(let s): return s
        case .percent, .date, .bool: return value.text
        }
    }
}
