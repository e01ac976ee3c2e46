// The pieces of finance's close working together on golden/close-two-quarters-finance: what-ifs read the same
// payments a close does.
import Attain
import AttainTool
import Testing

@Suite struct FinanceCloseTests {
    let reader = InputReader(root: repositoryRoot + "/golden/close-two-quarters-finance")

    @Test func compareCostsAPlanThatPaysOnCollectionAsTheCloseDoes() throws {
        // Q1: R1 earns 5,000.00 of which 3,000.00 is held (D1 25% collected), R2 3,000.00 collected in full: the close pays
        // 2,000.00 + 3,000.00 = 5,000.00, and so does the baseline of a compare on the same folder.
        let o = Commands.compare(plans: ["ae.plan"], data: ".", periods: ["2026-Q1"], candidates: [], whatIfs: [], scale: nil, lossThreshold: "10%",
                                 reader: reader)
        #expect(o.exitCode == 0, "\(o.stderr)")
        #expect(!o.stderr.contains("D308"))
        let summary = try #require(o.files.first { $0.path == "compare/summary.csv" }?.text).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(summary[1][0] == "baseline" && summary[1][1] == "5000.00")
    }

    @Test func estimateHoldsWhatACloseWouldHold() {
        // R1's pay now is the close's 2,000.00 (3,000.00 of D1 held), and a new deal no customer has paid yet adds its
        // 1,000.00 commission and a hold of the same: nothing more is paid this quarter.
        let o = Commands.estimate(plans: ["ae.plan"], data: ".", period: "2026-Q1", payee: "R1", deals: ["amount=10000.00,product=Platform"], set: [],
                                  strict: false, reader: reader)
        #expect(o.exitCode == 0, "\(o.stderr)")
        #expect(o.stdout.contains("paid now:        2000.00 USD"))
        #expect(o.stdout.contains("with the deals:  2000.00 USD"))
        #expect(o.stdout.contains("Bookings commission · WHATIF-1 (hold)          –        -1000.00  -1000.00"))
    }
}
