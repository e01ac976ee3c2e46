// A role row taken out of deals.csv after its period closed: the adjustment that takes its pay back still says the
// role it was paid in.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct RemovedRoleRowTests {
    @Test func theAdjustmentOfARemovedSDRRowSaysItsRole() throws {
        let dir = NSTemporaryDirectory() + "attain-removed-role-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deals = """
            deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date,role
            D1,AE1,2026-02-10,20000.00,USD,W,new,,,,
            D1,SDR1,2026-02-10,20000.00,USD,W,new,,,,sdr

            """
        let files = [
            "ae.plan": "plan \"AE\" version \"1\"\ncurrency USD\nperiod quarter\nrounding half-up to 0.01\nmeasure b = sum of deal.amount\ncommission \"C\" on b\n  rate 10%\n",
            "sdr.plan": "plan \"SDR\" version \"1\"\ncurrency USD\nperiod quarter\nrounding half-up to 0.01\ncredit \"sdr\"\nmeasure s = sum of deal.amount\ncommission \"Sourced\" on s\n  rate 5%\n",
            "roster.csv": "rep_id,name,manager_id,hire_date,end_date\nAE1,Ana,,2025-01-01,\nSDR1,Sam,,2025-01-01,\n",
            "assignments.csv": "rep_id,plan,start_date,end_date,quota,target_incentive\nAE1,AE,2026-01-01,2026-12-31,0.00,0.00\nSDR1,SDR,2026-01-01,2026-12-31,0.00,0.00\n",
            "deals.csv": deals,
        ]
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        func close(_ period: String) -> CommandOutcome {
            Commands.close(plans: ["ae.plan", "sdr.plan"], data: ".", period: period, set: [], ledgerPath: "attain.db", commit: true,
                           formats: [.json], clock: "2026-07-01T00:00:00Z", reader: InputReader(root: dir))
        }
        try #require(close("2026-Q1").exitCode == 0)
        // The SDR row is taken out: SDR1's 1000.00 for 2026-Q1 is taken back, in role sdr.
        try deals.replacingOccurrences(of: "D1,SDR1,2026-02-10,20000.00,USD,W,new,,,,sdr\n", with: "").write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let o = close("2026-Q2")
        #expect(o.exitCode == 0, "\(o.stderr)")
        let json = try #require(o.files.first { $0.path == "2026-Q2/statements/SDR1.json" }?.text)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let lines = try #require(doc["lines"] as? [[String: Any]])
        let adjustment = try #require(lines.first { ($0["kind"] as? String) == "adjustment" })
        #expect(adjustment["amount"] as? String == "-1000.00")
        #expect(adjustment["deal_id"] as? String == "D1")
        #expect(adjustment["role"] as? String == "sdr")
    }
}
