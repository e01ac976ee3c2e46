// A prior-period adjustment says how its "now" was made: the recomputed period's line on the deal, in every language,
// on the data of golden/prior-period-adjustment (Q1 closed, then D3's split moves from 50% / 50% to 70% / 30%).
import Foundation
import Testing
@testable import Attain

@Suite struct RecomputedWorkingTests {
    static let dir = repositoryRoot + "/golden/prior-period-adjustment"

    static func file(_ name: String) throws -> InputFile {
        InputFile(path: name, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))))
    }

    static func run(_ period: String, deals: String, history: LedgerHistory = .empty) throws -> RunResult {
        let plan = try String(contentsOfFile: dir + "/rep.plan", encoding: .utf8)
        let r = RunRequest(plans: [SourceFile(path: "rep.plan", text: plan)], deals: try file(deals), roster: try file("roster.csv"),
                           assignments: try file("assignments.csv"), period: period)
        switch Engine.run(r, history: history) {
        case .success(let result): return result
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    /// B's Q2 statement after Q1 was closed with the first inputs, and its D3 adjustment.
    static func adjustment() throws -> (Attain.Statement, StatementLine) {
        let q1 = try run("2026-Q1", deals: "deals.csv")
        let q2 = try run("2026-Q2", deals: "2026-Q2/deals.csv", history: LedgerHistory.empty.posting(q1))
        let b = try #require(q2.statements.first { $0.payeeID == "B" })
        let line = try #require(b.lines.first { $0.kind == .adjustment && $0.dealID == "D3" })
        return (b, line)
    }

    @Test func theAdjustmentCarriesTheRecomputedLine() throws {
        let (_, line) = try Self.adjustment()
        #expect((line.amount.text, line.working?.was, line.working?.now) == ("-400.00", "1000.00", "600.00"))
        let now = try #require(line.working?.recomputedLines)
        #expect(now.count == 1)
        #expect(now.map { [$0.dealID, $0.component, $0.base, $0.share, $0.rate, $0.amount.text] } == [["D3", "Commission", "6000.00", "30%", "10%", "600.00"]])
        // B's Q1 measure now: D3's 6,000.00 only (the plan's measure has no quota, so no attainment).
        #expect(now.first?.running.map { "\($0.measure) \($0.before)→\($0.after) \($0.attainmentAfter ?? "none")" } == "bookings 0.00→6000.00 none")
    }

    @Test func theNowSentenceInEnglishAndChinese() throws {
        let (s, line) = try Self.adjustment()
        #expect(StatementHTML.describeNow(line, locale: .english, currency: s.currency) == ["now: Deal D3 (your 30% share), 6,000.00 at 10% = 600.00"])
        #expect(StatementHTML.describeNow(line, locale: .simplifiedChinese, currency: s.currency) == ["现为：交易 D3（你的份额 30%），6,000.00 × 10% = 600.00"])
    }

    @Test func thePageShowsTheNowLineUnderTheAdjustment() throws {
        let (s, _) = try Self.adjustment()
        let page = StatementHTML.render(s)
        let row = try #require(page.components(separatedBy: "<tr class=\"adjustment\">").dropFirst().first)
        #expect(row.contains("<div class=\"now\">now: Deal <bdi>D3</bdi>"))
        #expect(row.contains("= 600.00"))
    }
}
