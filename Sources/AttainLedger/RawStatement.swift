// Raw SQLite statements on the ledger's GRDB connection, for its bulk paths (posting, previews, history): prepared
// once, bound and stepped with no GRDB row or argument array per line. Used only on the thread that holds the connection.
import GRDB
import GRDBSQLite

/// One prepared statement. Texts and blobs are copied by SQLite when bound (`SQLITE_TRANSIENT`).
final class RawStatement {
    private(set) var handle: OpaquePointer?
    let connection: OpaquePointer
    let sql: String

    init(_ connection: OpaquePointer, _ sql: String) throws {
        self.connection = connection
        self.sql = sql
        let rc = sqlite3_prepare_v2(connection, sql, -1, &handle, nil)
        if rc != SQLITE_OK {
            let error = RawStatement.error(connection, rc, sql)
            sqlite3_finalize(handle)
            handle = nil
            throw error
        }
    }

    deinit { sqlite3_finalize(handle) }

    /// Releases the statement now rather than when the object goes; it cannot be used after.
    func finalize() {
        sqlite3_finalize(handle)
        handle = nil
    }

    /// The SQLite error `rc` as GRDB reports it, so that `Ledger.classified` sees damaged and busy ledgers.
    static func error(_ connection: OpaquePointer, _ rc: Int32, _ sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    /// Tells SQLite to copy a bound text or blob before the bind returns.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    func bind(_ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_text(handle, index, text, -1, RawStatement.transient)
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    func bind(_ index: Int32, blob: [UInt8]) {
        _ = blob.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), RawStatement.transient) }
    }

    /// Runs a statement that returns no row, then resets it for the next bindings.
    func run() throws {
        let rc = sqlite3_step(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW {
            let error = RawStatement.error(connection, rc, sql)
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
    }

    /// The next row: true while there is one, false at the end (the statement is then reset for the next bindings).
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        let error = rc == SQLITE_DONE ? nil : RawStatement.error(connection, rc, sql)
        sqlite3_reset(handle)
        if let error { throw error }
        return false
    }

    /// Stops reading rows and resets the statement for the next bindings.
    func reset() { sqlite3_reset(handle) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// A text column, or nil when it is NULL.
    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// A text or blob column's bytes, valid until the next step or reset.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let start = sqlite3_column_blob(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: Int(sqlite3_column_bytes(handle, column)))
    }
}
