// Monthly amounts on any period: a draw `per month` on a semi-monthly or biweekly plan is read by days, the way a
// `quota … per month` span is: each day counts the month's amount ÷ the days of the month that holds it.

extension Settlement {
    /// How many months a period is, exact: the sum over its days of 1 ÷ the days of the month holding each day.
    /// A month, quarter, half or year (calendar or fiscal) is 1, 3, 6 or 12; 2026-02-S1 is 15/28; a biweekly period
    /// from 2026-01-26 to 2026-02-08 is 6/31 + 8/28.
    static func months(in period: Period) throws -> Ratio {
        if let whole = period.kind == .month ? 1 : period.kind.months { return try Ratio(Int128(whole), 1) }
        var total = Ratio.zero
        for piece in Evaluator.pieces(from: period.start, to: period.end, kind: .month) {
            total = try total.adding(Ratio(Int128(piece.days), Int128(piece.span.dayCount)))
        }
        return total
    }
}
