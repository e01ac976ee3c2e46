// Straight-line amortization of capitalized commissions: per calendar month over the contract term, cents rounded
// half-up with the remainder in the last month, and the schedule and journal as of a date.

/// A commission capitalized at a close, as the ledger keeps it (or a clawback's reversal of one).
public struct CapitalizedAmount: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case capitalized, reversal
    }

    public let kind: Kind
    public let payeeID: String
    public let dealID: String
    public let component: String
    /// The closed period it was posted in, and that period's last day.
    public let period: String
    public let periodStart: CivilDate
    public let periodEnd: CivilDate
    /// In `currency`: what was capitalized (a reversal: minus what the clawback took back).
    public let amount: ExactDecimal
    public let currency: Currency
    public let termMonths: Int
    public let start: CivilDate
    public let costCenter: String
    /// A reversal: the unamortized balance it took off the asset.
    public let released: ExactDecimal?

    public init(kind: Kind, payeeID: String, dealID: String, component: String, period: String, periodStart: CivilDate, periodEnd: CivilDate,
                amount: ExactDecimal, currency: Currency, termMonths: Int, start: CivilDate, costCenter: String, released: ExactDecimal? = nil) {
        self.kind = kind
        self.payeeID = payeeID
        self.dealID = dealID
        self.component = component
        self.period = period
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.amount = amount
        self.currency = currency
        self.termMonths = termMonths
        self.start = start
        self.costCenter = costCenter
        self.released = released
    }

    var pair: String { payeeID + "\u{1}" + dealID }
}

/// The amortization rules (all fixed; see docs/accounting.md).
public enum Amortization {
    /// A calendar month as one number: year × 12 + month − 1.
    public static func month(_ d: CivilDate) -> Int { d.year * 12 + d.month - 1 }

    /// The last day of a month number.
    public static func lastDay(_ m: Int) -> CivilDate {
        let y = m / 12, mo = m % 12 + 1
        return CivilDate(year: y, month: mo, day: CivilDate.daysIn(month: mo, year: y))!
    }

    /// "2026-03".
    public static func label(_ m: Int) -> String {
        let mo = m % 12 + 1
        return "\(m / 12)-\(mo < 10 ? "0" : "")\(mo)"
    }

    /// The monthly amount: `amount` ÷ `months`, rounded half-up to the currency's minor unit.
    public static func monthly(_ amount: ExactDecimal, months: Int, currency: Currency) throws(ArithmeticError) -> ExactDecimal {
        try amount.divided(by: ExactDecimal(months), scale: currency.minorUnits, mode: .halfUp)
    }

    /// The amount of each month of the term, in order: the monthly amount, and in the last month the remainder, so
    /// that the months sum to `amount` exactly (1,000.00 over 36: 27.78 × 35 and 27.70).
    public static func months(_ amount: ExactDecimal, months n: Int, currency: Currency) throws(ArithmeticError) -> [ExactDecimal] {
        let m = try monthly(amount, months: n, currency: currency)
        let before = try m.multiplied(by: ExactDecimal(n - 1))
        return Array(repeating: m, count: n - 1) + [try amount.subtracting(before).rounded(scale: currency.minorUnits, mode: .halfUp)]
    }

    /// Each month (number) an amount is recognized in, with its amount: the term's months from the start month; the
    /// months that passed before the month the amount was posted (the first of its period) are caught up in that month.
    /// A capitalized amount clawed back (`until`: the clawback period's last day) is recognized only in months that end
    /// on or before that day; the clawback takes the rest off.
    public static func recognized(_ row: CapitalizedAmount, until: CivilDate? = nil) throws(ArithmeticError) -> [(month: Int, amount: ExactDecimal)] {
        let first = month(row.start)
        let posted = max(first, month(row.periodStart))
        var out: [(month: Int, amount: ExactDecimal)] = []
        for (i, a) in try months(row.amount, months: row.termMonths, currency: row.currency).enumerated() {
            let m = max(first + i, posted)
            if let until, lastDay(m) > until { break }
            if let last = out.last, last.month == m {
                out[out.count - 1].amount = try last.amount.adding(a)
            } else {
                out.append((m, a))
            }
        }
        return out
    }

    /// What of `row` is amortized by `date`: the months whose last day is on or before it (a month is amortized once it
    /// has ended; mid-month, the current month is not).
    public static func amortized(_ row: CapitalizedAmount, asOf date: CivilDate, until: CivilDate? = nil) throws(ArithmeticError) -> ExactDecimal {
        var sum = ExactDecimal.zero
        for r in try recognized(row, until: until) where lastDay(r.month) <= date { sum = try sum.adding(r.amount) }
        return try sum.rounded(scale: row.currency.minorUnits, mode: .halfUp)
    }

