// Posting a close: one write transaction in which the close's statements are added as they are made (from any
// thread), through statements prepared once, with each line's kind, component and source interned in `texts`.
// Journal: SQLite's rollback journal with `synchronous = FULL` (its defaults, kept on purpose). A posting mostly adds
// new pages, which the journal need not copy; the commit is durable once journal and file are synced, and a kill at
// any point leaves the ledger as before or fully posted. WAL would write every posted page twice (log, checkpoint).
import Attain
import Foundation
import GRDB
import GRDBSQLite

extension Ledger {
    /// Posts a close in one write transaction: the checks `post` makes today (closed outside, already locked,
    /// later lock, gap → LedgerError), the run and its inputs, then `body`, which adds statements through the
    /// posting while it runs (from any thread, several at once); then `pause`, the lock, the previews deleted,
    /// commit. If `body` throws, nothing is posted and the error is rethrown. `capitalized`, asked once `body` is
    /// done: the commissions the close capitalizes, posted under its run in the same transaction.
    @discardableResult
    public func post(period: Period, inputs: [InputRecord], at: String, engineVersion: String, pause: (() -> Void)? = nil,
                     capitalized: (() -> [CapitalizedAmount])? = nil, _ body: (LedgerPosting) throws -> Void) throws -> Int64 {
        if postgres != nil { return try pgPost(period: period, inputs: inputs, at: at, engineVersion: engineVersion, pause: pause, capitalized: capitalized, body) }
        return try writing { db in
            try Ledger.refuseClose(of: period, db)
            try db.execute(sql: """
                INSERT INTO runs (action, period, period_start, period_end, at, engine_version) VALUES ('close', ?, ?, ?, ?, ?)
                """, arguments: [period.label, period.start.description, period.end.description, at, engineVersion])
            let run = db.lastInsertedRowID
            for input in inputs {
                try db.execute(sql: "INSERT INTO run_inputs (run_id, role, path, sha256) VALUES (?, ?, ?, ?)",
                               arguments: [run, input.role, input.path, input.sha256])
            }
            guard let connection = db.sqliteConnection else { throw LedgerError("the ledger \(path) is closed") }
            // A page cache the size of a large posting's deal index, and sorter threads for rebuilding it, for this
            // transaction only.
            let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            let threads = try Int.fetchOne(db, sql: "PRAGMA threads") ?? 0
            try db.execute(sql: "PRAGMA cache_size = \(Ledger.postingCacheSize); PRAGMA threads = 2")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cache); PRAGMA threads = \(threads)") }
            // Each line inserted into the deal index lands at a random place in it; sorting every deal line once is
            // cheaper while the ledger holds no more than a few closes (the index is dropped and made again inside this
            // transaction: a posting that stops leaves it as it was).
            let closes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE action = 'close' AND id != ?", arguments: [run]) ?? 0
            let rebuild = closes < Ledger.closesBeforeIndexedPosting
            if rebuild { try db.execute(sql: "DROP INDEX lines_by_deal") }
            let posting = try LedgerPosting(connection, run: run, period: period, texts: Ledger.texts(db))
            do {
                try body(posting)
            } catch {
                posting.finish()
                throw error
            }
            if let failure = posting.finish() { throw failure }
            if rebuild { try db.execute(sql: Ledger.dealIndex) }
            if let rows = capitalized?(), !rows.isEmpty { try Ledger.insertCapitalized(rows, run: run, db) }
            pause?()
            try db.execute(sql: "INSERT INTO locks (period, period_start, period_end, run_id) VALUES (?, ?, ?, ?)",
                           arguments: [period.label, period.start.description, period.end.description, run])
            try db.execute(sql: "DELETE FROM previews WHERE period = ?", arguments: [period.label])
            return run
        }
    }

    /// The page cache while posting, in SQLite's negative-KiB form: 256 MiB.
    static let postingCacheSize = -262_144

    /// From this many earlier closes on, a posting adds its lines to the deal index as it goes rather than making
    /// the index again from every line: rebuilding sorts all the ledger's deal lines, inserting costs a random
    /// place in the index per new line, and with periods of similar size the sort stops paying at about this point.
    static let closesBeforeIndexedPosting = 3

    /// The index of a deal's lines (for a clawback), on the lines that have a deal.
    static let dealIndex = "CREATE INDEX lines_by_deal ON lines(deal_id) WHERE deal_id IS NOT NULL"

    /// Throws the `LedgerError` that refuses a close of `period`: closed outside Attain, already closed, a later
    /// period of its kind closed, or an earlier period of its kind not closed yet.
    static func refuseClose(of period: Period, _ db: Database) throws {
        if let run = try Ledger.importRun(locking: period.label, db) {
            throw LedgerError(Ledger.closedOutsideMessage(period, run: run))
        }
        if let run = try Int64.fetchOne(db, sql: "SELECT run_id FROM locks WHERE period = ?", arguments: [period.label]) {
            throw LedgerError("\(period) is already closed (run \(run)); reopen it first with `attain reopen --period \(period) --reason \"…\"`")
        }
        let later = try String.fetchAll(db, sql: "SELECT period FROM locks WHERE kind = ? AND period_end >= ? ORDER BY period_end DESC",
                                        arguments: [period.kind.rawValue, period.start.description])
        if let last = later.first {
            throw LedgerError("\(last) is already closed, and periods close in order; \(period) cannot be closed after it")
        }
        if let gap = try Ledger.gap(before: period, db) {
            throw LedgerError("\(gap) is not closed yet, and periods close in order; close \(gap) before \(period)")
        }
    }

    /// Every interned text by its id.
    static func texts(_ db: Database) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, text FROM texts")
        while let row = try rows.next() { out[row[1]] = row[0] }
        return out
    }

    /// The id of an interned text, interning it when new (for the small writes: imports, migrations).
    static func textID(_ text: String, _ db: Database) throws -> Int64 {
        try db.execute(sql: "INSERT OR IGNORE INTO texts (text) VALUES (?)", arguments: [text])
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM texts WHERE text = ?", arguments: [text]) else {
            throw LedgerError("the ledger could not record the text `\(text)`")
        }
        return id
    }

    /// SHA-256 (lowercase hex) and byte count of each document a run posted, by payee id.
    public func documentDigests(ofRun run: Int64) throws -> [String: (sha256: String, bytes: Int)] {
        if postgres != nil { return try pgDocumentDigests(ofRun: run) }
        return try queue.read { db in
            var out: [String: (sha256: String, bytes: Int)] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT payee_id, document_sha256, document_bytes FROM statements WHERE run_id = ?", arguments: [run])
            while let row = try rows.next() {
                let hash: Data = row[1]
                out[row[0]] = (InputHash.hex(hash), row[2])
            }
            return out
        }
    }
}

