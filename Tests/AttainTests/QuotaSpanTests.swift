// Quota spans: `quota … per year|half|quarter|month|period` parses, explains, and sets the measured span's quota; a
// year-to-date window runs on across rows of the same plan; R313 warns of rows shorter than their quota's span.
import Testing
@testable import Attain

@Suite struct QuotaSpanTests {
    let ytdHeader = header + "true-up year to date\n"
    let commission = "commission \"C\" on bookings\n  tiers marginal over attainment\n  tier from 0% to 100% rate 5%\n  tier from 100% rate 10%\n"

    func plan(_ quotaLine: String, ytd: Bool = false) -> String {
        (ytd ? ytdHeader : header) + "measure bookings = sum of deal.amount\n  \(quotaLine)\n" + commission
    }

    func rows(_ rows: [(rep: String, plan: String, start: String, end: String, quota: String)]) -> String {
        "rep_id,plan,start_date,end_date,quota,target_incentive\n" + rows.map { "\($0.rep),\($0.plan),\($0.start),\($0.end),\($0.quota),10000.00\n" }.joined()
    }

    let dealsAB = """
        deal_id,rep_id,close_date,amount,currency,product,type
        A1,A,2026-02-10,60000.00,USD,G,new
        A2,A,2026-05-20,90000.00,USD,G,new

        """

