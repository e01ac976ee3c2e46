// Big bad input is answered in time linear in its size, with a bounded amount of text: each test's input is large
// enough that a quadratic step would take minutes, and checks the exact messages and their cap.
import Foundation
import Testing
@testable import Attain

@Suite struct BadInputTests {
    static func file(_ path: String, _ text: String) -> InputFile { InputFile(path: path, bytes: Array(text.utf8)) }

    static let dealsHeader = "deal_id,rep_id,close_date,amount,currency,product,type"

    /// 20,000 assignments of reps the roster (20,000 reps) does not have: a "did you mean" for the 50 errors shown
    /// only, and one line for the rest.
    @Test func unknownRepsGetSuggestionsOnlyWhereShown() {
        let n = 20_000
        let roster = Set((0..<n).map { "AE" + String(format: "%05d", $0) })
        let rows = (0..<n).map { "AX" + String(format: "%05d", $0) + ",P,2026-01-01,2026-12-31,100000.00,1000.00\n" }
        var d = Diagnostics()
        let loaded = DataLoader(declaredFields: [:], planNames: ["P"])
            .loadAssignments(BadInputTests.file("assignments.csv", "rep_id,plan,start_date,end_date,quota,target_incentive\n" + rows.joined()), repIDs: roster, &d)
        #expect(loaded.isEmpty)
        #expect(d.items.count == DataLoader.errorLimit + 1)
        #expect(d.items.prefix(DataLoader.errorLimit).allSatisfy { $0.code == "D240" })
        #expect(d.items[0].message == "rep `AX00000` is not in the roster")
        #expect(d.items[0].notes.map(\.message) == ["did you mean `AE00000`?"])
        #expect(d.items[49].message == "rep `AX00049` is not in the roster")
        #expect(d.items[49].notes.map(\.message) == ["did you mean `AE00049`?"])
        #expect(d.items[50].code == "D299")
        #expect(d.items[50].message == "19,950 more errors in assignments.csv not shown")
    }

