// Disputes and manual adjustments: recording a query against a posted line, adjustments.csv read with positions,
// a row posted once, and a dispute resolved only by a posting that commits.
import Foundation
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool
@testable import AttainXML

@Suite struct DisputeTests {
    static let plan = """
        plan "AE-2026" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01

        measure bookings = sum of deal.amount

        commission "Commission" on bookings
          rate 10%

        """
    static let roster = "rep_id,name,manager_id,hire_date,end_date\nR1,Rep One,,2025-01-01,\nR2,Rep Two,,2025-01-01,\nR3,Rep Three,,2025-01-01,\n"
    // R3 has no assignment: no statement.
    static let assignments = """
        rep_id,plan,start_date,end_date,quota,target_incentive
        R1,AE-2026,2026-01-01,2026-12-31,100000.00,10000.00
        R2,AE-2026,2026-01-01,2026-12-31,100000.00,10000.00

        """
    static let deals = """
        deal_id,rep_id,close_date,amount,currency,product,type,split
        D1,R1,2026-01-10,30000.00,USD,Widget,new,100%
        D4,R1,2026-01-20,10000.00,USD,Widget,new,100%
        D2,R1,2026-02-03,40000.00,USD,Widget,new,50%
        D2,R2,2026-02-03,40000.00,USD,Widget,new,50%
        D3,R2,2026-03-01,25000.00,USD,Widget,new,100%
        D5,R1,2026-04-15,10000.00,USD,Widget,new,100%
        D6,R2,2026-05-10,20000.00,USD,Widget,new,100%

        """

