// A measure's quota from targets.csv: each day of the measured span the payee is employed and assigned counts the
// target of its month ÷ the month's days (for a team target, the targets of the reports on the days they report).

/// What a payee's evaluation reads of targets.csv.
public struct TargetReading: Sendable {
    public let book: TargetBook
    /// For a team target: the reports of each scope and, for each, the days of the measured span they report to the
    /// payee (in that scope) and are employed, as date ranges in order.
    public var team: [OverrideScope: [(repID: String, days: [(start: CivilDate, end: CivilDate)])]] = [:]

    public init(book: TargetBook) {
        self.book = book
    }
}

extension CompiledPlan {
    /// Whether a measure takes its quota from targets.csv.
    var readsTargets: Bool {
        measures.contains { if case .target? = $0.quota { return true } else { return false } }
    }

    /// The span a target quota is measured over for `period`: the period, or from 1 January on a year-to-date plan.
    func targetSpan(_ period: Period) -> Period { yearToDate != nil ? period.yearToDate : period }
}

extension Evaluator {
    /// The quota of measure `m` from targets.csv, exact (not rounded): over the days of the measured span (the period,
    /// or the year to date) on which the payee is employed and on one of `quotaRows`, each day's month target ÷ the
    /// month's days. Whole months give their targets exactly; the same days as `spanQuota` counts.
    func targetQuota(_ m: CompiledMeasure, key: String, team: Bool, trace: SourceSpan) throws -> Ratio {
        let rep = input.rep.id
        guard let targets = input.targets else {
            throw fail("R362", "rep `\(rep)` has no target for measure `\(key)`: the data folder has no targets.csv", at: trace,
                       notes: [.help("add targets.csv (`rep_id,measure,year,target`) to the data folder")])
        }
        let measured = plan.targetSpan(input.period)
        var total = Ratio.zero
        do {
            for row in quotaRows {
                guard let w = Evaluator.activeWindow(rep: input.rep, assignment: row, period: measured) else { continue }
                if !team {
                    for piece in Evaluator.pieces(from: w.start, to: w.end, kind: .month) {
                        guard let month = targets.book.month(rep: rep, key: key, on: piece.span.start) else {
                            throw fail("R362", "rep `\(rep)` has no target for measure `\(key)` in \(TargetYear.label(containing: piece.span.start, in: plan.calendar))", at: trace,
                                       notes: [.note("\(targets.book.path) has \(targets.book.has(rep: rep, key: key) ? "rows of other years" : "no row") for rep `\(rep)` and measure `\(key)`"),
                                               .help("add a row `\(rep),\(key),\(TargetYear.label(containing: piece.span.start, in: plan.calendar)),<target>` to \(targets.book.path)")])
                        }
                        total = try total.adding(Ratio(month).multiplied(by: Ratio(Int128(piece.days), Int128(piece.span.dayCount))))
                    }
                    continue
                }
                for report in targets.team[m.creditScope!] ?? [] {
                    for d in report.days {
                        let start = max(d.start, w.start), end = min(d.end, w.end)
                        guard start <= end else { continue }
                        for piece in Evaluator.pieces(from: start, to: end, kind: .month) {
                            // A report with no target for the key that year adds nothing (an SDR under a sales manager).
                            guard let month = targets.book.month(rep: report.repID, key: key, on: piece.span.start) else { continue }
                            total = try total.adding(Ratio(month).multiplied(by: Ratio(Int128(piece.days), Int128(piece.span.dayCount))))
                        }
                    }
                }
            }
        } catch is ArithmeticError {
            throw overflow("the quota of measure `\(m.name)`")
        }
        return total
    }
}

extension TargetYear {
    /// The label of the target year holding a day: its calendar year, or its fiscal year on a fiscal calendar.
    public static func label(containing day: CivilDate, in calendar: PeriodCalendar = .gregorian) -> String {
        Period.containing(day, kind: .year, in: calendar).label
    }
}
