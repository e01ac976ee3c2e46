// The payroll difference of a period closed again after a reopen: what payroll must add or take back, payee by payee,
// against the posting it was sent before (`PERIOD/payroll-difference.csv`).

/// What payroll must add or take back when a reopened period is posted again.
///
/// Header `payee_id,payee_name,period,currency,sent,now,difference`, then one row per payee and currency in either
/// posting, sorted by payee id, then currency: `sent` is what the voided posting paid, `now` this posting's paid,
/// `difference` = now − sent (a payee in one posting only has 0.00 on the other side). Rows whose difference is 0.00
/// are kept, so that payroll can tick every payee off. Amounts are exact (each `paid` is already the sum of its
/// statement's rounded lines), in the currency's minor units; text cells are neutralized against formula injection as
/// in `PayrollCSV`. There is no total row: the totals per currency are `totals(_:)`.
public enum PayrollDifference {
    public static let header = ["payee_id", "payee_name", "period", "currency", "sent", "now", "difference"]

    /// What one posting paid one payee.
    public struct Paid: Sendable, Equatable {
        public let payeeID: String
        public let name: String
        public let amount: Money

        public init(payeeID: String, name: String, amount: Money) {
            self.payeeID = payeeID
            self.name = name
            self.amount = amount
        }
    }

    /// One row of the file.
    public struct Row: Sendable, Equatable {
        public let payeeID: String
        public let name: String
        public let currency: Currency
        public let sent: Money
        public let now: Money
        /// `now` − `sent`.
        public let difference: Money
    }

    /// The totals of one currency: what payroll adds (the positive differences) and takes back (the negative ones, as
    /// a positive amount).
    public struct Total: Sendable, Equatable {
        public let currency: Currency
        public let adds: Money
        public let takesBack: Money
    }

    /// The rows for what was `sent` and what is paid `now`. Throws only if a difference overflows.
    public static func rows(sent: [Paid], now: [Paid]) throws(ArithmeticError) -> [Row] {
        struct Key: Hashable { let payee: String; let currency: String }
        var sentBy: [Key: Paid] = [:], nowBy: [Key: Paid] = [:]
        for p in sent { sentBy[Key(payee: p.payeeID, currency: p.amount.currency.code)] = p }
        for p in now { nowBy[Key(payee: p.payeeID, currency: p.amount.currency.code)] = p }
        let keys = Set(sentBy.keys).union(nowBy.keys).sorted { ($0.payee, $0.currency) < ($1.payee, $1.currency) }
        var out: [Row] = []
        out.reserveCapacity(keys.count)
        for key in keys {
            let one = (nowBy[key] ?? sentBy[key])!
            let currency = one.amount.currency
            let s = sentBy[key]?.amount ?? .zero(currency), n = nowBy[key]?.amount ?? .zero(currency)
            out.append(Row(payeeID: key.payee, name: one.name, currency: currency, sent: s, now: n, difference: try n.subtracting(s)))
        }
        return out
    }

    /// What payroll adds and takes back per currency, currencies by code. Throws only if a sum overflows.
    public static func totals(_ rows: [Row]) throws(ArithmeticError) -> [Total] {
        var sums: [String: (adds: Money, back: Money)] = [:]
        for r in rows {
            var t = sums[r.currency.code] ?? (.zero(r.currency), .zero(r.currency))
            if r.difference.amount.isNegative { t.back = try t.back.adding(r.difference.negated()) } else { t.adds = try t.adds.adding(r.difference) }
            sums[r.currency.code] = t
        }
        return sums.keys.sorted().map { Total(currency: sums[$0]!.adds.currency, adds: sums[$0]!.adds, takesBack: sums[$0]!.back) }
    }

    /// The CSV text of `rows` for `period`.
    public static func render(_ rows: [Row], period: String) -> String {
        var out = header.joined(separator: ",") + "\n"
        for r in rows {
            let cells = [PayrollCSV.cell(r.payeeID, numeric: false), PayrollCSV.cell(r.name, numeric: false), PayrollCSV.cell(period, numeric: false),
                         r.currency.code, r.sent.text, r.now.text, r.difference.text]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }
}
