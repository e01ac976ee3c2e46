// A calendar date with no time and no zone: what close dates and plan windows are.

/// A proleptic Gregorian calendar date, read and written as `YYYY-MM-DD`.
/// Stored in four bytes (year, month and day packed so that their order is the date's order): a deal carries two.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// `year << 9 | month << 5 | day`.
    let packed: Int32

    public var year: Int { Int(packed >> 9) }
    public var month: Int { Int((packed >> 5) & 0xF) }
    public var day: Int { Int(packed & 0x1F) }

    init(packed: Int32) {
        self.packed = packed
    }

    /// A valid date, or nil (2026-02-30 is nil).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.packed = Int32(year << 9 | month << 5 | day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before), for day counts and ordering.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        a.packed < b.packed
    }

    public var description: String {
        // Years of four digits (all a file can hold) are written as ten bytes, with no intermediate strings.
        if (0...9999).contains(year) {
            let (y, m, d) = (year, month, day)
            return String(unsafeUninitializedCapacity: 10) { b in
                func put(_ i: Int, _ digit: Int) { b[i] = UInt8(ascii: "0") + UInt8(digit) }
                put(0, y / 1000)
                put(1, y / 100 % 10)
                put(2, y / 10 % 10)
                put(3, y % 10)
                b[4] = UInt8(ascii: "-")
                put(5, m / 10)
                put(6, m % 10)
                b[7] = UInt8(ascii: "-")
                put(8, d / 10)
                put(9, d % 10)
                return 10
            }
        }
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses exactly `YYYY-MM-DD`; the error says what was wrong.
    public static func parse<S: Collection>(_ bytes: S) -> Result<CivilDate, DecimalTextError> where S.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
    }

    static func parse(buffer b: UnsafeBufferPointer<UInt8>) -> Result<CivilDate, DecimalTextError> {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else {
            return .failure(.init(reason: "expected a date as YYYY-MM-DD"))
        }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else {
            return .failure(.init(reason: "expected a date as YYYY-MM-DD"))
        }
        guard let date = CivilDate(year: y, month: m, day: d) else {
            return .failure(.init(reason: "no such calendar date"))
        }
        return .success(date)
    }
}
