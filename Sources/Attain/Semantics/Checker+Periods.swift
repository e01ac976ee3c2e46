// The checker's part in fiscal years and short periods: the `fiscal year starts …` line and the anchor of
// `period biweekly from …`, made into the plan's period calendar.

extension Checker {
    /// The plan's period calendar from its header, and where its `fiscal year starts` line is. Errors: E195 (a fiscal
    /// year that does not start on the first of a month), E196 (a biweekly plan without its anchor), E197 (an anchor on
    /// another period kind).
    mutating func checkCalendar(_ kind: PeriodKind) -> (calendar: PeriodCalendar, trace: SourceSpan?) {
        var month = 1
        var trace: SourceSpan?
        if let e = ast.fiscalStart {
            trace = span(ast.fiscalStartAt, e.end)
            if let d = constantDate(e) {
                if d.day == 1 {
                    month = d.month
                } else {
                    let first = CivilDate(year: d.year, month: d.month, day: 1)!
                    error("E195", "a fiscal year starts on the first day of a month; found `\(d)`", at: span(e),
                          notes: [.help("write `fiscal year starts \(first)`: only the month counts, the year written anchors it")])
                }
            }
        }
        var anchor: CivilDate?
        if let e = ast.periodAnchor {
            if kind != .biweekly, let p = ast.period, PeriodKind(rawValue: p.value) != nil {
                error("E197", "only biweekly periods are counted from a date; `period \(p.value)` follows the calendar", at: span(e),
                      notes: [.help("write `period \(p.value)`, or `period biweekly from \(constantDateText(e) ?? "2026-01-05")`")])
            } else if let d = constantDate(e) {
                anchor = d
            }
        } else if kind == .biweekly, let p = ast.period {
            error("E196", "a biweekly plan says the first day of one of its periods", at: span(p),
                  notes: [.help("write `period biweekly from 2026-01-05`: periods of 14 days from that day, before and after it")])
        }
        return (PeriodCalendar(fiscalStartMonth: month, biweeklyAnchor: anchor), trace)
    }

    /// The date an expression is, as written, when it is a date literal.
    func constantDateText(_ e: Expr) -> String? {
        if case .date(let d) = e.kind { return d.description }
        return nil
    }
}
