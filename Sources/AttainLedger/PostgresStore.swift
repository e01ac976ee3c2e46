// The ledger on a PostgreSQL server: where it is (a postgres:// URL or a .conf file naming one), one connection to it
// through PostgresNIO, and the synchronous calls the ledger makes (a query, a read transaction, a write transaction
// under the ledger-wide write lock), bridged from PostgresNIO's futures on a private event loop.
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// Where a PostgreSQL ledger is: the server, the database and who connects. Its `shown` form never holds a password.
public struct LedgerServer: Sendable, Equatable {
    public var user: String
    public var password: String?
    /// A TCP host, or nil with `socketDirectory` for a unix socket.
    public var host: String?
    public var port: Int
    public var database: String
    /// `?host=/var/run/postgresql`: the folder of the server's unix socket.
    public var socketDirectory: String?

    /// Whether `--ledger VALUE` names a PostgreSQL ledger: a postgres:// URL or a .conf file.
    public static func names(_ value: String) -> Bool { isURL(value) || value.hasSuffix(".conf") }

    static func isURL(_ value: String) -> Bool { value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") }

    /// The URL as messages and the ledger show it: without its password.
    public var shown: String {
        let at = host.map { $0 + (port == 5432 ? "" : ":\(port)") } ?? ""
        let socket = socketDirectory.map { "?host=\($0)" + (port == 5432 ? "" : "&port=\(port)") } ?? ""
        return "postgres://\(user)@\(at)/\(database)\(socket)"
    }

    /// Reads `postgres://user[:password]@host[:port]/database[?host=/socket/dir]` (`postgresql://` too).
    public static func parse(url: String) throws -> LedgerServer {
        guard isURL(url) else { throw LedgerError("`\(redacted(url))` is not a postgres:// URL") }
        let rest = url[url.range(of: "://")!.upperBound...]
        func bad(_ why: String) -> LedgerError {
            LedgerError("cannot read the ledger URL \(redacted(url)): \(why); write it as postgres://user[:password]@host[:port]/database")
        }
        let query: Substring
        var main = rest
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            main = rest[..<q]
        } else {
            query = ""
        }
        guard let slash = main.firstIndex(of: "/") else { throw bad("it names no database") }
        let authority = main[..<slash]
        let database = decoded(main[main.index(after: slash)...])
        guard !database.isEmpty, !database.contains("/") else { throw bad("it names no database") }
        var server = LedgerServer(user: "", password: nil, host: nil, port: 5432, database: database, socketDirectory: nil)
        var hostPart = authority
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                server.user = decoded(credentials[..<colon])
                server.password = decoded(credentials[credentials.index(after: colon)...])
            } else {
                server.user = decoded(credentials)
            }
        }
        if server.user.isEmpty { server.user = ProcessInfo.processInfo.environment["PGUSER"] ?? "postgres" }
        if server.password == nil { server.password = keptPassword(url) }
        if !hostPart.isEmpty {
            if let colon = hostPart.lastIndex(of: ":"), !hostPart.hasSuffix("]") {
                guard let port = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(port) else { throw bad("its port is not a number") }
                server.port = port
                server.host = String(hostPart[..<colon])
            } else {
                server.host = String(hostPart)
            }
        }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw bad("`\(pair)` is not name=value") }
            switch kv[0] {
            case "host":
                let value = decoded(Substring(kv[1]))
                if value.hasPrefix("/") { server.socketDirectory = value; server.host = nil } else { server.host = value }
            case "port":
                guard let port = Int(kv[1]), (1...65535).contains(port) else { throw bad("its port is not a number") }
                server.port = port
            default:
                throw bad("`\(kv[0])` is not a setting the ledger knows (host, port)")
            }
        }
        if server.host == nil && server.socketDirectory == nil { server.host = "localhost" }
        return server
    }

    /// A ledger config file: `url = postgres://…` and optionally `password_file = PATH` (relative to the file), one
    /// setting a line, `#` comments and blank lines allowed.
    public static func read(config path: String) throws -> LedgerServer {
        guard let data = FileManager.default.contents(atPath: path) else { throw LedgerError("cannot read the ledger config \(path): no such file") }
        let text = String(decoding: data, as: UTF8.self)
        var url: String?, passwordFile: String?
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let column = raw.prefix { $0 == " " || $0 == "\t" }.count + 1
            guard let eq = line.firstIndex(of: "=") else {
                throw LedgerError("\(path):\(n + 1):\(column): error: expected `name = value` (url, password_file)")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "url": url = value
            case "password_file": passwordFile = value
            default: throw LedgerError("\(path):\(n + 1):\(column): error: unknown setting `\(key)`; a ledger config has `url` and `password_file`")
            }
        }
        guard let url else { throw LedgerError("\(path):1:1: error: no `url = postgres://…` line") }
        var server = try parse(url: url)
        if let passwordFile {
            let file = passwordFile.hasPrefix("/") ? passwordFile : (path as NSString).deletingLastPathComponent + "/" + passwordFile
            guard let bytes = FileManager.default.contents(atPath: file) else { throw LedgerError("cannot read the password file \(passwordFile) named by \(path)") }
            server.password = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        return server
    }

    /// A ledger value for messages: a URL's password taken out, anything else as it is.
    public static func redacted(_ value: String) -> String {
        guard isURL(value), let scheme = value.range(of: "://"), let at = value[scheme.upperBound...].firstIndex(of: "@") else { return value }
        let credentials = value[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return value }
        return String(value[..<colon]) + String(value[at...])
    }

    static func decoded(_ s: Substring) -> String { String(s).removingPercentEncoding ?? String(s) }

    /// A `--ledger` value as the command goes on with it: a URL's password kept aside (for opening the ledger by the
    /// URL without it) and taken out, so that no message or record shows it; anything else as it is.
    public static func hidingPassword(_ value: String) -> String {
        let shown = redacted(value)
        if shown != value, let server = try? parse(url: value), let password = server.password {
            kept.withLock { $0[shown] = password }
        }
        return shown
    }

    /// Passwords taken out of URLs by `hidingPassword`, by the URL without them.
    private static let kept = LockedPasswords()

    /// The password kept for a URL given without one.
    static func keptPassword(_ url: String) -> String? { kept.withLock { $0[url] } }
}

