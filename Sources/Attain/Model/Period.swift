// A payout period: a month, quarter, half or year (of the calendar or of a fiscal year), half a month or two weeks,
// named like "2026-01", "2026-Q1", "FY2027-Q1", "2026-03-S1" or "2026-B01".

/// A period a plan pays for. Both ends are inclusive.
public struct Period: Sendable, Hashable, CustomStringConvertible {
    public let kind: PeriodKind
    public let label: String
    public let start: CivilDate
    public let end: CivilDate
    /// The calendar the period belongs to: the month its year starts in, and the biweekly anchor.
    public let calendar: PeriodCalendar

    public init(kind: PeriodKind, label: String, start: CivilDate, end: CivilDate, calendar: PeriodCalendar = .gregorian) {
        self.kind = kind
        self.label = label
        self.start = start
        self.end = end
        self.calendar = calendar
    }

    public var description: String { label }

    /// Calendar days in the period, both ends counted.
    public var dayCount: Int { end.dayNumber - start.dayNumber + 1 }

    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// Reads a period of the calendar year: "2026-01" (month), "2026-Q1" (quarter), "2026-H1" (half), "2026" (year) or
    /// "2026-01-S1" (half a month).
    public static func parse(_ text: String) -> Result<Period, DecimalTextError> { parse(text, in: .gregorian) }

    /// Reads a period label with a calendar: fiscal quarters, halves and years (`FY2027-Q1`) when the year starts in
    /// another month than January, biweekly periods (`2026-B01`) when the calendar has their anchor.
    public static func parse(_ text: String, in calendar: PeriodCalendar) -> Result<Period, DecimalTextError> {
        switch read(text, in: calendar) {
        case .success(let p): return .success(p)
        case .failure(let e): return .failure(DecimalTextError(reason: e.help.map { "\(e.message); \($0)" } ?? e.message))
        }
    }

    /// Why a label is not a period of a calendar: a stable code (P300–P309), the message and a hint.
    public struct ReadError: Error, Sendable, Equatable {
        public let code: String
        public let message: String
        public let help: String?
    }

    /// Reads a period label with a calendar, saying why it is not one.
    public static func read(_ text: String, in calendar: PeriodCalendar) -> Result<Period, ReadError> {
        let bad = ReadError(code: "P300", message: "expected a period such as \(acceptedForms(in: calendar)); found `\(text)`", help: nil)
        let fiscal = text.hasPrefix("FY")
        let body = fiscal ? String(text.dropFirst(2)) : text
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, first.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(first), year >= 1, parts.count <= 3 else {
            return .failure(bad)
        }
        // Quarters, halves and years: the kind and its index (1 for a year).
        var yearly: (kind: PeriodKind, index: Int)?
        if parts.count == 1 {
            yearly = (.year, 1)
        } else if parts.count == 2, parts[1].count == 2, let n = Int(parts[1].dropFirst()), parts[1].dropFirst().allSatisfy(\.isASCII) {
            if parts[1].first == "Q", (1...4).contains(n) { yearly = (.quarter, n) }
            if parts[1].first == "H", (1...2).contains(n) { yearly = (.half, n) }
        }
        if let (kind, index) = yearly {
            if fiscal && !calendar.isFiscal {
                let calendarLabel = String(body)
                return .failure(ReadError(code: "P302", message: "`\(text)` is a fiscal period, but the plans' year is the calendar year (they have no `fiscal year starts` line)",
                                          help: "write a calendar period such as `\(calendarLabel)`, or state the fiscal year in the plans' header"))
            }
            if !fiscal && calendar.isFiscal {
                let asWritten = yearlyPeriod(kind, index, year, in: .gregorian)!
                let holding = containing(asWritten.start, kind: kind, in: calendar)
                let same = holding.start == asWritten.start && holding.end == asWritten.end
                return .failure(ReadError(code: "P301", message: "`\(text)` is a calendar \(kind.rawValue), but the plans' \(kind == .year ? "years" : kind == .half ? "halves" : "quarters") follow the \(calendar)",
                                          help: same ? "\(asWritten.start) to \(asWritten.end) is `\(holding.label)`"
                                                     : "\(asWritten.start) falls in `\(holding.label)` (\(holding.start) to \(holding.end))"))
            }
            guard let p = yearlyPeriod(kind, index, year, in: calendar) else { return .failure(bad) }
            return .success(p)
        }
        guard !fiscal else { return .failure(bad) }
        if parts.count == 2, parts[1].count == 3, parts[1].first == "B", parts[1].dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(parts[1].dropFirst()) {
            guard let anchor = calendar.biweeklyAnchor else {
                return .failure(ReadError(code: "P303", message: "`\(text)` is a biweekly period, but the plans are not paid biweekly",
                                          help: "a biweekly plan states its first period: `period biweekly from 2026-01-05`"))
            }
            let count = biweeklyCount(year, anchor: anchor)
            guard n >= 1, n <= count, let start = biweeklyStart(year, number: n, anchor: anchor) else {
                return .failure(ReadError(code: "P306", message: "\(first) has \(count) biweekly periods (\(first)-B01 to \(first)-B\(digits(count, 2))); found `\(text)`", help: nil))
            }
            return .success(containing(start, kind: .biweekly, in: calendar))
        }
        guard parts[1].count == 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let m = Int(parts[1]), (1...12).contains(m),
              let firstDay = CivilDate(year: year, month: m, day: 1) else { return .failure(bad) }
        if parts.count == 2 { return .success(containing(firstDay, kind: .month, in: calendar)) }
        switch parts[2] {
        case "S1": return .success(containing(firstDay, kind: .semiMonthly, in: calendar))
        case "S2": return .success(containing(CivilDate(year: year, month: m, day: 16)!, kind: .semiMonthly, in: calendar))
        default: return .failure(bad)
        }
    }