    func run(_ plan: String, deals: String, assignments: String, roster: String = oneRep, period: String) throws -> RunResult {
        switch runEngine(plan: plan, deals: deals, roster: roster, assignments: assignments, period: period) {
        case .success(let r): return r
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    // MARK: Syntax and explain

    @Test(arguments: QuotaSpan.allCases)
    func eachSpanWordParses(_ span: QuotaSpan) throws {
        for line in ["quota from assignment per \(span.rawValue)", "quota from assignment.logo_quota per \(span.rawValue)",
                     "quota 250000.00 USD per \(span.rawValue)"] {
            var parser = Parser(file: SourceFile(path: "t", text: plan(line)))
            let ast = parser.parse()
            #expect(parser.diagnostics.items.isEmpty, "\(line): \(parser.diagnostics.items.map(\.message))")
            #expect(ast.measures[0].quotaSpan?.value == span, "\(line)")
            let (plans, d) = Engine.compile([SourceFile(path: "p.plan", text: plan(line))])
            #expect(!d.hasErrors, "\(line)")
            #expect(plans.first?.measures[0].quotaSpan == span, "\(line)")
        }
    }

    @Test func noSpanWordLeavesTheDefault() throws {
        let (plans, _) = Engine.compile([SourceFile(path: "p.plan", text: plan("quota from assignment"))])
        #expect(plans[0].measures[0].quotaSpan == nil)
        #expect(QuotaSpan.assumed(in: plans[0]) == .quarter)
        let (ytd, _) = Engine.compile([SourceFile(path: "p.plan", text: plan("quota from assignment", ytd: true))])
        #expect(QuotaSpan.assumed(in: ytd[0]) == .year)
        #expect(QuotaSpan.period.kind(in: ytd[0]) == .quarter)
    }

    @Test func aBadSpanWordIsAnErrorAtItsColumn() {
        expectError(plan("quota from assignment per 1️⃣quater"), code: "E017",
                    message: "a quota is `per year`, `per half`, `per quarter`, `per month` or `per period`, not `per quater`",
                    help: "did you mean `quarter`?")
        expectError(plan("quota from assignment.logo_quota per 1️⃣deal"), code: "E017", message: "not `per deal`")
        expectError(plan("quota 6 per 1️⃣weeks"), code: "E017", message: "not `per weeks`")
        expectError(plan("quota from assignment per 1️⃣"), code: "E020",
                    message: "expected `year`, `half`, `quarter`, `month` or `period` at the end of the line")
        expectError(plan("quota from assignment per 1️⃣2026"), code: "E020", message: "expected `year`, `half`, `quarter`, `month` or `period`, found")
    }

    @Test func explainShowsTheSpan() throws {
        func explained(_ text: String) -> String {
            let (plans, _) = Engine.compile([SourceFile(path: "p.plan", text: text)])
            return TreePrinter.describe(plans[0])
        }
        #expect(explained(plan("quota from assignment per year")).contains(
            "    quota: assignments.csv column `quota` per year: each active day counts the row's quota ÷ the days of its year, summed over the period\n"))
        #expect(explained(plan("quota from assignment per quarter", ytd: true)).contains(
            "    quota: assignments.csv column `quota` per quarter: each active day counts the row's quota ÷ the days of its quarter, summed over the year\n"))
        #expect(explained(plan("quota 250000.00 USD per period")).contains(
            "    quota: 250000.00 USD per period (one quarter): each active day counts it ÷ the days of its quarter, summed over the period\n"))
        #expect(explained(plan("quota from assignment")).contains("    quota: assignments.csv column `quota`, prorated by active days\n"))
    }

    // MARK: Quotas

    @Test func perYearOnAQuarterlyPlanCountsTheEmployedDaysOfTheYear() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2025-01-01,\nN,Rep N,,2026-02-15,\n"
        let a = rows([("A", "P", "2026-01-01", "2026-12-31", "400000.00"), ("N", "P", "2026-01-01", "2026-12-31", "400000.00")])
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nA1,A,2026-02-01,120000.00,USD,G,new\nN1,N,2026-03-01,40000.00,USD,G,new\n"
        let s = try run(plan("quota from assignment per year"), deals: deals, assignments: a, roster: roster, period: "2026-Q1").statements
        // 400,000.00 × 90/365 and × 45/365.
        #expect(s.map { $0.measures[0].quota } == ["98630.136986", "49315.068493"])
        #expect(s.map { $0.measures[0].attainment } == ["121.66%", "81.11%"])
        #expect(s.map(\.paid.text) == ["7068.49", "2000.00"])
        // The target incentive keeps its reading, per period: 45/90 of 10,000.00.
        #expect(s.map(\.targetIncentive) == ["10000.00", "5000.00"])
    }

    @Test func perMonthAddsTheMonthsEachProrated() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2026-02-15,\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nA1,A,2026-03-01,45000.00,USD,G,new\n"
        let s = try run(plan("quota from assignment per month"), deals: deals, assignments: rows([("A", "P", "2026-01-01", "2026-12-31", "30000.00")]),
                        roster: roster, period: "2026-Q1").statements[0]
        // 30,000.00 × 14/28 (February) + 30,000.00 × 31/31 (March).
        #expect(s.measures[0].quota == "45000.00")
        #expect(s.measures[0].attainment == "100.00%")
        let counted = header + "measure logos = count of deals\n  quota 6 per month\nbonus \"B\" on logos\n  at 100% pay 1000.00 USD\n"
        let constant = try run(counted, deals: deals,
                               assignments: rows([("A", "P", "2026-01-01", "2026-12-31", "1")]), roster: roster, period: "2026-Q1").statements[0]
        // 6 × 14/28 + 6 × 31/31; one deal of 9 is 11.11%.
        #expect(constant.measures[0].quota == "9")
        #expect(constant.measures[0].attainment == "11.11%")
    }

    /// Statements of the same inputs under two quota lines, as JSON text.
    func same(_ a: String, _ b: String, ytd: Bool, assignments: String, roster: String, period: String) throws -> Bool {
        let one = try run(plan(a, ytd: ytd), deals: dealsAB, assignments: assignments, roster: roster, period: period).statements.map(StatementJSON.text)
        let two = try run(plan(b, ytd: ytd), deals: dealsAB, assignments: assignments, roster: roster, period: period).statements.map(StatementJSON.text)
        #expect(!one.isEmpty)
        return one == two
    }

    @Test func theDefaultIsOnePeriodOrTheYearToDatesYear() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2026-02-15,\n"
        let year = rows([("A", "P", "2026-01-01", "2026-12-31", "100000.00")])
        #expect(try same("quota from assignment", "quota from assignment per period", ytd: false, assignments: year, roster: roster, period: "2026-Q1"))
        #expect(try same("quota from assignment", "quota from assignment per quarter", ytd: false, assignments: year, roster: roster, period: "2026-Q2"))
        #expect(try same("quota from assignment", "quota from assignment per year", ytd: true, assignments: year, roster: roster, period: "2026-Q2"))
        #expect(try !same("quota from assignment", "quota from assignment per year", ytd: false, assignments: year, roster: roster, period: "2026-Q1"))
    }

    // MARK: Year to date across rows

    @Test func quarterlyRowsPerQuarterAddUpOverTheYearToDate() throws {
        let a = rows([("A", "P", "2026-01-01", "2026-03-31", "100000.00"), ("A", "P", "2026-04-01", "2026-06-30", "100000.00")])
        let r = try run(plan("quota from assignment per quarter", ytd: true), deals: dealsAB, assignments: a, period: "2026-Q2")
        let s = r.statements[0]
        #expect(s.measures[0].quota == "200000.00")
        #expect(s.measures[0].value == "150000.00")
        #expect(s.measures[0].attainment == "75.00%")
        #expect(s.measuredOver == "2026-01-01 to 2026-06-30")
        #expect(s.paid.text == "7500.00")
        #expect(!r.warnings.items.contains { $0.code == "R313" })
    }

    @Test func aGapOrAnotherPlanStartsTheWindowAgain() throws {
        // The second row starts 2026-04-15, not the day after the first ends: only its own days count.
        let gap = rows([("A", "P", "2026-01-01", "2026-03-31", "100000.00"), ("A", "P", "2026-04-15", "2026-06-30", "100000.00")])
        let s = try run(plan("quota from assignment per quarter", ytd: true), deals: dealsAB, assignments: gap, period: "2026-Q2").statements[0]
        #expect(s.measuredOver == "2026-04-15 to 2026-06-30")
        #expect(s.measures[0].quota == "84615.384615") // 100,000.00 × 77/91
        #expect(s.measures[0].value == "90000.00")
    }

    @Test func theDefaultOnQuarterlyRowsWarnsWithWhatWasAssumed() throws {
        let a = rows([("A", "P", "2026-01-01", "2026-03-31", "100000.00"), ("A", "P", "2026-04-01", "2026-06-30", "100000.00")])
        let r = try run(plan("quota from assignment", ytd: true), deals: dealsAB, assignments: a, period: "2026-Q2")
        #expect(r.statements[0].measures[0].quota == "49589.041096") // 100,000.00 × (90 + 91)/365
        let w = r.warnings.items.filter { $0.code == "R313" }
        #expect(w.map { $0.span?.line } == [2, 3])
        #expect(w.map { $0.span?.column } == [27, 27])
        #expect(w.first?.message == "the `quota` of rep `A` on plan \"P\", 100000.00, is read as a year's quota (the plan states no span, and pays year to date), but its row covers only 2026-Q1 (2026-01-01 to 2026-03-31): 90/365 of it counts toward the year's quota")
        #expect(w.last?.message.contains("only 2026-Q2 (2026-04-01 to 2026-06-30): 91/365 of it") == true)
        #expect(w.first?.notes.map(\.message) == ["the quota of measure `bookings`", "if it is a quarter's quota, write `quota from assignment per quarter` under `measure bookings`"])
    }

    @Test func monthlyRowsOnAQuarterlyPlanWarn() throws {
        let a = rows([("A", "P", "2026-01-01", "2026-01-31", "30000.00"), ("A", "Q", "2026-02-01", "2026-03-31", "60000.00")])
        let second = plan("quota from assignment per quarter").replacingOccurrences(of: "plan \"P\"", with: "plan \"Q\"")
        let result = Engine.run(RunRequest(plans: [SourceFile(path: "p.plan", text: plan("quota from assignment")), SourceFile(path: "q.plan", text: second)],
                                           deals: InputFile(path: "deals.csv", bytes: Array(dealsAB.utf8)),
                                           roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                                           assignments: InputFile(path: "assignments.csv", bytes: Array(a.utf8)), period: "2026-Q1"))
        guard case .success(let r) = result else {
            Issue.record("the run failed")
            return
        }
        let w = r.warnings.items.filter { $0.code == "R313" }
        #expect(w.map(\.message) == ["the `quota` of rep `A` on plan \"P\", 30000.00, is read as a quarter's quota (the plan states no span: one payout period), but its row covers only 2026-01 (2026-01-01 to 2026-01-31): 31/90 of it counts toward the quarter's quota"])
        #expect(w.first?.span?.line == 2)
    }

    @Test func payoutCurvesMeasureAgainstTheSpannedQuota() throws {
        let a = rows([("A", "P", "2026-01-01", "2026-12-31", "400000.00")])
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nA1,A,2026-02-01,120000.00,USD,G,new\n"
        func curve(_ quotaLine: String) throws -> PayoutCurve {
            let request = ComparisonRequest(scenarios: [Scenario(name: "baseline", plans: [SourceFile(path: "p.plan", text: plan(quotaLine))])],
                                            deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                            roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                                            assignments: InputFile(path: "assignments.csv", bytes: Array(a.utf8)), periods: ["2026-Q1"])
            guard case .success(let r) = Comparison.run(request) else { throw EngineFailed(text: "the comparison failed") }
            return try #require(r.curves.first)
        }
        #expect(try curve("quota from assignment").quota == dec("400000.00"))
        // 400,000.00 × 90/365: at 100% of it the curve pays 5% of it, 4,931.51.
        let spanned = try curve("quota from assignment per year")
        #expect(spanned.quota == dec("98630.136986"))
        let full = try #require(spanned.points.first { $0.attainment == Ratio(ExactDecimal.one) })
        #expect(full.paid == [dec("4931.51")])
    }

    @Test func piecesCutAtSpanEdges() {
        let d = { (s: String) in try! CivilDate.parse(Array(s.utf8)).get() }
        let p = Evaluator.pieces(from: d("2026-02-15"), to: d("2026-05-10"), kind: .month)
        #expect(p.map(\.days) == [14, 31, 30, 10])
        #expect(p.map(\.span.label) == ["2026-02", "2026-03", "2026-04", "2026-05"])
        #expect(Evaluator.pieces(from: d("2026-12-20"), to: d("2027-01-05"), kind: .quarter).map { "\($0.span.label) \($0.days)" } == ["2026-Q4 12", "2027-Q1 5"])
        #expect(Evaluator.pieces(from: d("2026-03-01"), to: d("2026-03-01"), kind: .year).map(\.days) == [1])
    }
}
