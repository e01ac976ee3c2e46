// Breaking a year's target down to halves, quarters and months: explicit rows stand, what is left goes to the other
// months by seasonality weights (or evenly), each allocation rounded to 0.01 half-up with its last part taking the rest.

/// A part of a target year: the year, a half, a quarter or a month, counted from the year's first month (January for
/// a calendar year).
public enum TargetPeriod: Hashable, Sendable, CustomStringConvertible {
    case year
    /// 1 or 2.
    case half(Int)
    /// 1 to 4.
    case quarter(Int)
    /// 1 to 12: the year's n-th month.
    case month(Int)

    /// Reads a `period` cell of targets.csv or seasonality.csv: blank for the year, `Q1`–`Q4`, `H1`/`H2`, `01`–`12`.
    public static func parse(_ text: String) -> TargetPeriod? {
        let t = text.trimmingSpaces()
        if t.isEmpty { return .year }
        let u = Array(t.utf8)
        guard u.count == 2, u[1] >= 0x30, u[1] <= 0x39 else { return nil }
        let digit = Int(u[1] - 0x30)
        switch u[0] {
        case UInt8(ascii: "Q"), UInt8(ascii: "q"): return (1...4).contains(digit) ? .quarter(digit) : nil
        case UInt8(ascii: "H"), UInt8(ascii: "h"): return (1...2).contains(digit) ? .half(digit) : nil
        case UInt8(ascii: "0")...UInt8(ascii: "1"):
            let m = Int(u[0] - 0x30) * 10 + digit
            return (1...12).contains(m) ? .month(m) : nil
        default: return nil
        }
    }

    /// Reads a `period` cell on a calendar. Halves and quarters are the (fiscal) year's; a month is its calendar number,
    /// whatever month the year starts in: on a year from April, `04` is April, the year's first month.
    public static func parse(_ text: String, in calendar: PeriodCalendar) -> TargetPeriod? {
        guard let p = parse(text) else { return nil }
        if case .month(let m) = p { return .month((m - calendar.fiscalStartMonth + 12) % 12 + 1) }
        return p
    }

    /// The text a `period` cell holds on a calendar: a month as its calendar number (the year's first month of a year
    /// from April is `04`).
    public func cell(in calendar: PeriodCalendar) -> String {
        guard case .month(let n) = self else { return description }
        let m = (n - 1 + calendar.fiscalStartMonth - 1) % 12 + 1
        return m < 10 ? "0\(m)" : "\(m)"
    }

    /// The period in words for messages on a calendar: "the year", "H1", "Q2", "month 05" (a calendar month number).
    public func named(in calendar: PeriodCalendar) -> String {
        if case .month = self { return "month \(cell(in: calendar))" }
        return named
    }

    /// The text a `period` cell holds: "" for the year, `H1`, `Q1`, `01`.
    public var description: String {
        switch self {
        case .year: return ""
        case .half(let h): return "H\(h)"
        case .quarter(let q): return "Q\(q)"
        case .month(let m): return m < 10 ? "0\(m)" : "\(m)"
        }
    }

    /// The period in words for messages: "the year", "H1", "Q2", "month 05".
    public var named: String {
        switch self {
        case .year: return "the year"
        case .month: return "month \(description)"
        default: return description
        }
    }

    /// The months it covers, 1-based from the year's first month.
    public var months: ClosedRange<Int> {
        switch self {
        case .year: return 1...12
        case .half(let h): return (h - 1) * 6 + 1...h * 6
        case .quarter(let q): return (q - 1) * 3 + 1...q * 3
        case .month(let m): return m...m
        }
    }

    /// Whether `other` lies inside this period (and is not it).
    public func strictlyContains(_ other: TargetPeriod) -> Bool {
        self != other && months.contains(other.months.lowerBound) && months.contains(other.months.upperBound)
    }

    /// Sorts the year first, then by first month, the longer period before the shorter.
    public static func order(_ a: TargetPeriod, _ b: TargetPeriod) -> Bool {
        (a.months.lowerBound, -a.months.count) < (b.months.lowerBound, -b.months.count)
    }
}

