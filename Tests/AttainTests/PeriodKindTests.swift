// Several period kinds in one ledger: monthly and quarterly plans of one company close in one ledger, each kind in
// order on its own, with its own history and locks; a run of one kind leaves the other kind's payees to their close.
import Foundation
import GRDB
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct PeriodKindTests {
    /// golden/periods-two-kinds in a scratch folder (monthly M and N, quarterly Q and R), and a close of it.
    func company() throws -> (dir: String, reader: InputReader) {
        let dir = try scratchCopy(of: "periods-two-kinds")
        return (dir, InputReader(root: dir))
    }

    func close(_ r: InputReader, _ period: String, commit: Bool = true, step: Int = 1) -> CommandOutcome {
        Commands.close(plans: ["monthly.plan", "quarterly.plan"], data: ".", period: period, set: [], ledgerPath: "l.db", commit: commit,
                       formats: [.json, .payroll], clock: "2026-05-0\(step)T09:00:00Z", reader: r)
    }

    func run(_ dir: String, _ period: String, assignments: String? = nil) throws -> Result<RunResult, Diagnostics> {
        func file(_ name: String) throws -> InputFile { InputFile(path: name, bytes: Array(try String(contentsOfFile: dir + "/" + name, encoding: .utf8).utf8)) }
        let plans = try ["monthly.plan", "quarterly.plan"].map { SourceFile(path: $0, text: try String(contentsOfFile: dir + "/" + $0, encoding: .utf8)) }
        var given = try file("assignments.csv")
        if let assignments { given = InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)) }
        return Engine.run(RunRequest(plans: plans, deals: try file("deals.csv"), roster: try file("roster.csv"), assignments: given, period: period))
    }

    @Test func theLedgerReadsEachLabelsKindFromItsShape() throws {
        let fiscal = PeriodCalendar(fiscalStartMonth: 4)
        let biweekly = PeriodCalendar(biweeklyAnchor: CivilDate(year: 2026, month: 1, day: 5)!)
        let day = CivilDate(year: 2026, month: 11, day: 20)!
        for kind in PeriodKind.allCases {
            for calendar in [PeriodCalendar.gregorian, fiscal, biweekly] {
                let label = Period.containing(day, kind: kind, in: calendar).label
                #expect(try Ledger.storedKind(ofLabel: label) == kind.rawValue, "\(label)")
            }
        }
        #expect(try Ledger.storedKind(ofLabel: "2026-11") == "month")
        #expect(try Ledger.storedKind(ofLabel: "FY2027-Q3") == "quarter")
        #expect(try Ledger.storedKind(ofLabel: "2026-11-S2") == "semi-monthly")
        #expect(try Ledger.storedKind(ofLabel: "2026-B03") == "biweekly")
        #expect(try Ledger.storedKind(ofLabel: "FY2027") == "year")
    }

    @Test func eachKindClosesInOrderOnItsOwn() throws {
        let (dir, r) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(close(r, "2026-01").exitCode == 0)
        // 2026-03 needs 2026-02, whatever the quarters hold.
        let early = close(r, "2026-03")
        #expect(early.exitCode == ExitCode.refused)
        #expect(early.stderr == "error: 2026-02 is not closed yet, and periods close in order; close 2026-02 before 2026-03\n")
        #expect(close(r, "2026-02").exitCode == 0)
        // The first quarter closes although 2026-02 ends after it starts: months are not quarters.
        let quarter = close(r, "2026-Q1")
        #expect(quarter.exitCode == 0)
        #expect(quarter.stdout.hasPrefix("2026-Q1 closed: run 3 posted 2 statements to l.db and locked 2026-Q1\n"))
        #expect(quarter.stderr.hasSuffix("note: 2 payees on monthly plans are not in this quarterly close; they close with 2026-01 to 2026-03\n"))
        // 2026-Q3 needs 2026-Q2; 2026-04 needs 2026-03, not 2026-Q2.
        let q3 = close(r, "2026-Q3")
        #expect(q3.exitCode == ExitCode.refused)
        #expect(q3.stderr == "error: 2026-Q2 is not closed yet, and periods close in order; close 2026-Q2 before 2026-Q3\n")
        let april = close(r, "2026-04")
        #expect(april.exitCode == ExitCode.refused)
        #expect(april.stderr == "error: 2026-03 is not closed yet, and periods close in order; close 2026-03 before 2026-04\n")
        #expect(close(r, "2026-03").exitCode == 0)
        // The ledger's own refusal (a posting that skips the command's checks) is per kind too.
        let ledger = try Ledger(path: dir + "/l.db")
        let may = Period.containing(CivilDate(year: 2026, month: 5, day: 1)!, kind: .month)
        #expect(throws: LedgerError.self) { try ledger.post(period: may, inputs: [], at: "t", engineVersion: "x") { _ in } }
        #expect(try ledger.missing(before: may) == "2026-04")
        let q2 = Period.containing(CivilDate(year: 2026, month: 5, day: 1)!, kind: .quarter)
        #expect(try ledger.missing(before: q2) == nil)
        #expect(try ledger.locksAfter(Period.containing(CivilDate(year: 2026, month: 2, day: 1)!, kind: .month)) == ["2026-03"])
        #expect(try ledger.locksAfter(Period.containing(CivilDate(year: 2026, month: 1, day: 1)!, kind: .quarter)).isEmpty)
    }

    @Test func aLaterQuarterClosedFirstRefusesTheEarlierOneButNoMonth() throws {
        let (dir, r) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The first close of a kind may be any period of it, as the ledger's first close may.
        #expect(close(r, "2026-Q2").exitCode == 0)
        let q1 = close(r, "2026-Q1")
        #expect(q1.exitCode == ExitCode.refused)
        #expect(q1.stderr == "error: 2026-Q2 is already closed, and periods close in order; 2026-Q1 cannot be closed after it\n")
        #expect(close(r, "2026-01").exitCode == 0)
    }

    @Test func reopenAsksForTheLaterPeriodOfTheSameKindOnly() throws {
        let (dir, r) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (n, p) in ["2026-01", "2026-02", "2026-Q1"].enumerated() { #expect(close(r, p, step: n + 1).exitCode == 0) }
        let january = Commands.reopen(period: "2026-01", reason: "fix", ledgerPath: "l.db", clock: "t", reader: r)
        #expect(january.exitCode == ExitCode.refused)
        #expect(january.stderr == "error: 2026-02 is closed after 2026-01; reopen 2026-02 first\n")
        // 2026-Q1 ends after 2026-02, but it is a quarter: 2026-02 reopens, and so does 2026-Q1 with 2026-01 still closed.
        #expect(Commands.reopen(period: "2026-02", reason: "fix", ledgerPath: "l.db", clock: "t", reader: r).exitCode == 0)
        #expect(Commands.reopen(period: "2026-Q1", reason: "fix", ledgerPath: "l.db", clock: "t", reader: r).exitCode == 0)
        #expect(try Ledger(path: dir + "/l.db").locksByKind().map { "\($0.kind): \($0.periods)" } == ["month: [\"2026-01\"]"])
    }

    @Test func aRunLeavesTheOtherKindsPayeesToTheirCloseAndSaysWhereTheirDealsWent() throws {
        let (dir, _) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let january = try run(dir, "2026-01").get()
        #expect(january.statements.map(\.payeeID) == ["M", "N"])
        #expect(january.statements.map(\.paid.text) == ["1000.00", "0.00"])
        #expect(january.leftToOtherKinds == [LeftToOtherKind(kind: .quarter, payees: 2, periods: ["2026-Q1"])])
        #expect(january.leftToOtherKinds[0].message(in: january.period, what: "close") == "2 payees on quarterly plans are not in this monthly close; they close with 2026-Q1")
        let usd = try #require(january.reconciliation?.currencies.first)
        #expect(usd.notCounted[.otherPeriodKind] == Reconciliation.Figure(deals: 1, amount: ExactDecimal(coefficient: 20000, scale: 0)))
        #expect(usd.counted == Reconciliation.Figure(deals: 1, amount: ExactDecimal(coefficient: 10000, scale: 0)))
        #expect(!january.warnings.items.contains { $0.code == "R310" })
        // The quarter: every monthly payee's row (a cancelled one too) is the months'.
        let quarter = try run(dir, "2026-Q1").get()
        #expect(quarter.statements.map { "\($0.payeeID) \($0.paid.text)" } == ["Q 1500.00", "R 1500.00"])
        let q = try #require(quarter.reconciliation?.currencies.first)
        #expect(q.notCounted[.otherPeriodKind] == Reconciliation.Figure(deals: 5, amount: ExactDecimal(coefficient: 39000, scale: 0)))
        #expect(q.counted.deals == 3)
        #expect(quarter.leftToOtherKinds == [LeftToOtherKind(kind: .month, payees: 2, periods: ["2026-01", "2026-02", "2026-03"])])
        let table = try #require(quarter.reconciliation).text(locale: .english)
        #expect(table.contains("not counted: closed with another period kind"))
    }

    @Test func aRunOfAKindNoPlanPaysByIsStillAnError() throws {
        let (dir, _) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard case .failure(let d) = try run(dir, "2026-H1") else { Issue.record("a half-year run of monthly and quarterly plans succeeded"); return }
        #expect(d.items.filter { $0.code == "R304" }.map(\.message) == [
            "plan \"AE-Monthly\" pays by month, but the run is for half 2026-H1",
            "plan \"AE-Quarterly\" pays by quarter, but the run is for half 2026-H1",
        ])
    }

    @Test func aRepOnPlansOfTwoKindsInThePeriodIsAnError() throws {
        let (dir, _) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let moved = """
            rep_id,plan,start_date,end_date,quota,target_incentive
            M,AE-Monthly,2026-01-01,2026-02-28,10000.00,1000.00
            M,AE-Quarterly,2026-03-01,2026-12-31,30000.00,3000.00
            N,AE-Monthly,2026-01-01,2026-12-31,10000.00,1000.00
            Q,AE-Quarterly,2026-01-01,2026-12-31,30000.00,3000.00
            R,AE-Quarterly,2026-01-01,2026-12-31,30000.00,3000.00

            """
        guard case .failure(let d) = try run(dir, "2026-Q1", assignments: moved) else { Issue.record("a rep on two kinds closed"); return }
        let error = try #require(d.items.first { $0.code == "R400" })
        #expect(error.message == "rep `M` is on plans of two period kinds in 2026-Q1: \"AE-Monthly\" pays by month, \"AE-Quarterly\" by quarter; a payee closes with one kind of period")
        #expect(error.span?.line == 3)
        // Each month alone is one kind: February is the months', March the quarter's.
        #expect(try run(dir, "2026-02", assignments: moved).get().statements.map(\.payeeID) == ["M", "N"])
        #expect(try run(dir, "2026-03", assignments: moved).get().statements.map(\.payeeID) == ["N"])
    }

    @Test func aMonthlyClawbackAfterAQuarterlyCloseReadsTheMonthsOnly() throws {
        let (dir, r) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (n, p) in ["2026-01", "2026-02", "2026-03", "2026-Q1"].enumerated() { #expect(close(r, p, step: n + 1).exitCode == 0) }
        // D9 (M, 2026-03-25, paid 1,200.00 in March) is cancelled in April; Q1 (Q and R) is closed before April starts.
        let deals = dir + "/deals.csv"
        let text = try String(contentsOfFile: deals, encoding: .utf8)
        try text.replacingOccurrences(of: "D9,M,2026-03-25,12000.00,USD,Widget,new,won,", with: "D9,M,2026-03-25,12000.00,USD,Widget,new,cancelled,2026-04-10")
            .write(toFile: deals, atomically: true, encoding: .utf8)
        let history = try Ledger(path: dir + "/l.db").history(before: Period.containing(CivilDate(year: 2026, month: 4, day: 1)!, kind: .month))
        #expect(history.closedPeriods == ["2026-01", "2026-02", "2026-03"])
        #expect(Set(history.lines.map(\.payeeID)) == ["M", "N"])
        let april = close(r, "2026-04", step: 5)
        #expect(april.exitCode == 0)
        #expect(april.stdout.hasPrefix("2026-04 closed: run 5 posted 2 statements to l.db and locked 2026-04\n"))
        let m = try #require(april.files.first { $0.path == "2026-04/statements/M.json" }?.text)
        #expect(m.contains("\"amount\": \"-1200.00\""))
        #expect(m.contains("\"paid\": \"-1200.00\""))
        #expect(!april.files.contains { $0.path.hasPrefix("2026-04/statements/Q") || $0.path.hasPrefix("2026-04/statements/R") })
        let payroll = try #require(april.files.first { $0.path == "2026-04/payroll.csv" }?.text)
        #expect(payroll == "payee_id,payee_name,period,earning_code,amount,currency\nM,Mia Monat,2026-04,CLAW,-1200.00,USD\n")
    }

    @Test func aLedgerWrittenBeforePeriodKindsGetsThemFromItsLabels() throws {
        let dir = NSTemporaryDirectory() + "attain-kinds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try olderLedger(at: dir + "/attain.db", upTo: "4: approvals") { db in
            try db.execute(sql: """
                INSERT INTO runs (action, period, period_start, period_end, at, engine_version) VALUES ('close', '2026-04', '2026-04-01', '2026-04-30', 't4', '0.3.0');
                INSERT INTO locks (period, period_start, period_end, run_id) VALUES ('2026-04', '2026-04-01', '2026-04-30', 4);
                """)
        }
        let ledger = try Ledger(path: dir + "/attain.db")
        #expect(try ledger.runs().map(\.kind) == ["quarter", "quarter", "quarter", "month"])
        #expect(try ledger.locksByKind().map { "\($0.kind): \($0.periods)" } == ["month: [\"2026-04\"]", "quarter: [\"2026-Q1\"]"])
        // 2026-Q2 (voided) follows 2026-Q1 whatever the months hold; 2026-05 follows 2026-04.
        let q2 = Period.containing(CivilDate(year: 2026, month: 4, day: 1)!, kind: .quarter)
        #expect(try ledger.missing(before: q2) == nil)
        #expect(try ledger.locksAfter(q2).isEmpty)
        #expect(try ledger.missing(before: Period.containing(CivilDate(year: 2026, month: 6, day: 1)!, kind: .month)) == "2026-05")
        let table = Commands.history(ledgerPath: "attain.db", inputs: false, reader: InputReader(root: dir)).stdout
        #expect(table.hasSuffix("\nlocked (month): 2026-04\nlocked (quarter): 2026-Q1\n"))
    }

    @Test func historyShowsTheKindAndFiltersByIt() throws {
        let (dir, r) = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (n, p) in ["2026-01", "2026-Q1"].enumerated() { #expect(close(r, p, step: n + 1).exitCode == 0) }
        let all = Commands.history(ledgerPath: "l.db", inputs: false, reader: r).stdout
        #expect(all == """
            run  at                    action  period   kind     payees         paid  engine  note
              1  2026-05-01T09:00:00Z  close   2026-01  month         2  1000.00 USD  \(Engine.version)
              2  2026-05-02T09:00:00Z  close   2026-Q1  quarter       2  3000.00 USD  \(Engine.version)

            locked (month): 2026-01
            locked (quarter): 2026-Q1

            """)
        let months = Commands.history(ledgerPath: "l.db", inputs: false, reader: r, kind: .month).stdout
        #expect(months.contains("2026-01") && !months.contains("2026-Q1"))
        #expect(months.hasSuffix("\nlocked (month): 2026-01\n"))
        #expect(Commands.history(ledgerPath: "l.db", inputs: false, reader: r, kind: .half).stdout == "l.db: no closes of half periods yet\n")
        let zh = Commands.history(ledgerPath: "l.db", inputs: false, reader: r, locale: .simplifiedChinese).stdout
        #expect(zh.contains("已锁定（季度）：2026-Q1"))
    }
}
