// The payroll export: one CSV row per payee per earning code, reconciling exactly with the statements.

/// A payroll export in CSV (RFC 4180, lines ending in "\n"), safe to open in a spreadsheet.
///
/// Header `payee_id,payee_name,period,earning_code,amount,currency`, then one row per payee, period,
/// currency and earning code the payee has lines under, sorted by payee id, then code. A row's amount
/// is the exact sum of those lines (each already rounded once by the plan), so a payee's rows add up to
/// the `paid` of their statements to the last minor unit. There is no total row.
///
/// Text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, or their full-width forms, also after leading spaces, tabs and line breaks) get a leading `'`. Amounts are never user text and stay
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
        rows.reserveCapacity(statements.count * 2)
        // A payee has a few sums: kept in a short list, looked through in order.
        var sums: [(key: Key, amount: Money)] = []
        var k = 0
        while k < order.count {
            let payee = statements[order[k]].payeeID
            let name = statements[order[k]].payeeName
            sums.removeAll(keepingCapacity: true)
            while k < order.count && statements[order[k]].payeeID == payee {
                let (period, currency) = (statements[order[k]].period.label, statements[order[k]].currency)
                for line in statements[order[k]].lines {
                    let key = Key(period: period, currency: currency.code, code: codes[line.kind])
                    if let at = sums.firstIndex(where: { $0.key == key }) {
                        sums[at].amount = try sums[at].amount.adding(line.amount)
                    } else {
                        sums.append((key, try Money.zero(currency).adding(line.amount)))
                    }
                }
                k += 1
            }
            sums.sort { a, b in (a.key.code, a.key.period, a.key.currency) < (b.key.code, b.key.period, b.key.currency) }
            for (key, amount) in sums {
                rows.append(Row(payeeID: payee, payeeName: name, period: key.period, earningCode: key.code, amount: amount))
            }
        }
        return rows
    }

    /// The CSV text for `rows`, written as bytes: cells that need no care (the usual ids, names and codes) are copied
    /// as they are.
    public static func render(rows: [Row]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + rows.count * 64)
        out.append(contentsOf: header.joined(separator: ",").utf8)
        out.append(UInt8(ascii: "\n"))
        func cell(_ value: String) {
            var plain = true
            for b in value.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n") || b >= 0x80 {
                plain = false
                break
            }
            if plain, let first = value.utf8.first, first != UInt8(ascii: " "), !formulaStarts.contains(Unicode.Scalar(first)) {
                out.append(contentsOf: value.utf8)
            } else if value.isEmpty {
                return
            } else {
                out.append(contentsOf: text(value).utf8)
            }
        }
        for r in rows {
            cell(r.payeeID)
            out.append(UInt8(ascii: ","))
            cell(r.payeeName)
            out.append(UInt8(ascii: ","))
            cell(r.period)
            out.append(UInt8(ascii: ","))
            cell(r.earningCode)
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: r.amount.text.utf8)
            out.append(UInt8(ascii: ","))
            cell(r.amount.currency.code)
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The CSV text for `statements`. Throws only if a sum overflows.
    public static func render(_ statements: [Statement], codes: EarningCodes = .standard) throws(ArithmeticError) -> String {
        render(rows: try rows(statements, codes: codes))
    }

    /// A cell of a CSV file: a number quoted if needed, any other text neutralized against formula injection too.
    public static func cell(_ value: String, numeric: Bool) -> String {
        numeric ? quoted(value) : text(value)
    }

    /// A text cell: neutralized against formula injection, then quoted if needed.
    static func text(_ value: String) -> String {
        quoted(neutralized(value))
    }

    /// The value with a leading `'` when a spreadsheet would treat it as a formula: its first character, or the first
    /// after leading spaces, tabs and line breaks (which spreadsheets skip), starts one.
    static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first(where: { !leadingBlanks.contains($0) }) ?? value.unicodeScalars.first else { return value }
        return formulaStarts.contains(first) || formulaStarts.contains(value.unicodeScalars.first!) ? "'" + value : value
    }

    /// Characters a spreadsheet skips before it decides whether a cell is a formula.
    static let leadingBlanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n", "\u{A0}", "\u{3000}"]

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
