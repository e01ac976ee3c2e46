// Crediting's part in target quotas: hands the payee's evaluation targets.csv and, for a team target, which reports
// count on which days (the dated hierarchy over each day, or roster.csv's tree for all time).

extension Crediting {
    /// What the evaluation of a part reads of targets.csv; nil when the data has no targets.csv.
    func targetReading(of rep: Rep, part: Part) -> TargetReading? {
        guard let book = prepared.data.targets else { return nil }
        var reading = TargetReading(book: book)
        var scopes: Set<OverrideScope> = []
        for m in part.plan.measures {
            if case .target(_, true, _)? = m.quota, let s = m.creditScope { scopes.insert(s) }
        }
        let span = part.plan.targetSpan(period)
        for scope in scopes.sorted(by: { $0.rawValue < $1.rawValue }) {
            let ids = scope == .direct ? prepared.reports[rep.id] ?? [] : subtree(of: rep.id)
            var list: [(repID: String, days: [(start: CivilDate, end: CivilDate)])] = []
            for id in ids.sorted() {
                guard let report = prepared.rep(id) else { continue }
                // The report's employed days in the span.
                let start = max(span.start, report.hireDate)
                let end = report.endDate.map { min(span.end, $0) } ?? span.end
                guard start <= end else { continue }
                guard let h = prepared.data.hierarchy, let m = h.place[rep.id], let r = h.place[id] else {
                    list.append((id, [(start, end)]))
                    continue
                }
                // The runs of days on which the report is below the payee in this scope.
                var runs: [(start: CivilDate, end: CivilDate)] = []
                var open: CivilDate?, last = start, day = start
                while day <= end {
                    if h.reports(place: r, to: m, on: day, direct: scope == .direct) {
                        if open == nil { open = day }
                        last = day
                    } else if let o = open {
                        runs.append((o, last))
                        open = nil
                    }
                    day = Crediting.day(after: day)
                }
                if let o = open { runs.append((o, last)) }
                if !runs.isEmpty { list.append((id, runs)) }
            }
            reading.team[scope] = list
        }
        return reading
    }

    /// The calendar day after `d`.
    static func day(after d: CivilDate) -> CivilDate {
        if d.day < CivilDate.daysIn(month: d.month, year: d.year) { return CivilDate(year: d.year, month: d.month, day: d.day + 1)! }
        return d.month == 12 ? CivilDate(year: d.year + 1, month: 1, day: 1)! : CivilDate(year: d.year, month: d.month + 1, day: 1)!
    }
}
