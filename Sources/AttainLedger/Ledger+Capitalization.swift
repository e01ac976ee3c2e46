// Capitalized commissions in the ledger: each amount a close capitalizes (a commission on a deal whose contract term is
// over twelve months) and each clawback's reversal of one, kept with the run that posted it; a reopen voids them with it.
import Attain
import Foundation
import GRDB

extension Ledger {
    /// The migration that adds `capitalized_commissions`.
    static let capitalizedCommissions = "7: capitalized commissions"

    static func createCapitalizationTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE capitalized_commissions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER NOT NULL REFERENCES runs(id),
                kind TEXT NOT NULL CHECK (kind IN ('capitalized', 'reversal')),
                period TEXT NOT NULL,
                period_start TEXT NOT NULL,
                period_end TEXT NOT NULL,
                payee_id TEXT NOT NULL,
                deal_id TEXT NOT NULL,
                component TEXT NOT NULL,
                amount TEXT NOT NULL,
                currency TEXT NOT NULL,
                term_months INTEGER NOT NULL,
                start_date TEXT NOT NULL,
                cost_center TEXT NOT NULL,
                released TEXT
            );
            CREATE INDEX capitalized_by_deal ON capitalized_commissions(payee_id, deal_id);
            """)
    }

    /// Adds a close's capitalized amounts under its run, inside the posting's transaction.
    static func insertCapitalized(_ rows: [CapitalizedAmount], run: Int64, _ db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO capitalized_commissions (run_id, kind, period, period_start, period_end, payee_id, deal_id, component, amount, currency,
                term_months, start_date, cost_center, released) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for r in rows {
            try insert.execute(arguments: [run, r.kind.rawValue, r.period, r.periodStart.description, r.periodEnd.description, r.payeeID, r.dealID,
                                           r.component, r.amount.description, r.currency.code, r.termMonths, r.start.description, r.costCenter,
                                           r.released?.description])
        }
    }

    /// The capitalized amounts and reversals of closes in force (runs not voided), oldest period first; with `before`,
    /// only those of periods that end before it starts (what a close of it, or a rerun of it, settles against).
    public func capitalized(before period: Period? = nil) throws -> [CapitalizedAmount] {
        if postgres != nil { return try pgCapitalized(before: period) }
        return try queue.read { db in
            var sql = """
                SELECT c.* FROM capitalized_commissions c JOIN runs r ON r.id = c.run_id
                WHERE r.voided_by IS NULL
                """
            var arguments: StatementArguments = []
            if let period {
                sql += " AND c.period_end < ?"
                arguments = [period.start.description]
            }
            sql += " ORDER BY c.period_end, c.payee_id, c.deal_id, c.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(Ledger.capitalizedAmount)
        }
    }

    static func capitalizedAmount(_ row: Row) -> CapitalizedAmount? {
        guard let kind = CapitalizedAmount.Kind(rawValue: row["kind"]), let currency = Currency(code: row["currency"]),
              case .success(let amount) = ExactDecimal.parse(row["amount"] as String),
              case .success(let start) = CivilDate.parse(Array((row["start_date"] as String).utf8)),
              case .success(let from) = CivilDate.parse(Array((row["period_start"] as String).utf8)),
              case .success(let to) = CivilDate.parse(Array((row["period_end"] as String).utf8)) else { return nil }
        let released = (row["released"] as String?).flatMap { try? ExactDecimal.parse($0).get() }
        return CapitalizedAmount(kind: kind, payeeID: row["payee_id"], dealID: row["deal_id"], component: row["component"], period: row["period"],
                                 periodStart: from, periodEnd: to, amount: amount, currency: currency, termMonths: row["term_months"], start: start,
                                 costCenter: row["cost_center"], released: released)
    }
}
