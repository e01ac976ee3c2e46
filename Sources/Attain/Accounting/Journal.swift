// The accounting journal of a closed period (journal.csv) and of amortization: balanced rows, debit or credit, per
// payee (or cost center) per account.

/// One row of a journal: an account debited (amount above zero) or credited (below zero), in one currency.
public struct JournalRow: Sendable, Equatable {
    public var entry: String
    public let date: CivilDate
    public let period: String
    public let account: ChartOfAccounts.Account
    public let costCenter: String
    /// Signed: above zero a debit, below zero a credit (a negative amount swaps sides), in `currency`'s minor units.
    public let amount: ExactDecimal
    public let currency: Currency
    public let reference: String
    public let memo: String

    public init(entry: String, date: CivilDate, period: String, account: ChartOfAccounts.Account, costCenter: String, amount: ExactDecimal,
                currency: Currency, reference: String, memo: String) {
        self.entry = entry
        self.date = date
        self.period = period
        self.account = account
        self.costCenter = costCenter
        self.amount = amount
        self.currency = currency
        self.reference = reference
        self.memo = memo
    }

    public var debit: ExactDecimal { amount.isNegative ? .zero : amount }
    public var credit: ExactDecimal { amount.isNegative ? amount.negated() : .zero }
}

/// Journal files and their totals.
public enum Journal {
    public static let header = "entry,date,period,account,account_name,cost_center,debit,credit,currency,reference,memo\n"

    /// The rows as CSV: the side a row is not on is empty; text cells are neutralized against formula injection.
    public static func csv(_ rows: [JournalRow]) -> String {
        var out = header
        for r in rows {
            let units = r.currency.minorUnits
            let debit = r.amount.isNegative ? "" : r.amount.text(minimumScale: units)
            let credit = r.amount.isNegative ? r.amount.negated().text(minimumScale: units) : ""
            let cells = [PayrollCSV.cell(r.entry, numeric: false), r.date.description, PayrollCSV.cell(r.period, numeric: false),
                         PayrollCSV.cell(r.account.number, numeric: false), PayrollCSV.cell(r.account.name, numeric: false),
                         PayrollCSV.cell(r.costCenter, numeric: false), debit, credit, r.currency.code,
                         PayrollCSV.cell(r.reference, numeric: false), PayrollCSV.cell(r.memo, numeric: false)]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Debits and credits per currency, sorted by currency code: equal in a journal that balances.
    public static func totals(_ rows: [JournalRow]) throws(ArithmeticError) -> [(currency: Currency, debits: ExactDecimal, credits: ExactDecimal)] {
        var sums: [String: (Currency, ExactDecimal, ExactDecimal)] = [:]
        for r in rows {
            var s = sums[r.currency.code] ?? (r.currency, .zero, .zero)
            s.1 = try s.1.adding(r.debit)
            s.2 = try s.2.adding(r.credit)
            sums[r.currency.code] = s
        }
        return sums.keys.sorted().map { (sums[$0]!.0, sums[$0]!.1, sums[$0]!.2) }
    }

    /// "2400.00 USD", "2400.00 USD, 100 JPY": the debits per currency (which the credits equal).
    public static func totalsText(_ rows: [JournalRow]) -> String {
        guard let totals = try? totals(rows), !totals.isEmpty else { return "0" }
        return totals.map { "\($0.debits.text(minimumScale: $0.currency.minorUnits)) \($0.currency.code)" }.joined(separator: ", ")
    }

    /// Whether debits equal credits in every currency.
    public static func balances(_ rows: [JournalRow]) -> Bool {
        (try? totals(rows))?.allSatisfy { $0.debits == $0.credits } ?? false
    }
}
