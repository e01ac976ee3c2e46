// The ledger: an SQLite file that records every close (what ran, on which inputs, what was posted) and locks
// closed periods. Posting a close is one transaction: a close that stops part-way leaves the ledger as it was.
import Attain
import GRDB

/// Why the ledger refused an operation, in words for finance.
public struct LedgerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The ledger failed its integrity check (`PRAGMA quick_check`) or SQLite found it damaged: nothing was written to it.
public struct LedgerDamaged: Error, CustomStringConvertible {
    /// What the check said, e.g. "*** in database main *** Page 3: btreeInitPage() returns error code 11".
    public let detail: String
    public init(_ detail: String) { self.detail = detail }
    public var description: String { "the ledger is damaged (quick_check: \(detail)); nothing was changed; restore it from a backup" }
}

/// Another process held the ledger's write lock for longer than the ledger waits (`Ledger.init(path:busyTimeout:)`).
public struct LedgerBusy: Error, CustomStringConvertible {
    /// How long the ledger waited, in seconds.
    public let waited: Double
    public init(waited: Double) { self.waited = waited }
    /// The wait in words: "10 s", "0.5 s".
    public var waitedText: String { waited == waited.rounded() ? "\(Int(waited)) s" : "\(waited) s" }
    public var description: String { "another close is running on the ledger (waited \(waitedText)); try again when it has finished" }
}

/// One input of a run: a plan file or a data file, with the SHA-256 of its bytes.
public struct InputRecord: Sendable {
    public let role: String
    public let path: String
    public let sha256: String

    public init(role: String, path: String, bytes: [UInt8]) {
        self.role = role
        self.path = path
        self.sha256 = InputHash.sha256(bytes)
    }
}

/// One row of `attain history`.
public struct RunRecord: Sendable {
    public let id: Int64
    public let action: String
    public let period: String
    public let at: String
    public let engineVersion: String
    public let reason: String?
    public let payees: Int
    /// Paid per currency, e.g. ["USD": "394898.01"].
    public let paid: [(currency: String, amount: String)]
    /// The reopen that voided this close, if any.
    public let voidedBy: Int64?
    public let inputs: [(role: String, path: String, sha256: String)]
}

public final class Ledger {
    let queue: DatabaseQueue
    public let path: String
    /// How long a write waits for another process's write lock, in seconds.
    public let busyTimeout: Double
    /// `PRAGMA data_version` when this connection last found the ledger whole: while no other connection has
    /// committed since (the version is the same), a write need not read the whole file again.
    var checkedVersion: Int?

    /// The wait for a busy ledger when none is given.
    public static let defaultBusyTimeout: Double = 10

    /// Opens (creating when missing) the ledger at `path`, checks it (`PRAGMA quick_check`: a damaged ledger throws
    /// `LedgerDamaged` and is not written to) and brings its tables up to date. A write waits up to `busyTimeout`
    /// seconds while another process holds the write lock, then throws `LedgerBusy`.
    public convenience init(path: String, busyTimeout: Double = Ledger.defaultBusyTimeout) throws {
        try self.init(path: path, readingOnly: false, busyTimeout: busyTimeout)
    }

    /// Opens an existing ledger at `path` for reading only: nothing is created, migrated or written, and SQLite refuses
    /// any write. A ledger whose tables are older or newer than this version's is refused.
    public convenience init(readingOnly path: String) throws {
        try self.init(path: path, readingOnly: true)
    }

