// A measure's quota over the span it is measured against (the payout period, or the year for a year-to-date plan),
// from quota rows written per year, half, quarter, month or payout period, prorated by the days they cover.

extension Evaluator {
    /// The rows whose quotas add up: the earlier rows of a year-to-date window, then the assignment itself.
    var quotaRows: [Assignment] { input.quotaRows.isEmpty ? [input.assignment] : input.quotaRows }

    /// The quota of measure `m` over the measured span, exact (not rounded), in the measure's unit: the sum, over the
    /// days of that span on which the payee is employed and on one of `quotaRows`, of the row's quota ÷ the days of the
    /// stated span (the year, quarter, month… holding the day). `rowQuota` reads one row's quota.
    func spanQuota(_ m: CompiledMeasure, rowQuota: (Assignment) throws -> Ratio) throws -> Ratio {
        let measured = input.prorationPeriod ?? input.period
        let kind = m.quotaSpan?.kind(in: plan) ?? QuotaSpan.assumed(in: plan)
        let rows = quotaRows
        do {
            if rows.count == 1, kind == measured.kind {
                // A row written for the measured span itself: its quota times the share of the span's days on it.
                return try rowQuota(rows[0]).multiplied(by: prorationFactor)
            }
            var total = Ratio.zero
            for row in rows {
                guard let w = Evaluator.activeWindow(rep: input.rep, assignment: row, period: measured) else { continue }
                let q = try rowQuota(row)
                for piece in Evaluator.pieces(from: w.start, to: w.end, kind: kind, in: plan.calendar) {
                    total = try total.adding(q.multiplied(by: Ratio(Int128(piece.days), Int128(piece.span.dayCount))))
                }
            }
            return total
        } catch is ArithmeticError {
            throw overflow("the quota of measure `\(m.name)`")
        }
    }

    /// The days from `start` to `end` (both included) cut where spans of `kind` begin: each piece's number of days and
    /// the span that holds it.
    /// Quarters, halves and years follow `calendar` (a fiscal year's), biweekly spans its anchor.
    public static func pieces(from start: CivilDate, to end: CivilDate, kind: PeriodKind,
                              in calendar: PeriodCalendar = .gregorian) -> [(days: Int, span: Period)] {
        var out: [(days: Int, span: Period)] = []
        var day = start
        while day <= end {
            let span = Period.containing(day, kind: kind, in: calendar)
            let last = min(span.end, end)
            out.append((last.dayNumber - day.dayNumber + 1, span))
            guard last < end, let next = span.end.adding(days: 1) else { break }
            day = next
        }
        return out
    }
}
