// A close is all or nothing across ledger and files, a damaged or busy ledger is refused in words, an output folder
// shows one run, and odd output paths never crash: each through the real `attain` binary, as a person would run it.
import Foundation
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

/// What a run of the `attain` binary did.
struct Ran {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Ended by a signal (a crash) rather than an exit.
    let signalled: Bool
}

/// Runs the `attain` binary in `dir` with `args` (and extra environment), to its end.
func attain(_ args: [String], in dir: String, env: [String: String] = [:], asNobody: Bool = false) throws -> Ran {
    let exe = try #require(attainExecutable(), "the attain executable was not built beside the tests")
    let p = Process()
    if asNobody {
        p.executableURL = URL(fileURLWithPath: setpriv)
        p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", exe] + args
    } else {
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
    }
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    p.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
    // Outputs go to files: a pipe read after the end could fill and stop the process.
    let tag = UUID().uuidString
    let outPath = NSTemporaryDirectory() + "attain-out-\(tag)", errPath = NSTemporaryDirectory() + "attain-err-\(tag)"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    p.standardOutput = FileHandle(forWritingAtPath: outPath)
    p.standardError = FileHandle(forWritingAtPath: errPath)
    try p.run()
    p.waitUntilExit()
    let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    return Ran(status: p.terminationStatus, stdout: read(outPath), stderr: read(errPath), signalled: p.terminationReason == .uncaughtSignal)
}

/// Every entry under `dir` with its contents ("folder" for a folder), stage folders aside: a folder compared before
/// and after a command.
func listing(_ dir: String) -> [String: String] {
    var out: [String: String] = [:]
    guard let walker = FileManager.default.enumerator(atPath: dir) else { return out }
    while let path = walker.nextObject() as? String {
        if path.split(separator: "/").contains(where: { $0.hasPrefix(".attain-staging-") }) { continue }
        var folder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: dir + "/" + path, isDirectory: &folder)
        out[path] = folder.boolValue ? "folder" : String(decoding: FileManager.default.contents(atPath: dir + "/" + path) ?? Data(), as: UTF8.self)
    }
    return out
}

/// The pid of a process that has ended.
func deadProcessID() throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/true")
    try p.run()
    p.waitUntilExit()
    return p.processIdentifier
}

/// Root ignores file permissions: as root, tests of read-only folders run the command as the user `nobody` (through
/// `setpriv`), and are skipped only when that cannot be done.
let runningAsRoot = geteuid() == 0
let setpriv = "/usr/bin/setpriv"
let permissionsHold: Bool = {
    guard runningAsRoot else { return true }
    // `nobody` must be able to run the built command (a checkout under /root, say, is closed to it).
    guard FileManager.default.isExecutableFile(atPath: setpriv), let exe = attainExecutable() else { return false }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: setpriv)
    probe.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", exe, "--help"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return false }
    probe.waitUntilExit()
    return probe.terminationStatus == 0
}()

/// Hands `dir` to `nobody` when running as root, so that a command run `asNobody` can write where its owner could;
/// true when commands in it are to be run that way.
func forPermissionTests(_ dir: String) throws -> Bool {
    guard runningAsRoot else { return false }
    let chown = Process()
    chown.executableURL = URL(fileURLWithPath: "/bin/chown")
    chown.arguments = ["-R", "65534:65534", dir]
    try chown.run()
    chown.waitUntilExit()
    try #require(chown.terminationStatus == 0, "cannot hand \(dir) to nobody")
    return true
}

@Suite struct AtomicCloseTests {
    /// brief-09-draw's plans and data in a scratch folder, with the arguments of a close of `period` into `out`.
    func drawCase() throws -> (dir: String, close: (String, Bool) throws -> [String]) {
        let dir = try scratchCopy(of: "brief-09-draw")
        let plans = try planNames(dir)
        return (dir, { period, commit in ["close"] + plans + ["--data", ".", "--period", period, "--out", "out"] + (commit ? ["--commit"] : []) })
    }

    func runs(_ dir: String) throws -> [RunRecord] {
        guard FileManager.default.fileExists(atPath: dir + "/attain.db") else { return [] }
        return try Ledger(path: dir + "/attain.db").runs()
    }