/// Passwords by URL, behind a lock.
final class LockedPasswords: @unchecked Sendable {
    private let lock = NSLock()
    private var byURL: [String: String] = [:]
    func withLock<T>(_ body: (inout [String: String]) -> T) -> T { lock.withLock { body(&byURL) } }
}

/// The ledger's server could not be reached, or it failed a statement: exit as for a ledger that cannot be read.
public struct LedgerServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A value bound to a statement's `$n`.
enum SQLValue {
    case text(String?)
    case int(Int64?)
    case bytes(Data)
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    init(stringLiteral value: String) { self = .text(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
}

/// One row a query read, its columns by name.
struct SQLRow {
    let row: PostgresRandomAccessRow

    func string(_ column: String) throws -> String { try row[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func int(_ column: String) throws -> Int64 { try row[column].decode(Int64.self) }
    func optionalInt(_ column: String) throws -> Int64? { try row[column].decode(Int64?.self) }
    func bytes(_ column: String) throws -> Data { try row[column].decode(Data.self) }
    func string(_ index: Int) throws -> String { try row[index].decode(String.self) }
    func optionalString(_ index: Int) throws -> String? { try row[index].decode(String?.self) }
    func int(_ index: Int) throws -> Int64 { try row[index].decode(Int64.self) }
    func optionalInt(_ index: Int) throws -> Int64? { try row[index].decode(Int64?.self) }
}

/// One connection to the ledger's PostgreSQL database. Calls block the calling thread (never an event-loop thread:
/// the loop is private to this store) and are serialized.
final class PostgresStore: @unchecked Sendable {
    let server: LedgerServer
    private let group: MultiThreadedEventLoopGroup
    private let connection: PostgresConnection
    private let logger: Logger
    private let lock = NSLock()

    /// The key of the ledger-wide write lock (`pg_advisory_xact_lock`): "attain" in ASCII.
    static let writeLockKey: Int64 = 0x6174_7461_696e

    init(_ server: LedgerServer) throws {
        self.server = server
        var logger = Logger(label: "attain.ledger")
        logger.logLevel = .critical
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var password = server.password
        if password == nil { password = ProcessInfo.processInfo.environment["PGPASSWORD"] }
        var config: PostgresConnection.Configuration
        if let dir = server.socketDirectory {
            config = .init(unixSocketPath: dir + "/.s.PGSQL.\(server.port)", username: server.user, password: password, database: server.database)
        } else {
            config = .init(host: server.host ?? "localhost", port: server.port, username: server.user, password: password,
                           database: server.database, tls: .disable)
        }
        config.options.connectTimeout = .seconds(10)
        do {
            connection = try PostgresConnection.connect(on: group.next(), configuration: config, id: 1, logger: logger).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw LedgerServerError("cannot reach the ledger \(server.shown): \(PostgresStore.words(error))")
        }
    }

    deinit {
        _ = try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// What went wrong, in one line: the server's message, or the connection's failure ("connection refused").
    static func words(_ error: any Error) -> String {
        guard let e = error as? PSQLError else { return "\(error)" }
        if let message = e.serverInfo?[.message] { return message }
        let underlying = e.underlying.map { String(describing: $0) } ?? ""
        if underlying.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if underlying.localizedCaseInsensitiveContains("No such file") { return "no server socket there" }
        if underlying.localizedCaseInsensitiveContains("timed out") || underlying.localizedCaseInsensitiveContains("timeout") { return "connection timed out" }
        if e.code == .authMechanismRequiresPassword { return "the server asks for a password: give one in the URL, a password_file or PGPASSWORD" }
        return underlying.isEmpty ? "\(e.code)" : underlying
    }

    /// The SQLSTATE of a server error ("55P03"), if it is one.
    static func state(_ error: any Error) -> String? { (error as? PSQLError)?.serverInfo?[.sqlState] }

    /// Runs one statement with its `$n` values bound in order; the rows it returned.
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLRow] {
        var binds = PostgresBindings(capacity: values.count)
        for v in values {
            switch v {
            case .text(let s): binds.append(s)
            case .int(let i): binds.append(i)
            case .bytes(let d): try binds.append(d)
            }
        }
        return try query(sql, binds: binds)
    }

    /// Runs one statement with bindings made by the caller (a batch of many rows).
    @discardableResult
    func query(_ sql: String, binds: PostgresBindings) throws -> [SQLRow] {
        try lock.withLock {
            do {
                return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().rows.map { SQLRow(row: $0.makeRandomAccess()) }
            } catch {
                throw PostgresStore.failure(error, server: server)
            }
        }
    }

    /// A failure of a statement as the ledger's errors: the lock wait (55P03) as `LedgerBusy`'s cause, others in words.
    static func failure(_ error: any Error, server: LedgerServer) -> any Error {
        if error is PostgresStoreBusy || error is LedgerServerError { return error }
        if state(error) == "55P03" { return PostgresStoreBusy() }
        if let e = error as? PSQLError, e.serverInfo == nil { return LedgerServerError("lost the ledger \(server.shown): \(words(error))") }
        return LedgerServerError("the ledger \(server.shown) refused a statement: \(words(error))")
    }

    /// Runs several statements separated by `;` (DDL without values).
    func script(_ sql: String) throws {
        for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
            try query(statement)
        }
    }

    /// One value of the first row's first column (nil without a row or for NULL).
    func int(_ sql: String, _ values: [SQLValue] = []) throws -> Int64? { try query(sql, values).first?.optionalInt(0) }
    func string(_ sql: String, _ values: [SQLValue] = []) throws -> String? { try query(sql, values).first?.optionalString(0) }

    /// A read transaction: one snapshot of the ledger for every query in `body`.
    func read<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// A write transaction under the ledger-wide write lock, taken first and waited for up to `timeout` seconds (then
    /// `PostgresStoreBusy`). Everything `body` does commits together, or nothing does.
    func write<T>(timeout: Double, _ body: () throws -> T) throws -> T {
        try query("BEGIN ISOLATION LEVEL READ COMMITTED")
        do {
            if timeout <= 0 {
                guard try query("SELECT pg_try_advisory_xact_lock($1) AS got", [.int(PostgresStore.writeLockKey)]).first?.row["got"].decode(Bool.self) == true else {
                    throw PostgresStoreBusy()
                }
            } else {
                try query("SET LOCAL lock_timeout = '\(max(1, Int((timeout * 1000).rounded())))ms'")
                try query("SELECT pg_advisory_xact_lock($1)", [.int(PostgresStore.writeLockKey)])
                try query("SET LOCAL lock_timeout = 0")
            }
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }
}

/// The write lock was not had in time (mapped to `LedgerBusy` with the ledger's wait).
struct PostgresStoreBusy: Error {}