    /// One row of the schedule as of a date.
    public struct Line: Sendable, Equatable {
        public let row: CapitalizedAmount
        public let monthly: ExactDecimal
        public let amortized: ExactDecimal
        public let unamortized: ExactDecimal
        /// The period of the clawback that reversed it, when one did by the date.
        public let reversedIn: String?
    }

    /// The clawback reversal of each payee's deal, by payee and deal: the first, by period.
    static func reversals(_ rows: [CapitalizedAmount]) -> [String: CapitalizedAmount] {
        var out: [String: CapitalizedAmount] = [:]
        for r in rows where r.kind == .reversal {
            if let e = out[r.pair], e.periodEnd <= r.periodEnd { continue }
            out[r.pair] = r
        }
        return out
    }

    /// The schedule as of `date`: every capitalized amount posted by then (sorted by payee, deal, period, component),
    /// with its monthly amount, what is amortized and what is not. An amount a clawback reversed by `date` is amortized
    /// up to the clawback's period and has nothing left unamortized.
    public static func schedule(_ rows: [CapitalizedAmount], asOf date: CivilDate) throws(ArithmeticError) -> [Line] {
        let reversed = reversals(rows)
        var lines: [Line] = []
        let capitalized = rows.filter { $0.kind == .capitalized && $0.periodEnd <= date }.sorted {
            ($0.payeeID, $0.dealID, $0.periodEnd.description, $0.component) < ($1.payeeID, $1.dealID, $1.periodEnd.description, $1.component)
        }
        for r in capitalized {
            let reversal = reversed[r.pair].flatMap { $0.periodEnd > r.periodEnd && $0.periodEnd <= date ? $0 : nil }
            let until = reversed[r.pair].flatMap { $0.periodEnd > r.periodEnd ? $0.periodEnd : nil }
            let done = try amortized(r, asOf: date, until: until)
            lines.append(Line(row: r, monthly: try monthly(r.amount, months: r.termMonths, currency: r.currency), amortized: done,
                              unamortized: reversal == nil ? try r.amount.subtracting(done) : .zero, reversedIn: reversal?.period))
        }
        return lines
    }

    /// The unamortized balance of a payee's deal at a clawback in the period ending `periodEnd`: what was capitalized
    /// on it in earlier periods less what is amortized through `periodEnd`; and what was capitalized.
    public static func balance(of rows: [CapitalizedAmount], through periodEnd: CivilDate) throws(ArithmeticError) -> (capitalized: ExactDecimal, unamortized: ExactDecimal) {
        var c = ExactDecimal.zero, a = ExactDecimal.zero
        for r in rows where r.kind == .capitalized && r.periodEnd < periodEnd {
            c = try c.adding(r.amount)
            a = try a.adding(try amortized(r, asOf: periodEnd, until: periodEnd))
        }
        return (c, try c.subtracting(a))
    }

    /// The amortization journal as of `date`: for every month ended by then, per currency and cost center, a debit of
    /// `amortization_expense` and a credit of `contract_cost_asset` for what the month recognizes (sides swapped for a
    /// negative amount). Entries are numbered per month and currency: `2026-03-0001`.
    public static func journal(_ rows: [CapitalizedAmount], asOf date: CivilDate, expense: ChartOfAccounts.Account,
                               asset: ChartOfAccounts.Account) throws(ArithmeticError) -> [JournalRow] {
        let reversed = reversals(rows)
        // month → currency → cost center → amount
        var sums: [Int: [String: [String: ExactDecimal]]] = [:]
        var currencies: [String: Currency] = [:]
        for r in rows where r.kind == .capitalized && r.periodEnd <= date {
            let until = reversed[r.pair].flatMap { $0.periodEnd > r.periodEnd ? $0.periodEnd : nil }
            currencies[r.currency.code] = r.currency
            for x in try recognized(r, until: until) where lastDay(x.month) <= date {
                sums[x.month, default: [:]][r.currency.code, default: [:]][r.costCenter] =
                    try (sums[x.month]?[r.currency.code]?[r.costCenter] ?? .zero).adding(x.amount)
            }
        }
        var out: [JournalRow] = []
        for m in sums.keys.sorted() {
            var n = 0
            for code in sums[m]!.keys.sorted() {
                n += 1
                let entry = "\(label(m))-\(String(repeating: "0", count: max(0, 4 - String(n).count)))\(n)"
                for (center, amount) in sums[m]![code]!.sorted(by: { $0.key < $1.key }) where !amount.isZero {
                    let memo = "amortization of capitalized commissions, \(label(m))"
                    let reference = "\(label(m))/amortization"
                    out.append(JournalRow(entry: entry, date: lastDay(m), period: label(m), account: expense, costCenter: center, amount: amount,
                                          currency: currencies[code]!, reference: reference, memo: memo))
                    out.append(JournalRow(entry: entry, date: lastDay(m), period: label(m), account: asset, costCenter: center, amount: amount.negated(),
                                          currency: currencies[code]!, reference: reference, memo: memo))
                }
            }
        }
        return out
    }
}
