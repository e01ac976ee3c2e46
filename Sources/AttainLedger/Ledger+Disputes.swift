// Disputes: a rep's query against a line of a posted statement, kept until a written answer or a manual adjustment
// posted at a later close resolves it; and the manual adjustments posted, by id, so that a row is never posted twice.
import Attain
import GRDB
import GRDBSQLite

/// A dispute as `attain disputes` lists it: the query, the line it is about, and where it stands now.
public struct DisputeRecord: Sendable, Equatable {
    public let dispute: Dispute
    /// `open`, `answered` (a written answer) or `adjusted` (resolved by a posted adjustment line).
    public let state: String
    /// For `adjusted`: the adjustment row's id, the period it was posted in and its 1-based line on that statement.
    public let adjustmentID: String?
    public let adjustmentPeriod: String?
    public let adjustmentLine: Int?
}

/// A manual adjustment line posted by a close: the row it came from and the dispute it resolves, if any.
public struct PostedManualLine: Sendable, Equatable, Codable {
    public let adjustmentID: String
    public let payeeID: String
    /// 0-based place of the line on the statement (the ledger's `lines.seq`).
    public let seq: Int
    public let amount: Money
    public let source: String
    public let dispute: Int?

    public init(adjustmentID: String, payeeID: String, seq: Int, amount: Money, source: String, dispute: Int?) {
        self.adjustmentID = adjustmentID
        self.payeeID = payeeID
        self.seq = seq
        self.amount = amount
        self.source = source
        self.dispute = dispute
    }
}

extension Ledger {
    /// The migration that adds disputes and posted manual adjustments.
    static let disputesMigration = "6: disputes"