    /// A scratch company folder `data` with the plan and CSVs above.
    func scratch() throws -> (dir: String, reader: InputReader) {
        let dir = NSTemporaryDirectory() + "attain-disputes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        for (name, text) in [("rep.plan", Self.plan), ("roster.csv", Self.roster), ("assignments.csv", Self.assignments), ("deals.csv", Self.deals)] {
            try text.write(toFile: dir + "/data/" + name, atomically: true, encoding: .utf8)
        }
        return (dir, InputReader(root: dir))
    }

    func adjustments(_ text: String, _ dir: String) throws {
        try text.write(toFile: dir + "/data/adjustments.csv", atomically: true, encoding: .utf8)
    }

    func close(_ r: InputReader, _ period: String, commit: Bool = true, at: String) -> CommandOutcome {
        Commands.close(plans: ["data/rep.plan"], data: "data", period: period, set: [], ledgerPath: "l.db", commit: commit, formats: [.json],
                       clock: at, reader: r)
    }

    func json(_ o: CommandOutcome, _ path: String) -> String { o.files.first { $0.path == path }?.text ?? "" }

    @Test func aDisputeNeedsAClosedPeriodAPostedStatementAndALineOnIt() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let noLedger = Commands.dispute(period: "2026-Q1", payee: "R1", line: 1, text: "why?", by: nil, ledgerPath: "l.db", clock: "t", reader: r)
        #expect(noLedger.exitCode == ExitCode.ioFailure)
        #expect(close(r, "2026-Q1", at: "2026-04-01T09:00:00Z").exitCode == 0)
        func dispute(_ period: String, _ payee: String, _ line: Int, _ text: String = "why?") -> CommandOutcome {
            Commands.dispute(period: period, payee: payee, line: line, text: text, by: "Rep One", ledgerPath: "l.db", clock: "2026-04-02T10:00:00Z", reader: r)
        }
        let open = dispute("2026-Q2", "R1", 1)
        #expect(open.exitCode == ExitCode.refused)
        #expect(open.stderr == "error: 2026-Q2 is not closed; a dispute is about a line of a posted statement (see `attain history`)\n")
        let beyond = dispute("2026-Q1", "R1", 4)
        #expect(beyond.exitCode == ExitCode.refused)
        #expect(beyond.stderr == "error: the statement of `R1` for 2026-Q1 has 3 lines; there is no line 4\n")
        let stranger = dispute("2026-Q1", "R9", 1)
        #expect(stranger.exitCode == ExitCode.refused)
        #expect(stranger.stderr == "error: payee `R9` has no posted statement for 2026-Q1 (run 1)\n")
        #expect(dispute("2026-Q1", "R1", 0).exitCode == ExitCode.usage)
        #expect(dispute("2026-Q1", "R1", 1, "  ").exitCode == ExitCode.usage)
        let control = dispute("2026-Q1", "R1", 1, "bell \u{7}")
        #expect(control.exitCode == ExitCode.usage)
        #expect(control.stderr == "error: --text or --by: U+0007 is not allowed: statements show this text, and XML cannot carry a control character\n")
        let ok = dispute("2026-Q1", "R1", 3, "Deal D2 should be 60/40")
        #expect(ok.exitCode == 0)
        #expect(ok.stdout == "dispute 1 recorded: 2026-Q1, payee R1, line 3\n")
        // The line is copied as it was posted: the third line is D2 at a 50% share, 2,000.00.
        let ledger = try Ledger(path: dir + "/l.db")
        let listed = try ledger.disputes(all: false)
        #expect(listed.count == 1)
        #expect(listed[0].dispute.lineSummary == "commission Commission, deal D2, 2000.00")
        #expect(listed[0].dispute.by == "Rep One")
        let table = Commands.disputes(all: false, period: nil, payee: nil, ledgerPath: "l.db", reader: r).stdout
        #expect(table == """
            dispute  period   payee  line  what the line is                         query                    by       at                    status
                  1  2026-Q1  R1        3  commission Commission, Deal D2, 2000.00  Deal D2 should be 60/40  Rep One  2026-04-02T10:00:00Z  open

            """)
        // A written answer resolves it once.
        let answered = Commands.resolve(dispute: 1, answer: "It is 50/50 on the order form", by: "Fin", ledgerPath: "l.db", clock: "2026-04-03T10:00:00Z", reader: r)
        #expect(answered.exitCode == 0)
        let again = Commands.resolve(dispute: 1, answer: "again", by: nil, ledgerPath: "l.db", clock: "2026-04-03T11:00:00Z", reader: r)
        #expect(again.exitCode == ExitCode.refused)
        #expect(again.stderr == "error: dispute 1 is not open: it was answered\n")
        #expect(Commands.resolve(dispute: 7, answer: "x", by: nil, ledgerPath: "l.db", reader: r).stderr == "error: there is no dispute 7 (see `attain disputes --all`)\n")
        #expect(Commands.disputes(all: false, period: nil, payee: nil, ledgerPath: "l.db", reader: r).stdout == "no open disputes\n")
    }

    @Test func adjustmentsCSVErrorsNameFileLineAndColumn() {
        let text = """
            adjustment_id,payee_id,amount,currency,reason,dispute
            A1,R1,12.345,USD,too many places,
            A2,R1,10.00,XYZ,unknown currency,
            A3,R1,10.00,USD,,
            A1,R2,5.00,USD,the id again,
            A5,R1,abc,USD,not a number,
            A6,R1,5.00,USD,bad dispute,x1
            A7,R1,0.00,USD,zero,

            """
        guard case .failure(let d) = ManualAdjustments.parse(InputFile(path: "data/adjustments.csv", bytes: Array(text.utf8))) else {
            Issue.record("expected errors")
            return
        }
        let found = d.items.map { "\($0.code) \($0.span!.line):\($0.span!.column)" }
        #expect(found == ["D333 2:7", "D332 3:13", "D334 4:17", "D337 5:1", "D333 6:7", "D336 7:28", "D333 8:7"])
        #expect(d.items[2].message == "`reason` is empty; every manual adjustment says why it is made (the rep reads it on the statement)")
        #expect(d.items[3].message == "adjustment `A1` appears twice; each row has its own id")
        // A good file: component defaults, the dispute is read, the trace names the row.
        let good = "adjustment_id,payee_id,amount,currency,reason,dispute,component\nA1,R1,400.00,USD,split fixed,1,\nA2,R2,-400.00,USD,split fixed,,Commission\n"
        guard case .success(let rows) = ManualAdjustments.parse(InputFile(path: "adjustments.csv", bytes: Array(good.utf8))) else {
            Issue.record("expected rows")
            return
        }
        #expect(rows.map(\.component) == ["manual adjustment", "Commission"])
        #expect(rows.map(\.dispute) == [1, nil])
        #expect(rows.map(\.amount.text) == ["400.00", "-400.00"])
        #expect(rows.map(\.source) == ["adjustments.csv:2", "adjustments.csv:3"])
    }

    @Test func aCloseRefusesRowsItCannotPost() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(close(r, "2026-Q1", at: "2026-04-01T09:00:00Z").exitCode == 0)
        _ = Commands.dispute(period: "2026-Q1", payee: "R1", line: 3, text: "split", by: nil, ledgerPath: "l.db", clock: "2026-04-02T10:00:00Z", reader: r)
        _ = Commands.dispute(period: "2026-Q1", payee: "R2", line: 1, text: "split", by: nil, ledgerPath: "l.db", clock: "2026-04-02T10:00:00Z", reader: r)
        _ = Commands.resolve(dispute: 2, answer: "50/50 it is", by: nil, ledgerPath: "l.db", clock: "2026-04-03T10:00:00Z", reader: r)
        try adjustments("""
            adjustment_id,payee_id,amount,currency,reason,dispute
            A1,R9,10.00,USD,no such payee,
            A2,R1,10.00,EUR,wrong currency,
            A3,R1,10.00,USD,no such dispute,5
            A4,R2,10.00,USD,another payee's dispute,1
            A5,R2,10.00,USD,answered already,2
            A6,R3,10.00,USD,no statement,

            """, dir)
        let o = close(r, "2026-Q2", at: "2026-07-01T09:00:00Z")
        #expect(o.exitCode == ExitCode.invalidInput)
        #expect(o.stderr.contains("data/adjustments.csv:2:4: error[D338]: payee `R9` is not in roster.csv"))
        #expect(o.stderr.contains("data/adjustments.csv:4:33: error[D339]: there is no dispute 5 in the ledger"))
        #expect(o.stderr.contains("data/adjustments.csv:5:41: error[D341]: dispute 1 is payee `R1`'s, not `R2`'s"))
        #expect(o.stderr.contains("data/adjustments.csv:6:34: error[D340]: dispute 2 is not open: it was answered before this close"))
        #expect(o.stderr.hasSuffix("; nothing was posted or written\n"))
        // Unknown payees and disputes stop the close before any statement; currency and statement-less payees after.
        try adjustments("adjustment_id,payee_id,amount,currency,reason\nA2,R1,10.00,EUR,wrong currency\nA6,R3,10.00,USD,no statement\n", dir)
        let later = close(r, "2026-Q2", at: "2026-07-01T09:00:00Z")
        #expect(later.exitCode == ExitCode.invalidInput)
        #expect(later.stderr.contains("data/adjustments.csv:2:13: error[D342]: payee `R1` is paid in USD in 2026-Q2, not EUR"))
        #expect(later.stderr.contains("data/adjustments.csv:3:4: error[D343]: payee `R3` has no statement in 2026-Q2"))
        // Nothing was posted: 2026-Q2 is still open, dispute 1 too.
        let ledger = try Ledger(path: dir + "/l.db")
        #expect(try ledger.lockingRun(Period.parse("2026-Q2").get()) == nil)
        #expect(try ledger.disputes(all: false).map(\.dispute.id) == [1])
    }

    @Test func aRowIsPostedOnceAndResolvesItsDispute() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(close(r, "2026-Q1", at: "2026-04-01T09:00:00Z").exitCode == 0)
        _ = Commands.dispute(period: "2026-Q1", payee: "R1", line: 3, text: "Deal D2 should be 60/40", by: nil, ledgerPath: "l.db",
                             clock: "2026-04-02T10:00:00Z", reader: r)
        try adjustments("adjustment_id,payee_id,amount,currency,reason,dispute\nA1,R1,400.00,USD,D2 split corrected to 60/40,1\n", dir)
        // A dry run shows the line and the query resolved by it; nothing is resolved in the ledger.
        let dry = close(r, "2026-Q2", commit: false, at: "2026-07-01T08:00:00Z")
        #expect(dry.exitCode == 0)
        #expect(json(dry, "2026-Q2/statements/R1.json").contains("\"dispute\": 1"))
        let ledger = try Ledger(path: dir + "/l.db")
        #expect(try ledger.disputes(all: false).count == 1)
        let q2 = close(r, "2026-Q2", at: "2026-07-01T09:00:00Z")
        #expect(q2.exitCode == 0)
        let doc = json(q2, "2026-Q2/statements/R1.json")
        #expect(doc.contains("\"paid\": \"1400.00\""))
        #expect(doc.contains("\"adjustment_line\": 2"))
        #expect(doc.contains("\"status\": \"resolved\""))
        let all = try ledger.disputes(all: true)
        #expect(all.map(\.state) == ["adjusted"])
        #expect(all[0].adjustmentID == "A1")
        #expect(all[0].adjustmentPeriod == "2026-Q2")
        #expect(all[0].adjustmentLine == 2)
        // Q3 reads the same file: A1 was posted by Q2, so it is said once and not posted again; Q2 recomputed keeps it.
        let q3 = close(r, "2026-Q3", at: "2026-10-01T09:00:00Z")
        #expect(q3.exitCode == 0)
        #expect(q3.stderr.hasPrefix("note: 1 row of data/adjustments.csv was posted by an earlier close and is not posted again: `A1` (2026-Q2)\n"))
        let r1 = json(q3, "2026-Q3/statements/R1.json")
        #expect(r1.contains("\"paid\": \"0.00\""))
        #expect(!r1.contains("queries"))
        #expect(!r1.contains("\"kind\": \"adjustment\""))
        // Q2 closed again with the same inputs: the same statements as posted, its queries as they stood then.
        let again = close(r, "2026-Q2", at: "2026-10-02T09:00:00Z")
        #expect(again.exitCode == 0)
        #expect(again.stdout.hasPrefix("2026-Q2 is already closed by run 2 with these same inputs"))
        #expect(json(again, "2026-Q2/statements/R1.json") == doc)
    }

    @Test func theEngineAddsRowsAndQueriesAsValues() throws {
        // No files, no ledger: the rows and the ledger's disputes come in on the history.
        let rows = "adjustment_id,payee_id,amount,currency,reason,dispute\nA1,R1,400.00,USD,\"split <60/40> & \"\"signed\"\"\",1\n"
        guard case .success(let parsed) = ManualAdjustments.parse(InputFile(path: "adjustments.csv", bytes: Array(rows.utf8))) else {
            Issue.record("expected rows")
            return
        }
        func dispute(_ id: Int, _ payee: String, _ status: Dispute.Status) -> Dispute {
            var d = Dispute(id: id, period: "2026-Q1", payeeID: payee, line: 3, lineKind: "commission", lineComponent: "Commission", lineDealID: "D2",
                            lineAmount: "2000.00", text: "D2 should be 60/40 — \"why\"? <5%> & more\tand\na new line", by: "Rep One", at: "2026-04-02T10:00:00Z", status: status)
            if status == .answered {
                d.answer = "It is \"50/50\" <on> the form"
                d.resolvedBy = "Fin"
                d.resolvedAt = "2026-04-03T10:00:00Z"
            }
            return d
        }
        var history = LedgerHistory()
        history.manual = ManualInputs(adjustments: parsed, disputes: [dispute(1, "R1", .open), dispute(2, "R2", .answered), dispute(3, "R2", .settled)])
        let request = RunRequest(plans: [SourceFile(path: "rep.plan", text: Self.plan)], deals: InputFile(path: "deals.csv", bytes: Array(Self.deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(Self.roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(Self.assignments.utf8)), period: "2026-Q2")
        guard case .success(let result) = Engine.run(request, history: history) else {
            Issue.record("expected statements")
            return
        }
        let (r1, r2) = (result.statements[0], result.statements[1])
        #expect(r1.amounts == ["1000.00", "400.00"])
        #expect(r1.lines[1].kind == .adjustment && r1.lines[1].dispute == 1 && r1.lines[1].component == "manual adjustment")
        #expect(r1.paid.text == "1400.00")
        #expect(r1.queries.map(\.status) == [.resolved])
        #expect(r1.queries[0].adjustmentLine == 2)
        #expect(r2.queries.map(\.id) == [2])
        #expect(r2.queries[0].answer == "It is \"50/50\" <on> the form")
        #expect(r2.paid.text == "2000.00")
        // Both XML writers agree on queries and the dispute attribute, and the result validates against the XSD.
        for s in [r1, r2] {
            #expect(StatementXML.render(s) == (try StatementXML.renderThroughLibXML(s)))
            #expect(schemaValidator.validate(xml: StatementXML.render(s), path: s.payeeID + ".xml") == [])
        }
        #expect(StatementJSON.text(r2).contains("\"answered_by\": \"Fin\""))
    }

    @Test func aReopenedCloseGivesBackItsAdjustmentsAndReopensTheirDisputes() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(close(r, "2026-Q1", at: "2026-04-01T09:00:00Z").exitCode == 0)
        _ = Commands.dispute(period: "2026-Q1", payee: "R1", line: 3, text: "split", by: nil, ledgerPath: "l.db", clock: "2026-04-02T10:00:00Z", reader: r)
        try adjustments("adjustment_id,payee_id,amount,currency,reason,dispute\nA1,R1,400.00,USD,D2 split corrected to 60/40,1\n", dir)
        #expect(close(r, "2026-Q2", at: "2026-07-01T09:00:00Z").exitCode == 0)
        #expect(Commands.reopen(period: "2026-Q2", reason: "payroll file lost", ledgerPath: "l.db", clock: "2026-07-02T09:00:00Z", reader: r).exitCode == 0)
        // The voided posting no longer resolves the dispute, and the row is posted again by the next close of Q2.
        let ledger = try Ledger(path: dir + "/l.db")
        #expect(try ledger.disputes(all: false).map(\.dispute.id) == [1])
        let again = close(r, "2026-Q2", at: "2026-07-03T09:00:00Z")
        #expect(again.exitCode == 0)
        #expect(!again.stderr.contains("not posted again"))
        #expect(json(again, "2026-Q2/statements/R1.json").contains("\"paid\": \"1400.00\""))
        let all = try ledger.disputes(all: true)
        #expect(all.map(\.state) == ["adjusted"])
        #expect(all[0].adjustmentPeriod == "2026-Q2")
    }

    @Test func aFailedPostingLeavesTheDisputeOpen() throws {
        let (dir, r) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(close(r, "2026-Q1", at: "2026-04-01T09:00:00Z").exitCode == 0)
        _ = Commands.dispute(period: "2026-Q1", payee: "R1", line: 3, text: "split", by: nil, ledgerPath: "l.db", clock: "2026-04-02T10:00:00Z", reader: r)
        let ledger = try Ledger(path: dir + "/l.db")
        struct Stop: Error {}
        let q2 = try Period.parse("2026-Q2").get()
        #expect(throws: Stop.self) {
            try ledger.post(period: q2, inputs: [], at: "2026-07-01T09:00:00Z", engineVersion: "test") { posting in
                try posting.postManual([PostedManualLine(adjustmentID: "A1", payeeID: "R1", seq: 1, amount: Money(ExactDecimal(coefficient: 40000, scale: 2), Currency(code: "USD")!),
                                                         source: "adjustments.csv:2", dispute: 1)], at: "2026-07-01T09:00:00Z", by: nil)
                throw Stop()
            }
        }
        #expect(try ledger.disputes(all: false).map(\.state) == ["open"])
        var history = try ledger.history(before: q2)
        try ledger.manualInputs(before: q2, into: &history)
        #expect(history.manual.posted.isEmpty)
        // The same posting that commits resolves it.
        try ledger.post(period: q2, inputs: [], at: "2026-07-01T09:00:00Z", engineVersion: "test") { posting in
            try posting.postManual([PostedManualLine(adjustmentID: "A1", payeeID: "R1", seq: 1, amount: Money(ExactDecimal(coefficient: 40000, scale: 2), Currency(code: "USD")!),
                                                     source: "adjustments.csv:2", dispute: 1)], at: "2026-07-01T09:00:00Z", by: "fin")
        }
        #expect(try ledger.disputes(all: true).map(\.state) == ["adjusted"])
        let q3 = try Period.parse("2026-Q3").get()
        var later = try ledger.history(before: q3)
        try ledger.manualInputs(before: q3, into: &later)
        #expect(later.manual.posted == ["A1": "2026-Q2"])
        #expect(later.manual.disputes.map(\.status) == [.settled])
    }
}
