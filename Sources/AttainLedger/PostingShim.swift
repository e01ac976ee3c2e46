// TEMPORARY: the streamed posting API over the old schema, until the compact ledger lands.
import Attain
import Foundation
import GRDB

public final class LedgerPosting: @unchecked Sendable {
    let lock = NSLock()
    var statements: [(Attain.Statement, String)] = []
    public func add(_ statement: Attain.Statement, document: String) throws { lock.withLock { statements.append((statement, document)) } }
    public var count: Int { lock.withLock { statements.count } }
}

extension Ledger {
    public static func digest(_ document: String) -> (sha256: String, bytes: Int) {
        (InputHash.sha256(Array(document.utf8)), document.utf8.count)
    }

    public func documentDigests(ofRun run: Int64) throws -> [String: (sha256: String, bytes: Int)] {
        try documents(ofRun: run).mapValues { Ledger.digest($0) }
    }

    public func post(period: Period, inputs: [InputRecord], at: String, engineVersion: String,
                     pause: (() -> Void)? = nil, _ body: (LedgerPosting) throws -> Void) throws -> Int64 {
        try writing { db in
            if let run = try Ledger.importRun(locking: period.label, db) {
                throw LedgerError(Ledger.closedOutsideMessage(period, run: run))
            }
            if let run = try Int64.fetchOne(db, sql: "SELECT run_id FROM locks WHERE period = ?", arguments: [period.label]) {
                throw LedgerError("\(period) is already closed (run \(run)); reopen it first with `attain reopen --period \(period) --reason \"…\"`")
            }
            let later = try String.fetchAll(db, sql: "SELECT period FROM locks WHERE period_end >= ? ORDER BY period_end DESC", arguments: [period.start.description])
            if let last = later.first {
                throw LedgerError("\(last) is already closed, and periods close in order; \(period) cannot be closed after it")
            }
            if let gap = try Ledger.gap(before: period, db) {
                throw LedgerError("\(gap) is not closed yet, and periods close in order; close \(gap) before \(period)")
            }
            try db.execute(sql: """
                INSERT INTO runs (action, period, period_start, period_end, at, engine_version) VALUES ('close', ?, ?, ?, ?, ?)
                """, arguments: [period.label, period.start.description, period.end.description, at, engineVersion])
            let run = db.lastInsertedRowID
            for input in inputs {
                try db.execute(sql: "INSERT INTO run_inputs (run_id, role, path, sha256) VALUES (?, ?, ?, ?)",
                               arguments: [run, input.role, input.path, input.sha256])
            }
            let posting = LedgerPosting()
            try body(posting)
            for (s, document) in posting.statements.sorted(by: { $0.0.payeeID < $1.0.payeeID }) {
                try db.execute(sql: """
                    INSERT INTO statements (run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [run, period.label, s.payeeID, s.payeeName, s.planName, s.planVersion, s.currency.code,
                                     s.earned.text, s.adjustments.text, s.paid.text, document])
                let statement = db.lastInsertedRowID
                for (seq, line) in s.lines.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO lines (statement_id, seq, kind, component, deal_id, for_period, amount, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [statement, seq, line.kind.rawValue, line.component, line.dealID, line.refPeriod, line.amount.text, line.source])
                    if line.kind == .draw, let before = line.balanceBefore, let after = line.balanceAfter {
                        try db.execute(sql: """
                            INSERT INTO draw_balances (run_id, payee_id, draw, period, period_end, balance_before, balance_after) VALUES (?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [run, s.payeeID, line.component, period.label, period.end.description, before.text, after.text])
                    }
                }
            }
            pause?()
            try db.execute(sql: "INSERT INTO locks (period, period_start, period_end, run_id) VALUES (?, ?, ?, ?)",
                           arguments: [period.label, period.start.description, period.end.description, run])
            try db.execute(sql: "DELETE FROM previews WHERE period = ?", arguments: [period.label])
            return run
        }
    }
}