/// The year of a target: `2026` is the calendar year 2026.
///
/// Every year label of targets.csv and seasonality.csv is read through `period(of:)`, so that fiscal years (`FY2027`,
/// under a `fiscal year starts` header) are read the same way once they exist.
public enum TargetYear {
    /// The year a label names in a calendar, as a period of kind year; nil when it names none. A calendar year is
    /// `2026`; on a fiscal calendar (plans with `fiscal year starts …`) a year is `FY2027`, named by the calendar year
    /// it ends in, and a plain `2026` names none.
    public static func period(of label: String, in calendar: PeriodCalendar = .gregorian) -> Period? {
        var t = Substring(label.trimmingSpaces())
        if calendar.isFiscal {
            guard t.hasPrefix("FY") else { return nil }
            t = t.dropFirst(2)
        }
        guard t.utf8.count == 4, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), Int(t)! >= 1,
              case .success(let p) = Period.parse(label.trimmingSpaces(), in: calendar), p.kind == .year else { return nil }
        return p
    }

    /// What a year label looks like in a calendar, for messages: `2026`, or `FY2027` on a fiscal calendar.
    public static func example(in calendar: PeriodCalendar) -> String { calendar.isFiscal ? "FY2027" : "2026" }

    /// Why a label names no year of the calendar, with the form expected.
    public static func expected(_ label: String, in calendar: PeriodCalendar) -> String {
        guard calendar.isFiscal, let start = calendar.firstDay(ofYear: 2027), let end = calendar.firstDay(ofYear: 2028)?.adding(days: -1) else {
            return label.trimmingSpaces().hasPrefix("FY") ? "expected a year such as 2026: years are calendar years here (plans with no `fiscal year starts` line, or `attain targets` without --fiscal-year-starts)"
                                                          : "expected a year such as 2026"
        }
        return "expected a fiscal year such as FY2027: the plans' years start on \(PeriodCalendar.monthNames[calendar.fiscalStartMonth - 1]) 1, and FY2027 is \(start) to \(end)"
    }

    /// The first day of the year's n-th month (1-based).
    public static func monthStart(_ year: Period, _ n: Int) -> CivilDate {
        let m = year.start.month - 1 + (n - 1)
        return CivilDate(year: year.start.year + m / 12, month: m % 12 + 1, day: 1)!
    }

    /// The year's n-th month as a period (`2026-05`).
    public static func month(_ year: Period, _ n: Int) -> Period {
        Period.containing(monthStart(year, n), kind: .month)
    }
}

/// One rep's target for one year, broken down to its twelve months.
public struct TargetBreakdown: Sendable, Equatable {
    /// The year's target: the sum of its months.
    public let year: ExactDecimal
    /// The months' targets, in the year's order, each with two decimals.
    public let months: [ExactDecimal]

    /// The quarters' targets: each the sum of its months.
    public var quarters: [ExactDecimal] { (1...4).map { amount(of: .quarter($0)) } }

    /// The target of any part of the year: the sum of its months.
    public func amount(of period: TargetPeriod) -> ExactDecimal {
        ExactDecimal.total(period.months.map { months[$0 - 1] })
    }

    /// Why a year cannot be broken down.
    public enum Problem: Error, Equatable {
        /// The explicit periods inside `parent` add up to more than it (`parent` is given, or is the year).
        case exceeds(parent: TargetPeriod, inside: [TargetPeriod], sum: ExactDecimal, parentAmount: ExactDecimal)
        /// Every month of `parent` is covered by explicit periods, and they do not add up to it.
        case short(parent: TargetPeriod, inside: [TargetPeriod], sum: ExactDecimal, parentAmount: ExactDecimal)
        /// Money is left for the months of `parent` not given, and the weights give each of them 0%.
        case noWeight(parent: TargetPeriod, left: ExactDecimal)
        /// An amount too large to compute exactly.
        case overflow
    }

    /// Even weights: 1/12 a month.
    public static let even: [Ratio] = Array(repeating: try! Ratio(1, 12), count: 12)

    /// Quarter weights (fractions of the year) as month weights: each quarter's split evenly over its months.
    public static func monthWeights(quarters: [Ratio]) -> [Ratio] {
        (0..<12).map { (try? quarters[$0 / 3].divided(by: Ratio(3, 1))) ?? .zero }
    }

    /// Breaks a year down. `explicit`: the amounts targets.csv gives (the year, halves, quarters, months; with no year
    /// row, the year is the sum of the periods given and the months none covers are 0). `weights`: one per month,
    /// fractions totalling 1.
    ///
    /// Explicit periods stand. Going down from the year to halves (only where one is given), quarters and months, what a
    /// period has left once the periods given inside it are taken off goes to the parts of it that are not given, by the
    /// weights of their months not given; each share is rounded to 0.01 half-up and the last part takes the remainder,
    /// so that months add up exactly to their quarter and quarters to the year.
    public static func make(explicit: [TargetPeriod: ExactDecimal], weights: [Ratio]) -> Result<TargetBreakdown, Problem> {
        var months = [ExactDecimal](repeating: .zero, count: 12)
        do {
            let year: ExactDecimal
            if let y = explicit[.year] {
                year = y
            } else {
                var sum = ExactDecimal.zero
                // The outermost periods given.
                for (p, a) in explicit where !explicit.keys.contains(where: { $0.strictlyContains(p) }) { sum = try sum.adding(a) }
                year = sum
            }
            try allocate(year, to: .year, explicit: explicit, weights: weights, into: &months)
            return .success(TargetBreakdown(year: ExactDecimal.total(months), months: months))
        } catch let p as Problem {
            return .failure(p)
        } catch {
            return .failure(.overflow)
        }
    }

