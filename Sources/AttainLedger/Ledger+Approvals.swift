// Sign-off of a close: a ledger can require that someone other than the preparer approves the last dry run of a
// period, for exactly its inputs, before `close --commit` posts it.
import GRDB

/// The last dry run of a period: when, by whom (`--by`), and the SHA-256 of its inputs.
public struct DryRunRecord: Sendable, Equatable {
    public let period: String
    public let at: String
    public let preparedBy: String?
    public let inputs: String
    /// Approvals with a larger id were recorded after this dry run.
    let approvalsBefore: Int64
}

/// One approval: who signed off which period's dry run, when, and for which inputs.
public struct ApprovalRecord: Sendable, Equatable {
    public let id: Int64
    public let period: String
    public let approvedBy: String
    public let at: String
    public let preparedBy: String?
    public let inputs: String
}

extension Ledger {
    static func createApprovalTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE dry_runs (
                period TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                prepared_by TEXT,
                inputs_sha256 TEXT NOT NULL,
                approvals_before INTEGER NOT NULL
            );
            CREATE TABLE approvals (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                period TEXT NOT NULL,
                approved_by TEXT NOT NULL,
                at TEXT NOT NULL,
                prepared_by TEXT,
                inputs_sha256 TEXT NOT NULL
            );
            """)
    }

    /// Whether `close --commit` needs an approval (`attain ledger config --require-approval`).
    public func requiresApproval() throws -> Bool {
        if postgres != nil { return try pg.string("SELECT value FROM settings WHERE key = 'require_approval'") == "true" }
        return try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'require_approval'") == "true" }
    }

    public func setRequireApproval(_ required: Bool) throws {
        if postgres != nil { return try pgSetRequireApproval(required) }
        return try writing { db in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('require_approval', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [required ? "true" : "false"])
        }
    }

    /// Records a dry run of `period`, replacing the one before: approvals made before it no longer count.
    public func saveDryRun(period: String, at: String, preparedBy: String?, inputs: String) throws {
        if postgres != nil { return try pgSaveDryRun(period: period, at: at, preparedBy: preparedBy, inputs: inputs) }
        return try writing { db in
            let last = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM approvals") ?? 0
            try db.execute(sql: """
                INSERT INTO dry_runs (period, at, prepared_by, inputs_sha256, approvals_before) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(period) DO UPDATE SET at = excluded.at, prepared_by = excluded.prepared_by,
                    inputs_sha256 = excluded.inputs_sha256, approvals_before = excluded.approvals_before
                """, arguments: [period, at, preparedBy, inputs, last])
        }
    }

    public func lastDryRun(period: String) throws -> DryRunRecord? {
        if postgres != nil { return try pgLastDryRun(period: period) }
        return try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM dry_runs WHERE period = ?", arguments: [period]).map {
                DryRunRecord(period: $0["period"], at: $0["at"], preparedBy: $0["prepared_by"], inputs: $0["inputs_sha256"],
                             approvalsBefore: $0["approvals_before"])
            }
        }
    }

    /// Records `by`'s approval of the last dry run of `period` (its preparer and inputs with it).
    public func approve(_ dryRun: DryRunRecord, by: String, at: String) throws -> ApprovalRecord {
        if postgres != nil { return try pgApprove(dryRun, by: by, at: at) }
        return try writing { db in
            try db.execute(sql: "INSERT INTO approvals (period, approved_by, at, prepared_by, inputs_sha256) VALUES (?, ?, ?, ?, ?)",
                           arguments: [dryRun.period, by, at, dryRun.preparedBy, dryRun.inputs])
            return ApprovalRecord(id: db.lastInsertedRowID, period: dryRun.period, approvedBy: by, at: at, preparedBy: dryRun.preparedBy,
                                  inputs: dryRun.inputs)
        }
    }

    /// Every approval, oldest first.
    public func approvals() throws -> [ApprovalRecord] {
        if postgres != nil { return try pgApprovals(of: nil) }
        return try approvals(where: "1", [])
    }

    func approvals(where condition: String, _ arguments: StatementArguments) throws -> [ApprovalRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM approvals WHERE \(condition) ORDER BY id", arguments: arguments).map {
                ApprovalRecord(id: $0["id"], period: $0["period"], approvedBy: $0["approved_by"], at: $0["at"], preparedBy: $0["prepared_by"],
                               inputs: $0["inputs_sha256"])
            }
        }
    }

    /// The approvals that sign off `dryRun`: made after it, for its inputs, by someone other than its preparer.
    public func approvals(of dryRun: DryRunRecord) throws -> [ApprovalRecord] {
        if postgres != nil { return try pgApprovals(of: dryRun) }
        return try approvals(where: "period = ? AND id > ? AND inputs_sha256 = ? AND approved_by IS NOT ?",
                      [dryRun.period, dryRun.approvalsBefore, dryRun.inputs, dryRun.preparedBy])
    }

    /// The SHA-256 of a close's inputs by role and content (not path), and its `--set` overrides: what a dry run, its
    /// approval and the commit must agree on.
    public static func inputsDigest(_ inputs: [InputRecord], overrides: [(name: String, text: String)]) -> String {
        let text = (inputs.map { "\($0.role)\t\($0.sha256)\n" } + overrides.map { "set\t\($0.name)=\($0.text)\n" }).sorted().joined()
        return InputHash.sha256(Array(text.utf8))
    }
}
