// The index of a period's statements and the team pages: rows, order, links and totals; what a plan shares and what
// stays private; the `share` line's errors; the words and direction of each language.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct TeamPageTests {
    static func plan(_ name: String, share: String?) -> String {
        """
        plan "\(name)" version "1"
        effective 2026-01-01 to 2026-12-31
        currency USD
        period quarter
        rounding half-up to 0.01
        \(share ?? "")

        measure bookings = sum of deal.amount
          quota from assignment
          weight 60%

        measure new_logos = count of deals where deal.type = "new"
          quota 4
          weight 40%

        commission "Commission" on bookings
          rate 10%

        """
    }

    static let manager = """
        plan "Manager" version "1"
        effective 2026-01-01 to 2026-12-31
        currency USD
        period quarter
        rounding half-up to 0.01

        measure team_bookings = sum of deal.amount

        override "Team override" on team_bookings
          for direct reports
          rate 2%

        """

    static let roster = """
        rep_id,name,manager_id,hire_date,end_date,locale
        M1,Mina,,2024-01-01,,fa
        R1,Ravi,M1,2024-01-01,,
        R2,Rong,M1,2024-01-01,,zh-Hans
        R3,Rosa,M1,2024-01-01,,

        """

    static let assignments = """
        rep_id,plan,start_date,end_date,quota,target_incentive
        M1,Manager,2026-01-01,2026-12-31,0,5000.00
        R1,AE-Shared,2026-01-01,2026-12-31,100000.00,10000.00
        R2,AE-Shared,2026-01-01,2026-12-31,80000.00,10000.00
        R3,AE-Private,2026-01-01,2026-12-31,50000.00,10000.00

        """

    static let deals = """
        deal_id,rep_id,close_date,amount,currency,product,type
        D1,R1,2026-01-10,60000.00,USD,Gadget,new
        D2,R1,2026-02-14,30000.00,USD,Gadget,renewal
        D3,R2,2026-01-20,50000.00,USD,Gadget,new
        D4,R2,2026-03-02,50000.00,USD,Gadget,new
        D6,R3,2026-02-20,20000.00,USD,Gadget,new

        """

    /// The team of the golden case `team-page`: Ravi and Rong on a plan that shares (`share`), Rosa on one that does not.
    static func run(share: String = "share attainment with team") throws -> (RunResult, DataSet, PageContext) {
        let plans = [SourceFile(path: "shared.plan", text: plan("AE-Shared", share: share)), SourceFile(path: "private.plan", text: plan("AE-Private", share: nil)),
                     SourceFile(path: "manager.plan", text: manager)]
        let request = RunRequest(plans: plans, deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: "2026-Q1")
        let prepared: PreparedRun
        switch Engine.prepare(request) {
        case .success(let p): prepared = p
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
        guard case .success(let period) = Engine.period("2026-Q1", plans: prepared.plans) else { throw EngineFailed(text: "period") }
        switch Engine.evaluate(prepared, period: period) {
        case .success(let r): return (r, prepared.data, PageContext(plans: plans, reps: prepared.data.reps))
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    /// The team page of `manager` in `context`'s languages.
    static func teamPage(_ result: RunResult, _ data: DataSet, _ context: PageContext, manager: String = "M1") -> String? {
        TeamPage.files(result, tree: TeamTree(data: data, period: result.period), context: context).first { $0.manager == manager }?.text
    }

    @Test func theSharingOfEachPlanIsKept() throws {
        let (result, _, _) = try Self.run()
        let byName = Dictionary(uniqueKeysWithValues: result.plans.map { ($0.name, $0.sharing) })
        #expect(byName["AE-Shared"]?.sharesAttainment == true)
        #expect(byName["AE-Shared"]?.sharesPay == false)
        #expect(byName["AE-Shared"]?.attainment?.line == 6)
        #expect(byName["AE-Private"]?.sharesAttainment == false)
        #expect(byName["Manager"]?.sharesAttainment == false)
    }

    @Test func theIndexListsEveryStatementInIdOrderWithLinksAndTotals() throws {
        let (result, data, context) = try Self.run()
        let teams = TeamPage.files(result, tree: TeamTree(data: data, period: result.period), context: context)
        #expect(teams.map(\.path) == ["2026-Q1/team/M1.html"])
        let page = IndexPage.render(result.statements, period: result.period, context: context, teams: Set(teams.map(\.manager)))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"))
        let rows = page.split(separator: "\n").filter { $0.hasPrefix("<tr><td><a href=\"statements/") }
        #expect(rows.count == 4)
        let order = ["M1", "R1", "R2", "R3"].map { id in rows.firstIndex { $0.contains("href=\"statements/\(id).html\"") } }
        #expect(order == [0, 1, 2, 3])
        #expect(rows[0].contains("<bdi>Mina</bdi>") && rows[0].contains("<td><bdi>Manager</bdi> v<bdi>1</bdi></td>") && rows[0].contains("<bdi>4,200.00\u{A0}USD</bdi>"))
        #expect(rows[0].contains("<a href=\"team/M1.html\">team</a>"))
        #expect(rows[1].contains("<bdi>Ravi</bdi>") && rows[1].contains("<bdi>64%</bdi>") && rows[1].contains("<bdi>9,000.00\u{A0}USD</bdi>"))
        #expect(rows[1].contains("style=\"width:32%\""))
        #expect(rows[2].contains("<bdi>95%</bdi>") && rows[2].contains("<bdi>10,000.00\u{A0}USD</bdi>"))
        #expect(rows[3].contains("<bdi>Rosa</bdi>") && rows[3].contains("<bdi>AE-Private</bdi> v<bdi>1</bdi>") && rows[3].contains("<bdi>34%</bdi>"))
        #expect(!rows[1].contains("team/"))
        #expect(page.contains("<tr><th colspan=\"4\">Total paid (<bdi>USD</bdi>)</th><td class=\"num\"><bdi>25,200.00\u{A0}USD</bdi></td><td></td></tr>"))
        #expect(page.contains("Payees: 4"))
        #expect(!page.contains("<script"))
    }

    @Test func statementsCollapsedAsTheyAreWrittenMakeTheSamePages() throws {
        let (result, data, context) = try Self.run()
        var collapsed = result.statements
        for i in collapsed.indices { collapsed[i].collapseLines() }
        #expect(collapsed.map(\.lines.count) != result.statements.map(\.lines.count))
        let after = RunResult(period: result.period, plans: result.plans, statements: collapsed, warnings: result.warnings)
        #expect(IndexPage.render(collapsed, period: result.period, context: context) == IndexPage.render(result.statements, period: result.period, context: context))
        #expect(Self.teamPage(after, data, context) == Self.teamPage(result, data, context))
    }

    @Test func theTeamPageShowsSharedFiguresAndHidesPrivateOnes() throws {
        let (result, data, _) = try Self.run()
        // In English, for reading the figures.
        let context = PageContext(plans: [], reps: data.reps.map { Rep(id: $0.id, name: $0.name, managerID: $0.managerID, hireDate: $0.hireDate, endDate: $0.endDate, line: $0.line) })
        let page = try #require(Self.teamPage(result, data, context))
        #expect(page.contains("<h1><bdi>Mina</bdi>’s team</h1>"))
        for name in ["Ravi", "Rong", "Rosa"] { #expect(page.contains("<h3><bdi>\(name)</bdi></h3>")) }
        // Ravi: 90000.00 of 100000.00 = 90%; 1 new logo of 4 = 25%; total 64%.
        #expect(page.contains("<tr><td><bdi>bookings</bdi></td><td><bdi>90,000.00</bdi> of <bdi>100,000.00</bdi> <span class=\"muted\">USD</span></td>"))
        #expect(page.contains("<bdi>90%</bdi>") && page.contains("<bdi>25%</bdi>") && page.contains("<bdi>64%</bdi>"))
        #expect(page.contains("<bdi>1</bdi> of <bdi>4</bdi>"))
        // Rong: 125%, 50%, 95%; the bar of 125% fills 62.5% of a bar that runs to 200%.
        #expect(page.contains("<bdi>100,000.00</bdi> of <bdi>80,000.00</bdi>"))
        #expect(page.contains("<bdi>125%</bdi>") && page.contains("<bdi>95%</bdi>"))
        #expect(page.contains("style=\"width: 62.5%\""))
        // Rosa is private: named, no figure (her bookings are 40% of quota, her total attainment 34%).
        #expect(page.contains("<span class=\"badge\">Private</span>"))
        #expect(!page.contains("40%") && !page.contains(">34%") && !page.contains("\"34%"))
        #expect(!page.contains("20,000") && !page.contains("50,000.00"))
        // No pay without `share pay with team`.
        #expect(!page.contains("9,000.00") && !page.contains("10,000.00") && !page.contains("Paid"))
        // The roll-up of the shared reports: 190000.00 of 180000.00 = 105.55%; 3 of 8 = 37.5%.
        #expect(page.contains("<bdi>190,000.00</bdi> of <bdi>180,000.00</bdi>"))
        #expect(page.contains("<bdi>105.55%</bdi>"))
        #expect(page.contains("<bdi>3</bdi> of <bdi>8</bdi>") && page.contains("<bdi>37.5%</bdi>"))
        #expect(page.contains("Sums over the 2 reports whose plans share attainment. Private reports left out: 1."))
        #expect(page.contains("<a href=\"../index.html\">All statements</a>"))
    }

    @Test func sharingPayShowsWhatEachSharedReportWasPaid() throws {
        let (result, data, context) = try Self.run(share: "share attainment and pay with team")
        let page = try #require(Self.teamPage(result, data, PageContext(plans: [], reps: [])))
        #expect(page.contains("Paid: <strong><bdi>9,000.00\u{A0}USD</bdi></strong>"))
        #expect(page.contains("Paid: <strong><bdi>10,000.00\u{A0}USD</bdi></strong>"))
        #expect(!page.contains("2,000.00"))
        _ = context
    }

    @Test func noTeamPageWithoutAReportOnASharingPlan() throws {
        let (result, data, context) = try Self.run(share: "")
        #expect(TeamPage.files(result, tree: TeamTree(data: data, period: result.period), context: context).isEmpty)
        let page = IndexPage.render(result.statements, period: result.period, context: context)
        #expect(!page.contains("team/"))
    }

    @Test func theTeamPageIsInTheManagersLanguageRightToLeftInPersian() throws {
        let (result, data, context) = try Self.run()
        let page = try #require(Self.teamPage(result, data, context))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">"))
        #expect(page.contains("<h1>تیم <bdi>Mina</bdi></h1>"))
        #expect(page.contains("<span class=\"badge\">خصوصی</span>"))
        #expect(page.contains("<bdi>۹۰٬۰۰۰٫۰۰</bdi> از <bdi>۱۰۰٬۰۰۰٫۰۰</bdi>"))
        #expect(page.contains("<bdi>۱۰۵٫۵۵٪</bdi>"))
        #expect(!page.contains("۴۰٪") && !page.contains("۳۴٪"))
        #expect(page.contains("inset-inline-start") && page.contains("Noto Naskh Arabic"))

        var chinese = context
        chinese.locales["M1"] = .simplifiedChinese
        let zh = try #require(Self.teamPage(result, data, chinese))
        #expect(zh.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-Hans\" dir=\"ltr\">"))
        #expect(zh.contains("<h1><bdi>Mina</bdi>的团队</h1>"))
        #expect(zh.contains("<bdi>90,000.00</bdi> / 目标 <bdi>100,000.00</bdi>"))
        #expect(zh.contains("不公开") && zh.contains("团队汇总"))
    }

    @Test func theIndexIsInTheRunsLanguage() throws {
        let (result, _, context) = try Self.run()
        var c = context
        c.defaultLocale = .persian
        let fa = IndexPage.render(result.statements, period: result.period, context: c)
        #expect(fa.hasPrefix("<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">"))
        #expect(fa.contains("<th>دریافت‌کننده</th>") && fa.contains("<bdi>۶۴٪</bdi>") && fa.contains("جمع پرداختی (<bdi>USD</bdi>)") && fa.contains("<h1>همهٔ صورت‌حساب‌های <bdi>2026-Q1</bdi></h1>"))
        c.defaultLocale = .simplifiedChinese
        let zh = IndexPage.render(result.statements, period: result.period, context: c)
        #expect(zh.contains("<th class=\"num\">达成率</th>") && zh.contains("<bdi>AE-Shared</bdi>（第 <bdi>1</bdi> 版）") && zh.contains("实发合计（<bdi>USD</bdi>）"))
    }

    @Test func linksKeepTheFileNamesEscapes() {
        #expect(Engine.fileName("a b") == "a%20b")
        #expect(TeamPage.href(Engine.fileName("a b")) == "a%2520b")
        #expect(TeamPage.href("R1") == "R1")
    }

    @Test func theWordsOfThePagesHoldNoMarkup() {
        for locale in ReportLocale.all {
            for (key, text) in locale.catalog where key.hasPrefix("team.") || key.hasPrefix("index.") {
                #expect(!text.contains("<") && !text.contains(">") && !text.contains("&"), "\(locale) \(key)")
            }
        }
    }

    @Test func theTreeOfAPeriodComesFromHierarchyRowsOverlappingIt() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nM1,Mina,,2024-01-01,\nM2,Max,,2024-01-01,\nR1,Ravi,M1,2024-01-01,\nR2,Rong,M1,2024-01-01,\n"
        let hierarchy = "rep_id,manager_id,start_date,end_date\nR1,M1,2025-01-01,2026-02-14\nR1,M2,2026-02-15,\nR2,M1,2025-01-01,2025-12-31\nR2,M2,2026-01-01,\n"
        var request = RunRequest(plans: [SourceFile(path: "m.plan", text: Self.manager)], deals: InputFile(path: "deals.csv", bytes: Array("deal_id,rep_id,close_date,amount,currency,product,type\n".utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array("rep_id,plan,start_date,end_date,quota,target_incentive\n".utf8)), period: "2026-Q1")
        request.hierarchy = InputFile(path: "hierarchy.csv", bytes: Array(hierarchy.utf8))
        guard case .success(let prepared) = Engine.prepare(request), case .success(let q1) = Engine.period("2026-Q1", plans: prepared.plans),
              case .success(let q4) = Engine.period("2025-Q4", plans: prepared.plans) else { Issue.record("did not prepare"); return }
        #expect(TeamTree(data: prepared.data, period: q1).reports == ["M1": ["R1"], "M2": ["R1", "R2"]])
        #expect(TeamTree(data: prepared.data, period: q4).reports == ["M1": ["R1", "R2"]])
        var plain = request
        plain.hierarchy = nil
        guard case .success(let p2) = Engine.prepare(plain) else { Issue.record("did not prepare"); return }
        #expect(TeamTree(data: p2.data, period: q1).reports == ["M1": ["R1", "R2"]])
    }

    // MARK: The `share` line

    static func codes(_ share: String, measures: Bool = true) -> [String] {
        let body = measures ? "measure bookings = sum of deal.amount\n  quota from assignment\n\ncommission \"C\" on bookings\n  rate 10%\n"
            : "spif \"Launch\"\n  from 2026-01-01 to 2026-03-31\n  pay 100.00 USD per deal\n"
        return diagnose(header + share + "\n\n" + body).filter { $0.severity == .error }.map(\.code)
    }

    @Test func shareLinesThatRead() {
        #expect(Self.codes("share attainment with team") == [])
        #expect(Self.codes("share attainment and pay with team") == [])
        #expect(Self.codes("share attainment, pay with team") == [])
        #expect(Self.codes("share attainment with team\nshare pay with team") == [])
    }

    @Test func shareLineErrors() {
        #expect(Self.codes("share") == ["P320"])
        #expect(Self.codes("share 5 with team") == ["P320"])
        #expect(Self.codes("share attainmnt with team") == ["P321"])
        #expect(Self.codes("share attainment and attainment with team") == ["P322"])
        #expect(Self.codes("share attainment with team\nshare attainment with team") == ["P323"])
        #expect(Self.codes("share attainment") == ["P324"])
        #expect(Self.codes("share attainment with manager") == ["P325"])
        #expect(Self.codes("share attainment with") == ["P325"])
        #expect(Self.codes("share pay with team") == ["E210"])
        #expect(Self.codes("share attainment with team", measures: false) == ["E211"])
    }

    @Test func shareErrorsSayWhereAndWhatToWrite() throws {
        let typo = try #require(diagnose(header + "share attainmnt with team\n\nmeasure b = sum of deal.amount\n\ncommission \"C\" on b\n  rate 1%\n").first { $0.code == "P321" })
        #expect(typo.message == "a plan shares `attainment` or `pay` with the team, not `attainmnt`")
        #expect(typo.span?.line == 6 && typo.span?.column == 7)
        #expect(typo.notes.map(\.message) == ["did you mean `attainment`?"])
        let twice = try #require(diagnose(header + "share attainment with team\nshare attainment with team\n\nmeasure b = sum of deal.amount\n\ncommission \"C\" on b\n  rate 1%\n").first { $0.code == "P323" })
        #expect(twice.message == "the plan already shares `attainment` with the team")
        #expect(twice.span?.line == 7)
        #expect(twice.notes.first?.span?.line == 6)
        let pay = try #require(diagnose(header + "share pay with team\n\nmeasure b = sum of deal.amount\n\ncommission \"C\" on b\n  rate 1%\n").first { $0.code == "E210" })
        #expect(pay.message == "the plan shares pay with the team but not attainment")
    }

    // MARK: Written by run and close

    @Test func runAndCloseWriteTheIndexAndTeamPagesWithHTMLOnly() throws {
        let reader = InputReader(root: repositoryRoot)
        let plans = ["golden/team-page/shared.plan", "golden/team-page/private.plan", "golden/team-page/manager.plan"]
        let run = Commands.run(plans: plans, data: "golden/team-page", period: "2026-Q1", set: [], reader: reader, locale: .simplifiedChinese)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let paths = Set(run.files.map(\.path))
        #expect(paths.contains("2026-Q1/index.html") && paths.contains("2026-Q1/team/M1.html"))
        #expect(!paths.contains { $0.hasPrefix("2026-Q1/team/") && $0 != "2026-Q1/team/M1.html" })
        let index = try #require(run.files.first { $0.path == "2026-Q1/index.html" }?.text)
        #expect(index.contains("<html lang=\"zh-Hans\" dir=\"ltr\">") && index.contains("<a href=\"team/M1.html\">团队页</a>"))
        // The team page is in Mina's language (fa), whatever the run's default.
        #expect(run.files.first { $0.path == "2026-Q1/team/M1.html" }?.text.contains("<html lang=\"fa\" dir=\"rtl\">") == true)
        let json = Commands.run(plans: plans, data: "golden/team-page", period: "2026-Q1", set: [], formats: [.json, .payroll], reader: reader)
        #expect(json.exitCode == 0 && !json.files.contains { $0.path.hasSuffix("index.html") || $0.path.contains("/team/") })

        let dir = NSTemporaryDirectory() + "attain-team-close-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let close = Commands.close(plans: plans, data: "golden/team-page", period: "2026-Q1", set: [], ledgerPath: dir + "/attain.db", commit: true,
                                   clock: "2026-04-01T00:00:00Z", reader: reader)
        #expect(close.exitCode == 0, "\(close.stderr)")
        let closeIndex = try #require(close.files.first { $0.path == "2026-Q1/index.html" }?.text)
        #expect(closeIndex.contains("<bdi>25,200.00\u{A0}USD</bdi>"))
        #expect(close.files.contains { $0.path == "2026-Q1/team/M1.html" })
    }
}