    /// The labels a calendar accepts, for messages.
    public static func acceptedForms(in calendar: PeriodCalendar) -> String {
        var forms = calendar.isFiscal ? ["2026-04", "FY2027-Q1", "FY2027-H1", "FY2027", "2026-04-S1"] : ["2026-01", "2026-Q1", "2026-H1", "2026", "2026-01-S1"]
        if calendar.biweeklyAnchor != nil { forms.append("2026-B01") }
        return forms.dropLast().joined(separator: ", ") + " or " + forms.last!
    }

    /// Quarter, half or year `index` of (fiscal) year `year`.
    static func yearlyPeriod(_ kind: PeriodKind, _ index: Int, _ year: Int, in calendar: PeriodCalendar) -> Period? {
        guard let first = calendar.firstDay(ofYear: year) else { return nil }
        let months = kind.months!
        guard let start = first.firstOfMonth(adding: (index - 1) * months) else { return nil }
        return containing(start, kind: kind, in: calendar)
    }

    /// The period of a kind that holds a date, in a calendar.
    public static func containing(_ date: CivilDate, kind: PeriodKind, in calendar: PeriodCalendar = .gregorian) -> Period {
        let first = CivilDate(year: date.year, month: date.month, day: 1)!
        let last = CivilDate(year: date.year, month: date.month, day: CivilDate.daysIn(month: date.month, year: date.year))!
        let month = digits(date.year, 4) + "-" + digits(date.month, 2)
        switch kind {
        case .month:
            return Period(kind: kind, label: month, start: first, end: last, calendar: calendar)
        case .semiMonthly:
            let mid = CivilDate(year: date.year, month: date.month, day: 15)!
            return date.day <= 15 ? Period(kind: kind, label: month + "-S1", start: first, end: mid, calendar: calendar)
                                  : Period(kind: kind, label: month + "-S2", start: mid.adding(days: 1)!, end: last, calendar: calendar)
        case .biweekly:
            let anchor = calendar.biweeklyAnchor ?? PeriodCalendar.fallbackAnchor
            let k = floorDivide(date.dayNumber - anchor.dayNumber, 14)
            let start = CivilDate(dayNumber: anchor.dayNumber + 14 * k) ?? date
            let end = start.adding(days: 13) ?? CivilDate(year: 9999, month: 12, day: 31)!
            let year = start.year
            let number = k - firstBiweekly(year, anchor: anchor) + 1
            return Period(kind: kind, label: digits(year, 4) + "-B" + digits(number, 2), start: start, end: end, calendar: calendar)
        case .quarter, .half, .year:
            let months = kind.months!
            let year = calendar.yearNumber(of: date)
            let yearStart = calendar.firstDay(ofYear: year) ?? CivilDate(year: 1, month: 1, day: 1)!
            let index = ((date.year * 12 + date.month - 1) - (yearStart.year * 12 + yearStart.month - 1)) / months
            let start = yearStart.firstOfMonth(adding: index * months) ?? yearStart
            let end = start.firstOfMonth(adding: months)?.adding(days: -1) ?? CivilDate(year: 9999, month: 12, day: 31)!
            let name = calendar.yearLabel(year)
            let label = kind == .year ? name : name + (kind == .quarter ? "-Q" : "-H") + "\(index + 1)"
            return Period(kind: kind, label: label, start: start, end: end, calendar: calendar)
        }
    }

