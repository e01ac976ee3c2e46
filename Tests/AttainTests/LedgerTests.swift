// The ledger and the close workflow: posting is all or nothing (even when the process is killed), closed periods
// are locked, reopening needs a reason, every close records its inputs' hashes; and the plan lines that need history.
import Foundation
import GRDB
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

/// A scratch folder holding a copy of a golden case's plans and CSVs.
func scratchCopy(of goldenCase: String) throws -> String {
    let fm = FileManager.default
    let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-test-\(UUID().uuidString)")
    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let source = repositoryRoot + "/golden/" + goldenCase
    for name in try fm.contentsOfDirectory(atPath: source) where name.hasSuffix(".plan") || name.hasSuffix(".csv") {
        try fm.copyItem(atPath: source + "/" + name, toPath: dir + "/" + name)
    }
    return dir
}

/// A ledger at `path` with the tables an older version left (migrations up to `migration`), holding what that version
/// would have written: a close of 2026-Q1 (run 1, locking it) and of 2026-Q2 (run 2), voided by a reopen (run 3).
/// `more` adds that layout's rows.
func olderLedger(at path: String, upTo migration: String, _ more: (Database) throws -> Void = { _ in }) throws {
    var config = Configuration()
    config.foreignKeysEnabled = true
    let old = try DatabaseQueue(path: path, configuration: config)
    try Ledger.migrator.migrate(old, upTo: migration)
    try old.write { db in
        try db.execute(sql: """
            INSERT INTO runs (action, period, period_start, period_end, at, engine_version) VALUES ('close', '2026-Q1', '2026-01-01', '2026-03-31', 't1', '0.3.0');
            INSERT INTO runs (action, period, period_start, period_end, at, engine_version) VALUES ('close', '2026-Q2', '2026-04-01', '2026-06-30', 't2', '0.3.0');
            INSERT INTO runs (action, period, period_start, period_end, at, engine_version, reason) VALUES ('reopen', '2026-Q2', '2026-04-01', '2026-06-30', 't3', '0.3.0', 'fix');
            UPDATE runs SET voided_by = 3 WHERE id = 2;
            INSERT INTO locks (period, period_start, period_end, run_id) VALUES ('2026-Q1', '2026-01-01', '2026-03-31', 1);
            """)
        try more(db)
    }
    try old.close()
}

func planNames(_ dir: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".plan") }.sorted()
}

/// The `attain` executable built beside the test bundle.
func attainExecutable() -> String? {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("attain").path
    for candidate in [beside, repositoryRoot + "/.build/debug/attain"] where FileManager.default.isExecutableFile(atPath: candidate) {
        return candidate
    }
    return nil
}

@Suite struct LedgerTests {
    @Test func aCloseKilledWhilePostingLeavesTheLedgerAsItWas() throws {
        guard let exe = attainExecutable() else {
            Issue.record("the attain executable was not built beside the tests")
            return
        }
        let dir = try scratchCopy(of: "brief-09-draw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plans = try planNames(dir)
        func launch(_ period: String, pauseMarker: String?) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["close"] + plans + ["--data", ".", "--period", period, "--commit", "--out", "out"]
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            var env = ProcessInfo.processInfo.environment
            if let m = pauseMarker { env["ATTAIN_PAUSE_DURING_POST"] = m }
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let first = try launch("2026-01", pauseMarker: nil)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)

        // Kill the February close while its statements are inserted but the transaction is not committed.
        let marker = dir + "/posting"
        let second = try launch("2026-02", pauseMarker: marker)
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(FileManager.default.fileExists(atPath: marker), "the close never reached the posting step")
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()
        #expect(second.terminationReason == .uncaughtSignal)

        let ledger = try Ledger(path: dir + "/attain.db")
        let runs = try ledger.runs()
        #expect(runs.map(\.period) == ["2026-01"], "the killed close left a run behind")
        #expect(try ledger.lockingRun(try Period.parse("2026-02").get()) == nil)
        #expect(try ledger.history(before: try Period.parse("2026-03").get()).lines.allSatisfy { $0.period == "2026-01" })
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/2026-02"), "statements were written for a close that did not post")

        // The same close, run again, posts normally: February pays 4000.00 and recovers the 2000.00 balance.
        let third = try launch("2026-02", pauseMarker: nil)
        third.waitUntilExit()
        #expect(third.terminationStatus == 0)
        let after = try Ledger(path: dir + "/attain.db").runs()
        #expect(after.map(\.period) == ["2026-01", "2026-02"])
        #expect(after.last?.paid.first?.amount == "10000.00")
    }