    init(path: String, readingOnly: Bool, busyTimeout: Double = Ledger.defaultBusyTimeout) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        if readingOnly { config.readonly = true } else { config.foreignKeysEnabled = true }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let migrator = Ledger.migrator
            // Checked before anything else reads it, and before a migration could write to it: a what-if settled
            // against a damaged ledger would show numbers the ledger never held.
            checkedVersion = try queue.read { db in
                try Ledger.check(db)
                return try Ledger.dataVersion(db)
            }
            if try queue.read({ try migrator.hasBeenSuperseded($0) }) {
                throw LedgerError("\(path) was written by a newer version of attain; use that version")
            }
            if !readingOnly {
                if try !queue.read({ try migrator.hasCompletedMigrations($0) }) { try migrator.migrate(queue) }
            } else if try !queue.read({ try migrator.hasCompletedMigrations($0) }) {
                throw LedgerError("\(path) was written by an older version of attain; a close with this version brings it up to date")
            }
        } catch let e as LedgerError {
            throw e
        } catch {
            throw Ledger.classified(error, waited: busyTimeout) ?? LedgerError("cannot open the ledger \(path): \(error)")
        }
    }

    /// Runs `PRAGMA quick_check`; anything but "ok" throws `LedgerDamaged` with what it found (the first lines).
    static func check(_ db: Database) throws {
        // Some damage stops the check itself with SQLITE_CORRUPT: `classified` makes that a `LedgerDamaged` too.
        let found = try String.fetchAll(db, sql: "PRAGMA quick_check")
        if found != ["ok"] {
            let shown = found.prefix(3).joined(separator: "; ")
            throw LedgerDamaged(found.count > 3 ? shown + "; and \(found.count - 3) more" : shown)
        }
    }

    /// What SQLite counts of other connections' commits to the file, as this connection sees it.
    static func dataVersion(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
    }

    /// A damaged or busy ledger as its own error (`LedgerDamaged`, `LedgerBusy`), or nil for any other error.
    public static func classified(_ error: any Error, waited: Double) -> (any Error)? {
        if error is LedgerDamaged || error is LedgerBusy { return error }
        guard let e = error as? DatabaseError else { return nil }
        switch e.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return LedgerDamaged(e.message ?? "\(e.resultCode)")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return LedgerBusy(waited: waited)
        default: return nil
        }
    }

    /// A write transaction on a checked ledger: `PRAGMA quick_check` first (a damaged ledger is refused with nothing
    /// written), waiting up to `busyTimeout` for another writer; damaged and busy ledgers throw their own errors.
    func writing<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try queue.write { db in
                // Checked again only when another connection has written since the check at opening.
                if try checkedVersion == nil || Ledger.dataVersion(db) != checkedVersion { try Ledger.check(db) }
                return try updates(db)
            }
        } catch {
            throw Ledger.classified(error, waited: busyTimeout) ?? error
        }
    }

    /// The ledger's tables, one migration per change. Never edit a migration that has shipped: add a new one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("1: runs, inputs, statements, lines, draw balances, locks, previews") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
                    period TEXT NOT NULL,
                    period_start TEXT NOT NULL,
                    period_end TEXT NOT NULL,
                    at TEXT NOT NULL,
                    engine_version TEXT NOT NULL,
                    reason TEXT,
                    voided_by INTEGER REFERENCES runs(id)
                );
                CREATE TABLE run_inputs (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    role TEXT NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL
                );
                CREATE TABLE statements (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    period TEXT NOT NULL,
                    payee_id TEXT NOT NULL,
                    payee_name TEXT NOT NULL,
                    plan TEXT NOT NULL,
                    plan_version TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    earned TEXT NOT NULL,
                    adjustments TEXT NOT NULL,
                    paid TEXT NOT NULL,
                    document TEXT NOT NULL,
                    UNIQUE (run_id, payee_id)
                );
                CREATE TABLE lines (
                    statement_id INTEGER NOT NULL REFERENCES statements(id),
                    seq INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    component TEXT NOT NULL,
                    deal_id TEXT,
                    for_period TEXT,
                    amount TEXT NOT NULL,
                    source TEXT NOT NULL,
                    PRIMARY KEY (statement_id, seq)
                );
                CREATE INDEX lines_by_deal ON lines(deal_id);
                CREATE TABLE draw_balances (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    payee_id TEXT NOT NULL,
                    draw TEXT NOT NULL,
                    period TEXT NOT NULL,
                    period_end TEXT NOT NULL,
                    balance_before TEXT NOT NULL,
                    balance_after TEXT NOT NULL
                );
                CREATE TABLE locks (
                    period TEXT PRIMARY KEY,
                    period_start TEXT NOT NULL,
                    period_end TEXT NOT NULL,
                    run_id INTEGER NOT NULL REFERENCES runs(id)
                );
                CREATE TABLE previews (
                    period TEXT NOT NULL,
                    payee_id TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    paid TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (period, payee_id)
                );
                """)
        }
        // Opening balances: an import run marks a period closed outside Attain. SQLite cannot change a CHECK, so `runs`
        // is rebuilt with the same rows and ids (foreign keys are checked once the migration is done).
        m.registerMigration("2: runs may be imports of opening balances") { db in
            try db.execute(sql: """
                CREATE TABLE runs_new (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    action TEXT NOT NULL CHECK (action IN ('close', 'reopen', 'import')),
                    period TEXT NOT NULL,
                    period_start TEXT NOT NULL,
                    period_end TEXT NOT NULL,
                    at TEXT NOT NULL,
                    engine_version TEXT NOT NULL,
                    reason TEXT,
                    voided_by INTEGER REFERENCES runs(id)
                );
                INSERT INTO runs_new (id, action, period, period_start, period_end, at, engine_version, reason, voided_by)
                    SELECT id, action, period, period_start, period_end, at, engine_version, reason, voided_by FROM runs;
                DROP TABLE runs;
                ALTER TABLE runs_new RENAME TO runs;
                """)
        }
        return m
    }

    // MARK: Reading

    /// The run that locked a period, if it is locked.
    public func lockingRun(_ period: Period) throws -> Int64? {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT run_id FROM locks WHERE period = ?", arguments: [period.label]) }
    }

    /// Locked periods that end after this one starts (other than itself), latest first.
    public func locksAfter(_ period: Period) throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT period FROM locks WHERE period_end >= ? AND period != ? ORDER BY period_end DESC",
                                arguments: [period.start.description, period.label])
        }
    }

    /// What the ledger says was posted before a period: lines of the locked periods that end before it starts,
    /// those periods, and each payee's latest draw balance.
    public func history(before period: Period) throws -> LedgerHistory {
        try queue.read { db in
            let start = period.start.description
            // Periods closed outside Attain (opening balances) have no deal lines to recompute against: they are kept apart.
            let locked = try Row.fetchAll(db, sql: """
                SELECT k.period, r.action FROM locks k JOIN runs r ON r.id = k.run_id WHERE k.period_end < ? ORDER BY k.period_start
                """, arguments: [start])
            let closed = locked.filter { ($0["action"] as String) != "import" }.map { $0["period"] as String }
            let outside = locked.filter { ($0["action"] as String) == "import" }.map { $0["period"] as String }
            var lines: [LedgerHistory.PostedLine] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.period, s.payee_id, s.plan, l.kind, l.component, l.deal_id, l.for_period, l.amount, l.source
                FROM lines l JOIN statements s ON s.id = l.statement_id JOIN locks k ON k.run_id = s.run_id
                WHERE k.period_end < ? ORDER BY k.period_start, s.payee_id, l.seq
                """, arguments: [start])
            while let row = try rows.next() {
                let kindText: String = row["kind"]
                let amountText: String = row["amount"]
                guard let kind = LineKind(rawValue: kindText), case .success(let amount) = ExactDecimal.parse(amountText) else {
                    throw LedgerError("the ledger holds a line it cannot read (kind `\(kindText)`, amount `\(amountText)`)")
                }
                lines.append(LedgerHistory.PostedLine(period: row["period"], payeeID: row["payee_id"], plan: row["plan"], kind: kind,
                                                      component: row["component"], dealID: row["deal_id"], refPeriod: row["for_period"],
                                                      amount: amount, source: row["source"]))
            }
            var balances: [String: [String: ExactDecimal]] = [:]
            let drawRows = try Row.fetchAll(db, sql: """
                SELECT d.payee_id, d.draw, d.balance_after FROM draw_balances d JOIN locks k ON k.run_id = d.run_id
                WHERE k.period_end < ? ORDER BY d.period_end
                """, arguments: [start])
            for row in drawRows {
                let text: String = row["balance_after"]
                if case .success(let b) = ExactDecimal.parse(text) { balances[row["payee_id"], default: [:]][row["draw"]] = b }
            }
            return LedgerHistory(lines: lines, closedPeriods: closed, closedOutside: outside, drawBalances: balances)
        }
    }

    /// The last dry run's paid amount per payee for a period.
    public func preview(_ period: Period) throws -> [String: (currency: String, paid: String)] {
        try queue.read { db in
            var out: [String: (currency: String, paid: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT payee_id, currency, paid FROM previews WHERE period = ?", arguments: [period.label]) {
                out[row["payee_id"]] = (row["currency"], row["paid"])
            }
            return out
        }
    }

    /// What a run recorded as its inputs, in the order it recorded them.
    public func inputs(ofRun run: Int64) throws -> [(role: String, path: String, sha256: String)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT role, path, sha256 FROM run_inputs WHERE run_id = ? ORDER BY rowid", arguments: [run])
                .map { (role: $0["role"] as String, path: $0["path"] as String, sha256: $0["sha256"] as String) }
        }
    }

    /// The JSON statement a run posted for each payee, by payee id.
    public func documents(ofRun run: Int64) throws -> [String: String] {
        try queue.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT payee_id, document FROM statements WHERE run_id = ?", arguments: [run]) {
                out[row["payee_id"]] = row["document"]
            }
            return out
        }
    }

    /// Every run, oldest first.
    public func runs() throws -> [RunRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id").map { row in
                let id: Int64 = row["id"]
                let totals = try Row.fetchAll(db, sql: """
                    SELECT currency, COUNT(*) AS n, GROUP_CONCAT(paid, ' ') AS amounts FROM statements WHERE run_id = ? GROUP BY currency ORDER BY currency
                    """, arguments: [id])
                var payees = 0
                var paid: [(currency: String, amount: String)] = []
                for t in totals {
                    payees += t["n"] as Int
                    let amounts = (t["amounts"] as String? ?? "").split(separator: " ")
                    var sum = ExactDecimal.zero
                    for a in amounts { if case .success(let d) = ExactDecimal.parse(String(a)), let s = try? sum.adding(d) { sum = s } }
                    let code: String = t["currency"]
                    paid.append((code, sum.text(minimumScale: Currency(code: code)?.minorUnits ?? 2)))
                }
                let inputs = try Row.fetchAll(db, sql: "SELECT role, path, sha256 FROM run_inputs WHERE run_id = ? ORDER BY rowid", arguments: [id])
                    .map { (role: $0["role"] as String, path: $0["path"] as String, sha256: $0["sha256"] as String) }
                return RunRecord(id: id, action: row["action"], period: row["period"], at: row["at"], engineVersion: row["engine_version"],
                                 reason: row["reason"], payees: payees, paid: paid, voidedBy: row["voided_by"], inputs: inputs)
            }
        }
    }

    // MARK: Writing

    /// Records a dry run's totals, replacing the previous dry run of the period.
    public func savePreview(_ result: RunResult, at: String) throws {
        try writing { db in
            try db.execute(sql: "DELETE FROM previews WHERE period = ?", arguments: [result.period.label])
            for s in result.statements {
                try db.execute(sql: "INSERT INTO previews (period, payee_id, currency, paid, at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [result.period.label, s.payeeID, s.currency.code, s.paid.text, at])
            }
        }
    }

    /// Posts a close and locks its period, all in one transaction. `documents` are the JSON statements by payee id.
    /// `pause` runs after the statements are inserted and before the lock, inside the transaction (for the crash test).
    @discardableResult
    public func post(_ result: RunResult, documents: [String: String], inputs: [InputRecord], at: String, engineVersion: String,
                     pause: (() -> Void)? = nil) throws -> Int64 {
        let period = result.period
        return try writing { db in
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
            for s in result.statements {
                try db.execute(sql: """
                    INSERT INTO statements (run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [run, period.label, s.payeeID, s.payeeName, s.planName, s.planVersion, s.currency.code,
                                     s.earned.text, s.adjustments.text, s.paid.text, documents[s.payeeID] ?? ""])
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

    /// The first period of the same kind between the latest closed one and `period`, if `period` does not follow it directly.
    static func gap(before period: Period, _ db: Database) throws -> String? {
        let locked = try String.fetchAll(db, sql: "SELECT period FROM locks WHERE period_end < ? ORDER BY period_end DESC", arguments: [period.start.description])
        // The latest closed period of any kind: a monthly close after a quarterly one must start the day after it too.
        guard let last = locked.compactMap({ try? Period.parse($0).get() }).first else { return nil }
        if last.end.dayNumber + 1 == period.start.dayNumber { return nil }
        return Period.containing(CivilDate(year: last.end.month == 12 ? last.end.year + 1 : last.end.year, month: last.end.month % 12 + 1, day: 1)!, kind: period.kind).label
    }

    /// The period that should be closed before `period`, when the ledger has a gap before it.
    public func missing(before period: Period) throws -> String? {
        try queue.read { db in try Ledger.gap(before: period, db) }
    }

    /// Why a period closed outside Attain cannot be closed.
    public static func closedOutsideMessage(_ period: Period, run: Int64) -> String {
        "\(period) was closed outside Attain (opening balances imported by run \(run)); it cannot be closed here"
    }

    /// Unlocks the latest closed period with a recorded reason. Its posting is voided: closing it again posts anew.
    /// A period closed outside Attain voids the whole import instead, while no period has been closed after it.
    @discardableResult
    public func reopen(_ period: Period, reason: String, at: String, engineVersion: String) throws -> Int64 {
        try writing { db in
            guard let closeRun = try Int64.fetchOne(db, sql: "SELECT run_id FROM locks WHERE period = ?", arguments: [period.label]) else {
                throw LedgerError("\(period) is not closed, so there is nothing to reopen")
            }
            if try Ledger.importRun(locking: period.label, db) != nil {
                return try Ledger.voidImport(period, reason: reason, at: at, engineVersion: engineVersion, db)
            }
            if let later = try String.fetchOne(db, sql: "SELECT period FROM locks WHERE period_start > ? ORDER BY period_start DESC LIMIT 1",
                                                arguments: [period.start.description]) {
                throw LedgerError("\(later) is closed after \(period); reopen \(later) first")
            }
            try db.execute(sql: """
                INSERT INTO runs (action, period, period_start, period_end, at, engine_version, reason) VALUES ('reopen', ?, ?, ?, ?, ?, ?)
                """, arguments: [period.label, period.start.description, period.end.description, at, engineVersion, reason])
            let run = db.lastInsertedRowID
            try db.execute(sql: "UPDATE runs SET voided_by = ? WHERE id = ?", arguments: [run, closeRun])
            try db.execute(sql: "DELETE FROM locks WHERE period = ?", arguments: [period.label])
            return run
        }
    }
}
