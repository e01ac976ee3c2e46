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

extension CivilDate {
    /// The date `days` days after this one (before, when negative), or nil outside years 1–9999.
    public func adding(days: Int) -> CivilDate? {
        CivilDate(dayNumber: dayNumber + days)
    }

    /// The date of a day number (days since 1970-01-01), or nil outside years 1–9999.
    public init?(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The first day of the month `months` months after this date's month, or nil out of range.
    func firstOfMonth(adding months: Int) -> CivilDate? {
        let index = year * 12 + (month - 1) + months
        return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)
    }
}
