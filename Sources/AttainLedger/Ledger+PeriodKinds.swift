// Several period kinds in one ledger: monthly and quarterly plans of one company close in the same file, each kind in
// order on its own, with its own history and locks. A run's and a lock's kind is read from its stored label.
import Attain
import GRDB

extension Ledger {
    /// The migration that gives runs and locks their period kind.
    static let periodKinds = "8: period kinds"

    /// The period kind of a stored label, in SQL over `column`: `PeriodKind.rawValue` of the period the label names
    /// (labels say their kind by their shape: `2026-01`, `2026-Q1`, `FY2027-H2`, `2026-01-S2`, `2026-B03`, `2026`).
    static func kindExpression(_ column: String) -> String {
        """
        CASE WHEN \(column) GLOB '*-Q[0-9]' THEN 'quarter' WHEN \(column) GLOB '*-H[0-9]' THEN 'half' \
        WHEN \(column) GLOB '*-S[0-9]' THEN 'semi-monthly' WHEN \(column) GLOB '*-B[0-9][0-9]' THEN 'biweekly' \
        WHEN \(column) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' THEN 'month' ELSE 'year' END
        """
    }

    /// `runs.kind` and `locks.kind`: generated from each row's label, for the rows already there and every row added
    /// later, so that no writer can store a kind that disagrees with its label. Locks are looked up by kind and end.
    static func addPeriodKinds(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE runs ADD COLUMN kind TEXT GENERATED ALWAYS AS (\(kindExpression("period"))) VIRTUAL;
            ALTER TABLE locks ADD COLUMN kind TEXT GENERATED ALWAYS AS (\(kindExpression("period"))) VIRTUAL;
            CREATE INDEX locks_by_kind ON locks(kind, period_end);
            """)
    }

    /// The kind the ledger stores for a label (the same SQL as its tables), for checks.
    static func storedKind(ofLabel label: String) throws -> String {
        try DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT \(kindExpression("label")) FROM (SELECT ? AS label)", arguments: [label]) ?? "" }
    }

    /// The locked periods of each kind, oldest first, kinds in the order of `PeriodKind.allCases`.
    public func locksByKind() throws -> [(kind: PeriodKind, periods: [String])] {
        if postgres != nil { return try pgLocksByKind() }
        return try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT kind, period FROM locks ORDER BY period_start, period")
            var found: [String: [String]] = [:]
            for row in rows { found[row["kind"], default: []].append(row["period"]) }
            return PeriodKind.allCases.compactMap { k in found[k.rawValue].map { (k, $0) } }
        }
    }

    /// What the latest close of `period` voided by a reopen paid each payee, before run `before` when given: the run
    /// and its reopen, and per payee its name, currency and paid. Nil when no close of the period was voided.
    public func voidedPosting(of period: Period, before: Int64? = nil) throws -> VoidedPosting? {
        if postgres != nil { return try pgVoidedPosting(of: period, before: before) }
        return try queue.read { db in
            guard let run = try Row.fetchOne(db, sql: """
                SELECT id, voided_by FROM runs WHERE action = 'close' AND period = ? AND voided_by IS NOT NULL AND id < ? ORDER BY id DESC LIMIT 1
                """, arguments: [period.label, before ?? Int64.max]) else { return nil }
            let id: Int64 = run["id"]
            var posting = VoidedPosting(run: id, voidedBy: run["voided_by"], paid: [])
            for row in try Row.fetchAll(db, sql: "SELECT payee_id, payee_name, currency, paid FROM statements WHERE run_id = ? ORDER BY payee_id", arguments: [id]) {
                let code: String = row["currency"], text: String = row["paid"]
                guard let currency = Currency(code: code), case .success(let amount) = ExactDecimal.parse(text) else {
                    throw LedgerError("the ledger holds a statement of run \(id) it cannot read (paid `\(text)` \(code))")
                }
                posting.paid.append(PayrollDifference.Paid(payeeID: row["payee_id"], name: row["payee_name"], amount: Money(amount, currency)))
            }
            return posting
        }
    }
}

/// A close voided by `attain reopen`: what its statements paid.
public struct VoidedPosting: Sendable {
    public let run: Int64
    public let voidedBy: Int64
    /// One per payee, by payee id.
    public var paid: [PayrollDifference.Paid]
}
