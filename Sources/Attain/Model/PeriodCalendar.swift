// The calendar periods follow: the month the (fiscal) year starts in, and the first day of a biweekly period.
// Plans state it in their header; a run's periods, the ledger's labels and `--period` are read with it.

/// Where a plan's years start and, for biweekly plans, where its 14-day periods are counted from.
///
/// The default is the calendar year (January) with no biweekly anchor: labels are those Attain always wrote
/// (`2026-Q1`). A fiscal year is named by the calendar year it ends in: starting in April, `FY2027` runs from
/// 2026-04-01 to 2027-03-31.
public struct PeriodCalendar: Sendable, Hashable, CustomStringConvertible {
    /// The month (1–12) the year starts in; 1 is the calendar year.
    public let fiscalStartMonth: Int
    /// The first day of one biweekly period; the others are 14 days apart, before and after it.
    public let biweeklyAnchor: CivilDate?

    /// A calendar of years starting in `fiscalStartMonth` (clamped to 1–12) and biweekly periods from `biweeklyAnchor`.
    public init(fiscalStartMonth: Int = 1, biweeklyAnchor: CivilDate? = nil) {
        self.fiscalStartMonth = min(12, max(1, fiscalStartMonth))
        self.biweeklyAnchor = biweeklyAnchor
    }

    /// The calendar year, no biweekly anchor.
    public static let gregorian = PeriodCalendar()

    /// The anchor biweekly periods fall back on when a calendar has none (a Monday). Plans with `period biweekly`
    /// always state their own (E196); this only keeps day arithmetic total.
    static let fallbackAnchor = CivilDate(year: 1970, month: 1, day: 5)!

    /// True when the year starts in another month than January.
    public var isFiscal: Bool { fiscalStartMonth != 1 }

    public var description: String {
        var parts = [isFiscal ? "fiscal year from \(PeriodCalendar.monthNames[fiscalStartMonth - 1]) 1" : "calendar year"]
        if let a = biweeklyAnchor { parts.append("biweekly from \(a)") }
        return parts.joined(separator: ", ")
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                             "November", "December"]

    /// The number of the (fiscal) year that holds `date`: the calendar year the fiscal year ends in.
    public func yearNumber(of date: CivilDate) -> Int {
        isFiscal && date.month >= fiscalStartMonth ? date.year + 1 : date.year
    }

    /// The first day of (fiscal) year `year`, or nil out of range.
    public func firstDay(ofYear year: Int) -> CivilDate? {
        isFiscal ? CivilDate(year: year - 1, month: fiscalStartMonth, day: 1) : CivilDate(year: year, month: 1, day: 1)
    }

    /// The label of (fiscal) year `year`: `2026`, or `FY2027`.
    func yearLabel(_ year: Int) -> String { (isFiscal ? "FY" : "") + Period.digits(year, 4) }
}
