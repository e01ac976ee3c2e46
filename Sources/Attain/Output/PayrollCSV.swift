// The payroll export: one CSV row per payee per earning code, reconciling exactly with the statements.

/// A payroll export in CSV (RFC 4180, lines ending in "\n"), safe to open in a spreadsheet.
///
/// Header `payee_id,payee_name,period,earning_code,amount,currency`, then one row per payee, period,
/// currency and earning code the payee has lines under, sorted by payee id, then code. A row's amount
/// is the exact sum of those lines (each already rounded once by the plan), so a payee's rows add up to
/// the `paid` of their statements to the last minor unit. There is no total row.
///
/// Text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, or their full-width forms) get a leading `'`. Amounts are never user text and stay
/// plain numbers such as `-1100.00`.
public enum PayrollCSV {
    public static let header = ["payee_id", "payee_name", "period", "earning_code", "amount", "currency"]

    /// One row of the export.
    public struct Row: Sendable, Hashable {
        public let payeeID: String
        public let payeeName: String
        public let period: String
        public let earningCode: String
        /// Exact sum of the payee's lines under this code, in the statement's currency.
        public let amount: Money
    }

    /// The rows for `statements`: sums per payee, period, currency and earning code.
    /// Throws only if a sum overflows (never silently wraps).
    public static func rows(_ statements: [Statement], codes: EarningCodes = .standard) throws(ArithmeticError) -> [Row] {
        /// One of a payee's sums.
        struct Key: Hashable {
            let period: String
            let currency: String
            let code: String
        }
        // Each payee's statements together (they usually come sorted by payee already), then each payee's few sums
        // sorted on their own: no sort over every row of the company.
        var order = Array(statements.indices)
        if zip(statements, statements.dropFirst()).contains(where: { $0.payeeID > $1.payeeID }) {
            order.sort { (statements[$0].payeeID, $0) < (statements[$1].payeeID, $1) }
        }
        var rows: [Row] = []
        var k = 0
        while k < order.count {
            let payee = statements[order[k]].payeeID
            let name = statements[order[k]].payeeName
            var sums: [Key: Money] = [:]
            while k < order.count && statements[order[k]].payeeID == payee {
                let s = statements[order[k]]
                let (period, currency) = (s.period.label, s.currency.code)
                for line in s.lines {
                    let key = Key(period: period, currency: currency, code: codes[line.kind])
                    sums[key] = try (sums[key] ?? .zero(s.currency)).adding(line.amount)
                }
                k += 1
            }
            for key in sums.keys.sorted(by: { a, b in (a.code, a.period, a.currency) < (b.code, b.period, b.currency) }) {
                rows.append(Row(payeeID: payee, payeeName: name, period: key.period, earningCode: key.code, amount: sums[key]!))
            }
        }
        return rows
    }

    /// The CSV text for `rows`.
    public static func render(rows: [Row]) -> String {
        var out = header.joined(separator: ",") + "\n"
        for r in rows {
            let cells = [text(r.payeeID), text(r.payeeName), text(r.period), text(r.earningCode), r.amount.text, text(r.amount.currency.code)]
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The CSV text for `statements`. Throws only if a sum overflows.
    public static func render(_ statements: [Statement], codes: EarningCodes = .standard) throws(ArithmeticError) -> String {
        render(rows: try rows(statements, codes: codes))
    }

    /// A text cell: neutralized against formula injection, then quoted if needed.
    static func text(_ value: String) -> String {
        quoted(neutralized(value))
    }

    /// The value with a leading `'` when a spreadsheet would treat it as a formula.
    static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first else { return value }
        return formulaStarts.contains(first) ? "'" + value : value
    }

    /// First characters that make a spreadsheet read a field as a formula. ＝ ＋ － ＠ (full-width forms) are also read
    /// as formulas by some spreadsheet locales.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    /// RFC 4180: a field holding a comma, a quote, CR or LF is quoted, with quotes doubled.
    static func quoted(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return value }
        var out = "\""
        for c in value.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }
}