    /// `recorded_after_run` and `answered_after_run` hold the run of the latest closed period when the dispute was
    /// recorded or answered: a statement of a period sees what was recorded or answered while the period before it was
    /// the latest closed, so a close made again with the same inputs makes the same statements.
    static func createDisputeTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE disputes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                period TEXT NOT NULL,
                payee_id TEXT NOT NULL,
                line INTEGER NOT NULL,
                statement_id INTEGER NOT NULL REFERENCES statements(id),
                line_kind TEXT NOT NULL,
                line_component TEXT NOT NULL,
                line_deal_id TEXT,
                line_amount TEXT NOT NULL,
                text TEXT NOT NULL,
                by TEXT,
                at TEXT NOT NULL,
                recorded_after_run INTEGER NOT NULL REFERENCES runs(id),
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
                answer TEXT,
                answered_after_run INTEGER REFERENCES runs(id),
                resolved_run INTEGER REFERENCES runs(id),
                resolved_payee TEXT,
                resolved_seq INTEGER,
                resolved_at TEXT,
                resolved_by TEXT
            );
            CREATE INDEX disputes_by_payee ON disputes(payee_id);
            CREATE TABLE manual_adjustments (
                adjustment_id TEXT NOT NULL,
                run_id INTEGER NOT NULL REFERENCES runs(id),
                period TEXT NOT NULL,
                payee_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                amount TEXT NOT NULL,
                currency TEXT NOT NULL,
                source TEXT NOT NULL,
                dispute_id INTEGER REFERENCES disputes(id),
                PRIMARY KEY (adjustment_id, run_id)
            );
            """)
    }

    /// The run of the latest locked period, or of the latest locked period ending before `before` starts.
    static func latestLockRun(before: Period? = nil, _ db: Database) throws -> Int64? {
        if let before {
            return try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM locks WHERE period_end < ?", arguments: [before.start.description])
        }
        return try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM locks")
    }

    /// Records a dispute against line `line` (1-based, as the statement pages number them) of `payee`'s posted statement
    /// for `period`, copying the line's kind, component, deal and amount. Refused (`LedgerError`) when the period is not
    /// closed, the payee has no statement in it, or the line is not on it. Returns the dispute's id.
    public func recordDispute(period: String, payee: String, line: Int, text: String, by: String?, at: String) throws -> Int64 {
        if postgres != nil { return try pgRecordDispute(period: period, payee: payee, line: line, text: text, by: by, at: at) }
        return try writing { db in
            guard let run = try Int64.fetchOne(db, sql: "SELECT run_id FROM locks WHERE period = ?", arguments: [period]) else {
                throw LedgerError("\(period) is not closed; a dispute is about a line of a posted statement (see `attain history`)")
            }
            guard let statement = try Int64.fetchOne(db, sql: "SELECT id FROM statements WHERE run_id = ? AND payee_id = ?", arguments: [run, payee]) else {
                throw LedgerError("payee `\(payee)` has no posted statement for \(period) (run \(run))")
            }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lines WHERE statement_id = ?", arguments: [statement]) ?? 0
            guard line >= 1, line <= count else {
                throw LedgerError("the statement of `\(payee)` for \(period) has \(count) line\(count == 1 ? "" : "s"); there is no line \(line)")
            }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT k.text AS kind, c.text AS component, l.deal_id, l.amount FROM lines l
                JOIN texts k ON k.id = l.kind_id JOIN texts c ON c.id = l.component_id WHERE l.statement_id = ? AND l.seq = ?
                """, arguments: [statement, line - 1]) else {
                throw LedgerError("the ledger holds no line \(line) on the statement of `\(payee)` for \(period)")
            }
            let latest = try Ledger.latestLockRun(db) ?? run
            try db.execute(sql: """
                INSERT INTO disputes (period, payee_id, line, statement_id, line_kind, line_component, line_deal_id, line_amount, text, by, at,
                                      recorded_after_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [period, payee, line, statement, row["kind"] as String, row["component"] as String, row["deal_id"] as String?,
                                 row["amount"] as String, text, by, at, latest])
            return db.lastInsertedRowID
        }
    }

    /// Resolves an open dispute with a written answer. Refused when there is no such dispute or it is not open.
    public func answerDispute(_ id: Int64, answer: String, by: String?, at: String) throws {
        if postgres != nil { return try pgAnswerDispute(id, answer: answer, by: by, at: at) }
        return try writing { db in
            guard let record = try Ledger.disputeRecords(where: "d.id = ?", [id], db).first else {
                throw LedgerError("there is no dispute \(id) (see `attain disputes --all`)")
            }
            guard record.state == "open" else {
                throw LedgerError("dispute \(id) is not open: \(record.state == "answered" ? "it was answered" : "an adjustment resolved it")")
            }
            let latest = try Ledger.latestLockRun(db)
            try db.execute(sql: """
                UPDATE disputes SET status = 'resolved', answer = ?, answered_after_run = ?, resolved_at = ?, resolved_by = ? WHERE id = ?
                """, arguments: [answer, latest, at, by, id])
        }
    }

    /// Disputes as they stand now, oldest first: open ones, or all with `all`; only of `period` or `payee` when given.
    public func disputes(all: Bool, period: String? = nil, payee: String? = nil) throws -> [DisputeRecord] {
        if postgres != nil {
            let records = try pgDisputes(period: period, payee: payee)
            return all ? records : records.filter { $0.state == "open" }
        }
        var conditions = ["1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let period {
            conditions.append("d.period = ?")
            arguments.append(period)
        }
        if let payee {
            conditions.append("d.payee_id = ?")
            arguments.append(payee)
        }
        let records = try queue.read { db in
            try Ledger.disputeRecords(where: conditions.joined(separator: " AND "), StatementArguments(arguments), db)
        }
        return all ? records : records.filter { $0.state == "open" }
    }

    /// A resolution by an adjustment counts while the close that posted it stands (a reopen voids it).
    static func disputeRecords(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> [DisputeRecord] {
        try Row.fetchAll(db, sql: """
            SELECT d.*, r.voided_by AS resolved_voided, m.adjustment_id, m.period AS adjustment_period FROM disputes d
            LEFT JOIN runs r ON r.id = d.resolved_run
            LEFT JOIN manual_adjustments m ON m.run_id = d.resolved_run AND m.dispute_id = d.id
            WHERE \(condition) ORDER BY d.id
            """, arguments: arguments).map { row in
            var d = dispute(row)
            let adjusted = (row["resolved_run"] as Int64?) != nil && (row["resolved_voided"] as Int64?) == nil
            let answered = (row["answer"] as String?) != nil
            d.status = adjusted || answered ? .settled : .open
            return DisputeRecord(dispute: d, state: answered ? "answered" : adjusted ? "adjusted" : "open",
                                 adjustmentID: adjusted ? row["adjustment_id"] : nil, adjustmentPeriod: adjusted ? row["adjustment_period"] : nil,
                                 adjustmentLine: adjusted ? (row["resolved_seq"] as Int?).map { $0 + 1 } : nil)
        }
    }

    /// A dispute as the close after lock run `last` sees it: settled once a close that stands posted its resolution;
    /// answered by the last close, or settled by an earlier one, once answered before a close; otherwise open, with an
    /// answer or resolution not yet closed left unsaid.
    static func standing(_ d: inout Dispute, resolvedRun: Int64?, voided: Int64?, answeredAfter: Int64?, last: Int64) {
        if let r = resolvedRun, r <= last, voided == nil {
            d.status = .settled
        } else if d.answer != nil, let a = answeredAfter, a <= last {
            d.status = a == last ? .answered : .settled
        } else {
            d.status = .open
            d.answer = nil
            d.resolvedBy = nil
            d.resolvedAt = nil
        }
    }

    static func dispute(_ row: Row) -> Dispute {
        var d = Dispute(id: row["id"], period: row["period"], payeeID: row["payee_id"], line: row["line"], lineKind: row["line_kind"],
                        lineComponent: row["line_component"], lineDealID: row["line_deal_id"], lineAmount: row["line_amount"], text: row["text"],
                        by: row["by"], at: row["at"], status: .open)
        d.answer = row["answer"]
        d.resolvedBy = row["resolved_by"]
        d.resolvedAt = row["resolved_at"]
        return d
    }

    /// What a close of `period` needs of disputes and manual adjustments, as the closes before it left them: every
    /// dispute recorded by then with its status as of then, the adjustment ids posted by those closes (with the
    /// period each was posted in), and the manual lines among `history.lines` taken out of it: a manual adjustment is
    /// paid once and is no part of a recomputed period, a clawback or a true-up.
    public func manualInputs(before period: Period, into history: inout LedgerHistory) throws {
        if postgres != nil {
            let found = try pgManualInputs(before: period)
            history.manual.disputes = found.disputes
            history.manual.posted = found.posted
            history.removeManualLines(found.lines)
            return
        }
        let found: (disputes: [Dispute], posted: [String: String], lines: [ManualLineKey]) = try queue.read { db in
            guard let last = try Ledger.latestLockRun(before: period, db) else { return ([], [:], []) }
            var disputes: [Dispute] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT d.*, r.voided_by AS resolved_voided FROM disputes d LEFT JOIN runs r ON r.id = d.resolved_run
                WHERE d.recorded_after_run <= ? ORDER BY d.id
                """, arguments: [last]) {
                var d = Ledger.dispute(row)
                Ledger.standing(&d, resolvedRun: row["resolved_run"], voided: row["resolved_voided"], answeredAfter: row["answered_after_run"], last: last)
                disputes.append(d)
            }
            // Posted by closes of periods before this one that stand (their runs lock a period).
            var posted: [String: String] = [:]
            var lines: [ManualLineKey] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT m.adjustment_id, m.period, m.payee_id, m.amount, m.source FROM manual_adjustments m JOIN locks k ON k.run_id = m.run_id
                WHERE k.period_end < ? ORDER BY m.run_id, m.payee_id, m.seq
                """, arguments: [period.start.description]) {
                posted[row["adjustment_id"]] = row["period"]
                if case .success(let amount) = ExactDecimal.parse(row["amount"] as String) {
                    lines.append(ManualLineKey(period: row["period"], payeeID: row["payee_id"], source: row["source"], amount: amount))
                }
            }
            return (disputes, posted, lines)
        }
        history.manual.disputes = found.disputes
        history.manual.posted = found.posted
        history.removeManualLines(found.lines)
    }
}

extension LedgerPosting {
    /// Records the manual adjustment lines this posting added and marks the disputes they answer resolved by them, in
    /// the posting's transaction: a posting that fails leaves them unposted and the disputes open.
    public func postManual(_ lines: [PostedManualLine], at: String, by: String?) throws {
        guard !lines.isEmpty else { return }
        if let postgres { return try postManual(lines, at: at, by: by, postgres.store) }
        let insert = try RawStatement(connection, """
            INSERT INTO manual_adjustments (adjustment_id, run_id, period, payee_id, seq, amount, currency, source, dispute_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { insert.finalize() }
        let resolve = try RawStatement(connection, """
            UPDATE disputes SET status = 'resolved', answer = NULL, answered_after_run = NULL, resolved_run = ?, resolved_payee = ?, resolved_seq = ?,
                resolved_at = ?, resolved_by = ? WHERE id = ?
            """)
        defer { resolve.finalize() }
        for l in lines {
            insert.bind(1, l.adjustmentID)
            insert.bind(2, run)
            insert.bind(3, period)
            insert.bind(4, l.payeeID)
            insert.bind(5, Int64(l.seq))
            insert.bind(6, l.amount.text)
            insert.bind(7, l.amount.currency.code)
            insert.bind(8, l.source)
            if let d = l.dispute { insert.bind(9, Int64(d)) } else { insert.bind(9, nil as String?) }
            try insert.run()
            if let d = l.dispute {
                resolve.bind(1, run)
                resolve.bind(2, l.payeeID)
                resolve.bind(3, Int64(l.seq))
                resolve.bind(4, at)
                resolve.bind(5, by)
                resolve.bind(6, Int64(d))
                try resolve.run()
            }
        }
    }
}
