// A close of many payees shows a summary on the terminal (payees, totals, what changed since the last dry run, the
// largest changes) instead of every row; `--all` lists every row; close.csv always holds them all.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct CloseSummaryTests {
    static let plan = """
        plan "Flat" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01
        measure bookings = sum of deal.amount
        commission "Commission" on bookings
          rate 10%
        """

    /// A company of 60 reps, R01…R60, each with one deal of 100 × their number; `bump` adds to some reps' deals.
    func company(bump: [Int: Int] = [:], drop: Int? = nil) throws -> String {
        let dir = NSTemporaryDirectory() + "attain-summary-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var roster = "rep_id,name,manager_id,hire_date,end_date\n", assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var deals = "deal_id,rep_id,close_date,amount,currency,type,product\n"
        for n in 1...60 {
            let id = String(format: "R%02d", n)
            roster += "\(id),Rep \(n),,2025-01-01,\n"
            assignments += "\(id),Flat,2026-01-01,2026-12-31,100000.00,10000.00\n"
            if n != drop { deals += "D\(n),\(id),2026-02-01,\(100 * n + (bump[n] ?? 0)).00,USD,new,Widget\n" }
        }
        try Self.plan.write(toFile: dir + "/flat.plan", atomically: true, encoding: .utf8)
        try roster.write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8)
        try assignments.write(toFile: dir + "/assignments.csv", atomically: true, encoding: .utf8)
        try deals.write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        return dir
    }

    func dryRun(_ dir: String, all: Bool = false) -> CommandOutcome {
        Commands.close(plans: ["flat.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: false,
                       formats: [.payroll], clock: "2026-04-01T00:00:00Z", all: all, reader: InputReader(root: dir))
    }

    @Test func aFirstDryRunShowsTheLargestPayoutsAndTheTotals() throws {
        let dir = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = dryRun(dir)
        try #require(o.exitCode == 0, "\(o.stderr)")
        let lines = o.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == 29, "\(o.stdout)")
        #expect(lines[0] == "2026-Q1 close, dry run: nothing is posted to attain.db")
        #expect(lines[1] == "60 payees; no earlier dry run of 2026-Q1 to compare with")
        // 10% of 100 + 200 + … + 6000 = 10% of 183,000.
        #expect(lines[2] == "earned 18300.00 USD; adjustments 0.00 USD")
        #expect(lines[3] == "the 20 largest payouts:")
        #expect(lines[4] == "payee  name    plan  earned  adjustments    paid  currency  since last dry run")
        #expect(lines[5] == "R60    Rep 60  Flat  600.00         0.00  600.00  USD")
        #expect(lines[24] == "R41    Rep 41  Flat  410.00         0.00  410.00  USD")
        #expect(lines[25] == "every payee's row: close.csv, or run again with --all to list them here")
        #expect(lines[26] == "total paid: 18300.00 USD to 60 payees")
        let csv = try #require(o.files.first { $0.path == "2026-Q1/close.csv" }?.text)
        let rows = csv.split(separator: "\n").map(String.init)
        #expect(rows.count == 61)
        #expect(rows[0] == "payee_id,payee_name,plan,earned,adjustments,paid,currency,since_last_dry_run")
        #expect(rows[1] == "R01,Rep 1,Flat,10.00,0.00,10.00,USD,")
        #expect(rows[60] == "R60,Rep 60,Flat,600.00,0.00,600.00,USD,")
    }

    @Test func aSecondDryRunCountsAndRanksTheChanges() throws {
        let dir = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(dryRun(dir).exitCode == 0)
        // R05's deal 12.00 more (+1.20 pay), R30's 2000.00 more (+200.00), R07's deal gone (paid 0.00: −70.00).
        let changed = try company(bump: [5: 12, 30: 2000], drop: 7)
        for name in ["deals.csv"] {
            try FileManager.default.removeItem(atPath: dir + "/" + name)
            try FileManager.default.copyItem(atPath: changed + "/" + name, toPath: dir + "/" + name)
        }
        try? FileManager.default.removeItem(atPath: changed)
        let o = dryRun(dir)
        try #require(o.exitCode == 0, "\(o.stderr)")
        let lines = o.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 11, "\(o.stdout)")
        #expect(lines[1] == "60 payees; since the last dry run: 57 the same, 3 changed, 0 new, 0 no longer paid")
        #expect(lines[2] == "earned 18431.20 USD; adjustments 0.00 USD")
        #expect(lines[3] == "the 3 largest changes:")
        #expect(lines[5].hasPrefix("R30 ") && lines[5].hasSuffix("+200.00"))
        #expect(lines[6].hasPrefix("R07 ") && lines[6].hasSuffix("-70.00"))
        #expect(lines[7].hasPrefix("R05 ") && lines[7].hasSuffix("+1.20"))
        let csv = try #require(o.files.first { $0.path == "2026-Q1/close.csv" }?.text)
        #expect(csv.contains("\nR30,Rep 30,Flat,500.00,0.00,500.00,USD,+200.00\n"))
        #expect(csv.contains("\nR02,Rep 2,Flat,20.00,0.00,20.00,USD,same\n"))
        #expect(csv.contains("\nR07,Rep 7,Flat,0.00,0.00,0.00,USD,-70.00\n"))
        // --all lists every payee on the terminal.
        let all = dryRun(dir, all: true)
        #expect(all.stdout.split(separator: "\n").count == 1 + 1 + 60 + 1 + 1)
    }

    /// A close with `--format jsonl` writes every statement in OUT/PERIOD/statements.jsonl, one compact statement a
    /// line in payee id order, the same objects as the JSON files; in process (no stage) and through the binary.
    @Test func aCloseWritesStatementsAsJSONLines() throws {
        let dir = try company()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = Commands.close(plans: ["flat.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: false,
                               formats: [.json, .jsonl], clock: "2026-04-01T00:00:00Z", reader: InputReader(root: dir))
        try #require(o.exitCode == 0, "\(o.stderr)")
        let text = try #require(o.files.first { $0.path == "2026-Q1/statements.jsonl" }?.text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 60)
        func object(_ t: String) throws -> NSDictionary { try #require(JSONSerialization.jsonObject(with: Data(t.utf8)) as? NSDictionary) }
        for (n, line) in lines.enumerated() {
            let id = String(format: "R%02d", n + 1)
            let file = try #require(o.files.first { $0.path == "2026-Q1/statements/\(id).json" }?.text)
            #expect(try object(line) == object(file), "\(id)")
            #expect(!line.contains("\n  "))
        }
        let ran = try attain(["close", "flat.plan", "--data", ".", "--period", "2026-Q1", "--commit", "--format", "jsonl,payroll"], in: dir)
        #expect(ran.status == 0, "\(ran.stderr)")
        let written = try String(contentsOfFile: dir + "/out/2026-Q1/statements.jsonl", encoding: .utf8)
        #expect(written == text)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/2026-Q1/statements"))
    }
}