    /// 3,000 reps and 30,000 deal rows naming them lower-cased: one warning, each shown id found by its case.
    @Test func lowerCasedRepIdsAreFoundByTheirCase() throws {
        let reps = (0..<3_000).map { "AE" + String(format: "%04d", $0) }
        let roster = "rep_id,name,manager_id,hire_date,end_date\n" + reps.map { "\($0),Rep \($0),,2025-01-01,\n" }.joined()
        let deals = BadInputTests.dealsHeader + "\n" + (0..<30_000).map { "D\($0),\(reps[$0 % 3_000].lowercased()),2026-02-01,100.00,USD,Widget,new\n" }.joined()
        var d = Diagnostics()
        var off: [Deal] = []
        let loader = DataLoader(declaredFields: [:], planNames: ["P"])
        let (table, _) = loader.loadDeals(BadInputTests.file("deals.csv", deals), reps: loader.loadRoster(BadInputTests.file("roster.csv", roster), &d), &d, offRoster: &off)
        #expect(table.count == 0)
        #expect(off.count == 30_000)
        #expect(d.items.map(\.code) == ["D230"])
        let w = try #require(d.items.first)
        #expect(w.message == "30000 deal rows name reps not in the roster, and are not paid: `ae0000` (10), `ae0001` (10), `ae0002` (10), `ae0003` (10), `ae0004` (10) and 2995 more")
        #expect(w.notes.map(\.message) == ["`ae0000`: did you mean `AE0000`?", "`ae0001`: did you mean `AE0001`?", "`ae0002`: did you mean `AE0002`?",
                                           "`ae0003`: did you mean `AE0003`?", "`ae0004`: did you mean `AE0004`?",
                                           "add the reps to roster.csv to pay them; --strict makes this an error"])
    }

    /// A header with 20,000 more `amount` columns: one error, not one per column, and a short one.
    @Test func aHeaderWithThousandsOfRepeatedColumnsIsOneError() throws {
        let n = 20_000
        let deals = BadInputTests.dealsHeader + String(repeating: ",amount", count: n) + "\nD1,A,2026-02-01,100.00,USD,Widget,new" + String(repeating: ",1", count: n) + "\n"
        var d = Diagnostics()
        var off: [Deal] = []
        let loader = DataLoader(declaredFields: [:], planNames: ["P"])
        _ = loader.loadDeals(BadInputTests.file("deals.csv", deals), reps: loader.loadRoster(BadInputTests.file("roster.csv", oneRep), &d), &d, offRoster: &off)
        #expect(d.items.map(\.code) == ["D203"])
        let e = try #require(d.items.first)
        #expect(e.message == "column `amount` appears 20,001 times in the header")
        #expect((e.span?.line, e.span?.column, e.span?.width) == (1, 56, 6))
        #expect(e.span?.lineText == String((BadInputTests.dealsHeader + String(repeating: ",amount", count: 30)).prefix(200)) + "…")
        #expect(DiagnosticRenderer.render(d).utf8.count < 1_000)
        // Several names repeated: the first five, and how many more.
        let names = (0..<8).map { "x\($0)" }
        var again = Diagnostics()
        let twice = BadInputTests.dealsHeader + "," + (names + names + ["x0"]).joined(separator: ",") + "\n"
        _ = loader.loadDeals(BadInputTests.file("deals.csv", twice), reps: [], &again, offRoster: &off)
        #expect(again.items.map(\.message) == ["8 column names appear more than once in the header: `x0` (3 times), `x1` (2 times), `x2` (2 times), `x3` (2 times), `x4` (2 times) and 3 more"])
    }

    /// A 1 MB deals.csv of one line (a thousand columns of over a thousand characters), and one of a header and a 1 MB
    /// row: a few kilobytes of messages, values and lines cut.
    @Test func aMegabyteLineGivesAShortAnswer() throws {
        let fields = (0..<1_000).map { "c\($0)-" + String(repeating: "x", count: 1_050) }
        var d = Diagnostics()
        var off: [Deal] = []
        let loader = DataLoader(declaredFields: [:], planNames: ["P"])
        _ = loader.loadDeals(BadInputTests.file("deals.csv", fields.joined(separator: ",")), reps: [], &d, offRoster: &off)
        #expect(d.items.map(\.code) == Array(repeating: "D204", count: 7))
        #expect(d.items.map(\.message).first == "missing column `deal_id`")
        #expect(d.items.allSatisfy { $0.span?.column == 1 && $0.span?.width == 60 && $0.span?.lineText == String(fields.joined(separator: ",").prefix(200)) + "…" })
        #expect(DiagnosticRenderer.render(d).utf8.count < 20_000)

        let digits = String(repeating: "9", count: 1 << 20)
        var row = Diagnostics()
        _ = loader.loadDeals(BadInputTests.file("deals.csv", BadInputTests.dealsHeader + "\nD1,A,2026-02-01," + digits + ",USD,Widget,new"),
                             reps: loader.loadRoster(BadInputTests.file("roster.csv", oneRep), &row), &row, offRoster: &off)
        #expect(row.items.map(\.code) == ["D211"])
        #expect(row.items[0].message.hasPrefix("`amount` is `" + String(repeating: "9", count: 60) + "…`: "))
        #expect((row.items[0].span?.column, row.items[0].span?.width) == (17, 60))
        #expect(DiagnosticRenderer.render(row).utf8.count < 2_000)
    }

    /// The reader's errors (5,000 rows with a stray quote) are capped like the others, with one line for the rest.
    @Test func readerErrorsAreCappedPerFile() {
        let deals = BadInputTests.dealsHeader + "\n" + (0..<5_000).map { "D\($0),A,2026-02-01,1\"0,USD,Widget,new\n" }.joined()
        var d = Diagnostics()
        var off: [Deal] = []
        let loader = DataLoader(declaredFields: [:], planNames: ["P"])
        _ = loader.loadDeals(BadInputTests.file("deals.csv", deals), reps: loader.loadRoster(BadInputTests.file("roster.csv", oneRep), &d), &d, offRoster: &off)
        #expect(d.items.count == DataLoader.errorLimit + 1)
        #expect(d.items.prefix(DataLoader.errorLimit).allSatisfy { $0.code == "D201" })
        #expect(d.items.last?.message == "4,950 more errors in deals.csv not shown")
    }

    /// `Amount` for `amount` is said as a case difference, naming what is expected.
    @Test func aColumnInTheWrongCaseSaysSo() throws {
        var d = Diagnostics()
        var off: [Deal] = []
        let loader = DataLoader(declaredFields: [:], planNames: ["P"])
        _ = loader.loadDeals(BadInputTests.file("deals.csv", "deal_id,rep_id,close_date,Amount,currency,product,typ\nD1,A,2026-02-01,1.00,USD,Widget,new\n"),
                             reps: [], &d, offRoster: &off)
        #expect(d.items.map(\.message) == ["missing column `amount`", "missing column `type`"])
        #expect(d.items[0].notes.map(\.message) == ["column names are lower-case: `Amount` should be `amount`"])
        #expect(d.items[1].notes.map(\.message) == ["the header has `typ`: did you mean `type`?"])
        // Each at the header's column it names.
        #expect(d.items.map { [$0.span?.column, $0.span?.width] } == [[27, 6], [51, 3]])
    }

    /// The search stays exact for short lists and finds near names in long ones, by their start or by their end.
    @Test func suggestionsInLongLists() {
        let ids = (0..<50_000).map { "REP-" + String(format: "%05d", $0) }
        let names = Suggestion.Names(ids)
        #expect(names.closest(to: "rep-01234") == "REP-01234")
        #expect(names.closest(to: "REP-0123") == "REP-00123")
        #expect(names.closest(to: "XEP-01234") == "REP-01234")
        #expect(names.closest(to: "REP-01234X") == "REP-01234")
        #expect(names.closest(to: "nothing like it") == nil)
        #expect(Suggestion.closest(to: "amont", in: ["amount", "account"]) == "amount")
        #expect(Suggestion.closest(to: "ab", in: ["ac", "ad"]) == "ac")
        #expect(Suggestion.cut(String(repeating: "é", count: 61)) == String(repeating: "é", count: 60) + "…")
        #expect(Suggestion.cut(String(repeating: "é", count: 60)) == String(repeating: "é", count: 60))
    }

    static let chainPlan = header + """
        measure bookings = sum of deal.amount

        commission "Commission" on bookings
          rate 10%

        override "Team override" on bookings
          for direct reports
          rate 2%
        """

    /// A chain of managers 8,000 deep (each the manager of the next; 4,000 with hierarchy.csv, whose walk up the chain
    /// for every deal was slower still), each with one deal: an override on direct reports reads each manager's one
    /// report.
    @Test(arguments: [false, true]) func aDeepChainOfManagers(dated: Bool) throws {
        let n = dated ? 4_000 : 8_000
        let ids = (0..<n).map { "M" + String(format: "%05d", $0) }
        let roster = "rep_id,name,manager_id,hire_date,end_date\n" + (0..<n).map { "\(ids[$0]),Rep,\($0 == 0 ? "" : ids[$0 - 1]),2024-01-01,\n" }.joined()
        let deals = BadInputTests.dealsHeader + "\n" + (0..<n).map { "D\($0),\(ids[$0]),2026-02-01,100.00,USD,Widget,new\n" }.joined()
        let hierarchy = "rep_id,manager_id,start_date,end_date\n" + (0..<n).map { "\(ids[$0]),\($0 == 0 ? "" : ids[$0 - 1]),2024-01-01,\n" }.joined()
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: BadInputTests.chainPlan)], deals: BadInputTests.file("deals.csv", deals),
                                 roster: BadInputTests.file("roster.csv", roster), assignments: BadInputTests.file("assignments.csv", assignments(ids.map { ($0, "100000.00") })),
                                 hierarchy: dated ? BadInputTests.file("hierarchy.csv", hierarchy) : nil, period: "2026-Q1")
        guard case .success(let r) = Engine.run(request) else { Issue.record("the run failed"); return }
        #expect(r.statements.count == n)
        // Every manager: 10.00 on their own deal and 2.00 on their report's; the last of the chain 10.00.
        #expect(r.statements.dropLast().allSatisfy { $0.paid.text == "12.00" })
        #expect(r.statements.last?.paid.text == "10.00")
        let top = try #require(r.statements.first)
        #expect(top.lines.map { "\($0.kind) \($0.dealID ?? "") \($0.amount.text)" } == ["commission D0 10.00", "override D1 2.00"])
    }

    /// One manager over a chain 10,000 deep, paid an override on everyone below, with hierarchy.csv: whether each deal's
    /// rep is below the manager on its date is found once for every rep, not by a walk up the whole chain per deal.
    @Test func aDeepChainUnderOneManagerPaidOnAllReports() throws {
        let n = 10_000
        let ids = (0...n).map { "M" + String(format: "%05d", $0) }
        let roster = "rep_id,name,manager_id,hire_date,end_date\n" + (0...n).map { "\(ids[$0]),Rep,\($0 == 0 ? "" : ids[$0 - 1]),2024-01-01,\n" }.joined()
        let deals = BadInputTests.dealsHeader + "\n" + (1...n).map { "D\($0),\(ids[$0]),2026-02-01,100.00,USD,Widget,new\n" }.joined()
        let hierarchy = "rep_id,manager_id,start_date,end_date\n" + (1...n).map { "\(ids[$0]),\(ids[$0 - 1]),2024-01-01,\n" }.joined()
        let plan = header + """
            measure bookings = sum of deal.amount

            override "Team override" on bookings
              for all reports
              rate 2%
            """
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: BadInputTests.file("deals.csv", deals),
                                 roster: BadInputTests.file("roster.csv", roster), assignments: BadInputTests.file("assignments.csv", assignments([(ids[0], "100000.00")])),
                                 hierarchy: BadInputTests.file("hierarchy.csv", hierarchy), period: "2026-Q1")
        guard case .success(let r) = Engine.run(request) else { Issue.record("the run failed"); return }
        let top = try #require(r.statements.first)
        #expect(r.statements.map(\.payeeID) == ["M00000"])
        #expect(top.lines.count == n)
        #expect(top.paid.text == "20000.00")
    }
}
