// A payout period: a month, quarter, half or year, named like "2026-Q1".

/// A calendar period a plan pays for. Both ends are inclusive.
public struct Period: Sendable, Hashable, CustomStringConvertible {
    public let kind: PeriodKind
    public let label: String
    public let start: CivilDate
    public let end: CivilDate

    public var description: String { label }

    /// Calendar days in the period, both ends counted.
    public var dayCount: Int { end.dayNumber - start.dayNumber + 1 }

    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// Reads "2026-01" (month), "2026-Q1" (quarter), "2026-H1" (half) or "2026" (year).
    public static func parse(_ text: String) -> Result<Period, DecimalTextError> {
        let bad = DecimalTextError(reason: "expected a period such as 2026-01, 2026-Q1, 2026-H1 or 2026; found `\(text)`")
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first), year >= 1 else { return .failure(bad) }
        func make(_ kind: PeriodKind, _ firstMonth: Int, _ months: Int, _ label: String) -> Result<Period, DecimalTextError> {
            let lastMonth = firstMonth + months - 1
            let start = CivilDate(year: year, month: firstMonth, day: 1)!
            let end = CivilDate(year: year, month: lastMonth, day: CivilDate.daysIn(month: lastMonth, year: year))!
            return .success(Period(kind: kind, label: label, start: start, end: end))
        }
        if parts.count == 1 { return make(.year, 1, 12, text) }
        guard parts.count == 2 else { return .failure(bad) }
        let rest = parts[1]
        if rest.count == 2, rest.first == "Q", let q = Int(rest.dropFirst()), (1...4).contains(q) {
            return make(.quarter, (q - 1) * 3 + 1, 3, text)
        }
        if rest.count == 2, rest.first == "H", let h = Int(rest.dropFirst()), (1...2).contains(h) {
            return make(.half, (h - 1) * 6 + 1, 6, text)
        }
        if rest.count == 2, rest.allSatisfy(\.isASCII), let m = Int(rest), (1...12).contains(m) {
            return make(.month, m, 1, text)
        }
        return .failure(bad)
    }

    /// The period of a kind that holds a date.
    public static func containing(_ date: CivilDate, kind: PeriodKind) -> Period {
        let digits = String(date.year)
        let year = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        let label: String
        switch kind {
        case .month: label = "\(year)-" + (date.month < 10 ? "0" : "") + "\(date.month)"
        case .quarter: label = "\(year)-Q\((date.month - 1) / 3 + 1)"
        case .half: label = "\(year)-H\((date.month - 1) / 6 + 1)"
        case .year: label = year
        }
        return try! Period.parse(label).get()
    }

    /// The calendar year the period starts in.
    public var year: Period { Period.containing(start, kind: .year) }

    /// From the first of January to the end of this period: what a year-to-date plan measures.
    public var yearToDate: Period {
        Period(kind: .year, label: "\(start.year) to \(end)", start: year.start, end: end)
    }

    /// An example label of a period kind, for messages.
    public static func example(_ kind: PeriodKind) -> String {
        switch kind {
        case .month: return "2026-01"
        case .quarter: return "2026-Q1"
        case .half: return "2026-H1"
        case .year: return "2026"
        }
    }
}
