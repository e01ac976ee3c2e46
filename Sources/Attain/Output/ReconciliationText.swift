// The reconciliation as a short table for the terminal: where the period's deal rows went, and what each measure
// counted. The full figures (per payee, every group of rows not counted) are in summary.json.

extension Reconciliation {
    /// The table: rows read, closed in the period, counted, not counted by reason (reasons with no rows left out),
    /// closed outside the period, then each measure's count and value, then the groups left out on purpose.
    public func text() -> String {
        let label = periods.joined(separator: ", ")
        var rows: [[String]] = [["deals of \(label)", "deals", "amount", "currency"]]
        for c in currencies {
            func row(_ words: String, _ f: Figure) -> [String] {
                [words, String(f.deals), f.amount.text(minimumScale: c.currency.minorUnits), c.currency.code]
            }
            rows.append(row("read", c.read))
            rows.append(row("closed in \(label)", c.inPeriod))
            rows.append(row("  counted by a measure", c.counted))
            for reason in Reason.allCases {
                if let f = c.notCounted[reason], f.deals > 0 { rows.append(row("  not counted: \(reason.words)", f)) }
            }
            rows.append(row("closed before or after", c.outside))
        }
        var out = TextTable.render(rows, numeric: [1, 2])
        if !measures.isEmpty {
            var table: [[String]] = [["measure", "deals", "value", ""]]
            for m in measures {
                var unit = ""
                if case .money(let c) = m.unit { unit = c.code }
                table.append([m.label, String(m.deals), m.valueText, unit])
            }
            out += TextTable.render(table, numeric: [1, 2])
        }
        for g in groups where g.reason == .excludedByFilter {
            out += "left out on purpose by \(g.plan ?? "") (\(g.source ?? "")): \(Reconciliation.count(g.figure.deals)), \(g.figure.amount.text(minimumScale: g.currency.minorUnits)) \(g.currency.code), deal.\(g.field) \(Reconciliation.valueList(g))\n"
        }
        return out
    }
}
