// A plan that measures activities only, given deals its payees own: the deals are counted by no measure, and the
// warning says the plan measures activities, not that it measures its reports' deals.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct ActivityOnlyPlanTests {
    @Test func dealsOfAPlanOfActivitiesAreSaidAsSuch() throws {
        let dir = NSTemporaryDirectory() + "attain-activity-only-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "sdr.plan": """
                plan "SDR" version "1"
                currency USD
                period quarter
                rounding half-up to 0.01
                measure meetings = count of activities where activity.kind = "meeting"
                commission "Meetings" on meetings
                  rate 40.00 USD per activity
                """,
            "roster.csv": "rep_id,name,manager_id,hire_date,end_date\nS1,Sam,,2025-01-01,\n",
            "assignments.csv": "rep_id,plan,start_date,end_date,quota,target_incentive\nS1,SDR,2026-01-01,2026-12-31,0.00,1000.00\n",
            "deals.csv": "deal_id,rep_id,close_date,amount,currency,product,type\nD1,S1,2026-02-10,5000.00,USD,W,new\n",
            "activities.csv": "activity_id,rep_id,date,kind,count\nA1,S1,2026-02-01,meeting,\nA2,S1,2026-02-02,meeting,\n",
        ]
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let o = Commands.run(plans: ["sdr.plan"], data: ".", period: "2026-Q1", set: [], formats: [.payroll], reader: InputReader(root: dir))
        #expect(o.exitCode == 0, "\(o.stderr)")
        #expect(o.stderr.contains("warning[R341]: 1 deal, 5,000.00 USD closed in 2026-Q1 are credited to payees on plan \"SDR\", which measures activities only, no deals: rep `S1` (1); no measure counts them"), "\(o.stderr)")
        #expect(o.files.first { $0.path.hasSuffix("payroll.csv") }?.text.contains("S1,Sam,2026-Q1,COMM,80.00,USD") == true)
        // The same warning refuses a strict close, which leaves no ledger behind: it made one, and posted nothing to it.
        for commit in [false, true] {
            let refused = Commands.close(plans: ["sdr.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: commit,
                                         formats: [.payroll], clock: "2026-04-01T00:00:00Z", strict: true, reader: InputReader(root: dir))
            #expect(refused.exitCode == 1 && refused.stderr.contains("error[R341]"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/attain.db"))
        }
        // A close that succeeds keeps its ledger.
        let closed = Commands.close(plans: ["sdr.plan"], data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true,
                                    formats: [.payroll], clock: "2026-04-01T00:00:00Z", reader: InputReader(root: dir))
        #expect(closed.exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/attain.db"))
    }
}