/// The statements of one close being posted, inside its write transaction (`Ledger.post(period:…)`).
public final class LedgerPosting: @unchecked Sendable {
    private let lock = NSLock()
    /// The SQLite connection, for a posting into an SQLite ledger.
    let connection: OpaquePointer!
    let run: Int64
    let period: String
    private let periodEnd: String
    private let insertStatement: RawStatement!
    private let insertLine: RawStatement!
    private let insertDraw: RawStatement!
    private let insertText: RawStatement!
    /// The PostgreSQL ledger's rows not sent yet, for a posting into one (`LedgerPosting+Postgres.swift`).
    let postgres: PostgresBatches?
    private var textIDs: [String: Int64]
    private var added = 0
    private var finished = false
    /// The first SQLite error of an `add`: the posting then commits nothing, even if the body went on.
    private var failure: (any Error)?

    init(_ connection: OpaquePointer, run: Int64, period: Period, texts: [String: Int64]) throws {
        self.connection = connection
        self.run = run
        self.period = period.label
        periodEnd = period.end.description
        textIDs = texts
        insertStatement = try RawStatement(connection, """
            INSERT INTO statements (run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid,
                                    document_sha256, document_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLine = try RawStatement(connection, """
            INSERT INTO lines (statement_id, seq, kind_id, component_id, deal_id, for_period, amount, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertDraw = try RawStatement(connection, """
            INSERT INTO draw_balances (run_id, payee_id, draw, period, period_end, balance_before, balance_after) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        insertText = try RawStatement(connection, "INSERT INTO texts (text) VALUES (?)")
        postgres = nil
    }

    /// A posting into a PostgreSQL ledger: rows are kept and sent many at a time, statement and text ids given here.
    init(postgres store: PostgresStore, run: Int64, period: Period, texts: [String: Int64], nextStatement: Int64, nextText: Int64) {
        connection = nil
        insertStatement = nil
        insertLine = nil
        insertDraw = nil
        insertText = nil
        self.run = run
        self.period = period.label
        periodEnd = period.end.description
        textIDs = texts
        postgres = PostgresBatches(store, nextStatement: nextStatement, nextText: nextText)
    }

    /// How many statements have been added.
    public var count: Int { lock.withLock { added } }

    /// Adds one statement and the JSON document posted for it (kept as its SHA-256 and length). Thread-safe:
    /// callers on several cores at once are serialized inside. Throws on an SQLite error.
    public func add(_ statement: Attain.Statement, document: String) throws {
        // Hashed and formatted before the lock: only SQLite's work is serialized.
        try add(PostedStatement(statement, document: document))
    }

    /// Adds one statement as posted (made here or by a shard). Thread-safe, as `add(_:document:)`.
    public func add(_ statement: PostedStatement) throws {
        let hash = statement.hashBytes
        try lock.withLock {
            guard !finished else { throw LedgerError("the posting of run \(run) is over: no statement can be added to it") }
            if let failure { throw failure }
            do {
                if let postgres {
                    try postgres.add(statement, run: run, period: period, periodEnd: periodEnd, hash: hash, textID: { try self.kept($0) })
                } else {
                    try insert(statement, hash: hash)
                }
                added += 1
            } catch {
                failure = error
                throw error
            }
        }
    }

    /// Inserts a statement, its lines and its draw balances; called under the lock.
    private func insert(_ s: PostedStatement, hash: [UInt8]) throws {
        let st: RawStatement = insertStatement
        st.bind(1, run)
        st.bind(2, period)
        st.bind(3, s.payeeID)
        st.bind(4, s.payeeName)
        st.bind(5, s.planName)
        st.bind(6, s.planVersion)
        st.bind(7, s.currency)
        st.bind(8, s.earned)
        st.bind(9, s.adjustments)
        st.bind(10, s.paid)
        st.bind(11, blob: hash)
        st.bind(12, s.bytes)
        try st.run()
        let statementID = sqlite3_last_insert_rowid(connection)
        let ln: RawStatement = insertLine
        var lastKind = ("", Int64(0)), lastComponent = ("", Int64(0)), lastSource = ("", Int64(0))
        for (seq, line) in s.lines.enumerated() {
            ln.bind(1, statementID)
            ln.bind(2, Int64(seq))
            if lastKind.1 == 0 || lastKind.0 != line.kind { lastKind = (line.kind, try textID(line.kind)) }
            ln.bind(3, lastKind.1)
            if lastComponent.1 == 0 || lastComponent.0 != line.component { lastComponent = (line.component, try textID(line.component)) }
            ln.bind(4, lastComponent.1)
            ln.bind(5, line.dealID)
            ln.bind(6, line.refPeriod)
            ln.bind(7, line.amount)
            if lastSource.1 == 0 || lastSource.0 != line.source { lastSource = (line.source, try textID(line.source)) }
            ln.bind(8, lastSource.1)
            try ln.run()
            if let before = line.balanceBefore, let after = line.balanceAfter {
                let d: RawStatement = insertDraw
                d.bind(1, run)
                d.bind(2, s.payeeID)
                d.bind(3, line.component)
                d.bind(4, period)
                d.bind(5, periodEnd)
                d.bind(6, before)
                d.bind(7, after)
                try d.run()
            }
        }
    }

    private func textID(_ text: String) throws -> Int64 {
        if let id = textIDs[text] { return id }
        insertText.bind(1, text)
        try insertText.run()
        let id = sqlite3_last_insert_rowid(connection)
        textIDs[text] = id
        return id
    }

    /// A text's id in a PostgreSQL posting: a new text gets the next id and is sent with the next batch.
    private func kept(_ text: String) -> Int64 {
        if let id = textIDs[text] { return id }
        let id = postgres!.newText(text)
        textIDs[text] = id
        return id
    }

    /// Ends the posting: no statement can be added after it. Returns the first error an `add` met, if any (for a
    /// PostgreSQL ledger, also the first error sending the rows still kept).
    @discardableResult
    func finish(sending: Bool = true) -> (any Error)? {
        lock.withLock {
            if finished { return failure }
            finished = true
            if let postgres {
                if sending && failure == nil {
                    do { try postgres.flush() } catch { failure = error }
                }
                return failure
            }
            for st in [insertStatement, insertLine, insertDraw, insertText] { st!.finalize() }
            return failure
        }
    }
}
