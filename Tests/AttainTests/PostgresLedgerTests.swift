// The ledger on both backends: closes, locks, reopens, history, the atomic close, approvals and holds behave the same
// on an SQLite file and on a PostgreSQL database, to the cent; and two closes of one period from two processes on one
// PostgreSQL ledger: one posts, the other is told the period is closed.
import Foundation
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct PostgresLedgerTests {
    /// The ledger a test made, with what opens it from the test (a file path, or the URL).
    struct Made {
        let dir: String
        let ledger: String
        let backend: LedgerBackend
        var reader: InputReader { InputReader(root: dir) }
        func open() throws -> Ledger { try Ledger(path: backend == .sqlite ? dir + "/" + ledger : ledger) }
        /// Output with the ledger's name put as `LEDGER`, to compare the backends.
        func plain(_ text: String) -> String { text.replacingOccurrences(of: ledger, with: "LEDGER") }
    }

    func made(_ backend: LedgerBackend, case goldenCase: String = "brief-09-draw") throws -> Made {
        Made(dir: try scratchCopy(of: goldenCase), ledger: try backend.freshLedger(), backend: backend)
    }

    func close(_ m: Made, _ period: String, commit: Bool, data: String = ".", at: String = "2026-07-01T00:00:00Z") throws -> CommandOutcome {
        Commands.close(plans: try planNames(m.dir), data: data, period: period, set: [], ledgerPath: m.ledger, commit: commit, clock: at, reader: m.reader)
    }

    /// What a ledger holds, in text: every run and every line posted before `period`.
    func contents(_ m: Made, before period: String) throws -> (runs: [String], lines: [String]) {
        let l = try m.open()
        let runs = try l.runs().map { r in
            "\(r.id) \(r.action) \(r.period) \(r.kind) payees=\(r.payees) paid=\(r.paid.map { "\($0.amount) \($0.currency)" }) voided=\(r.voidedBy.map(String.init) ?? "-") inputs=\(r.inputs.map { "\($0.role):\($0.sha256.prefix(12))" })"
        }
        let lines = try l.history(before: try Period.parse(period).get()).lines.map {
            "\($0.period) \($0.payeeID) \($0.plan) \($0.kind.rawValue) \($0.component) \($0.dealID ?? "-") \($0.refPeriod ?? "-") \($0.amount.text(minimumScale: 2)) \($0.source)"
        }
        return (runs, lines)
    }

    @Test func theServerIsThere() throws {
        // Never skipped: without a server this fails, saying how to get one.
        _ = try PostgresTestServer.base.get()
    }

    @Test func closeReopenAndHistoryAreTheSameOnBothLedgers() throws {
        var seen: [LedgerBackend: (outputs: [String], runs: [String], lines: [String])] = [:]
        for backend in LedgerBackend.allCases {
            let m = try made(backend)
            defer { try? FileManager.default.removeItem(atPath: m.dir) }
            var outputs: [String] = []
            for (period, commit) in [("2026-01", false), ("2026-01", true), ("2026-02", true)] {
                let o = try close(m, period, commit: commit)
                #expect(o.exitCode == 0, "\(backend) \(period): \(o.stderr)")
                outputs.append(m.plain(o.stdout + o.stderr))
            }
            let reopened = Commands.reopen(period: "2026-02", reason: "late deal", ledgerPath: m.ledger, clock: "2026-07-02T00:00:00Z", reader: m.reader)
            #expect(reopened.exitCode == 0, "\(backend): \(reopened.stderr)")
            outputs.append(reopened.stdout)
            let again = try close(m, "2026-02", commit: true, at: "2026-07-03T00:00:00Z")
            #expect(again.exitCode == 0, "\(backend): \(again.stderr)")
            outputs.append(m.plain(again.stdout))
            let history = Commands.history(ledgerPath: m.ledger, inputs: true, reader: m.reader)
            #expect(history.exitCode == 0)
            outputs.append(history.stdout)
            let (runs, lines) = try contents(m, before: "2026-03")
            // January pays 6000.00 with its draw, February 10000.00 and recovers the balance.
            let ledger = try m.open()
            #expect(try ledger.runs().map(\.action) == ["close", "close", "reopen", "close"])
            #expect(try ledger.runs().map { $0.paid.first?.amount } == ["6000.00", "10000.00", nil, "10000.00"])
            #expect(try ledger.runs()[1].voidedBy == 3)
            #expect(!lines.isEmpty)
            seen[backend] = (outputs, runs, lines)
        }
        let s = try #require(seen[.sqlite]), p = try #require(seen[.postgres])
        #expect(s.outputs == p.outputs)
        #expect(s.runs == p.runs)
        #expect(s.lines == p.lines)
    }

    @Test(arguments: LedgerBackend.allCases)
    func aClosedPeriodIsLockedAndPeriodsCloseInOrder(_ backend: LedgerBackend) throws {
        let m = try made(backend, case: "brief-10-ytd")
        defer { try? FileManager.default.removeItem(atPath: m.dir) }
        #expect(try close(m, "2026-Q1", commit: true).exitCode == 0)
        let skipped = try close(m, "2026-Q3", commit: true)
        #expect(skipped.exitCode == ExitCode.refused)
        #expect(skipped.stderr == "error: 2026-Q2 is not closed yet, and periods close in order; close 2026-Q2 before 2026-Q3\n")
        let again = try close(m, "2026-Q1", commit: true)
        #expect(again.exitCode == 0)
        #expect(again.stdout == "2026-Q1 is already closed by run 1 with these same inputs; its outputs were written again\n")
        let fm = FileManager.default
        try fm.createDirectory(atPath: m.dir + "/other", withIntermediateDirectories: true)
        for name in ["roster.csv", "assignments.csv"] { try fm.copyItem(atPath: m.dir + "/" + name, toPath: m.dir + "/other/" + name) }
        let deals = try String(contentsOfFile: m.dir + "/deals.csv", encoding: .utf8)
        try deals.replacingOccurrences(of: "150000.00", with: "150001.00").write(toFile: m.dir + "/other/deals.csv", atomically: true, encoding: .utf8)
        let changed = try close(m, "2026-Q1", commit: true, data: "other")
        #expect(changed.exitCode == ExitCode.refused)
        #expect(changed.stderr.hasPrefix("error: 2026-Q1 is already closed (run 1) with other inputs: deals file other/deals.csv has changed (sha256 "))
        #expect(try close(m, "2026-Q2", commit: true).exitCode == 0)
        let tooEarly = Commands.reopen(period: "2026-Q1", reason: "fix", ledgerPath: m.ledger, reader: m.reader)
        #expect(tooEarly.exitCode == ExitCode.refused)
        #expect(tooEarly.stderr == "error: 2026-Q2 is closed after 2026-Q1; reopen 2026-Q2 first\n")
        let nothing = Commands.reopen(period: "2026-Q4", reason: "fix", ledgerPath: m.ledger, reader: m.reader)
        #expect(nothing.exitCode == ExitCode.refused)
        #expect(nothing.stderr == "error: 2026-Q4 is not closed, so there is nothing to reopen\n")
        #expect(Commands.reopen(period: "2026-Q2", reason: "late deal D2 corrected", ledgerPath: m.ledger, reader: m.reader).exitCode == 0)
        #expect(try close(m, "2026-Q2", commit: true).exitCode == 0)
        let runs = try m.open().runs()
        #expect(runs.map(\.action) == ["close", "close", "reopen", "close"])
        #expect(runs.last?.paid.first?.amount == "3500.00")
        #expect(try m.open().locksByKind().map { "\($0.kind.rawValue): \($0.periods)" } == ["quarter: [\"2026-Q1\", \"2026-Q2\"]"])
    }

    @Test(arguments: LedgerBackend.allCases)
    func aCommitWhoseStatementsCannotBeWrittenPostsNothing(_ backend: LedgerBackend) throws {
        let m = try made(backend)
        defer { try? FileManager.default.removeItem(atPath: m.dir) }
        #expect(FileManager.default.createFile(atPath: m.dir + "/afile", contents: Data()))
        let ran = try attain(["close"] + (try planNames(m.dir)) + ["--data", ".", "--period", "2026-01", "--commit", "--out", "afile/sub", "--ledger", m.ledger], in: m.dir)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr.hasSuffix("\nerror: cannot write into afile/sub: a file is in the way or permission is denied; nothing was posted\n"), "\(ran.stderr)")
        if backend == .postgres || FileManager.default.fileExists(atPath: m.dir + "/attain.db") {
            #expect(try m.open().runs().isEmpty)
        }
    }

    /// A close killed inside its transaction, every statement sent: the ledger is as it was, and the same close then posts.
    @Test(arguments: LedgerBackend.allCases)
    func aCloseKilledWhilePostingLeavesTheLedgerAsItWas(_ backend: LedgerBackend) throws {
        let m = try made(backend)
        defer { try? FileManager.default.removeItem(atPath: m.dir) }
        let exe = try #require(attainExecutable())
        let plans = try planNames(m.dir)
        func launch(_ period: String, marker: String?) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["close"] + plans + ["--data", ".", "--period", period, "--commit", "--out", "out", "--ledger", m.ledger]
            p.currentDirectoryURL = URL(fileURLWithPath: m.dir)
            var env = ProcessInfo.processInfo.environment
            if let marker { env["ATTAIN_PAUSE_DURING_POST"] = marker }
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let first = try launch("2026-01", marker: nil)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let marker = m.dir + "/posting"
        let second = try launch("2026-02", marker: marker)
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(FileManager.default.fileExists(atPath: marker), "the close never reached the posting step")
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()
        #expect(second.terminationReason == .uncaughtSignal)
        // The server sees the connection gone and rolls the transaction back.
        Thread.sleep(forTimeInterval: 0.5)
        let ledger = try m.open()
        #expect(try ledger.runs().map(\.period) == ["2026-01"])
        #expect(try ledger.lockingRun(try Period.parse("2026-02").get()) == nil)
        #expect(try ledger.history(before: try Period.parse("2026-03").get()).lines.allSatisfy { $0.period == "2026-01" })
        let third = try launch("2026-02", marker: nil)
        third.waitUntilExit()
        #expect(third.terminationStatus == 0)
        #expect(try m.open().runs().last?.paid.first?.amount == "10000.00")
    }

    @Test func aBusyPostgresLedgerWaitsThenSaysAnotherCloseIsRunning() throws {
        let m = try made(.postgres)
        defer { try? FileManager.default.removeItem(atPath: m.dir) }
        let exe = try #require(attainExecutable())
        let marker = m.dir + "/posting"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: exe)
        let command = ["close"] + (try planNames(m.dir)) + ["--data", ".", "--period", "2026-01", "--out", "out", "--commit", "--ledger", m.ledger]
        holder.arguments = command
        holder.currentDirectoryURL = URL(fileURLWithPath: m.dir)
        holder.environment = ProcessInfo.processInfo.environment.merging(["ATTAIN_PAUSE_DURING_POST": marker]) { _, new in new }
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        try #require(FileManager.default.fileExists(atPath: marker), "the close never reached the posting step")
        let message = "error: another close is running on \(m.ledger) (waited 1 s); try again when it has finished\n"
        for args in [command, ["reopen", "--period", "2026-01", "--reason", "wrong deals", "--ledger", m.ledger]] {
            let started = Date()
            let ran = try attain(args, in: m.dir, env: ["ATTAIN_LEDGER_WAIT": "1"])
            #expect(ran.status == ExitCode.ledgerBusy, "\(args): \(ran.stderr)")
            #expect(ran.stderr.hasSuffix(message), "\(args): \(ran.stderr)")
            #expect(Date().timeIntervalSince(started) >= 1, "it did not wait")
        }
        #expect(!FileManager.default.fileExists(atPath: m.dir + "/out/2026-01"), "the busy close wrote its files")
    }

    /// Two `attain close --commit` of one period, from two processes, on one PostgreSQL ledger at the same moment: the
    /// second reads the ledger while the first is inside its posting, then waits for the write lock; once the first
    /// commits, it is told the period is closed. Repeated on fresh ledgers.
    @Test func twoClosesOfOnePeriodFromTwoMachinesOneWinsTheOtherIsTold() throws {
        let exe = try #require(attainExecutable())
        for round in 0..<3 {
            let m = try made(.postgres)
            defer { try? FileManager.default.removeItem(atPath: m.dir) }
            let plans = try planNames(m.dir)
            let marker = m.dir + "/posting"
            func launch(_ out: String, pause: Bool) throws -> (Process, String, String) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: exe)
                p.arguments = ["close"] + plans + ["--data", ".", "--period", "2026-01", "--commit", "--out", out, "--ledger", m.ledger]
                p.currentDirectoryURL = URL(fileURLWithPath: m.dir)
                var env = ProcessInfo.processInfo.environment
                env["ATTAIN_LEDGER_WAIT"] = "60"
                if pause {
                    env["ATTAIN_PAUSE_DURING_POST"] = marker
                    env["ATTAIN_PAUSE_SECONDS"] = "3"
                }
                p.environment = env
                let o = m.dir + "/\(out).stdout", e = m.dir + "/\(out).stderr"
                FileManager.default.createFile(atPath: o, contents: nil)
                FileManager.default.createFile(atPath: e, contents: nil)
                p.standardOutput = FileHandle(forWritingAtPath: o)
                p.standardError = FileHandle(forWritingAtPath: e)
                try p.run()
                return (p, o, e)
            }
            // Both started at once; whichever takes the write lock first pauses inside its transaction (the barrier),
            // while the other has read the ledger and waits for the lock.
            let a = try launch("a", pause: true)
            let b = try launch("b", pause: true)
            for (p, _, _) in [a, b] { p.waitUntilExit() }
            let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
            let results = [a, b].map { (status: $0.0.terminationStatus, stdout: read($0.1), stderr: read($0.2)) }
            let won = results.filter { $0.status == 0 }, lost = results.filter { $0.status != 0 }
            #expect(won.count == 1 && lost.count == 1, "round \(round): \(results)")
            if let w = won.first, let l = lost.first {
                #expect(w.stdout.contains("closed"), "round \(round): \(w.stdout)")
                #expect(l.status == ExitCode.refused, "round \(round): \(l)")
                #expect(l.stderr == "error: 2026-01 is already closed (run 1); reopen it first with `attain reopen --period 2026-01 --reason \"…\"`\n",
                        "round \(round): \(l.stderr)")
            }
            let runs = try m.open().runs()
            #expect(runs.map { "\($0.id) \($0.action) \($0.period) \($0.payees)" } == ["1 close 2026-01 2"], "round \(round)")
            #expect(runs.first?.paid.first?.amount == "6000.00")
            let history = Commands.history(ledgerPath: m.ledger, inputs: false, reader: m.reader).stdout
            #expect(history.split(separator: "\n").filter { $0.contains(" close ") }.count == 1, "\(history)")
            // The statements were posted once: one per payee.
            #expect(try m.open().documentDigests(ofRun: 1).count == 2)
        }
    }

    @Test func aPostgresLedgerRecordsSQLitesMigrationsAndRefusesANewerOne() throws {
        let url = try LedgerBackend.postgres.freshLedger()
        _ = try Ledger(path: url)
        let store = try PostgresStore(try LedgerServer.parse(url: url))
        let recorded = try store.query("SELECT identifier FROM ledger_migrations").map { try $0.string(0) }
        #expect(Set(recorded) == Set(Ledger.migrator.migrations))
        #expect(recorded.count == 8)
        // Opened again, nothing to do.
        _ = try Ledger(path: url)
        try store.query("INSERT INTO ledger_migrations (identifier) VALUES ('9: from the future')")
        #expect(throws: LedgerError.self) { try Ledger(path: url) }
        do {
            _ = try Ledger(path: url)
        } catch {
            #expect("\(error)" == "\(LedgerServer.redacted(url)) was written by a newer version of attain; use that version")
        }
    }

    @Test func aServerThatCannotBeReachedIsOneLineWithoutThePassword() throws {
        let dir = try scratchCopy(of: "brief-09-draw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ran = try attain(["history", "--ledger", "postgres://pat:s3cret@127.0.0.1:1/books"], in: dir)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr == "error: cannot reach the ledger postgres://pat@127.0.0.1:1/books: connection refused\n")
        #expect(!ran.stderr.contains("s3cret"))
        let close = try attain(["close"] + (try planNames(dir)) + ["--data", ".", "--period", "2026-01", "--commit", "--out", "out",
                                                                    "--ledger", "postgres://pat:s3cret@127.0.0.1:1/books"], in: dir)
        #expect(close.status == ExitCode.ioFailure)
        #expect(close.stderr.hasSuffix("error: cannot reach the ledger postgres://pat@127.0.0.1:1/books: connection refused\n"), "\(close.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"), "a close that could not reach its ledger wrote files")
    }

    @Test func urlsAndConfigFilesAreRead() throws {
        let s = try LedgerServer.parse(url: "postgres://fin%40co:p%3Ass@db.example.com:6543/books")
        #expect(s.user == "fin@co" && s.password == "p:ss" && s.host == "db.example.com" && s.port == 6543 && s.database == "books")
        #expect(s.shown == "postgres://fin@co@db.example.com:6543/books")
        let socket = try LedgerServer.parse(url: "postgresql://attain@/ledger?host=/var/run/postgresql")
        #expect(socket.socketDirectory == "/var/run/postgresql" && socket.host == nil && socket.port == 5432)
        #expect(throws: LedgerError.self) { try LedgerServer.parse(url: "postgres://attain@host") }
        #expect(LedgerServer.redacted("postgres://a:b@h/d") == "postgres://a@h/d")

        let dir = try scratchCopy(of: "brief-09-draw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let url = try LedgerBackend.postgres.freshLedger()
        try "s3cret\n".write(toFile: dir + "/pw", atomically: true, encoding: .utf8)
        try "# the shared ledger\nurl = \(url)\npassword_file = pw\n".write(toFile: dir + "/books.conf", atomically: true, encoding: .utf8)
        let read = try LedgerServer.read(config: dir + "/books.conf")
        #expect(read.password == "s3cret")
        let closed = try attain(["close"] + (try planNames(dir)) + ["--data", ".", "--period", "2026-01", "--commit", "--out", "out", "--ledger", "books.conf"], in: dir)
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(closed.stdout.hasPrefix("2026-01 closed: run 1 posted 2 statements to books.conf and locked 2026-01\n"), "\(closed.stdout)")
        let history = try attain(["history", "--ledger", "books.conf"], in: dir)
        #expect(history.status == 0)
        #expect(history.stdout.contains("  1  "), "\(history.stdout)")
        #expect(!closed.stdout.contains("s3cret"))
        // The same ledger by its URL.
        #expect(try Ledger(path: url).runs().map(\.period) == ["2026-01"])
        try "url = \(url)\n  pasword_file = pw\n".write(toFile: dir + "/bad.conf", atomically: true, encoding: .utf8)
        let bad = try attain(["history", "--ledger", "bad.conf"], in: dir)
        #expect(bad.status == ExitCode.ioFailure)
        #expect(bad.stderr.contains("bad.conf:2:3: error: unknown setting `pasword_file`"), "\(bad.stderr)")
    }

    @Test(arguments: LedgerBackend.allCases)
    func commitNeedsAnApprovalOnEitherLedger(_ backend: LedgerBackend) throws {
        let dir = NSTemporaryDirectory() + "attain-approval-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: repositoryRoot + "/sample", toPath: dir + "/sample")
        let r = InputReader(root: dir)
        let ledger = backend == .sqlite ? "l.db" : try backend.freshLedger()
        func close(commit: Bool, by: String? = nil, at: String) -> CommandOutcome {
            Commands.close(plans: [repositoryRoot + "/plans"], data: "sample", period: "2026-Q1", set: [], ledgerPath: ledger, commit: commit,
                           formats: [.payroll], clock: at, reader: r, by: by)
        }
        #expect(Commands.configureLedger(requireApproval: true, ledgerPath: ledger, reader: r).exitCode == 0)
        let bare = close(commit: true, at: "2026-04-01T09:00:00Z")
        #expect(bare.exitCode == ExitCode.refused)
        #expect(bare.stderr.contains("this ledger requires approval"))
        #expect(close(commit: false, by: "pat", at: "2026-04-01T10:00:00Z").exitCode == 0)
        let unapproved = close(commit: true, at: "2026-04-01T10:30:00Z")
        #expect(unapproved.stderr == "error: the last dry run of 2026-Q1 (2026-04-01T10:00:00Z, by pat) is not approved: someone other than its preparer runs `attain approve --period 2026-Q1 --by NAME`; nothing was posted\n")
        let own = Commands.approve(period: "2026-Q1", by: "pat", ledgerPath: ledger, clock: "2026-04-01T11:00:00Z", reader: r)
        #expect(own.stderr == "error: pat prepared the last dry run of 2026-Q1 (2026-04-01T10:00:00Z); someone else approves it\n")
        let ok = Commands.approve(period: "2026-Q1", by: "sam", ledgerPath: ledger, clock: "2026-04-01T11:00:00Z", reader: r)
        #expect(ok.stdout == "2026-Q1: the dry run of 2026-04-01T10:00:00Z prepared by pat is approved by sam (approval 1)\n")
        let posted = close(commit: true, at: "2026-04-01T12:30:00Z")
        #expect(posted.exitCode == 0, "\(posted.stderr)")
        let history = Commands.history(ledgerPath: ledger, inputs: false, reader: r).stdout
        #expect(history.hasSuffix("\napproval  at                    period   approved by  prepared by\n       1  2026-04-01T11:00:00Z  2026-Q1  sam          pat\n"))
    }

    @Test func holdsByHandHoldTheSamePayOnBothLedgers() throws {
        var seen: [LedgerBackend: [String]] = [:]
        for backend in LedgerBackend.allCases {
            let m = try made(backend)
            defer { try? FileManager.default.removeItem(atPath: m.dir) }
            var out: [String] = []
            let held = Commands.hold(payee: "A", deal: nil, reason: "contract under review", by: "fin", release: false, ledgerPath: m.ledger,
                                     clock: "2026-06-30T00:00:00Z", reader: m.reader)
            #expect(held.exitCode == 0, "\(backend): \(held.stderr)")
            out.append(held.stdout)
            let o = try close(m, "2026-01", commit: true)
            #expect(o.exitCode == 0, "\(backend): \(o.stderr)")
            out.append(m.plain(o.stdout))
            let listed = Commands.hold(payee: nil, deal: nil, reason: nil, by: nil, release: false, ledgerPath: m.ledger, reader: m.reader)
            out.append(listed.stdout)
            let released = Commands.hold(payee: "A", deal: nil, reason: nil, by: "fin", release: true, ledgerPath: m.ledger,
                                         clock: "2026-07-05T00:00:00Z", reader: m.reader)
            #expect(released.exitCode == 0, "\(backend): \(released.stderr)")
            out.append(released.stdout)
            #expect(try m.open().holds(active: true).isEmpty)
            #expect(try m.open().holds().map(\.releasedBy) == ["fin"])
            seen[backend] = out + (try contents(m, before: "2026-02")).lines
        }
        #expect(seen[.sqlite] == seen[.postgres])
        #expect(seen[.sqlite]?.count ?? 0 > 4)
    }

    @Test(arguments: LedgerBackend.allCases)
    func openingBalancesAreWhatTheLedgerSaysWasPaid(_ backend: LedgerBackend) throws {
        let m = try made(backend, case: "opening-balances-mid-year")
        defer { try? FileManager.default.removeItem(atPath: m.dir) }
        let text = "payee_id,kind,plan,component,period,amount,currency\n"
            + "A,paid,AE-Annual-2026,Bookings commission,2026-Q1,2950.00,USD\nA,paid,AE-Annual-2026,Bookings commission,2026-Q2,3400.00,USD\n"
            + "A,paid,AE-Annual-2026,Spring SPIF,2026-Q2,200.00,USD\nB,draw_balance,Ramp-2026,New-hire draw,2026-Q2,4000.00,USD\n"
        let balances = try OpeningBalances.parse(InputFile(path: "openings.csv", bytes: Array(text.utf8))).get()
        let ledger = try m.open()
        try ledger.importOpenings(balances, inputs: [InputRecord(role: "opening-balances", path: "openings.csv", bytes: Array(text.utf8))],
                                  at: "2026-07-01T00:00:00Z", engineVersion: Engine.version)
        let history = try ledger.history(before: try Period.parse("2026-Q3").get())
        #expect(history.closedOutside == ["2026-Q1", "2026-Q2"])
        #expect(history.lines.map { "\($0.period) \($0.payeeID) \($0.kind.rawValue) \($0.component) \($0.amount) \($0.source)" } == [
            "2026-Q1 A commission Bookings commission 2950.00 openings.csv:2",
            "2026-Q2 A commission Bookings commission 3400.00 openings.csv:3",
            "2026-Q2 A commission Spring SPIF 200.00 openings.csv:4",
        ])
        #expect(history.drawBalances == ["B": ["New-hire draw": ExactDecimal(coefficient: 400000, scale: 2)]])
        #expect(try ledger.runs().map { "\($0.id) \($0.action) \($0.period) \($0.payees) \($0.paid.map(\.amount))" } == [
            "1 import 2026-Q1 1 [\"2950.00\"]", "2 import 2026-Q2 1 [\"3600.00\"]",
        ])
        #expect(throws: LedgerError.self) {
            try ledger.importOpenings(balances, inputs: [], at: "2026-07-02T00:00:00Z", engineVersion: Engine.version)
        }
        let q1 = try close(m, "2026-Q1", commit: true)
        #expect(q1.exitCode == ExitCode.refused)
        #expect(q1.stderr == "error: 2026-Q1 was closed outside Attain (opening balances imported by run 1); it cannot be closed here\n")
    }

    @Test func disputesAreRecordedAndAnsweredTheSameOnBothLedgers() throws {
        var seen: [LedgerBackend: [String]] = [:]
        for backend in LedgerBackend.allCases {
            let m = try made(backend)
            defer { try? FileManager.default.removeItem(atPath: m.dir) }
            #expect(try close(m, "2026-01", commit: true).exitCode == 0)
            var out: [String] = []
            let missing = Commands.dispute(period: "2026-01", payee: "A", line: 9, text: "?", by: "rep", ledgerPath: m.ledger, reader: m.reader)
            #expect(missing.exitCode == ExitCode.refused)
            out.append(missing.stderr)
            let d = Commands.dispute(period: "2026-01", payee: "A", line: 1, text: "deal D1 was mine", by: "rep", ledgerPath: m.ledger,
                                     clock: "2026-02-03T00:00:00Z", reader: m.reader)
            #expect(d.exitCode == 0, "\(backend): \(d.stderr)")
            out.append(d.stdout)
            out.append(Commands.disputes(all: false, period: nil, payee: nil, ledgerPath: m.ledger, reader: m.reader).stdout)
            let r = Commands.resolve(dispute: 1, answer: "credited to B by the split", by: "fin", ledgerPath: m.ledger, clock: "2026-02-04T00:00:00Z", reader: m.reader)
            #expect(r.exitCode == 0, "\(backend): \(r.stderr)")
            out.append(r.stdout)
            out.append(Commands.disputes(all: true, period: nil, payee: nil, ledgerPath: m.ledger, reader: m.reader).stdout)
            #expect(try m.open().disputes(all: true).map(\.state) == ["answered"])
            #expect(try m.open().disputes(all: false).isEmpty)
            seen[backend] = out
        }
        #expect(seen[.sqlite] == seen[.postgres])
    }
}