    /// The (fiscal) year the period starts in. For a biweekly period, the days of the periods that start in that year
    /// (from its `B01` to its last), so that years follow each other without sharing a day.
    public var year: Period {
        let y = Period.containing(start, kind: .year, in: calendar)
        guard kind == .biweekly else { return y }
        let holding = Period.containing(y.start, kind: .biweekly, in: calendar)
        let first = holding.start < y.start ? (holding.next ?? holding) : holding
        let last = Period.containing(y.end, kind: .biweekly, in: calendar)
        return Period(kind: .year, label: y.label, start: first.start, end: last.end, calendar: calendar)
    }

    /// The number of the (fiscal) year the period starts in: the calendar year that year ends in.
    public var yearNumber: Int { calendar.yearNumber(of: start) }

    /// From the first day of the (fiscal) year to the end of this period: what a year-to-date plan measures.
    public var yearToDate: Period {
        Period(kind: .year, label: "\(year.label) to \(end)", start: year.start, end: end, calendar: calendar)
    }

    /// The period of the same kind that starts the day after this one ends, or nil after 9999.
    public var next: Period? {
        end.adding(days: 1).map { Period.containing($0, kind: kind, in: calendar) }
    }

    /// Periods in time order: by start, then end, then label.
    public static func precedes(_ a: Period, _ b: Period) -> Bool {
        (a.start.dayNumber, a.end.dayNumber, a.label) < (b.start.dayNumber, b.end.dayNumber, b.label)
    }

    /// An example label of a period kind, for messages.
    public static func example(_ kind: PeriodKind) -> String { example(kind, in: .gregorian) }

    /// An example label of a period kind in a calendar, for messages.
    public static func example(_ kind: PeriodKind, in calendar: PeriodCalendar) -> String {
        let day = calendar.isFiscal ? calendar.firstDay(ofYear: 2027)! : CivilDate(year: 2026, month: 1, day: 1)!
        switch kind {
        case .biweekly:
            let anchor = calendar.biweeklyAnchor ?? PeriodCalendar.fallbackAnchor
            return Period.containing(biweeklyStart(2026, number: 1, anchor: anchor) ?? day, kind: kind, in: calendar).label
        default: return Period.containing(day, kind: kind, in: calendar).label
        }
    }

    /// A period stored with its label and dates (the ledger keeps all three): the label read with the calendar that
    /// gives it those dates, or nil when none does.
    public static func stored(label: String, start: CivilDate, end: CivilDate) -> Period? {
        var calendars = [PeriodCalendar.gregorian]
        if label.hasPrefix("FY") { calendars = (2...12).map { PeriodCalendar(fiscalStartMonth: $0) } }
        if label.contains("-B") { calendars = [PeriodCalendar(biweeklyAnchor: start)] }
        for c in calendars {
            if case .success(let p) = read(label, in: c), p.start == start, p.end == end { return p }
        }
        return nil
    }

    // MARK: Biweekly numbering

    /// The index (periods from the anchor) of the first biweekly period that starts in `year`.
    static func firstBiweekly(_ year: Int, anchor: CivilDate) -> Int {
        let january = CivilDate(year: year, month: 1, day: 1)!
        return -floorDivide(anchor.dayNumber - january.dayNumber, 14)
    }

    /// How many biweekly periods start in `year`: 26 or 27.
    static func biweeklyCount(_ year: Int, anchor: CivilDate) -> Int {
        guard year < 9999 else { return 26 }
        return firstBiweekly(year + 1, anchor: anchor) - firstBiweekly(year, anchor: anchor)
    }

    /// The first day of biweekly period `number` (from 1) of `year`.
    static func biweeklyStart(_ year: Int, number: Int, anchor: CivilDate) -> CivilDate? {
        CivilDate(dayNumber: anchor.dayNumber + 14 * (firstBiweekly(year, anchor: anchor) + number - 1))
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// `n` in decimal, zero-padded to `width` digits.
    static func digits(_ n: Int, _ width: Int) -> String {
        let text = String(n)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension PeriodKind {
    /// The kind in words, for messages: `quarter`, `half-month`, `two-week period`.
    public var noun: String {
        switch self {
        case .semiMonthly: return "half-month"
        case .biweekly: return "two-week period"
        default: return rawValue
        }
    }

    /// The months in a quarter, half or year; nil for months and shorter periods.
    var months: Int? {
        switch self {
        case .quarter: return 3
        case .half: return 6
        case .year: return 12
        case .month, .semiMonthly, .biweekly: return nil
        }
    }
}
