// Day arithmetic on calendar dates: a date some days on, the date of a day number, the first of a later month.

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
