// Payees evaluated in parallel chunks give exactly what one core gives: statements and messages, in order.
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct ParallelTests {
    @Test func chunksAcrossCoresGiveTheSameOutputAsOneCore() throws {
        // 700 reps, with a missing rate, deals before hire dates and reps without assignments, to exercise the messages.
        var roster = "rep_id,name,manager_id,hire_date,end_date\n"
        var assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        for i in 0..<700 {
            let rep = "R\(1000 + i)"
            roster += "\(rep),Rep \(i),\(i == 0 ? "" : "R\(1000 + (i - 1) / 8)"),\(i % 50 == 7 ? "2026-02-10" : "2024-01-01"),\n"
            if i % 97 != 5 { assignments += "\(rep),P,2026-01-01,2026-12-31,\(50000 + i * 37).00,\(4000 + i).00\n" }
            for k in 0..<(i % 7 + 1) {
                deals += "D\(i)-\(k),\(rep),2026-0\(1 + k % 3)-\(10 + k),\(1000 + (i * 131 + k * 17) % 40000).\(k)5,USD,\(k % 2 == 0 ? "Widget" : "Gadget"),new,\n"
            }
        }
        let plan = header + """
            measure bookings = sum of deal.amount
              quota from assignment
            commission "C" on bookings
              tiers marginal over attainment
              tier from 0% to 50% rate 2%
              tier from 50% to 100% rate 5%
              tier from 100% rate 8%
              cap 150% of target_incentive per period
            spif "S"
              where deal.product = "Widget"
              pay 50.00 USD per deal

            """
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: "2026-Q1")
        let prepared = try Engine.prepare(request).get()
        let period = try Period.parse("2026-Q1").get()
        var one = Crediting(prepared: prepared, period: period, maxChunks: 1)
        var many = Crediting(prepared: prepared, period: period)
        let a = one.statements(), b = many.statements()
        #expect(a.count == 692)  // 8 of the 700 have no assignment
        #expect(a.map { StatementJSON.json($0.statement).serialized() } == b.map { StatementJSON.json($0.statement).serialized() })
        #expect(one.diagnostics.items.map(DiagnosticRenderer.plain) == many.diagnostics.items.map(DiagnosticRenderer.plain))
        #expect(one.diagnostics.items.contains { $0.code == "R312" } && one.diagnostics.items.contains { $0.code == "R310" })
    }
}

@Suite struct LeanRunTests {
    @Test func aPayrollOnlyRunWritesTheSamePayrollAndSummaryAsAFullRun() throws {
        let reader = InputReader(root: repositoryRoot)
        let full = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader)
        let lean = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], formats: [.payroll], reader: reader)
        #expect(lean.exitCode == 0 && full.exitCode == 0)
        for name in ["2026-Q1/payroll.csv", "2026-Q1/summary.json"] {
            let a = try #require(full.files.first { $0.path == name }?.text)
            let b = try #require(lean.files.first { $0.path == name }?.text)
            #expect(a == b, "\(name) differs")
        }
        #expect(lean.files.map(\.path) == ["2026-Q1/payroll.csv", "2026-Q1/summary.json"])
    }
}

final class Lines: @unchecked Sendable {
    var items: [String] = []
}

@Suite struct ProgressTests {
    @Test func progressReportsStagesAndChangesNothing() {
        let reader = InputReader(root: repositoryRoot)
        let seen = Lines()
        let watched = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader, progress: { seen.items.append($0) })
        let quiet = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader)
        #expect(seen.items.count == 3)
        #expect(seen.items[1].hasPrefix("read 554 deal rows in "))
        #expect(seen.items[2].hasPrefix("evaluated 36 payees in "))
        #expect(watched.stdout == quiet.stdout && watched.files.map(\.text) == quiet.files.map(\.text))
    }
}