    @Test func aCloseWhosePeriodFolderPlaceIsAFilePostsNothing() throws {
        let (dir, close) = try drawCase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/out/2026-01", contents: Data("not a folder\n".utf8)))
        let before = listing(dir + "/out")
        let ran = try attain(close("2026-01", true), in: dir)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr.hasSuffix("error: cannot write out/2026-01: a file is in the way; nothing was posted\n"), "\(ran.stderr)")
        #expect(try runs(dir).isEmpty, "a close whose files cannot be written posted")
        #expect(listing(dir + "/out") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["2026-01"], "the stage was left behind")
    }

    @Test func aCloseWithARepIDTooLongForAFileNamePostsNothing() throws {
        let (dir, close) = try drawCase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let long = String(repeating: "a", count: 300)
        for name in ["roster.csv", "assignments.csv", "deals.csv"] {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            try text.replacingOccurrences(of: "\nA,", with: "\n\(long),").write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        let ran = try attain(close("2026-01", true), in: dir)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr.hasSuffix("is 305 bytes long, and names are at most 255 bytes; nothing was posted\n"), "\(ran.stderr)")
        #expect(try runs(dir).isEmpty, "a close whose files cannot be written posted")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/2026-01"))
    }

    @Test(.enabled(if: permissionsHold, "running as root, and nobody cannot run attain: root writes into read-only folders, so this cannot fail"))
    func aCloseIntoAReadOnlyPeriodFolderPostsNothing() throws {
        let (dir, close) = try drawCase()
        defer {
            chmod(dir + "/out/2026-01/statements", 0o755)
            try? FileManager.default.removeItem(atPath: dir)
        }
        try FileManager.default.createDirectory(atPath: dir + "/out/2026-01/statements", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/out/2026-01/statements/OLD.json", contents: Data("{}\n".utf8)))
        chmod(dir + "/out/2026-01/statements", 0o555)
        let nobody = try forPermissionTests(dir)
        let before = listing(dir + "/out")
        let ran = try attain(close("2026-01", true), in: dir, asNobody: nobody)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr.hasSuffix("error: cannot replace out/2026-01: out/2026-01/statements is read-only; nothing was posted\n"), "\(ran.stderr)")
        #expect(try runs(dir).isEmpty)
        #expect(listing(dir + "/out") == before)
    }

    @Test func aClosePostedButNotWrittenGetsItsOutputsFromTheSameCommand() throws {
        let (dir, close) = try drawCase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try attain(close("2026-01", true), in: dir)
        #expect(first.status == 0)
        let written = listing(dir + "/out")
        #expect(written["2026-01/statements/A.json"]?.contains("\"paid\": \"3000.00\"") == true)
        // As if the close was killed after its commit: the period is locked, its folder missing, a dead process's stage left.
        try FileManager.default.removeItem(atPath: dir + "/out/2026-01")
        let stale = dir + "/out/.attain-staging-\(try deadProcessID())-killed"
        try FileManager.default.createDirectory(atPath: stale + "/2026-01", withIntermediateDirectories: true)
        let again = try attain(close("2026-01", true), in: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == "2026-01 is already closed by run 1 with these same inputs; its outputs were written again to out/2026-01\n")
        #expect(listing(dir + "/out") == written, "the outputs written again differ from the close's")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["2026-01"], "the dead process's stage was not removed")
        // The same without --commit; the ledger is not written to.
        try FileManager.default.removeItem(atPath: dir + "/out/2026-01")
        let ledgerBytes = FileManager.default.contents(atPath: dir + "/attain.db")
        let dry = try attain(close("2026-01", false), in: dir)
        #expect(dry.status == 0)
        #expect(dry.stdout == again.stdout)
        #expect(listing(dir + "/out") == written)
        #expect(FileManager.default.contents(atPath: dir + "/attain.db") == ledgerBytes)
        #expect(try runs(dir).map(\.id) == [1])
        // Other inputs are refused, naming the input that differs.
        let deals = try String(contentsOfFile: dir + "/deals.csv", encoding: .utf8)
        try (deals + "D9,A,2026-01-20,500.00,USD,Widget,new\n").write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let other = try attain(close("2026-01", true), in: dir)
        #expect(other.status == ExitCode.refused)
        #expect(other.stderr.hasPrefix("error: 2026-01 is already closed (run 1) with other inputs: deals file deals.csv has changed (sha256 "), "\(other.stderr)")
        #expect(other.stderr.hasSuffix("now); reopen it first with `attain reopen --period 2026-01 --reason \"…\"`\n"))
        #expect(listing(dir + "/out") == written)
    }

    @Test func aClosedPeriodIsWrittenAgainOnlyWhenItsStatementsAreTheOnesPosted() throws {
        let (dir, _) = try drawCase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let plans = try planNames(dir)
        func close(data: String = ".") -> CommandOutcome {
            Commands.close(plans: plans, data: data, period: "2026-01", set: [], ledgerPath: "attain.db", commit: true, clock: "2026-02-01T00:00:00Z", reader: reader)
        }
        #expect(close().exitCode == 0)
        // The same bytes read through other paths: statements name their plan files, so this is other inputs.
        let elsewhere = Commands.close(plans: plans.map { "./" + $0 }, data: ".", period: "2026-01", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(elsewhere.exitCode == ExitCode.refused)
        #expect(elsewhere.stderr == "error: 2026-01 is already closed (run 1) with other inputs: plan file ./guarantee.plan was read as guarantee.plan by run 1 (the same bytes); plan file ./recoverable.plan was read as recoverable.plan by run 1 (the same bytes); reopen it first with `attain reopen --period 2026-01 --reason \"…\"`\n")
        // A posted document that is not what the engine makes now is never written over by a new one.
        let ledger = try Ledger(path: dir + "/attain.db")
        try ledger.queue.write { try $0.execute(sql: "UPDATE statements SET document_sha256 = zeroblob(32) WHERE payee_id = 'B'") }
        let changed = close()
        #expect(changed.exitCode == ExitCode.refused)
        #expect(changed.stderr.hasSuffix("error: 2026-01 is already closed (run 1, engine \(Engine.version)) with these same inputs, but the statement of `B` made now (engine \(Engine.version)) is not the one posted: another engine, or other `--set` overrides; nothing was written\n"), "\(changed.stderr)")
        #expect(changed.files.isEmpty)
    }

    /// Overwrites two pages of a ledger file (the statements and lines tables' roots) with other bytes.
    func damage(_ path: String) throws {
        let roots = try Ledger(path: path).queue.read { db in
            try Int.fetchAll(db, sql: "SELECT rootpage FROM sqlite_master WHERE name IN ('statements', 'lines') ORDER BY name DESC")
        }
        let h = try #require(FileHandle(forUpdatingAtPath: path))
        for page in roots {
            try h.seek(toOffset: UInt64((page - 1) * 4096))
            h.write(Data((0..<4096).map { UInt8(($0 * 37 + 11) % 256) }))
        }
        try h.close()
    }

    @Test func aDamagedLedgerIsRefusedAndNotChanged() throws {
        let (dir, close) = try drawCase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try attain(close("2026-01", true), in: dir).status == 0)
        try damage(dir + "/attain.db")
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/attain.db"))
        let openings = "payee_id,kind,plan,component,period,amount,currency\nA,paid,Ramp-2026,Draw,2025-12,100.00,USD\n"
        try openings.write(toFile: dir + "/openings.csv", atomically: true, encoding: .utf8)
        let message = "error: the ledger attain.db is damaged (quick_check: database disk image is malformed); nothing was changed; restore it from a backup\n"
        let commands = [try close("2026-02", true), try close("2026-02", false), ["reopen", "--period", "2026-01", "--reason", "wrong deals"],
                        ["ledger", "import", "openings.csv"], ["history"],
                        // The what-ifs only read the ledger, but a damaged one would give them numbers it never held.
                        ["compare"] + (try planNames(dir)) + ["--data", ".", "--period", "2026-02", "--ledger", "attain.db", "--out", "out"],
                        ["estimate"] + (try planNames(dir)) + ["--data", ".", "--period", "2026-02", "--ledger", "attain.db", "--payee", "A",
                                                         "--deal", "amount=1000.00"]]
        for command in commands {
            let ran = try attain(command, in: dir)
            #expect(ran.status == ExitCode.ledgerDamaged, "\(command)")
            #expect(ran.stderr == message, "\(command)")
            #expect(FileManager.default.contents(atPath: dir + "/attain.db") == bytes, "\(command) changed the damaged ledger")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/2026-02"))
    }

    @Test func aBusyLedgerWaitsThenSaysAnotherCloseIsRunning() throws {
        let (dir, close) = try drawCase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exe = try #require(attainExecutable())
        // A close that holds its transaction open.
        let marker = dir + "/posting"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: exe)
        holder.arguments = try close("2026-01", true)
        holder.currentDirectoryURL = URL(fileURLWithPath: dir)
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
        let message = "error: another close is running on attain.db (waited 1 s); try again when it has finished\n"
        for command in [try close("2026-01", true), ["reopen", "--period", "2026-01", "--reason", "wrong deals"]] {
            let started = Date()
            let ran = try attain(command, in: dir, env: ["ATTAIN_LEDGER_WAIT": "1"])
            #expect(ran.status == ExitCode.ledgerBusy, "\(command): \(ran.stderr)")
            #expect(ran.stderr.hasSuffix(message), "\(command): \(ran.stderr)")
            #expect(!ran.stderr.contains("SQLite error"))
            #expect(Date().timeIntervalSince(started) >= 1, "it did not wait")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/2026-01"), "the busy close wrote its files")
    }

    @Test func aCloseKilledAtAnyMomentLeavesNoPostingWithoutItsOutputs() throws {
        let exe = try #require(attainExecutable())
        let dir = try scratchCopy(of: "brief-09-draw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plans = try planNames(dir)
        let command = ["close"] + plans.map { "../" + $0 } + ["--data", "..", "--period", "2026-01", "--commit", "--out", "out"]
        let reference = dir + "/ref"
        try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: true)
        let started = Date()
        #expect(try attain(command, in: reference).status == 0)
        let whole = Date().timeIntervalSince(started)
        let expected = listing(reference + "/out")
        var notPosted = 0, recovered = 0
        for i in 0..<10 {
            let trial = dir + "/trial"
            try? FileManager.default.removeItem(atPath: trial)
            try FileManager.default.createDirectory(atPath: trial + "/out/2026-01/statements", withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: trial + "/out/2026-01/statements/OLD.json", contents: Data("{}\n".utf8))
            let before = listing(trial + "/out")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = command
            p.currentDirectoryURL = URL(fileURLWithPath: trial)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            if i < 5 {
                // Spread over the whole close.
                Thread.sleep(forTimeInterval: whole * 1.1 * (Double(i) + 0.5) / 5)
            } else {
                // Just after the commit, while the staged files move into place.
                func locked() -> Bool { (try? Ledger(readingOnly: trial + "/attain.db").lockingRun(try Period.parse("2026-01").get())) != nil }
                while p.isRunning && !locked() { Thread.sleep(forTimeInterval: 0.001) }
                Thread.sleep(forTimeInterval: Double(i - 5) * 0.001)
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let locked = try runs(trial).contains { $0.period == "2026-01" && $0.voidedBy == nil }
            if !locked {
                notPosted += 1
                #expect(listing(trial + "/out") == before, "kill \(i + 1): nothing posted, but the output folder changed")
            } else {
                let again = try attain(command, in: trial)
                #expect(again.status == 0, "kill \(i + 1): \(again.stderr)")
                #expect(listing(trial + "/out") == expected, "kill \(i + 1): the outputs written again differ")
                if again.status == 0 && listing(trial + "/out") == expected { recovered += 1 }
            }
        }
        #expect(notPosted + recovered == 10)
    }
}

@Suite struct OutputFolderTests {
    func cap() throws -> String { try scratchCopy(of: "brief-03-cap") }
    let runArgs = ["run", "plan.plan", "--data", ".", "--period", "2026-Q1", "--out", "out"]

    @Test func aRerunLeavesOnlyTheNewRunsFiles() throws {
        let dir = try cap()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try attain(runArgs, in: dir).status == 0)
        let first = listing(dir + "/out")
        #expect(first["2026-Q1/statements/A.json"] != nil)
        // Statements of payees no longer in the data, and a file of another run, in the period's folder; another period beside it.
        for name in ["2026-Q1/statements/GONE.json", "2026-Q1/statements/GONE.xml", "2026-Q1/notes.txt", "2025-Q4/summary.json"] {
            try FileManager.default.createDirectory(atPath: dir + "/out/" + OutputWriter.parent(of: name), withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: dir + "/out/" + name, contents: Data("old\n".utf8)))
        }
        #expect(try attain(runArgs, in: dir).status == 0)
        var expected = first
        expected["2025-Q4"] = "folder"
        expected["2025-Q4/summary.json"] = "old\n"
        #expect(listing(dir + "/out") == expected)
    }

    @Test func aComparisonReplacesTheCompareFolderWhole() throws {
        let dir = NSTemporaryDirectory() + "attain-compare-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["compare", repositoryRoot + "/plans", "--data", repositoryRoot + "/sample", "--period", "2026-Q1",
                    "--what-if", "up=accelerator=12%", "--out", "out"]
        #expect(try attain(args, in: dir).status == 0)
        let first = listing(dir + "/out")
        #expect(first["compare/summary.csv"] != nil)
        #expect(FileManager.default.createFile(atPath: dir + "/out/compare/old-candidate.csv", contents: Data("old\n".utf8)))
        #expect(try attain(args, in: dir).status == 0)
        #expect(listing(dir + "/out") == first)
    }

    @Test(.enabled(if: permissionsHold, "running as root, and nobody cannot run attain: root writes into read-only folders, so this cannot fail"))
    func aRunIntoAReadOnlyStatementsFolderFailsAndChangesNothing() throws {
        let dir = try cap()
        defer {
            chmod(dir + "/out/2026-Q1/statements", 0o755)
            try? FileManager.default.removeItem(atPath: dir)
        }
        let nobody = try forPermissionTests(dir)
        #expect(try attain(runArgs, in: dir, asNobody: nobody).status == 0)
        chmod(dir + "/out/2026-Q1/statements", 0o555)
        let before = listing(dir + "/out")
        let ran = try attain(runArgs, in: dir, asNobody: nobody)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr.hasSuffix("error: cannot replace out/2026-Q1: out/2026-Q1/statements is read-only\n"), "\(ran.stderr)")
        #expect(listing(dir + "/out") == before)
    }

    @Test func aRunWithAFileWhereItsPeriodFolderGoesFailsAndChangesNothing() throws {
        let dir = try cap()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/out/2025-Q4", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/out/2025-Q4/payroll.csv", contents: Data("old\n".utf8)))
        #expect(FileManager.default.createFile(atPath: dir + "/out/2026-Q1", contents: Data("a file\n".utf8)))
        let before = listing(dir + "/out")
        let ran = try attain(runArgs, in: dir)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr.hasSuffix("error: cannot write out/2026-Q1: a file is in the way\n"), "\(ran.stderr)")
        #expect(listing(dir + "/out") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted() == ["2025-Q4", "2026-Q1"])
    }

    @Test func aStageLeftByAProcessThatDiedIsRemovedByTheNextWrite() throws {
        let dir = NSTemporaryDirectory() + "attain-writer-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dead = dir + "/.attain-staging-\(try deadProcessID())-x1"
        let aside = dir + "/.attain-staging-\(try deadProcessID())-x2-old-0"
        let mine = dir + "/.attain-staging-\(ProcessInfo.processInfo.processIdentifier)-other"
        for folder in [dead + "/2026-Q1", aside, mine] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try OutputWriter.write([("2026-Q1/summary.json", "{}\n")], to: dir)
        // A stage of a running process (this one) stays: it may still be in use.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [mine.split(separator: "/").last.map(String.init)!, "2026-Q1"].sorted())
    }

    @Test func oddOutputPathsWriteOrFailCleanly() throws {
        let dir = try cap()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let name255 = String(repeating: "n", count: 255), name256 = String(repeating: "n", count: 256)
        for out in ["o", "1", "é", "x/yy", "./o", "with space", "a b/c d", name255, "deep/" + name255] {
            let ran = try attain(["run", "plan.plan", "--data", ".", "--period", "2026-Q1", "--out", out], in: dir)
            #expect(!ran.signalled, "--out \(out) crashed")
            #expect(ran.status == 0, "--out \(out): \(ran.stderr)")
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(out)/2026-Q1/statements/A.json"), "--out \(out)")
        }
        let failures = [
            "/": "error: cannot write into /: the root folder is not an output folder; choose a folder for the outputs\n",
            name256: "error: cannot write into \(name256): the name `nnnnnnnnnnnnnnnnnnnnnnnn…` is 256 bytes long, and names are at most 255 bytes\n",
            "y/" + name256: "error: cannot write into y/\(name256): the name `nnnnnnnnnnnnnnnnnnnnnnnn…` is 256 bytes long, and names are at most 255 bytes\n",
        ]
        for (out, message) in failures {
            let ran = try attain(["run", "plan.plan", "--data", ".", "--period", "2026-Q1", "--out", out], in: dir)
            #expect(!ran.signalled, "--out \(out) crashed")
            #expect(ran.status == ExitCode.ioFailure, "--out \(out)")
            #expect(ran.stderr.hasSuffix(message), "--out \(out): \(ran.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/2026-Q1"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/y"), "a failed run left the folder it made")
    }

    @Test func pathHelpersNeverTrap() {
        let joins = [("", "a", "a"), ("a", "", "a"), ("a", "b", "a/b"), ("a/", "b", "a/b"), ("a", "/b", "/b"), ("o", "x/y", "o/x/y")]
        for (a, b, j) in joins { #expect(OutputWriter.joined(a, b) == j, "\(a) + \(b)") }
        let lasts = ["o": "o", "x/yy": "yy", "a/b/": "b", "/": "/", "é": "é", "./o": "o", "a//b": "b"]
        for (path, last) in lasts { #expect(OutputWriter.lastComponent(of: path) == last, "\(path)") }
    }
}