    /// The parts a period is allocated to: the year's halves where one is given, else its quarters; a half's quarters;
    /// a quarter's months.
    static func parts(of p: TargetPeriod, explicit: [TargetPeriod: ExactDecimal]) -> [TargetPeriod] {
        switch p {
        case .year: return (1...2).flatMap { h in explicit[.half(h)] != nil ? [.half(h)] : [.quarter(2 * h - 1), .quarter(2 * h)] }
        case .half(let h): return [.quarter(2 * h - 1), .quarter(2 * h)]
        case .quarter(let q): return ((q - 1) * 3 + 1...q * 3).map { .month($0) }
        case .month: return []
        }
    }

    static func allocate(_ amount: ExactDecimal, to p: TargetPeriod, explicit: [TargetPeriod: ExactDecimal], weights: [Ratio],
                         into months: inout [ExactDecimal]) throws {
        if case .month(let m) = p {
            months[m - 1] = amount
            return
        }
        let parts = parts(of: p, explicit: explicit)
        // Each part's amount so far (given, or the sum of the outermost periods given inside it) and the weight of its
        // months no period given inside it covers.
        var fixed: [ExactDecimal] = [], free: [Ratio] = [], given: [TargetPeriod] = []
        for part in parts {
            if let a = explicit[part] {
                fixed.append(a)
                free.append(.zero)
                given.append(part)
                continue
            }
            let inside = explicit.keys.filter { part.strictlyContains($0) }
            let top = inside.filter { q in !inside.contains { $0.strictlyContains(q) } }
            given += top
            var sum = ExactDecimal.zero
            for q in top { sum = try sum.adding(explicit[q]!) }
            fixed.append(sum)
            var w = Ratio.zero
            for m in part.months where !inside.contains(where: { $0.months.contains(m) }) { w = try w.adding(weights[m - 1]) }
            free.append(w)
        }
        given.sort(by: TargetPeriod.order)
        let sum = ExactDecimal.total(fixed)
        let left = try amount.subtracting(sum)
        if left.isNegative { throw Problem.exceeds(parent: p, inside: given, sum: sum, parentAmount: amount) }
        var amounts = fixed
        let open = parts.indices.filter { free[$0].signum > 0 }
        if open.isEmpty {
            if !left.isZero {
                let covered = p.months.allSatisfy { m in explicit.keys.contains { p.strictlyContains($0) && $0.months.contains(m) } }
                if covered { throw Problem.short(parent: p, inside: given, sum: sum, parentAmount: amount) }
                throw Problem.noWeight(parent: p, left: left)
            }
        } else {
            var freeTotal = Ratio.zero
            for i in open { freeTotal = try freeTotal.adding(free[i]) }
            var shares: [ExactDecimal] = []
            var shared = ExactDecimal.zero
            for i in open.dropLast() {
                let share = try Ratio(left).multiplied(by: free[i]).divided(by: freeTotal).rounded(scale: 2, mode: .halfUp)
                shares.append(share)
                shared = try shared.adding(share)
            }
            shares.append(try left.subtracting(shared))
            if shares.last!.isNegative {
                // Less than a cent a part, rounded up in each (0.02 over four quarters): the running total is rounded
                // instead, and each part is the step between two rounded running totals, so that none is negative.
                shares = []
                var running = Ratio.zero, before = ExactDecimal.zero
                for i in open {
                    running = try running.adding(free[i])
                    let upTo = i == open.last! ? left : try Ratio(left).multiplied(by: running).divided(by: freeTotal).rounded(scale: 2, mode: .halfUp)
                    shares.append(try upTo.subtracting(before))
                    before = upTo
                }
            }
            for (k, i) in open.enumerated() { amounts[i] = try amounts[i].adding(shares[k]) }
        }
        for (i, part) in parts.enumerated() {
            try allocate(amounts[i], to: part, explicit: explicit, weights: weights, into: &months)
        }
    }
}
