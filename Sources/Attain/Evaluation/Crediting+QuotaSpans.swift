// Crediting's part in quota spans: a year-to-date window that runs on across rows of the same plan, and warnings for
// quota rows whose dates cannot hold the span their quota is read for.

extension Crediting {
    /// A year-to-date part: its window starts at the first of January (or the hire date), or at the first of the rows of
    /// the same plan that lead up to the assignment without a gap, and those rows' quotas add up.
    ///
    /// A row of the same plan earlier in the year that does not lead up to it (a gap between rows) is warned of (R314):
    /// the window starts again after the gap, while the true-up still takes off everything the year paid under the plan.
    mutating func yearToDate(_ part: Part, of rep: Rep) -> Part {
        let rows = yearToDateRows(of: rep, to: part.assignment)
        let all = prepared.assignmentsByRep[rep.id] ?? []
        if let earlier = all.first(where: { $0.plan == part.plan.name && $0.start >= period.year.start && $0.start < rows[0].start }),
           reportedPlans.insert("R314 \(rep.id) \(part.plan.name)").inserted {
            diagnostics.append(.warning("R314", "rep `\(rep.id)` has a gap between rows of year-to-date plan \"\(part.plan.name)\" before \(rows[0].start): the year to date starts again there, so deals closed under the row on line \(earlier.line) no longer count, while the true-up still takes off what they were paid",
                                        at: span(part.assignment),
                                        notes: [.help("make the rows follow each other without a gap (end one the day before the next starts), or end the plan and start another")]))
        }
        let end = Evaluator.activeWindow(rep: rep, assignment: part.assignment, period: period.yearToDate)!.end
        var out = Part(assignment: part.assignment, plan: part.plan, window: (max(period.year.start, rep.hireDate, rows[0].start), end),
                       inPeriod: part.inPeriod)
        if rows.count > 1 { out.quotaRows = rows }
        return out
    }

    /// The rep's rows of `a`'s plan that lead up to it in its year, each ending the day before the next starts, then `a`.
    func yearToDateRows(of rep: Rep, to a: Assignment) -> [Assignment] {
        let all = prepared.assignmentsByRep[rep.id] ?? []
        var rows = [a]
        while let first = rows.first, first.start > period.year.start,
              let before = all.first(where: { $0.plan == a.plan && $0.end.map { $0.dayNumber + 1 == first.start.dayNumber } ?? false }) {
            rows.insert(before, at: 0)
        }
        return rows
    }

    /// Warns (R313) of each quota row that covers exactly one calendar month or quarter while its quota is read for a
    /// longer span, saying what is assumed and how much of the row's quota counts.
    mutating func warnOfQuotaSpans(_ part: Part, of rep: Rep) {
        let plan = part.plan
        let measured = plan.yearToDate != nil ? period.year : period
        var warned: Set<String> = []
        for m in plan.measures {
            guard case .assignmentColumn(let column, let trace)? = m.quota else { continue }
            let kind = m.quotaSpan?.kind(in: plan) ?? QuotaSpan.assumed(in: plan)
            for row in part.quotaRows.isEmpty ? [part.assignment] : part.quotaRows {
                guard let end = row.end, let unit = Crediting.calendarUnit(from: row.start, to: end, in: plan.calendar),
                      Crediting.spanOrder(unit) < Crediting.spanOrder(kind), let cell = row.extras[column],
                      let w = Evaluator.activeWindow(rep: rep, assignment: row, period: measured),
                      warned.insert("\(row.line) \(column)").inserted else { continue }
                let covered = Period.containing(row.start, kind: unit, in: plan.calendar)
                let span = Period.containing(w.start, kind: kind, in: plan.calendar)
                let days = w.end.dayNumber - w.start.dayNumber + 1
                let assumed: String
                switch m.quotaSpan {
                case nil where plan.yearToDate != nil: assumed = "a year's quota (the plan states no span, and pays year to date)"
                case nil: assumed = "a \(kind.noun)'s quota (the plan states no span: one payout period)"
                case .period?: assumed = "a \(kind.noun)'s quota (`per period`)"
                case let s?: assumed = "a \(kind.noun)'s quota (`per \(s.rawValue)`)"
                }
                let at = SourceSpan(path: prepared.data.assignmentsPath, line: row.line, column: cell.column, width: max(1, cell.text.count), lineText: row.lineText)
                let toward = plan.yearToDate != nil ? "the year's" : "the \(plan.periodKind.noun)'s"
                diagnostics.append(.warning("R313", "the `\(column)` of rep `\(rep.id)` on plan \"\(plan.name)\", \(cell.text), is read as \(assumed), but its row covers only \(covered) (\(row.start) to \(end)): \(days)/\(span.dayCount) of it counts toward \(toward) quota",
                                            at: at, notes: [.note("the quota of measure `\(m.name)`", at: trace),
                                                            .help("if it is a \(covered.kind.rawValue)'s quota, write `quota from assignment\(column == "quota" ? "" : "." + column) per \(covered.kind.rawValue)` under `measure \(m.name)`")]))
            }
        }
    }

    /// `.month` or `.quarter` when the dates are exactly one month or one quarter of `calendar` (a fiscal quarter
    /// on a fiscal plan), else nil.
    static func calendarUnit(from start: CivilDate, to end: CivilDate, in calendar: PeriodCalendar = .gregorian) -> PeriodKind? {
        [PeriodKind.month, .quarter].first { kind in
            let p = Period.containing(start, kind: kind, in: calendar)
            return p.start == start && p.end == end
        }
    }

    /// Spans from the shortest: month, quarter, half, year.
    static func spanOrder(_ kind: PeriodKind) -> Int {
        switch kind {
        case .semiMonthly, .biweekly: return -1
        case .month: return 0
        case .quarter: return 1
        case .half: return 2
        case .year: return 3
        }
    }
}