    @Test func aCommitWhoseStatementsCannotBeWrittenPostsNothing() throws {
        let dir = try scratchCopy(of: "brief-09-draw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/afile", contents: Data()))
        let ran = try attain(["close"] + (try planNames(dir)) + ["--data", ".", "--period", "2026-01", "--commit", "--out", "afile/sub"], in: dir)
        #expect(ran.status == ExitCode.ioFailure)
        #expect(ran.stderr.hasSuffix("\nerror: cannot write into afile/sub: a file is in the way or permission is denied; nothing was posted\n"))
        if FileManager.default.fileExists(atPath: dir + "/attain.db") {
            let runs = try Ledger(path: dir + "/attain.db").runs()
            #expect(runs.isEmpty)
        }
    }

    @Test func aClosedPeriodIsLockedAndPeriodsCloseInOrder() throws {
        let dir = try scratchCopy(of: "brief-10-ytd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let plans = try planNames(dir)
        func close(_ p: String, commit: Bool) -> CommandOutcome {
            Commands.close(plans: plans, data: ".", period: p, set: [], ledgerPath: "attain.db", commit: commit, clock: "2026-07-01T00:00:00Z", reader: reader)
        }
        // Dry runs post nothing and are repeatable; the second shows no change since the first.
        let dry1 = close("2026-Q1", commit: false)
        let dry2 = close("2026-Q1", commit: false)
        #expect(dry1.exitCode == 0 && dry2.exitCode == 0)
        #expect(dry2.stdout.contains("3000.00  USD       same"))
        #expect(Commands.history(ledgerPath: "attain.db", inputs: false, reader: reader).stdout == "attain.db: no closes yet\n")

        #expect(close("2026-Q1", commit: true).exitCode == 0)
        // Periods close in order: Q3 cannot be posted while Q2 is open (a dry run is allowed, with a warning).
        let skipped = close("2026-Q3", commit: true)
        #expect(skipped.exitCode == ExitCode.refused)
        #expect(skipped.stderr == "error: 2026-Q2 is not closed yet, and periods close in order; close 2026-Q2 before 2026-Q3\n")
        #expect(close("2026-Q3", commit: false).stderr.hasPrefix("warning: 2026-Q2 is not closed yet"))
        // A closed period with the same inputs gets its outputs written again, posting nothing; with other inputs it is refused.
        let again = close("2026-Q1", commit: true)
        #expect(again.exitCode == 0)
        #expect(again.stdout == "2026-Q1 is already closed by run 1 with these same inputs; its outputs were written again\n")
        #expect(again.files.map(\.path).contains("2026-Q1/statements/A.json"))
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
        for name in ["roster.csv", "assignments.csv"] { try fm.copyItem(atPath: dir + "/" + name, toPath: dir + "/other/" + name) }
        let deals = try String(contentsOfFile: dir + "/deals.csv", encoding: .utf8)
        try deals.replacingOccurrences(of: "150000.00", with: "150001.00").write(toFile: dir + "/other/deals.csv", atomically: true, encoding: .utf8)
        let changed = Commands.close(plans: plans, data: "other", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(changed.exitCode == ExitCode.refused)
        #expect(changed.stderr.hasPrefix("error: 2026-Q1 is already closed (run 1) with other inputs: deals file other/deals.csv has changed (sha256 "))
        #expect(changed.files.isEmpty)
        #expect(close("2026-Q2", commit: true).exitCode == 0)
        let earlier = close("2026-Q1", commit: false)
        #expect(earlier.exitCode == 0)
        #expect(earlier.stdout == again.stdout)
        #expect(try Ledger(path: dir + "/attain.db").runs().count == 2, "writing a closed period's outputs again posted")

        // Reopening needs a reason, only the latest period can be reopened, and the reason is recorded.
        #expect(Commands.reopen(period: "2026-Q2", reason: "  ", ledgerPath: "attain.db", reader: reader).exitCode == ExitCode.usage)
        let tooEarly = Commands.reopen(period: "2026-Q1", reason: "fix", ledgerPath: "attain.db", reader: reader)
        #expect(tooEarly.exitCode == ExitCode.refused)
        #expect(tooEarly.stderr.contains("reopen 2026-Q2 first"))
        let reopened = Commands.reopen(period: "2026-Q2", reason: "late deal D2 corrected", ledgerPath: "attain.db", clock: "2026-07-02T00:00:00Z", reader: reader)
        #expect(reopened.exitCode == 0)
        #expect(close("2026-Q2", commit: true).exitCode == 0)
        let history = Commands.history(ledgerPath: "attain.db", inputs: false, reader: reader).stdout
        #expect(history.contains("voided by run 3"))
        #expect(history.contains("reopen  2026-Q2"))
        #expect(history.contains("reason: late deal D2 corrected"))
        // The re-close pays Q2 against Q1 only: the voided Q2 posting does not count as paid.
        let runs = try Ledger(path: dir + "/attain.db").runs()
        #expect(runs.map(\.action) == ["close", "close", "reopen", "close"])
        #expect(runs.last?.paid.first?.amount == "3500.00")
    }

    @Test func everyCloseRecordsItsInputsAndTheirHashes() throws {
        #expect(InputHash.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let dir = try scratchCopy(of: "brief-09-draw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let outcome = Commands.close(plans: try planNames(dir), data: ".", period: "2026-01", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(outcome.exitCode == 0)
        let run = try #require(try Ledger(path: dir + "/attain.db").runs().first)
        #expect(run.engineVersion == Engine.version)
        #expect(run.inputs.map(\.role) == ["plan", "plan", "deals", "roster", "assignments"])
        let deals = try #require(run.inputs.first { $0.role == "deals" })
        #expect(deals.sha256 == InputHash.sha256(try reader.bytes("deals.csv")))
        let listed = Commands.history(ledgerPath: "attain.db", inputs: true, reader: reader).stdout
        #expect(listed.contains("deals ./deals.csv sha256:\(deals.sha256)") || listed.contains("deals deals.csv sha256:\(deals.sha256)"))
    }

    @Test func runWithoutALedgerSaysWhatItCannotSettle() throws {
        let dir = try scratchCopy(of: "brief-10-ytd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = Commands.run(plans: try planNames(dir), data: ".", period: "2026-Q2", set: [], reader: InputReader(root: dir))
        #expect(o.exitCode == 0)
        #expect(o.stderr.contains("warning[R330]: plan \"AE-Annual-2026\" has year-to-date true-ups, which need the ledger"))
        // Year to date with nothing paid before: the whole 6500.00.
        #expect(o.stdout == "2026-Q2: 1 statement; paid 6500.00 USD\n")
    }

    @Test func aLedgerFromANewerVersionIsRefused() throws {
        let dir = try scratchCopy(of: "brief-09-draw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Ledger(path: dir + "/attain.db")
        let db = try DatabaseQueue(path: dir + "/attain.db")
        try db.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('99: from the future')") }
        #expect(throws: LedgerError.self) { _ = try Ledger(path: dir + "/attain.db") }
    }
}

@Suite struct SettlementTests {
    let drawPlan = """
        plan "D" version "1"
        currency USD
        period month
        rounding half-up to 0.01
        measure bookings = sum of deal.amount
        commission "C" on bookings
          rate 10%
        draw "Draw"
          amount 3000.00 USD per month
          recoverable
          from 2026-01-01 to 2026-02-28

        """

    func run(_ plan: String, deals: String, period: String, history: LedgerHistory) throws -> Attain.Statement {
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)],
                                 deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array("rep_id,plan,start_date,end_date,quota,target_incentive\nA,D,2026-01-01,2026-12-31,100000.00,10000.00\n".utf8)),
                                 period: period)
        switch Engine.run(request, history: history) {
        case .success(let r): return try #require(r.statements.first { $0.payeeID == "A" })
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nX,A,2026-03-05,15000.00,USD,W,new\nY,A,2026-02-05,10000.00,USD,W,new\n"

    @Test func aDrawIsProratedAndAfterItsDatesOnlyRecovers() throws {
        // March is after the draw's dates: earnings of 1500.00 recover as much of the 2000.00 balance as they can.
        let history = LedgerHistory(drawBalances: ["A": ["Draw": try ExactDecimal.parse("2000.00").get()]])
        let march = try run(drawPlan, deals: deals, period: "2026-03", history: history)
        let line = try #require(march.lines.last)
        #expect(line.kind == .draw)
        #expect(line.amount.text == "-1500.00")
        #expect(line.balanceAfter?.text == "500.00")
        #expect(march.paid.text == "0.00")
        // February, inside the dates: 1000.00 earned against 2000.00 owed; pay the draw, the balance grows by 2000.00.
        let feb = try run(drawPlan, deals: deals, period: "2026-02", history: history)
        #expect(feb.paid.text == "3000.00")
        #expect(feb.lines.last?.balanceAfter?.text == "4000.00")
    }

    @Test func aDrawForAPartMonthIsProratedByDays() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2026-01-17,\n"
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: drawPlan)],
                                 deals: InputFile(path: "deals.csv", bytes: Array("deal_id,rep_id,close_date,amount,currency,product,type\n".utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array("rep_id,plan,start_date,end_date,quota,target_incentive\nA,D,2026-01-01,2026-12-31,0,0\n".utf8)),
                                 period: "2026-01")
        let s = try #require(try Engine.run(request).get().statements.first)
        // 15 of January's 31 days: 3000.00 x 15/31 = 1451.6129… → 1451.61.
        #expect(s.paid.text == "1451.61")
    }

    @Test func aTrueUpOnlyCountsTheSamePlanAndYear() throws {
        let plan = """
            plan "Y" version "1"
            currency USD
            period quarter
            true-up year to date
            rounding half-up to 0.01
            measure bookings = sum of deal.amount
            commission "C" on bookings
              rate 10%

            """
        func line(_ period: String, _ plan: String, _ amount: String, kind: LineKind = .commission) -> LedgerHistory.PostedLine {
            LedgerHistory.PostedLine(period: period, payeeID: "A", plan: plan, kind: kind, component: "C", dealID: nil, refPeriod: nil,
                                     amount: try! ExactDecimal.parse(amount).get(), source: "p.plan:7")
        }
        let history = LedgerHistory(lines: [line("2025-Q4", "Y", "999.00"), line("2026-Q1", "Other", "50.00"), line("2026-Q1", "Y", "1000.00"),
                                            line("2026-Q1", "Y", "300.00", kind: .draw)], closedPeriods: ["2025-Q4", "2026-Q1"])
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nX,A,2026-02-05,10000.00,USD,W,new\nY,A,2026-05-05,5000.00,USD,W,new\n"
        let assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,Y,2026-01-01,2026-12-31,400000.00,0\n"
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: "2026-Q2")
        let s = try #require(try Engine.run(request, history: history).get().statements.first)
        // Year to date 15000.00 x 10% = 1500.00, less 1000.00 paid in 2026-Q1 under Y (not 2025, not plan Other, not the draw).
        #expect(s.earned.text == "1500.00")
        #expect(s.lines.filter { $0.kind == .trueUp }.map(\.amount.text) == ["-1000.00"])
        #expect(s.paid.text == "500.00")
        #expect(s.measuredOver == "2026-01-01 to 2026-06-30")
    }

    @Test func planLinesThatNeedHistoryAreChecked() {
        func codes(_ body: String, period: String = "quarter") -> [String] {
            let text = "plan \"P\" version \"1\"\ncurrency USD\nperiod \(period)\nrounding half-up to 0.01\n" + body
            return Checker.compile(SourceFile(path: "p.plan", text: text)).1.errors.map(\.code)
        }
        let paying = "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate 5%\n"
        #expect(codes(paying + "draw \"D\"\n  amount 100.00 USD per month\n") == ["E181"])
        #expect(codes(paying + "draw \"D\"\n  recoverable\n") == ["E180"])
        #expect(codes(paying + "draw \"D\"\n  amount 100.00 USD per week\n  recoverable\n") == ["E183"])
        #expect(codes(paying + "draw \"D\"\n  amount 5% per month\n  recoverable\n") == ["E161"])
        #expect(codes(paying + "draw \"D\"\n  amount 1.00 USD per month\n  recoverable\ndraw \"E\"\n  amount 1.00 USD per month\n  non-recoverable\n") == ["E184"])
        #expect(codes(paying + "draw \"D\" on m\n  amount 1.00 USD per month\n  recoverable\n") == ["E185"])
        #expect(codes(paying + "draw \"D\"\n  amount 1.00 USD per month\n  recoverable\n  rate 5%\n") == ["E132"])
        #expect(codes("clawback within 1.5 days\n" + paying) == ["E107"])
        #expect(codes("true-up year to date\n" + paying, period: "year") == ["E108"])
        #expect(codes("measure t = sum of deal.amount for some reports\ncommission \"C\" on t\n  rate 5%\n") == ["E148"])
        #expect(codes("clawback within 90 days\ntrue-up year to date\n" + paying + "draw \"D\"\n  amount 1.00 USD per period\n  non-recoverable\n").isEmpty)
    }

    @Test func twoAssignmentsThatOverlapEachOtherAreAnError() {
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,P,2026-01-01,2026-02-20,1000.00,0\nA,P,2026-02-15,2026-12-31,1000.00,0\n"
        let plan = header + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate 5%\n"
        guard case .failure(let d) = runEngine(plan: plan, deals: briefDeals, assignments: a) else {
            Issue.record("expected R303")
            return
        }
        #expect(d.errors.map(\.code) == ["R303"])
    }
}

