// A PostgreSQL server for the ledger tests: the one ATTAIN_TEST_POSTGRES names, or a private one made with Debian's
// initdb and pg_ctl in a temporary folder for this run (as the `postgres` user when the tests run as root), stopped when
// the run ends. Each test gets a database of its own. Without a server the tests fail, saying how to get one.
import Foundation
import Testing
@testable import AttainLedger

/// The server of this test run, started on first use.
enum PostgresTestServer {
    /// The server's URL without a database (`postgres://user@host:port/`), or why there is none.
    static let base: Result<LedgerServer, PostgresUnavailable> = start()

    /// A new, empty database on the server: its ledger URL.
    static func freshDatabase() throws -> String {
        let server: LedgerServer
        switch base {
        case .failure(let e): throw e
        case .success(let s): server = s
        }
        let name = "attain_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try PostgresStore(server)
        try admin.query("CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8'")
        var made = server
        made.database = String(name)
        return made.shown
    }

    private static func start() -> Result<LedgerServer, PostgresUnavailable> {
        if let url = ProcessInfo.processInfo.environment["ATTAIN_TEST_POSTGRES"], !url.isEmpty {
            do { return .success(try LedgerServer.parse(url: url)) } catch { return .failure(PostgresUnavailable("ATTAIN_TEST_POSTGRES: \(error)")) }
        }
        let fm = FileManager.default
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        guard let bin = versions.map({ "/usr/lib/postgresql/\($0)/bin" }).first(where: { fm.isExecutableFile(atPath: $0 + "/pg_ctl") }) else {
            return .failure(PostgresUnavailable("no initdb and pg_ctl under /usr/lib/postgresql/*/bin"))
        }
        let root = geteuid() == 0
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-pg-\(UUID().uuidString.prefix(8))")
        let data = dir + "/data"
        do {
            try fm.createDirectory(atPath: data, withIntermediateDirectories: true)
            if root {
                try run("/bin/chown", ["-R", "postgres:postgres", dir])
                try run("/bin/chmod", ["755", dir])
            }
            func asServerUser(_ tool: String, _ args: [String]) throws {
                if root { try run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/" + tool] + args) } else { try run(bin + "/" + tool, args) }
            }
            try asServerUser("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
            var lastError: (any Error)?
            for _ in 0..<5 {
                let port = Int.random(in: 20_000...60_000)
                do {
                    try asServerUser("pg_ctl", ["-D", data, "-w", "-t", "60", "-l", dir + "/server.log", "-o",
                                                "-p \(port) -k \(dir) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", "start"])
                    stopAtExit(bin: bin, data: data, root: root)
                    return .success(LedgerServer(user: "postgres", password: nil, host: "127.0.0.1", port: port, database: "postgres", socketDirectory: nil))
                } catch {
                    lastError = error
                }
            }
            return .failure(PostgresUnavailable("the server would not start: \(lastError.map { "\($0)" } ?? "")"))
        } catch {
            return .failure(PostgresUnavailable("\(error)"))
        }
    }

    /// Runs a tool to its end; its output is thrown when it fails. Through posix_spawn and waitpid: Foundation's
    /// Process waits for descriptors the server that pg_ctl starts keeps open, and would never see pg_ctl end.
    static func run(_ tool: String, _ args: [String]) throws {
        let log = NSTemporaryDirectory() + "attain-pg-tool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard spawned == 0 else { throw PostgresUnavailable("cannot run \(tool): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let said = String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
        if status != 0 {
            throw PostgresUnavailable("\(tool) \(args.joined(separator: " ")) failed (status \(status)): \(said)")
        }
    }

    nonisolated(unsafe) static var stopCommand: [String] = []

    private static func stopAtExit(bin: String, data: String, root: Bool) {
        let stop = [bin + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]
        stopCommand = root ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop
        atexit {
            try? PostgresTestServer.run(PostgresTestServer.stopCommand[0], Array(PostgresTestServer.stopCommand.dropFirst()))
        }
    }
}

/// No PostgreSQL server for the tests: they fail with this.
struct PostgresUnavailable: Error, CustomStringConvertible {
    let why: String
    init(_ why: String) { self.why = why }
    var description: String {
        "no PostgreSQL server for the ledger tests (\(why)); install Debian's `postgresql` package (apt-get install postgresql) or set ATTAIN_TEST_POSTGRES=postgres://user@host:port/db"
    }
}

/// The two ledgers the ledger tests run against.
enum LedgerBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A new, empty ledger of this kind: the `--ledger` value (a file name in the test's folder, or a URL).
    func freshLedger() throws -> String {
        switch self {
        case .sqlite: return "attain.db"
        case .postgres: return try PostgresTestServer.freshDatabase()
        }
    }
}
