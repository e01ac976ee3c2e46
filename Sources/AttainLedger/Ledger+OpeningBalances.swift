// Opening balances in the ledger: an import run per period closed outside Attain, holding what was paid for it (as
// statements and lines, so true-ups take it off) and draw balances (so draws recover them), and locking the period.
import Attain
import Foundation
import GRDB

extension Ledger {
    /// What the ledger records as an imported period's pay: lines of this kind, with no deal.
    public static let importedLineKind = LineKind.commission
    /// The reason recorded with every import run.
    public static let closedOutsideNote = "closed outside Attain"

    /// Imports opening balances, in one transaction: one `import` run per period of `balances`, each with its statements
    /// (one per payee, a line per component), draw balances and lock. Refused when the ledger has any locked period
    /// (a close, or an earlier import): opening balances come once, before the first close. Returns each period's run.
    @discardableResult
    public func importOpenings(_ balances: OpeningBalances, inputs: [InputRecord], at: String, engineVersion: String) throws -> [(period: Period, run: Int64)] {
        if postgres != nil { return try pgImportOpenings(balances, inputs: inputs, at: at, engineVersion: engineVersion) }
        return try writing { db in
            if let last = try Row.fetchOne(db, sql: """
                SELECT k.period, k.run_id, r.action FROM locks k JOIN runs r ON r.id = k.run_id ORDER BY k.period_end DESC LIMIT 1
                """) {
                throw Ledger.openingsRefused(period: last["period"], run: last["run_id"], action: last["action"])
            }
            var runs: [(period: Period, run: Int64)] = []
            for period in balances.periods {
                try db.execute(sql: """
                    INSERT INTO runs (action, period, period_start, period_end, at, engine_version, reason) VALUES ('import', ?, ?, ?, ?, ?, ?)
                    """, arguments: [period.label, period.start.description, period.end.description, at, engineVersion, Ledger.closedOutsideNote])
                let run = db.lastInsertedRowID
                for input in inputs {
                    try db.execute(sql: "INSERT INTO run_inputs (run_id, role, path, sha256) VALUES (?, ?, ?, ?)",
                                   arguments: [run, input.role, input.path, input.sha256])
                }
                for (payee, rows, currency, total) in try Ledger.importedPay(balances, period: period) {
                    // An imported period has no statement document: the digest of the empty one.
                    try db.execute(sql: """
                        INSERT INTO statements (run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid,
                                                document_sha256, document_bytes)
                        VALUES (?, ?, ?, '', ?, '', ?, ?, ?, ?, ?, 0)
                        """, arguments: [run, period.label, payee, rows[0].plan, currency.code, Money(total, currency).text,
                                         Money(.zero, currency).text, Money(total, currency).text, Data(InputHash.sha256Bytes(""))])
                    let statement = db.lastInsertedRowID
                    let kind = try Ledger.textID(Ledger.importedLineKind.rawValue, db)
                    for (seq, row) in rows.enumerated() {
                        try db.execute(sql: """
                            INSERT INTO lines (statement_id, seq, kind_id, component_id, deal_id, for_period, amount, source_id) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)
                            """, arguments: [statement, seq, kind, try Ledger.textID(row.component, db), row.amount.text,
                                             try Ledger.textID("\(balances.path):\(row.line)", db)])
                    }
                }
                for d in balances.draws where d.period == period {
                    try db.execute(sql: """
                        INSERT INTO draw_balances (run_id, payee_id, draw, period, period_end, balance_before, balance_after) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [run, d.payeeID, d.draw, period.label, period.end.description, d.balance.text, d.balance.text])
                }
                try db.execute(sql: "INSERT INTO locks (period, period_start, period_end, run_id) VALUES (?, ?, ?, ?)",
                               arguments: [period.label, period.start.description, period.end.description, run])
                runs.append((period, run))
            }
            return runs
        }
    }

    /// Why opening balances cannot be imported into a ledger whose latest lock is `period`'s, by `run` (an `import` or
    /// a close).
    static func openingsRefused(period: String, run: Int64, action: String) -> LedgerError {
        if action == "import" {
            return LedgerError("opening balances were already imported (run \(run) closed \(period) outside Attain); they are imported once, before the first close: to replace them, void them with `attain reopen --period \(period) --reason \"…\"` and import again")
        }
        return LedgerError("\(period) is already closed (run \(run)); opening balances are imported once, into a ledger with no closed period, before the first close")
    }

    /// The pay imported for one period, a payee at a time in id order: their rows, currency and exact total.
    static func importedPay(_ balances: OpeningBalances, period: Period) throws -> [(payee: String, rows: [OpeningBalances.Paid], currency: Currency, total: ExactDecimal)] {
        let paid = balances.paid.filter { $0.period == period }
        return try Set(paid.map(\.payeeID)).sorted().map { payee in
            let rows = paid.filter { $0.payeeID == payee }
            var total = ExactDecimal.zero
            for row in rows {
                guard let sum = try? total.adding(row.amount.amount) else {
                    throw LedgerError("the pay imported for payee `\(payee)` for \(period) is too large to add up exactly")
                }
                total = sum
            }
            return (payee, rows, rows[0].amount.currency, total)
        }
    }

    /// The import run that locked a period closed outside Attain, if it was.
    public func closedOutside(_ period: Period) throws -> Int64? {
        if postgres != nil { return try Ledger.pgImportRun(locking: period.label, pg) }
        return try queue.read { db in try Ledger.importRun(locking: period.label, db) }
    }

    static func importRun(locking period: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT k.run_id FROM locks k JOIN runs r ON r.id = k.run_id WHERE k.period = ? AND r.action = 'import'
            """, arguments: [period])
    }

    /// The periods closed outside Attain by the import in force, oldest first.
    public func importedPeriods() throws -> [String] {
        if postgres != nil { return try pgImportedPeriods() }
        return try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT k.period FROM locks k JOIN runs r ON r.id = k.run_id WHERE r.action = 'import' ORDER BY k.period_start
                """)
        }
    }

    /// What the import in force holds, for a close of `period` in the import's year; `firstClose` when every locked
    /// period that ends before `period` was closed outside Attain. Nil without an import that year.
    public func importedFigures(before period: Period) throws -> ImportedFigures? {
        if postgres != nil { return try pgImportedFigures(before: period) }
        return try queue.read { db in
            let start = period.start.description
            let locked = try Row.fetchAll(db, sql: """
                SELECT k.run_id, r.action, k.period_start FROM locks k JOIN runs r ON r.id = k.run_id WHERE k.period_end < ? ORDER BY k.period_start
                """, arguments: [start])
            let imports = locked.filter { ($0["action"] as String) == "import" }
            // Imported pay counts toward its own year only.
            guard let first = imports.first, (first["period_start"] as String).hasPrefix("\(period.start.year)-") else { return nil }
            let runs = imports.map { $0["run_id"] as Int64 }
            let marks = runs.map { _ in "?" }.joined(separator: ", ")
            let paid = try Row.fetchAll(db, sql: "SELECT DISTINCT payee_id, plan, currency FROM statements WHERE run_id IN (\(marks)) ORDER BY payee_id, plan",
                                        arguments: StatementArguments(runs))
                .map { (payee: $0["payee_id"] as String, plan: $0["plan"] as String, currency: $0["currency"] as String) }
            let draws = try Row.fetchAll(db, sql: "SELECT DISTINCT payee_id, draw FROM draw_balances WHERE run_id IN (\(marks)) ORDER BY payee_id, draw",
                                         arguments: StatementArguments(runs))
                .map { (payee: $0["payee_id"] as String, draw: $0["draw"] as String) }
            var figures = ImportedFigures(runs: runs, paid: paid, draws: draws)
            figures.firstClose = imports.count == locked.count
            return figures
        }
    }

    /// Voids the import in force, as `reopen` of one of its periods does: refused once a period is closed after it.
    static func voidImport(_ period: Period, reason: String, at: String, engineVersion: String, _ db: Database) throws -> Int64 {
        if let later = try String.fetchOne(db, sql: """
            SELECT k.period FROM locks k JOIN runs r ON r.id = k.run_id WHERE r.action != 'import' ORDER BY k.period_start DESC LIMIT 1
            """) {
            throw LedgerError("\(period) was closed outside Attain (opening balances), and \(later) has been closed after it; opening balances cannot be voided once a period is closed after them")
        }
        try db.execute(sql: """
            INSERT INTO runs (action, period, period_start, period_end, at, engine_version, reason) VALUES ('reopen', ?, ?, ?, ?, ?, ?)
            """, arguments: [period.label, period.start.description, period.end.description, at, engineVersion, reason])
        let run = db.lastInsertedRowID
        try db.execute(sql: """
            UPDATE runs SET voided_by = ? WHERE action = 'import' AND voided_by IS NULL AND id IN (SELECT run_id FROM locks)
            """, arguments: [run])
        try db.execute(sql: "DELETE FROM locks WHERE run_id IN (SELECT id FROM runs WHERE action = 'import')")
        return run
    }
}
