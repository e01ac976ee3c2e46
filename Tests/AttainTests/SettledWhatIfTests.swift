// Compare and estimate settled against a ledger: a modelled cost equals what the closes posted for the same plans and
// data, the ledger is only read, and a history posted in memory is what the ledger reads back. Also clawbacks on a
// year-to-date plan, one line per period the deal was paid in.
import Foundation
import GRDB
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct SettledWhatIfTests {
    static let plan = """
        plan "Annual" version "1"
        currency USD
        period quarter
        true-up year to date
        clawback within 90 days
        rounding half-up to 0.01

        measure bookings = sum of deal.amount

        commission "Commission" on bookings
          rate 10%

        """
    static let columns = "deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date\n"
    /// Q1: A 150,000.00 (15,000.00); B 50,000.00 and 20,000.00 (7,000.00). Paid 22,000.00.
    static let q1Deals = columns + """
        A1,A,2026-02-10,150000.00,USD,W,new,,won,
        B1,B,2026-01-20,50000.00,USD,W,new,,won,
        B2,B,2026-03-01,20000.00,USD,W,new,,won,

        """
    /// Q2: A books 350,000.00 more: year to date 50,000.00, less 15,000.00 paid: 35,000.00. B2 is cancelled 45 days after
    /// it closed and B books 25,000.00: year to date 7,500.00; clawback -2,000.00, true-up -5,000.00: 500.00.
    /// Q2 paid 35,500.00; both quarters 57,500.00. Each quarter on its own, with nothing paid before: 22,000.00 + 57,500.00.
    static let q2Deals = columns + """
        A1,A,2026-02-10,150000.00,USD,W,new,,won,
        B1,B,2026-01-20,50000.00,USD,W,new,,won,
        B2,B,2026-03-01,20000.00,USD,W,new,,cancelled,2026-04-15
        A2,A,2026-05-05,350000.00,USD,W,new,,won,
        B3,B,2026-06-01,25000.00,USD,W,new,,won,

        """

    /// A scratch folder with the plan and the Q1 inputs.
    func scratch(plan: String = plan, deals: String = q1Deals, quota: String = "0") throws -> String {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-settled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try plan.write(toFile: dir + "/annual.plan", atomically: true, encoding: .utf8)
        try deals.write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        try oneRep.write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8)
        let name = plan.split(separator: "\"")[1]
        try "rep_id,plan,start_date,end_date,quota,target_incentive\nA,\(name),2026-01-01,2026-12-31,\(quota),0\nB,\(name),2026-01-01,2026-12-31,\(quota),0\n"
            .write(toFile: dir + "/assignments.csv", atomically: true, encoding: .utf8)
        return dir
    }

    /// Closes Q1 with the Q1 deals and Q2 with the Q2 deals, with `--commit`.
    func closeTwoQuarters(_ dir: String) throws {
        let reader = InputReader(root: dir)
        let q1 = Commands.close(plans: ["annual.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(q1.exitCode == 0, "\(q1.stderr)")
        #expect(q1.stdout.contains("total paid: 22000.00 USD to 2 payees"))
        try SettledWhatIfTests.q2Deals.write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let q2 = Commands.close(plans: ["annual.plan"], data: ".", period: "2026-Q2", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(q2.exitCode == 0, "\(q2.stderr)")
        #expect(q2.stdout.contains("total paid: 35500.00 USD to 2 payees"))
    }

    /// What the ledger posted, per payee over every period, and per payee and period.
    func posted(_ dir: String) throws -> (total: [String: ExactDecimal], byPeriod: [String: ExactDecimal]) {
        let db = try DatabaseQueue(path: dir + "/attain.db")
        var total: [String: ExactDecimal] = [:], byPeriod: [String: ExactDecimal] = [:]
        for row in try db.read({ try Row.fetchAll($0, sql: "SELECT period, payee_id, paid FROM statements") }) {
            let paid = try ExactDecimal.parse(row["paid"] as String).get(), id: String = row["payee_id"], period: String = row["period"]
            total[id] = try (total[id] ?? .zero).adding(paid)
            byPeriod[id + " " + period] = paid
        }
        return (total, byPeriod)
    }

    func compare(_ dir: String, periods: [String] = ["2026-Q1", "2026-Q2"], scale: String? = nil, ledger: String?) -> CommandOutcome {
        Commands.compare(plans: ["annual.plan"], data: ".", periods: periods, candidates: [], whatIfs: [], scale: scale, lossThreshold: "10%",
                         ledgerPath: ledger, reader: InputReader(root: dir))
    }

    /// A period of the folder's plans and data, settled against `history`.
    static func run(_ plans: [String], period: String, _ history: LedgerHistory, _ reader: InputReader) throws -> RunResult {
        guard case .success(let loaded) = Commands.load(plans: plans, data: ".", period: period, set: [], earningCodes: nil, reader: reader, records: false) else {
            throw EngineFailed(text: "cannot read the inputs")
        }
        switch Engine.run(loaded.request, history: history) {
        case .success(let r): return r
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    func file(_ o: CommandOutcome, _ path: String) throws -> String { try #require(o.files.first { $0.path == path }?.text) }

    @Test func aComparisonSettledAgainstTheLedgerCostsWhatTheClosesPosted() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try closeTwoQuarters(dir)
        let before = try #require(FileManager.default.contents(atPath: dir + "/attain.db"))
        let posted = try posted(dir)
        #expect(ExactDecimal.total(Array(posted.total.values)).text(minimumScale: 2) == "57500.00")

        let o = compare(dir, scale: "1.0,2", ledger: "attain.db")
        #expect(o.exitCode == 0, "\(o.stderr)")
        #expect(!o.stderr.contains("R330"))
        // The baseline over both quarters is what the two closes posted, in total and for each payee.
        #expect(try file(o, "compare/summary.csv").split(separator: "\n")[1].hasPrefix("baseline,57500.00,"))
        let rows = try file(o, "compare/payees.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { [$0[0], $0[5]] } == [["A", "50000.00"], ["B", "7500.00"]])
        for row in rows { #expect(posted.total[row[0]]?.text(minimumScale: 2) == row[5], "\(row[0])") }
        // Scaled deals are settled the same way: every amount doubles, 115,000.00 (not 159,000.00 unsettled).
        #expect(try file(o, "compare/sensitivity.csv").contains("\n2,115000.00\n"))
        // Periods in any order are settled oldest first.
        #expect(try file(compare(dir, periods: ["2026-Q2", "2026-Q1"], ledger: "attain.db"), "compare/summary.csv").contains("\nbaseline,57500.00,"))
        // A compared period skipped, or an open period before the first, is said.
        let skipping = compare(dir, periods: ["2026-Q1", "2026-Q3"], ledger: "attain.db")
        #expect(skipping.stderr.hasPrefix("warning[C402]: the compared periods skip from 2026-Q1 to 2026-Q3; what the periods between would pay is not in the ledger 2026-Q3 is settled against\n"))
        #expect(compare(dir, periods: ["2026-Q4"], ledger: "attain.db").stderr.hasPrefix("warning: 2026-Q3 is not closed yet; this comparison does not know what 2026-Q3 will pay\n"))
        // The ledger was only read.
        #expect(FileManager.default.contents(atPath: dir + "/attain.db") == before)
        #expect(try Ledger(path: dir + "/attain.db").runs().count == 2)

        // Without the ledger each quarter is paid as if nothing had been paid before: Q1 22,000.00, then the year to
        // date of Q2 untrued, 57,500.00: 79,500.00. It says so on the terminal and in the report.
        let alone = compare(dir, ledger: nil)
        #expect(alone.exitCode == 0)
        #expect(try file(alone, "compare/summary.csv").split(separator: "\n")[1].hasPrefix("baseline,79500.00,"))
        let warning = "plan \"Annual\" has year-to-date true-ups, clawbacks, which need the ledger; `attain compare` pays as if nothing had been paid before"
        #expect(alone.stderr.hasPrefix("warning[R330]: \(warning)\n  = help: pass `--ledger FILE` to settle each period against the ledger as `attain close` would\n\ndeals of 2026-Q1, 2026-Q2 "))
        let json = try file(alone, "compare/comparison.json")
        #expect(json.contains("\"code\": \"R330\""))
        #expect(json.contains("\"message\": \"\(warning.replacingOccurrences(of: "\"", with: "\\\""))\""))
        let html = try file(alone, "compare/report.html")
        #expect(html.contains("<section class=\"warnings\"><h2>Warnings</h2><ul>\n<li><strong>warning[R330]</strong> \(StatementHTML.escape(warning))"))
        #expect(try file(o, "compare/comparison.json").contains("\"warnings\": []"))
        #expect(!(try file(o, "compare/report.html")).contains("class=\"warnings\""))
    }

    /// The README's walkthrough (close Q1, correct a Q1 deal, close Q2): compared over both quarters with today's data,
    /// Q1 is paid as corrected and Q2 carries no adjustment, which is what Q1 and Q2 with its adjustments posted.
    @Test func aComparisonOfTheSampleAfterACorrectionCostsWhatWasPosted() throws {
        let fm = FileManager.default
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-settled-\(UUID().uuidString)")
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        try fm.copyItem(atPath: repositoryRoot + "/plans", toPath: dir + "/plans")
        try fm.copyItem(atPath: repositoryRoot + "/sample", toPath: dir + "/sample")
        let reader = InputReader(root: dir)
        #expect(Commands.close(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true, reader: reader).exitCode == 0)
        let deals = try reader.text("sample/deals.csv")
        try deals.replacingOccurrences(of: "D26-0113,AE03,2026-01-26,32104.85,", with: "D26-0113,AE03,2026-01-26,42104.85,")
            .write(toFile: dir + "/sample/deals.csv", atomically: true, encoding: .utf8)
        #expect(Commands.close(plans: ["plans"], data: "sample", period: "2026-Q2", set: [], ledgerPath: "attain.db", commit: true, reader: reader).exitCode == 0)
        let posted = try posted(dir).total
        let o = Commands.compare(plans: ["plans"], data: "sample", periods: ["2026-Q1", "2026-Q2"], candidates: [], whatIfs: [], scale: nil,
                                 lossThreshold: "10%", ledgerPath: "attain.db", reader: reader)
        #expect(o.exitCode == 0, "\(o.stderr)")
        let rows = try file(o, "compare/payees.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 36)
        for row in rows { #expect(posted[row[0]]?.text(minimumScale: 2) == row[row.count - 1], "\(row[0])") }
        let total = ExactDecimal.total(Array(posted.values)).text(minimumScale: 2)
        #expect(try file(o, "compare/summary.csv").split(separator: "\n")[1].hasPrefix("baseline,\(total),"))
    }

    @Test func anEstimateSettledAgainstTheLedgerPaysWhatTheCloseDoes() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try closeTwoQuarters(dir)
        let posted = try posted(dir)
        let reader = InputReader(root: dir)
        func estimate(_ payee: String, ledger: String?) -> CommandOutcome {
            Commands.estimate(plans: ["annual.plan"], data: ".", period: "2026-Q2", payee: payee, deals: ["amount=10000,product=W"], set: [],
                              ledgerPath: ledger, reader: reader)
        }
        let a = estimate("A", ledger: "attain.db")
        #expect(a.exitCode == 0, "\(a.stderr)")
        // No warning: only the period's reconciliation.
        #expect(a.stderr.hasPrefix("deals of 2026-Q2 "))
        #expect(posted.byPeriod["A 2026-Q2"]?.text(minimumScale: 2) == "35000.00")
        #expect(a.stdout.contains("  paid now:        35000.00 USD\n  with the deals:  36000.00 USD\n  difference:      +1000.00 USD\n"))
        #expect(a.stdout.contains("An estimate from today's data, settled against what attain.db says was paid before 2026-Q2 as a close would be: nothing is posted"))
        // B's clawback and true-up are settled too: what the close paid.
        let b = estimate("B", ledger: "attain.db")
        #expect(posted.byPeriod["B 2026-Q2"]?.text(minimumScale: 2) == "500.00")
        #expect(b.stdout.contains("  paid now:        500.00 USD\n  with the deals:  1500.00 USD\n"))
        // Without the ledger: the year to date untrued, and a warning.
        let alone = estimate("A", ledger: nil)
        #expect(alone.stdout.contains("  paid now:        50000.00 USD\n"))
        #expect(alone.stderr.hasPrefix("warning[R330]: plan \"Annual\" has year-to-date true-ups, clawbacks, which need the ledger; `attain estimate` pays as if nothing had been paid before\n"))
    }

    @Test func aMissingLedgerIsAnErrorAndNoLedgerIsMade() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = compare(dir, ledger: "nowhere.db")
        #expect(c.exitCode == ExitCode.ioFailure)
        #expect(c.stderr == "error: no ledger at nowhere.db; `attain close --commit` creates it\n")
        #expect(c.files.isEmpty)
        let e = Commands.estimate(plans: ["annual.plan"], data: ".", period: "2026-Q1", payee: "A", deals: ["amount=1,product=W"], set: [],
                                  ledgerPath: "nowhere.db", reader: InputReader(root: dir))
        #expect(e.exitCode == ExitCode.ioFailure)
        #expect(e.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/nowhere.db"))
    }

    /// Closes each period with `--commit` and posts the same run in memory; after each close, the ledger's history before
    /// the next period is the one posted in memory, line for line.
    func expectPostedInMemoryMatchesTheLedger(_ goldenCase: String, _ periods: [String]) throws {
        let dir = try scratchCopy(of: goldenCase)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let plans = try planNames(dir)
        var memory = LedgerHistory.empty
        func text(_ h: LedgerHistory) -> [String] {
            h.lines.map { "\($0.period) \($0.payeeID) \($0.plan) \($0.kind.rawValue) \($0.component) \($0.dealID ?? "-") \($0.refPeriod ?? "-") \($0.amount.text(minimumScale: 2)) \($0.source)" }
                + ["closed: " + h.closedPeriods.joined(separator: " ")]
                + h.drawBalances.keys.sorted().flatMap { p in h.drawBalances[p]!.keys.sorted().map { "\(p) \($0) \(h.drawBalances[p]![$0]!.text(minimumScale: 2))" } }
        }
        for (n, label) in periods.enumerated() {
            let result = try SettledWhatIfTests.run(plans, period: label, memory, reader)
            memory = memory.posting(result)
            let o = Commands.close(plans: plans, data: ".", period: label, set: [], ledgerPath: "attain.db", commit: true, reader: reader)
            #expect(o.exitCode == 0, "\(o.stderr)")
            // A later period of the same kind: the ledger's history before a period is its own kind's.
            let closed = try Period.parse(label).get()
            let next = n + 1 < periods.count ? try Period.parse(periods[n + 1]).get()
                                             : Period.containing(CivilDate(year: 2027, month: 12, day: 1)!, kind: closed.kind)
            let read = try Ledger(path: dir + "/attain.db").history(before: next)
            #expect(!read.lines.isEmpty)
            #expect(text(memory) == text(read), "\(goldenCase) after \(label)")
        }
    }

    @Test func aHistoryPostedInMemoryIsWhatTheLedgerReadsBack() throws {
        try expectPostedInMemoryMatchesTheLedger("brief-09-draw", ["2026-01", "2026-02", "2026-03"])
        try expectPostedInMemoryMatchesTheLedger("brief-11-clawback", ["2026-Q1", "2026-Q2"])
        try expectPostedInMemoryMatchesTheLedger("ytd-clawback-visible", ["2026-Q1", "2026-Q2"])
    }

    @Test func aYearToDateDealPaidLastYearIsTakenBackOnce() throws {
        // D1 10,000.00 closed 2025-11-15 and was paid 1,000.00 in 2025-Q4 on a year-to-date plan with a 90-day window.
        let plan = SettledWhatIfTests.plan
        let won = SettledWhatIfTests.columns + "D1,A,2025-11-15,10000.00,USD,W,new,,won,\n"
        let dir = try scratch(plan: plan, deals: won)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "rep_id,plan,start_date,end_date,quota,target_incentive\nA,Annual,2025-01-01,2026-12-31,0,0\n".write(toFile: dir + "/assignments.csv", atomically: true, encoding: .utf8)
        let reader = InputReader(root: dir)
        let q4 = try SettledWhatIfTests.run(["annual.plan"], period: "2025-Q4", .empty, reader)
        #expect(q4.statements[0].paid.text == "1000.00")
        func settle(cancelled date: String) throws -> [Attain.Statement] {
            try won.replacingOccurrences(of: ",won,", with: ",cancelled,\(date)").write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
            let q1 = try SettledWhatIfTests.run(["annual.plan"], period: "2026-Q1", LedgerHistory.empty.posting(q4), reader)
            let q2 = try SettledWhatIfTests.run(["annual.plan"], period: "2026-Q2", LedgerHistory.empty.posting(q4).posting(q1), reader)
            return [q1.statements[0], q2.statements[0]]
        }
        func lines(_ s: Attain.Statement) -> [String] { s.lines.map { "\($0.kind.rawValue) \($0.refPeriod ?? "") \($0.amount.text)" } }
        // Cancelled on 2026-01-10, 56 days on: 2025 as it closed keeps the deal, so a clawback line takes the 1,000.00 back.
        let after = try settle(cancelled: "2026-01-10")
        #expect(lines(after[0]) == ["clawback 2025-Q4 -1000.00"])
        #expect(after[1].paid.text == "0.00")
        // Cancelled on 2025-12-20 but recorded after 2025 closed: 2025 recomputed drops the deal, and its adjustment alone
        // takes the 1,000.00 back, once.
        let late = try settle(cancelled: "2025-12-20")
        #expect(lines(late[0]) == ["adjustment 2025-Q4 -1000.00"])
        #expect(late[1].paid.text == "0.00")
    }

    @Test func aYearToDateDealPaidInQ1AndCancelledInQ3IsClawedBackForEachPeriodItWasPaidIn() throws {
        // Retroactive tiers over an annual quota of 100,000.00, 2% below 50%, 5% from 50%, with a 180-day window.
        // Q1: D1 40,000.00 (40%): 800.00. Q2: D2 30,000.00, 70% to date: D1 2,000.00, D2 1,500.00, less 800.00: 2,700.00.
        // Q3: D1 cancelled on 2026-07-15, 164 days after it closed; D2 alone, 30%: 600.00. D1 was paid 800.00 in Q1 and
        // 1,200.00 more in Q2: clawbacks -800.00 and -1,200.00; the true-up for Q2 is -(2,700.00 - 1,200.00), and Q1's
        // (800.00 - 800.00) is nothing. Paid 600.00 - 2,000.00 - 1,500.00 = -2,900.00, as 600.00 - 800.00 - 2,700.00.
        let plan = """
            plan "Retro" version "1"
            currency USD
            period quarter
            true-up year to date
            clawback within 180 days
            rounding half-up to 0.01

            measure bookings = sum of deal.amount
              quota from assignment

            commission "Commission" on bookings
              tiers retroactive over attainment
              tier from 0% to 50% rate 2%
              tier from 50% rate 5%

            """
        let won = SettledWhatIfTests.columns + "D1,A,2026-02-01,40000.00,USD,W,new,,won,\nD2,A,2026-05-01,30000.00,USD,W,new,,won,\n"
        let dir = try scratch(plan: plan, deals: won, quota: "100000.00")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        func run(_ period: String, _ history: LedgerHistory) throws -> RunResult { try SettledWhatIfTests.run(["annual.plan"], period: period, history, reader) }
        let q1 = try run("2026-Q1", .empty)
        let q2 = try run("2026-Q2", LedgerHistory.empty.posting(q1))
        #expect(q2.statements[0].paid.text == "2700.00")
        try won.replacingOccurrences(of: "2026-02-01,40000.00,USD,W,new,,won,", with: "2026-02-01,40000.00,USD,W,new,,cancelled,2026-07-15")
            .write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let q3 = try #require(try run("2026-Q3", LedgerHistory.empty.posting(q1).posting(q2)).statements.first { $0.payeeID == "A" })
        func lines(_ kind: LineKind) -> [String] { q3.lines.filter { $0.kind == kind }.map { "\($0.refPeriod ?? "") \($0.amount.text)" } }
        #expect(lines(.clawback) == ["2026-Q1 -800.00", "2026-Q2 -1200.00"])
        #expect(lines(.trueUp) == ["2026-Q2 -1500.00"])
        #expect(q3.lines.first { $0.kind == .trueUp }?.reason == "already paid for 2026-Q2 under Retro: 2700.00, of which 1200.00 on deal D1 is taken back on its clawback line, not here; this period pays the year's earnings to date less what was paid")
        #expect(q3.earned.text == "600.00")
        #expect(q3.paid.text == "-2900.00")
        // Cancelled outside a 90-day window, the deal keeps counting: nothing is taken back, and the true-ups are whole.
        let outside = plan.replacingOccurrences(of: "clawback within 180 days", with: "clawback within 90 days")
        try outside.write(toFile: dir + "/annual.plan", atomically: true, encoding: .utf8)
        let late = try run("2026-Q3", LedgerHistory.empty.posting(q1).posting(q2)).statements[0]
        #expect(!late.lines.contains { $0.kind == .clawback })
        #expect(late.lines.filter { $0.kind == .trueUp }.map(\.amount.text) == ["-800.00", "-2700.00"])
        #expect(late.paid.text == "0.00")
    }
}
