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
        self.init(role: role, path: path, sha256: InputHash.sha256(bytes))
    }

    /// An input known by its SHA-256 (lowercase hex), made elsewhere (`InputHash.sha256(file:)`).
    public init(role: String, path: String, sha256: String) {
        self.role = role
        self.path = path
        self.sha256 = sha256
    }
}

/// Which posted lines a ledger history reads: all of them, none, those of some payees (a shard's), of payees other
/// than some (those not in the roster), or those on some deals (a shard's rows).
public enum PostedLineFilter: Sendable, Equatable {
    case all, none
    case payees(Set<String>)
    case otherPayees(Set<String>)
    case deals(Set<String>)

    func keeps(payee: String) -> Bool {
        switch self {
        case .payees(let p): return p.contains(payee)
        case .otherPayees(let p): return !p.contains(payee)
        case .none: return false
        case .all, .deals: return true
        }
    }

    /// Whether a line on the deal `deal()` reads (nil: none) is kept, once its payee is.
    func keeps(deal: () -> String?) -> Bool {
        guard case .deals(let d) = self else { return true }
        return deal().map(d.contains) ?? false
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
    /// The kind of the run's period (`PeriodKind.rawValue`).
    public let kind: String
    public let inputs: [(role: String, path: String, sha256: String)]
}

public final class Ledger {
    /// The SQLite file, for a ledger that is one.
    let sqlite: DatabaseQueue?
    /// The PostgreSQL database, for a ledger on a server (`postgres://…` or a `.conf` file).
    let postgres: PostgresStore?
    /// The SQLite file; a ledger on PostgreSQL refuses what it does not do yet, in words.
    var queue: DatabaseQueue {
        get throws {
            guard let sqlite else { throw LedgerError("this is not done on a PostgreSQL ledger yet (\(path)); use an SQLite ledger for it") }
            return sqlite
        }
    }
    /// The ledger as messages show it: the SQLite file's path, or the server's URL without its password.
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
        self.busyTimeout = busyTimeout
        if LedgerServer.names(path) {
            let server = try LedgerServer.isURL(path) ? LedgerServer.parse(url: path) : LedgerServer.read(config: path)
            self.path = server.shown
            sqlite = nil
            let store = try PostgresStore(server)
            postgres = store
            try Ledger.migrate(store, readingOnly: readingOnly, busyTimeout: busyTimeout, shown: server.shown)
            return
        }
        self.path = path
        postgres = nil
        let queue: DatabaseQueue
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        if readingOnly { config.readonly = true } else { config.foreignKeysEnabled = true }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            sqlite = queue
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
                if try !queue.read({ try migrator.hasCompletedMigrations($0) }) {
                    let applied = try queue.read { try migrator.appliedIdentifiers($0) }
                    try migrator.migrate(queue)
                    // A ledger converted to compact lines gives back the pages its documents and old lines held.
                    if !applied.isEmpty && !applied.contains(Ledger.compactLines),
                       try queue.read({ try Int.fetchOne($0, sql: "PRAGMA freelist_count") ?? 0 }) > 0 {
                        try queue.vacuum()
                    }
                }
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
        if error is PostgresStoreBusy { return LedgerBusy(waited: waited) }
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
            // A ledger on PostgreSQL has no SQLite queue: `queue` refuses, in words.
            return try queue.write { db in
                // Checked again only when another connection has written since the check at opening.
                if try checkedVersion == nil || Ledger.dataVersion(db) != checkedVersion { try Ledger.check(db) }
                return try updates(db)
            }
        } catch {
            throw Ledger.classified(error, waited: busyTimeout) ?? error
        }
    }

    /// The migration to compact lines (texts interned, documents as digests).
    static let compactLines = "3: compact lines"

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
        // Compact lines: each kind, component and source text once in `texts`, lines keyed by statement and sequence
        // with no rowid, deals indexed only where a line has one, and each statement's document as its SHA-256 and length.
        // The text ids carry no foreign key: only the ledger writes them, from `texts` itself, and a check per line
        // would cost three lookups on every line posted.
        m.registerMigration(Ledger.compactLines) { db in
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'statements'")
            db.add(function: Ledger.sha256Function)
            defer { db.remove(function: Ledger.sha256Function) }
            try db.execute(sql: """
                CREATE TABLE texts (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL UNIQUE
                );
                INSERT INTO texts (text) SELECT kind FROM lines UNION SELECT component FROM lines UNION SELECT source FROM lines ORDER BY 1;
                CREATE TABLE statements_compact (
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
                    document_sha256 BLOB NOT NULL,
                    document_bytes INTEGER NOT NULL,
                    UNIQUE (run_id, payee_id)
                );
                INSERT INTO statements_compact (id, run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid,
                                                document_sha256, document_bytes)
                    SELECT id, run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid,
                           attain_sha256(document), length(CAST(document AS BLOB)) FROM statements;
                CREATE TABLE lines_compact (
                    statement_id INTEGER NOT NULL REFERENCES statements(id),
                    seq INTEGER NOT NULL,
                    kind_id INTEGER NOT NULL,
                    component_id INTEGER NOT NULL,
                    deal_id TEXT,
                    for_period TEXT,
                    amount TEXT NOT NULL,
                    source_id INTEGER NOT NULL,
                    PRIMARY KEY (statement_id, seq)
                ) WITHOUT ROWID;
                INSERT INTO lines_compact (statement_id, seq, kind_id, component_id, deal_id, for_period, amount, source_id)
                    SELECT l.statement_id, l.seq, k.id, c.id, l.deal_id, l.for_period, l.amount, s.id
                    FROM lines l JOIN texts k ON k.text = l.kind JOIN texts c ON c.text = l.component JOIN texts s ON s.text = l.source
                    ORDER BY l.statement_id, l.seq;
                DROP INDEX lines_by_deal;
                DROP TABLE lines;
                DROP TABLE statements;
                ALTER TABLE statements_compact RENAME TO statements;
                ALTER TABLE lines_compact RENAME TO lines;
                """)
            try db.execute(sql: Ledger.dealIndex)
            // Statement ids go on from the old table's, as if it had never been rebuilt.
            if let sequence {
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'statements'", arguments: [sequence])
                if db.changesCount == 0 {
                    try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('statements', ?)", arguments: [sequence])
                }
            }
        }
        m.registerMigration("4: approvals") { db in try Ledger.createApprovalTables(db) }
        m.registerMigration("5: holds") { db in try Ledger.createHoldTables(db) }
        m.registerMigration(Ledger.disputesMigration) { db in try Ledger.createDisputeTables(db) }
        m.registerMigration(Ledger.capitalizedCommissions) { db in try Ledger.createCapitalizationTables(db) }
        m.registerMigration(Ledger.periodKinds) { db in try Ledger.addPeriodKinds(db) }
        return m
    }

    // MARK: Reading

    /// The run that locked a period, if it is locked.
    public func lockingRun(_ period: Period) throws -> Int64? {
        if postgres != nil { return try pgLockingRun(period) }
        return try queue.read { db in try Int64.fetchOne(db, sql: "SELECT run_id FROM locks WHERE period = ?", arguments: [period.label]) }
    }

    /// A locked period by its label, read with the dates it was locked with (a fiscal quarter or a biweekly period is
    /// known by its dates without the plans), or nil when it is not locked.
    public func lockedPeriod(_ label: String) throws -> Period? {
        if postgres != nil { return try pgLockedPeriod(label) }
        return try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT period_start, period_end FROM locks WHERE period = ?", arguments: [label]),
                  case .success(let start) = CivilDate.parse(Array((row["period_start"] as String).utf8)),
                  case .success(let end) = CivilDate.parse(Array((row["period_end"] as String).utf8)) else { return nil }
            return Period.stored(label: label, start: start, end: end)
        }
    }

    /// Locked periods of the same kind that end after this one starts (other than itself), latest first.
    public func locksAfter(_ period: Period) throws -> [String] {
        if postgres != nil { return try pgLocksAfter(period) }
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT period FROM locks WHERE kind = ? AND period_end >= ? AND period != ? ORDER BY period_end DESC",
                                arguments: [period.kind.rawValue, period.start.description, period.label])
        }
    }

    /// What the ledger says was posted before a period: lines of the locked periods of the same kind that end before it
    /// starts, those periods, and each payee's latest draw balance from them. Periods of other kinds are other plans'
    /// payees' (a monthly close does not settle against a quarter's lines).
    /// `roster`: the SHA-256 of this run's roster.csv; the closed periods whose locking run read the same are
    /// `LedgerHistory.sameRoster`. `lines`: which posted lines to read (a shard of a close reads only its own).
    public func history(before period: Period, roster: String? = nil, lines filter: PostedLineFilter = .all) throws -> LedgerHistory {
        if postgres != nil { return try pgHistory(before: period, roster: roster, lines: filter) }
        return try queue.read { db in
            let start = period.start.description
            // Periods closed outside Attain (opening balances) have no deal lines to recompute against: they are kept apart.
            let locked = try Row.fetchAll(db, sql: """
                SELECT k.period, k.run_id, r.action FROM locks k JOIN runs r ON r.id = k.run_id WHERE k.kind = ? AND k.period_end < ? ORDER BY k.period_start
                """, arguments: [period.kind.rawValue, start])
            let closed = locked.filter { ($0["action"] as String) != "import" }.map { $0["period"] as String }
            let outside = locked.filter { ($0["action"] as String) == "import" }.map { $0["period"] as String }
            let lines = try Ledger.postedLines(ofRuns: filter == .none ? [] : locked.map { $0["run_id"] as Int64 }, filter: filter, db)
            var balances: [String: [String: ExactDecimal]] = [:]
            let drawRows = try Row.fetchAll(db, sql: """
                SELECT d.payee_id, d.draw, d.balance_after FROM draw_balances d JOIN locks k ON k.run_id = d.run_id
                WHERE k.kind = ? AND k.period_end < ? ORDER BY d.period_end
                """, arguments: [period.kind.rawValue, start])
            for row in drawRows {
                let text: String = row["balance_after"]
                if case .success(let b) = ExactDecimal.parse(text) { balances[row["payee_id"], default: [:]][row["draw"]] = b }
            }
            var history = LedgerHistory(lines: lines, closedPeriods: closed, closedOutside: outside, drawBalances: balances)
            // A period closed before and reopened: what its last posting paid each payee.
            let reposted = try Row.fetchAll(db, sql: """
                SELECT s.payee_id, s.paid FROM statements s WHERE s.run_id = (
                    SELECT id FROM runs WHERE action = 'close' AND period = ? AND voided_by IS NOT NULL ORDER BY id DESC LIMIT 1)
                """, arguments: [period.label])
            for row in reposted {
                let text: String = row["paid"]
                if case .success(let paid) = ExactDecimal.parse(text) { history.reopenedPaid[row["payee_id"]] = paid }
            }
            if let roster {
                for row in locked where (row["action"] as String) != "import" {
                    let read = try String.fetchOne(db, sql: "SELECT sha256 FROM run_inputs WHERE run_id = ? AND role = 'roster'", arguments: [row["run_id"] as Int64])
                    if read == roster { history.sameRoster.insert(row["period"]) }
                }
            }
            return history
        }
    }

    /// Every line the runs posted, run by run, each run's in payee and line order: one raw cursor, the texts read
    /// once (kinds, components, sources by id; a statement's period, payee and plan once per statement).
    static func postedLines(ofRuns runs: [Int64], filter: PostedLineFilter = .all, _ db: Database) throws -> [LedgerHistory.PostedLine] {
        guard !runs.isEmpty, let connection = db.sqliteConnection else { return [] }
        var texts: [String?] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT id, text FROM texts")
        while let row = try rows.next() {
            let id = Int(row[0] as Int64)
            if id >= texts.count { texts.append(contentsOf: repeatElement(nil, count: id - texts.count + 1)) }
            texts[id] = row[1]
        }
        func text(_ id: Int64) throws -> String {
            guard id >= 0, id < texts.count, let t = texts[Int(id)] else { throw LedgerError("the ledger holds a line whose text \(id) is missing") }
            return t
        }
        var kinds = [LineKind?](repeating: nil, count: texts.count)
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lines l JOIN statements s ON s.id = l.statement_id WHERE s.run_id IN (\(runs.map(String.init).joined(separator: ", ")))") ?? 0
        var lines: [LedgerHistory.PostedLine] = []
        lines.reserveCapacity(count)
        let query = try RawStatement(connection, """
            SELECT s.id, s.period, s.payee_id, s.plan, l.kind_id, l.component_id, l.deal_id, l.for_period, l.amount, l.source_id
            FROM statements s JOIN lines l ON l.statement_id = s.id WHERE s.run_id = ? ORDER BY s.payee_id, l.seq
            """)
        for run in runs {
            query.bind(1, run)
            var statement: Int64 = -1
            var period = "", payee = "", plan = ""
            var kept = true
            while try query.step() {
                let id = query.int64(0)
                if id != statement {
                    statement = id
                    period = query.text(1) ?? ""
                    payee = query.text(2) ?? ""
                    plan = query.text(3) ?? ""
                    kept = filter.keeps(payee: payee)
                }
                guard kept, filter.keeps(deal: { query.text(6) }) else { continue }
                let kindID = query.int64(4)
                let kind: LineKind
                if kindID >= 0, kindID < kinds.count, let k = kinds[Int(kindID)] {
                    kind = k
                } else {
                    let name = try text(kindID)
                    guard let k = LineKind(rawValue: name) else { throw LedgerError("the ledger holds a line it cannot read (kind `\(name)`)") }
                    kinds[Int(kindID)] = k
                    kind = k
                }
                guard let amount = Ledger.amount(query.bytes(8)) else {
                    throw LedgerError("the ledger holds a line it cannot read (kind `\(kind.rawValue)`, amount `\(query.text(8) ?? "")`)")
                }
                lines.append(LedgerHistory.PostedLine(period: period, payeeID: payee, plan: plan, kind: kind, component: try text(query.int64(5)),
                                                      dealID: query.text(6), refPeriod: query.text(7), amount: amount, source: try text(query.int64(9))))
            }
        }
        query.finalize()
        return lines
    }

    /// The last dry run's paid amount per payee for a period.
    public func preview(_ period: Period) throws -> [String: (currency: String, paid: String)] {
        if postgres != nil { return try pgPreview(period) }
        return try queue.read { db in
            var out: [String: (currency: String, paid: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT payee_id, currency, paid FROM previews WHERE period = ?", arguments: [period.label]) {
                out[row["payee_id"]] = (row["currency"], row["paid"])
            }
            return out
        }
    }

    /// What a run recorded as its inputs, in the order it recorded them.
    public func inputs(ofRun run: Int64) throws -> [(role: String, path: String, sha256: String)] {
        if postgres != nil { return try Ledger.pgInputs(ofRun: run, pg) }
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT role, path, sha256 FROM run_inputs WHERE run_id = ? ORDER BY rowid", arguments: [run])
                .map { (role: $0["role"] as String, path: $0["path"] as String, sha256: $0["sha256"] as String) }
        }
    }

    /// Every run, oldest first.
    public func runs() throws -> [RunRecord] {
        if postgres != nil { return try pgRuns() }
        return try queue.read { db in
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
                                 reason: row["reason"], payees: payees, paid: paid, voidedBy: row["voided_by"], kind: row["kind"], inputs: inputs)
            }
        }
    }

    /// A posted amount: the plain form `Money.text` writes ("-1234.50") read directly, anything else through
    /// `ExactDecimal.parse`; nil when it is not a decimal.
    static func amount(_ bytes: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        var i = 0, negative = false, coefficient: Int128 = 0, digits = 0, scale = 0, point = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        while i < bytes.count {
            let b = bytes[i]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                coefficient = coefficient * 10 + Int128(b - UInt8(ascii: "0"))
                digits += 1
                if point { scale += 1 }
            } else if b == UInt8(ascii: "."), !point, digits > 0 {
                point = true
            } else {
                digits = 0
                break
            }
            i += 1
        }
        // Up to 30 digits cannot overflow; a point must have digits on both sides.
        if digits > 0 && digits <= 30 && (!point || scale > 0) {
            return ExactDecimal(coefficient: negative ? -coefficient : coefficient, scale: scale)
        }
        guard case .success(let d) = ExactDecimal.parse(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return d
    }

    // MARK: Writing

    /// Records a dry run's totals, replacing the previous dry run of the period.
    public func savePreview(_ period: Period, payees: [StatementJSON.SummaryEntry], at: String) throws {
        if postgres != nil { return try pgSavePreview(period, payees: payees, at: at) }
        return try writing { db in
            try db.execute(sql: "DELETE FROM previews WHERE period = ?", arguments: [period.label])
            guard let connection = db.sqliteConnection else { throw LedgerError("the ledger \(path) is closed") }
            let insert = try RawStatement(connection, "INSERT INTO previews (period, payee_id, currency, paid, at) VALUES (?, ?, ?, ?, ?)")
            defer { insert.finalize() }
            insert.bind(1, period.label)
            insert.bind(5, at)
            for s in payees {
                insert.bind(2, s.payeeID)
                insert.bind(3, s.currency.code)
                insert.bind(4, s.paid.text)
                try insert.run()
            }
        }
    }

    /// The first period of the same kind between the latest closed one and `period`, if `period` does not follow it directly.
    static func gap(before period: Period, _ db: Database) throws -> String? {
        // The latest closed period of the same kind, by its stored end: months close in order of their own, apart from
        // quarters (the first close of a kind may start anywhere, as the ledger's first close does).
        let ends = try String.fetchAll(db, sql: "SELECT period_end FROM locks WHERE kind = ? AND period_end < ? ORDER BY period_end DESC LIMIT 1",
                                       arguments: [period.kind.rawValue, period.start.description])
        guard let text = ends.first, case .success(let lastEnd) = CivilDate.parse(Array(text.utf8)) else { return nil }
        if lastEnd.dayNumber + 1 == period.start.dayNumber { return nil }
        guard let next = lastEnd.adding(days: 1) else { return nil }
        return Period.containing(next, kind: period.kind, in: period.calendar).label
    }

    /// The period that should be closed before `period`, when the ledger has a gap before it.
    public func missing(before period: Period) throws -> String? {
        if postgres != nil { return try Ledger.pgGap(before: period, pg) }
        return try queue.read { db in try Ledger.gap(before: period, db) }
    }

    /// Why a period closed outside Attain cannot be closed.
    public static func closedOutsideMessage(_ period: Period, run: Int64) -> String {
        "\(period) was closed outside Attain (opening balances imported by run \(run)); it cannot be closed here"
    }

    /// Unlocks the latest closed period of its kind with a recorded reason. Its posting is voided: closing it again posts anew.
    /// A period closed outside Attain voids the whole import instead, while no period has been closed after it.
    @discardableResult
    public func reopen(_ period: Period, reason: String, at: String, engineVersion: String) throws -> Int64 {
        if postgres != nil { return try pgReopen(period, reason: reason, at: at, engineVersion: engineVersion) }
        return try writing { db in
            guard let closeRun = try Int64.fetchOne(db, sql: "SELECT run_id FROM locks WHERE period = ?", arguments: [period.label]) else {
                throw LedgerError("\(period) is not closed, so there is nothing to reopen")
            }
            if try Ledger.importRun(locking: period.label, db) != nil {
                return try Ledger.voidImport(period, reason: reason, at: at, engineVersion: engineVersion, db)
            }
            if let later = try String.fetchOne(db, sql: "SELECT period FROM locks WHERE kind = ? AND period_start > ? ORDER BY period_start DESC LIMIT 1",
                                                arguments: [period.kind.rawValue, period.start.description]) {
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
