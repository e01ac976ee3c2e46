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
}