@Suite struct TwoQuarterCloseTests {
    /// The README's walkthrough on the shipped sample: close Q1, correct a Q1 deal, close Q2.
    @Test func aCorrectedQ1DealIsAdjustedInQ2AndQ1StaysAsPosted() throws {
        let fm = FileManager.default
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-walk-\(UUID().uuidString)")
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        try fm.copyItem(atPath: repositoryRoot + "/plans", toPath: dir + "/plans")
        try fm.copyItem(atPath: repositoryRoot + "/sample", toPath: dir + "/sample")
        let reader = InputReader(root: dir)
        let q1 = Commands.close(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(q1.exitCode == 0)
        #expect(q1.stdout.contains("total paid: 394898.01 USD to 36 payees"))

        // D26-0113 (AE03, 2026-01-26) was booked 10,000.00 short.
        let deals = try reader.text("sample/deals.csv")
        let fixed = deals.replacingOccurrences(of: "D26-0113,AE03,2026-01-26,32104.85,", with: "D26-0113,AE03,2026-01-26,42104.85,")
        #expect(fixed != deals)
        try fixed.write(toFile: dir + "/sample/deals.csv", atomically: true, encoding: .utf8)

        let q2 = Commands.close(plans: ["plans"], data: "sample", period: "2026-Q2", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(q2.exitCode == 0)
        let ledger = try Ledger(path: dir + "/attain.db")
        let posted = try ledger.history(before: try Period.parse("2026-Q3").get()).lines
        func lines(_ payee: String, _ period: String) -> [LedgerHistory.PostedLine] { posted.filter { $0.payeeID == payee && $0.period == period } }
        // AE03's Q1 commission stays as posted (2034.16); Q2 carries the difference on marginal tiers: the 10,000.00
        // lands in the 0-50% band (+200.00 on D26-0113) and pushes D26-0335 into the 5% band (+300.00).
        #expect(ExactDecimal.total(lines("AE03", "2026-Q1").map(\.amount)).text(minimumScale: 2) == "2034.16")
        let adjustments = lines("AE03", "2026-Q2").filter { $0.refPeriod == "2026-Q1" }
        #expect(adjustments.map { "\($0.dealID ?? "") \($0.amount.text(minimumScale: 2))" } == ["D26-0113 200.00", "D26-0335 300.00"])
        // Managers above AE03 get their 0.5% override on the extra 10,000.00.
        for manager in ["MGR01", "MGR02"] {
            #expect(lines(manager, "2026-Q2").filter { $0.refPeriod == "2026-Q1" }.map { $0.amount.text(minimumScale: 2) } == ["50.00"])
        }
    }
}
