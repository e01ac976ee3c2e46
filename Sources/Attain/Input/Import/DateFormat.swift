// The date formats CRM exports write, read into civil dates exactly as written (a time and an offset are dropped).

/// One accepted way of writing a date in an export.
///
/// A date may be followed by a time (`T` or a space, then `H:MM`, seconds and fractions optional, `AM`/`PM`
/// optional) and an offset (`Z`, `+02:00`, `-0500`, ` UTC`): the date is the one written, the local date of the
/// export, never moved to another time zone.
public enum DateFormat: String, Sendable, CaseIterable {
    case iso = "YYYY-MM-DD"
    case monthDayYear = "MM/DD/YYYY"
    case dayMonthYear = "DD/MM/YYYY"
    case dotted = "DD.MM.YYYY"
    case yearSlash = "YYYY/MM/DD"
    case chinese = "YYYY年MM月DD日"

    /// The format a profile names: its pattern, or `ISO`.
    public static func named(_ name: String) -> DateFormat? {
        name.uppercased() == "ISO" ? .iso : DateFormat(rawValue: name)
    }

    /// The patterns a profile may name.
    public static var names: [String] { ["ISO"] + allCases.map(\.rawValue) }

    /// The date written at the start of `text`, or nil when `text` is not in this format. Months and days may have
    /// one digit in the formats with separators other than `-`.
    public func parse(_ text: String) -> CivilDate? {
        let s = Array(text.unicodeScalars)
        var i = 0
        func number(min: Int, max: Int) -> Int? {
            var value = 0, count = 0
            while i < s.count, count < max, s[i].value >= 48, s[i].value <= 57 {
                value = value * 10 + Int(s[i].value - 48)
                count += 1
                i += 1
            }
            return count >= min ? value : nil
        }
        func expect(_ c: Unicode.Scalar) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        var y = 0, m = 0, d = 0
        switch self {
        case .iso:
            guard let a = number(min: 4, max: 4), expect("-"), let b = number(min: 2, max: 2), expect("-"), let c = number(min: 2, max: 2) else { return nil }
            (y, m, d) = (a, b, c)
        case .yearSlash:
            guard let a = number(min: 4, max: 4), expect("/"), let b = number(min: 1, max: 2), expect("/"), let c = number(min: 1, max: 2) else { return nil }
            (y, m, d) = (a, b, c)
        case .chinese:
            guard let a = number(min: 4, max: 4), expect("年"), let b = number(min: 1, max: 2), expect("月"), let c = number(min: 1, max: 2) else { return nil }
            _ = expect("日")
            (y, m, d) = (a, b, c)
        case .monthDayYear, .dayMonthYear, .dotted:
            let sep: Unicode.Scalar = self == .dotted ? "." : "/"
            guard let a = number(min: 1, max: 2), expect(sep), let b = number(min: 1, max: 2), expect(sep), let c = number(min: 4, max: 4) else { return nil }
            (y, m, d) = self == .monthDayYear ? (c, a, b) : (c, b, a)
        }
        guard DateFormat.isTime(s[i...]) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    /// A date as this format writes it, with two-digit months and days.
    func written(_ d: CivilDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let y = "\(d.year)", m = two(d.month), dd = two(d.day)
        switch self {
        case .iso: return "\(y)-\(m)-\(dd)"
        case .monthDayYear: return "\(m)/\(dd)/\(y)"
        case .dayMonthYear: return "\(dd)/\(m)/\(y)"
        case .dotted: return "\(dd).\(m).\(y)"
        case .yearSlash: return "\(y)/\(m)/\(dd)"
        case .chinese: return "\(y)年\(m)月\(dd)日"
        }
    }

    /// A text this format and `other` both read, as different dates: (the text, this format's date, the other's), or
    /// nil when no text is read two ways. Probed with a day whose day number could be a month (the 4th of January).
    public func ambiguity(with other: DateFormat) -> (text: String, this: CivilDate, other: CivilDate)? {
        guard other != self, let probe = CivilDate(year: 2026, month: 1, day: 4) else { return nil }
        for (writer, reader) in [(self, other), (other, self)] {
            let text = writer.written(probe)
            if let read = reader.parse(text), read != probe {
                return writer == self ? (text, probe, read) : (text, read, probe)
            }
        }
        return nil
    }

    /// Whether what follows a date is nothing, or a time with an optional offset.
    static func isTime(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        var s = Array(rest)
        if s.isEmpty { return true }
        guard s[0] == "T" || s[0] == " " else { return false }
        s.removeFirst()
        var i = 0
        func digits(_ min: Int, _ max: Int) -> Bool {
            var n = 0
            while i < s.count, n < max, s[i].value >= 48, s[i].value <= 57 {
                i += 1
                n += 1
            }
            return n >= min
        }
        func take(_ c: Unicode.Scalar) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard digits(1, 2), take(":"), digits(2, 2) else { return false }
        if take(":") {
            guard digits(2, 2) else { return false }
            if take(".") { guard digits(1, 9) else { return false } }
        }
        let tail = String(String.UnicodeScalarView(s[i...])).trimmingSpaces()
        var rest = Substring(tail)
        for half in ["AM", "PM", "am", "pm"] where rest.hasPrefix(half) {
            rest = rest.dropFirst(2)
            break
        }
        let offset = String(rest).trimmingSpaces()
        if offset.isEmpty || offset == "Z" || offset == "UTC" || offset == "GMT" { return true }
        var o = Array(offset.unicodeScalars)
        if o.starts(with: "UTC".unicodeScalars) || o.starts(with: "GMT".unicodeScalars) { o.removeFirst(3) }
        guard let sign = o.first, sign == "+" || sign == "-" else { return false }
        let body = o.dropFirst().filter { $0 != ":" }
        return (body.count == 2 || body.count == 4) && body.allSatisfy { $0.value >= 48 && $0.value <= 57 }
    }
}
