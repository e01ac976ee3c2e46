// R322 says that override pay of a closed period changed while only roster.csv says who managed whom: a reorg
// recorded by editing manager_id would rewrite closed periods. A change in deals alone, with the roster the period
// was closed with, is no reorg and is not warned of (so --strict does not refuse an ordinary correction).
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct ReorgWarningTests {
    static let plans = [
        ("ae.plan", """
            plan "AE" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            measure bookings = sum of deal.amount
            commission "Commission" on bookings
              rate 10%
            """),
        ("mgr.plan", """
            plan "Mgr" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            measure team = sum of deal.amount for direct reports
            override "Override" on team
              rate 2%
              for direct reports
            """),
    ]

    func folder(roster: String, deals: String) throws -> String {
        let dir = NSTemporaryDirectory() + "attain-reorg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in Self.plans { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try roster.write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8)
        try deals.write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        try """
            rep_id,plan,start_date,end_date,quota,target_incentive
            M1,Mgr,2026-01-01,2026-12-31,100000.00,1000.00
            M2,Mgr,2026-01-01,2026-12-31,100000.00,1000.00
            A,AE,2026-01-01,2026-12-31,100000.00,1000.00

            """.write(toFile: dir + "/assignments.csv", atomically: true, encoding: .utf8)
        return dir
    }

    static let roster = "rep_id,name,manager_id,hire_date,end_date\nM1,Mia,,2025-01-01,\nM2,Max,,2025-01-01,\nA,Ana,M1,2025-01-01,\n"
    static let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-02-10,10000.00,USD,W,new\n"

    func close(_ dir: String, _ period: String, strict: Bool = false) -> CommandOutcome {
        Commands.close(plans: ["ae.plan", "mgr.plan"], data: ".", period: period, set: [], ledgerPath: "attain.db", commit: true,
                       formats: [.payroll], clock: "2026-07-01T00:00:00Z", strict: strict, reader: InputReader(root: dir))
    }

    @Test func aCorrectedDealUnderTheSameRosterIsNoReorg() throws {
        let dir = try folder(roster: Self.roster, deals: Self.deals)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(close(dir, "2026-Q1").exitCode == 0)
        // D1 corrected from 10000.00 to 10100.00: A +10.00, M1's override +2.00, both as 2026-Q1 adjustments.
        try Self.deals.replacingOccurrences(of: "10000.00", with: "10100.00").write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let o = close(dir, "2026-Q2", strict: true)
        #expect(o.exitCode == 0, "\(o.stderr)")
        #expect(!o.stderr.contains("R322"), "\(o.stderr)")
        let payroll = try #require(o.files.first { $0.path.hasSuffix("payroll.csv") }?.text)
        #expect(payroll.contains("A,Ana,2026-Q2,ADJ,10.00,USD"), "\(payroll)")
        #expect(payroll.contains("M1,Mia,2026-Q2,ADJ,2.00,USD"), "\(payroll)")
    }

    @Test func aManagerChangedInTheRosterIsWarnedOf() throws {
        let dir = try folder(roster: Self.roster, deals: Self.deals)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #require(close(dir, "2026-Q1").exitCode == 0)
        // A moved to M2 by editing manager_id: 2026-Q1's override moves from M1 to M2 unless the move is dated.
        try Self.roster.replacingOccurrences(of: "A,Ana,M1,", with: "A,Ana,M2,").write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8)
        let refused = close(dir, "2026-Q2", strict: true)
        #expect(refused.exitCode == 1 && refused.stderr.contains("error[R322]"), "\(refused.stderr)")
        let o = close(dir, "2026-Q2")
        #expect(o.exitCode == 0, "\(o.stderr)")
        #expect(o.stderr.contains("warning[R322]: override and team pay for closed period 2026-Q1 changes with the current inputs"), "\(o.stderr)")
    }
}

/// A deal left out on purpose is said with what left it out: the field whose value the filter does not require, or,
/// when every value it requires matches, the filter's words (a `!=` left it out), never another field's value.
@Suite struct ExcludedOnPurposeTests {
    @Test func theFilterThatLeftADealOutIsNamed() throws {
        let dir = NSTemporaryDirectory() + "attain-excluded-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            plan "AE" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            measure bookings = sum of deal.amount where deal.type in ("new", "renewal") and deal.type != "renewal" and deal.product != "Legacy"
            commission "Commission" on bookings
              rate 10%
            """.write(toFile: dir + "/ae.plan", atomically: true, encoding: .utf8)
        try "rep_id,name,manager_id,hire_date,end_date\nA,Ana,,2025-01-01,\n".write(toFile: dir + "/roster.csv", atomically: true, encoding: .utf8)
        try "rep_id,plan,start_date,end_date,quota,target_incentive\nA,AE,2026-01-01,2026-12-31,100000.00,1000.00\n"
            .write(toFile: dir + "/assignments.csv", atomically: true, encoding: .utf8)
        try """
            deal_id,rep_id,close_date,amount,currency,product,type
            D1,A,2026-02-10,1000.00,USD,Widget,new
            D2,A,2026-02-11,2000.00,USD,Legacy,new
            D3,A,2026-02-12,4000.00,USD,Widget,renewal

            """.write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let o = Commands.run(plans: ["ae.plan"], data: ".", period: "2026-Q1", set: [], formats: [.payroll], reader: InputReader(root: dir))
        #expect(o.exitCode == 0, "\(o.stderr)")
        // D2 (Legacy, new): every required value matches, `deal.product != "Legacy"` left it out: the filter's words.
        // D3 (renewal): the type is one the filter names; `!= "renewal"` left it out, so the words again.
        let words = #"deal.type in ("new", "renewal") and deal.type != "renewal" and deal.product != "Legacy""#
        #expect(o.stderr.contains("left out on purpose by AE (ae.plan:5): 2 deals, 6000.00 USD, by `\(words)` (2)"), "\(o.stderr)")
        #expect(o.files.first { $0.path.hasSuffix("payroll.csv") }?.text.contains("A,Ana,2026-Q1,COMM,100.00,USD") == true)
    }
}
