// Holds by hand in the ledger (`attain hold`): a payee or a deal whose pay later closes hold until the hold is released.
import Attain
import GRDB

/// One hold recorded with `attain hold`: who or what is held, why, by whom and when; and when it was released.
public struct HoldRecord: Sendable, Equatable {
    public let id: Int64
    public let payeeID: String?
    public let dealID: String?
    public let reason: String
    public let heldBy: String?
    public let at: String
    public let releasedAt: String?
    public let releasedBy: String?

    /// The hold as a close reads it, while it is not released.
    public var handHold: HandHold {
        HandHold(payeeID: payeeID, dealID: dealID, reason: reason, by: heldBy, until: nil, source: "ledger hold \(id)")
    }
}

extension Ledger {
    static func createHoldTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE holds (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                payee_id TEXT,
                deal_id TEXT,
                reason TEXT NOT NULL,
                held_by TEXT,
                at TEXT NOT NULL,
                released_at TEXT,
                released_by TEXT,
                CHECK ((payee_id IS NULL) <> (deal_id IS NULL))
            );
            """)
    }

    /// Records a hold on a payee or a deal (exactly one of them).
    public func hold(payee: String?, deal: String?, reason: String, by: String?, at: String) throws -> HoldRecord {
        precondition((payee == nil) != (deal == nil), "a hold is on a payee or a deal")
        if postgres != nil { return try pgHold(payee: payee, deal: deal, reason: reason, by: by, at: at) }
        return try writing { db in
            try db.execute(sql: "INSERT INTO holds (payee_id, deal_id, reason, held_by, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [payee, deal, reason, by, at])
            return HoldRecord(id: db.lastInsertedRowID, payeeID: payee, dealID: deal, reason: reason, heldBy: by, at: at, releasedAt: nil, releasedBy: nil)
        }
    }

    /// Releases every hold still in force on the payee or the deal; the released holds, oldest first (none when there
    /// were none).
    public func releaseHolds(payee: String?, deal: String?, by: String?, at: String) throws -> [HoldRecord] {
        if postgres != nil { return try pgReleaseHolds(payee: payee, deal: deal, by: by, at: at) }
        return try writing { db in
            let condition = payee != nil ? "payee_id = ?" : "deal_id = ?"
            let target = payee ?? deal ?? ""
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM holds WHERE \(condition) AND released_at IS NULL ORDER BY id", arguments: [target])
            for id in ids {
                try db.execute(sql: "UPDATE holds SET released_at = ?, released_by = ? WHERE id = ?", arguments: [at, by, id])
            }
            return try Ledger.holdRecords(db, where: "id IN (\(ids.map(String.init).joined(separator: ",")))")
        }
    }

    /// Every hold, oldest first; with `active`, only those not released.
    public func holds(active: Bool = false) throws -> [HoldRecord] {
        if postgres != nil { return try pgHolds(active: active) }
        return try queue.read { db in
            // A ledger made before holds existed has no table until it is next opened for writing.
            guard try db.tableExists("holds") else { return [] }
            return try Ledger.holdRecords(db, where: active ? "released_at IS NULL" : "1")
        }
    }

    static func holdRecords(_ db: Database, where condition: String) throws -> [HoldRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM holds WHERE \(condition) ORDER BY id").map {
            HoldRecord(id: $0["id"], payeeID: $0["payee_id"], dealID: $0["deal_id"], reason: $0["reason"], heldBy: $0["held_by"], at: $0["at"],
                       releasedAt: $0["released_at"], releasedBy: $0["released_by"])
        }
    }
}
