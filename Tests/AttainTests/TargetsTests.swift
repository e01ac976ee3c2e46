// Targets: a year broken down to quarters and months exact to the cent (explicit rows, seasonality, remainders),
// errors in targets.csv and seasonality.csv at their positions, and plans taking quotas from targets, prorated by days,
// the same on the fast paths as on the straightforward ones.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct TargetsTests {
    func d(_ text: String) -> ExactDecimal { try! ExactDecimal.parse(text).get() }
    func percents(_ p: [Int]) -> [Ratio] { TargetBreakdown.monthWeights(quarters: p.map { try! Ratio(Int128($0), 100) }) }
    func texts(_ ds: [ExactDecimal]) -> [String] { ds.map { $0.text(minimumScale: 2) } }

    func breakdown(_ explicit: [TargetPeriod: String], weights: [Ratio] = TargetBreakdown.even) throws -> TargetBreakdown {
        try TargetBreakdown.make(explicit: explicit.mapValues(d), weights: weights).get()
    }

    // MARK: The breakdown rule

    @Test func aSeasonalYearBreaksDownExactlyToTheCent() throws {
        let b = try breakdown([.year: "400000.00"], weights: percents([20, 25, 25, 30]))
        #expect(texts(b.quarters) == ["80000.00", "100000.00", "100000.00", "120000.00"])
        #expect(texts(b.months) == ["26666.67", "26666.67", "26666.66", "33333.33", "33333.33", "33333.34",
                                    "33333.33", "33333.33", "33333.34", "40000.00", "40000.00", "40000.00"])
        #expect(b.year == d("400000.00"))
        #expect(ExactDecimal.total(b.months) == d("400000.00"))
    }

    @Test func theLastPartOfEachAllocationTakesTheRemainder() throws {
        let b = try breakdown([.year: "1000.01"])
        #expect(texts(b.quarters) == ["250.00", "250.00", "250.00", "250.01"])
        #expect(texts(b.months) == ["83.33", "83.33", "83.34", "83.33", "83.33", "83.34", "83.33", "83.33", "83.34", "83.34", "83.34", "83.33"])
        #expect(texts([b.amount(of: .half(1)), b.amount(of: .half(2))]) == ["500.00", "500.01"])
    }

    @Test func anExplicitQuarterStandsAndTheRestFollowsTheWeights() throws {
        let b = try breakdown([.year: "400000.00", .quarter(2): "150000.00"], weights: percents([20, 25, 25, 30]))
        // 250000.00 left over Q1, Q3, Q4 weighted 20 : 25 : 30.
        #expect(texts(b.quarters) == ["66666.67", "150000.00", "83333.33", "100000.00"])
        #expect(texts(Array(b.months[0..<3])) == ["22222.22", "22222.22", "22222.23"])
        #expect(texts(Array(b.months[3..<9])) == ["50000.00", "50000.00", "50000.00", "27777.78", "27777.78", "27777.77"])
        #expect(b.year == d("400000.00"))
    }

    @Test func anExplicitMonthTakesItsShareOutOfItsQuarter() throws {
        let b = try breakdown([.year: "120000.00", .month(5): "20000.00"])
        // 100000.00 left over the eleven other months, by quarter: 3/11, 2/11, 3/11, the rest.
        #expect(texts(b.quarters) == ["27272.73", "38181.82", "27272.73", "27272.72"])
        #expect(texts(Array(b.months[3..<6])) == ["9090.91", "20000.00", "9090.91"])
    }

    @Test func lessThanACentAPartIsNeverNegative() throws {
        // 0.005 a quarter would round up to 0.01 in each of the first three and leave -0.01 to the fourth.
        let b = try breakdown([.year: "0.02"])
        #expect(texts(b.quarters) == ["0.01", "0.00", "0.01", "0.00"])
        #expect(b.months.allSatisfy { !$0.isNegative } && b.year == d("0.02"))
    }

    @Test func aHalfStandsAndItsQuartersShareIt() throws {
        let b = try breakdown([.year: "1200.00", .half(1): "500.00"])
        #expect(texts(b.quarters) == ["250.00", "250.00", "350.00", "350.00"])
        let c = try breakdown([.year: "1200.00", .half(1): "500.00", .quarter(1): "100.00"])
        #expect(texts(c.quarters) == ["100.00", "400.00", "350.00", "350.00"])
        #expect(TargetBreakdown.make(explicit: [.half(1): d("500"), .quarter(1): d("200"), .quarter(2): d("200")], weights: TargetBreakdown.even)
            == .failure(.short(parent: .half(1), inside: [.quarter(1), .quarter(2)], sum: d("400"), parentAmount: d("500"))))
    }

    @Test func withoutAYearRowTheYearIsTheSumOfThePeriodsGiven() throws {
        let b = try breakdown([.quarter(3): "30000.00", .quarter(4): "45000.00"])
        #expect(texts(b.quarters) == ["0.00", "0.00", "30000.00", "45000.00"])
        #expect(b.year == d("75000.00"))
    }

    @Test func aCountTargetFollowsTheSameRule() throws {
        let b = try breakdown([.year: "100"])
        #expect(texts(b.months) == ["8.33", "8.33", "8.34", "8.33", "8.33", "8.34", "8.33", "8.33", "8.34", "8.33", "8.33", "8.34"])
    }

    @Test func periodsThatDoNotFitTheirParentAreProblems() {
        let over = TargetBreakdown.make(explicit: [.year: d("100000"), .quarter(1): d("60000"), .quarter(2): d("50000")], weights: TargetBreakdown.even)
        #expect(over == .failure(.exceeds(parent: .year, inside: [.quarter(1), .quarter(2)], sum: d("110000"), parentAmount: d("100000"))))
        let months: [TargetPeriod: ExactDecimal] = [.quarter(1): d("30000"), .month(1): d("10000"), .month(2): d("10000"), .month(3): d("5000")]
        #expect(TargetBreakdown.make(explicit: months, weights: TargetBreakdown.even)
            == .failure(.short(parent: .quarter(1), inside: [.month(1), .month(2), .month(3)], sum: d("25000"), parentAmount: d("30000"))))
        let all = Dictionary(uniqueKeysWithValues: (1...4).map { (TargetPeriod.quarter($0), d("100")) })
        #expect(TargetBreakdown.make(explicit: all.merging([.year: d("500")]) { a, _ in a }, weights: TargetBreakdown.even)
            == .failure(.short(parent: .year, inside: (1...4).map { .quarter($0) }, sum: d("400"), parentAmount: d("500"))))
    }

    @Test func periodCellsParse() {
        #expect(TargetPeriod.parse("") == .year)
        #expect(TargetPeriod.parse("Q3") == .quarter(3))
        #expect(TargetPeriod.parse("H2") == .half(2))
        #expect(TargetPeriod.parse("07") == .month(7))
        for bad in ["Q5", "H3", "13", "00", "7", "2026-07", "M1"] { #expect(TargetPeriod.parse(bad) == nil, "\(bad)") }
        #expect(TargetYear.period(of: "2026")?.label == "2026")
        #expect(TargetYear.period(of: "FY2027") == nil)
        #expect(TargetYear.period(of: "26") == nil)
    }

    // MARK: Reading the files

    func load(_ targets: String, seasonality: String? = nil) -> (TargetBook?, Diagnostics) {
        TargetBook.load(TargetFiles(targets: InputFile(path: "targets.csv", bytes: Array(targets.utf8)),
                                    seasonality: seasonality.map { InputFile(path: "seasonality.csv", bytes: Array($0.utf8)) }))
    }

    /// The first error's code, message and position.
    func firstError(_ targets: String, seasonality: String? = nil) -> (code: String, message: String, line: Int, column: Int)? {
        let (_, found) = load(targets, seasonality: seasonality)
        guard let e = found.errors.first else { return nil }
        return (e.code, e.message, e.span?.line ?? 0, e.span?.column ?? 0)
    }

    @Test func aBookReadsMonthsBySeasonality() throws {
        let (book, found) = load("rep_id,measure,year,target,period\nA,bookings,2026,400000.00,\n",
                                 seasonality: "year,period,weight\n2026,Q1,20%\n2026,Q2,25\n2026,Q3,25%\n2026,Q4,30%\n")
        #expect(found.items.isEmpty)
        let b = try #require(book)
        #expect(b.month(rep: "A", key: "bookings", on: CivilDate(year: 2026, month: 2, day: 9)!) == d("26666.67"))
        #expect(b.month(rep: "A", key: "bookings", on: CivilDate(year: 2027, month: 2, day: 9)!) == nil)
        #expect(b.month(rep: "B", key: "bookings", on: CivilDate(year: 2026, month: 2, day: 9)!) == nil)
    }

    @Test func aMeasuresOwnWeightsComeBeforeTheYearsWeights() throws {
        let (book, _) = load("rep_id,measure,year,target\nA,bookings,2026,1200\nA,visits,2026,1200\n",
                             seasonality: "year,period,weight,measure\n2026,Q1,40,\n2026,Q2,20,\n2026,Q3,20,\n2026,Q4,20,\n2026,Q1,25,visits\n2026,Q2,25,visits\n2026,Q3,25,visits\n2026,Q4,25,visits\n")
        let b = try #require(book)
        #expect(texts(b.target(rep: "A", key: "bookings", on: CivilDate(year: 2026, month: 1, day: 1)!)!.breakdown.quarters) == ["480.00", "240.00", "240.00", "240.00"])
        #expect(texts(b.target(rep: "A", key: "visits", on: CivilDate(year: 2026, month: 1, day: 1)!)!.breakdown.quarters) == ["300.00", "300.00", "300.00", "300.00"])
    }

    @Test func errorsInTargetsAreReportedAtTheirCells() throws {
        let head = "rep_id,measure,year,target,period\n"
        var e = try #require(firstError(head + "A,bookings,2026,100000.00,\nA,bookings,2026,5,\n"))
        #expect(e.code == "D285" && e.line == 3 && e.column == 12)
        #expect(e.message == "rep `A` has a target for measure `bookings` for the year of 2026 already, on line 2")
        e = try #require(firstError(head + "A,bookings,2026,1 000,\n"))
        #expect(e.code == "D286" && e.line == 2 && e.column == 17)
        e = try #require(firstError(head + "A,bookings,2026,-5.00,\n"))
        #expect(e.code == "D286" && e.message == "`target` is `-5.00`: a target cannot be negative")
        e = try #require(firstError(head + "A,bookings,2026,5.001,\n"))
        #expect(e.code == "D286" && e.message == "`target` is `5.001`: targets have at most 2 decimal places")
        e = try #require(firstError(head + "A,bookings,2026,5.00,Q5\n"))
        #expect(e.code == "D286" && e.line == 2 && e.column == 22)
        e = try #require(firstError(head + "A,bookings,26,5.00,\n"))
        #expect(e.code == "D286" && e.column == 12 && e.message == "`year` is `26`: expected a year such as 2026")
        e = try #require(firstError(head + "A,bookings,2026,100000.00,\nA,bookings,2026,60000.00,Q1\nA,bookings,2026,50000.00,Q2\n"))
        #expect(e.code == "D288" && e.line == 2 && e.column == 17)
        #expect(e.message == "rep `A`, measure `bookings`, 2026: the periods given inside the year add up to 110000.00, more than the year's 100000.00")
        e = try #require(firstError(head + "A,bookings,2026,30000.00,Q1\nA,bookings,2026,10000.00,01\nA,bookings,2026,10000.00,02\nA,bookings,2026,5000.00,03\n"))
        #expect(e.code == "D289" && e.line == 2 && e.column == 17)
        #expect(e.message == "rep `A`, measure `bookings`, 2026: every month of Q1 is given, and they add up to 25000.00, not Q1's 30000.00")
    }

    @Test func errorsInSeasonalityAreReportedAtTheirCells() throws {
        let t = "rep_id,measure,year,target\nA,bookings,2026,100\n"
        var e = try #require(firstError(t, seasonality: "year,period,weight\n2026,Q1,20\n2026,Q2,25\n2026,Q3,25\n2026,Q4,25\n"))
        #expect(e.code == "D287" && e.line == 5 && e.column == 9)
        #expect(e.message == "the weights of 2026 total 95%; they must total 100%")
        e = try #require(firstError(t, seasonality: "year,period,weight\n2026,Q1,50\n2026,Q1,50\n"))
        #expect(e.code == "D285" && e.line == 3 && e.column == 6)
        e = try #require(firstError(t, seasonality: "year,period,weight\n2026,Q1,50\n2026,07,50\n"))
        #expect(e.code == "D287" && e.line == 3 && e.message == "the weights of 2026 mix quarters and months; give either the quarters or the months")
        e = try #require(firstError(t, seasonality: "year,period,weight\n2026,Q1,120%\n"))
        #expect(e.code == "D286" && e.column == 9)
        e = try #require(firstError(t, seasonality: "year,period,weight\n2026,H1,100\n"))
        #expect(e.code == "D286" && e.column == 6)
    }

    // MARK: Plans reading targets

    static let targetPlan = """
        plan "P" version "1"
        effective 2026-01-01 to 2026-12-31
        currency USD
        period quarter
        rounding half-up to 0.01

        measure bookings = sum of deal.amount
          quota from target

        commission "C" on bookings
          tiers marginal over attainment
          tier from 0% to 100% rate 5%
          tier from 100% rate 10%

        """

    func run(_ plan: String, deals: String = briefDeals, roster: String = oneRep, assignments: String = assignments([("A", "0"), ("B", "0")]),
             targets: String, seasonality: String? = nil, period: String = "2026-Q1") -> Result<RunResult, Diagnostics> {
        var request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: period)
        request.targets = TargetFiles(targets: InputFile(path: "targets.csv", bytes: Array(targets.utf8)),
                                      seasonality: seasonality.map { InputFile(path: "seasonality.csv", bytes: Array($0.utf8)) })
        return Engine.run(request)
    }

    func ok(_ r: Result<RunResult, Diagnostics>) throws -> RunResult {
        switch r {
        case .success(let v): return v
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    @Test func aWholeQuarterIsMeasuredAgainstItsMonthsTargets() throws {
        let r = try ok(run(Self.targetPlan, targets: "rep_id,measure,year,target\nA,bookings,2026,400000.00\nB,bookings,2026,120000.00\n",
                           seasonality: "year,period,weight\n2026,Q1,20\n2026,Q2,25\n2026,Q3,25\n2026,Q4,30\n"))
        let a = try #require(r.statements.first { $0.payeeID == "A" })
        #expect(a.measures[0].quota == "80000.00")
        // 120000.00 credited against 80000.00: 80000.00 at 5% + 40000.00 at 10%.
        #expect(a.paid.text == "8000.00")
        #expect(r.statements.first { $0.payeeID == "B" }?.measures[0].quota == "24000.00")
    }

    @Test func aHireMidQuarterGetsTheDaysOfEachMonth() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2026-02-15,\nB,Rep B,,2025-01-01,\n"
        let r = try ok(run(Self.targetPlan, deals: "deal_id,rep_id,close_date,amount,currency,product,type\nD3,A,2026-03-15,50000.00,USD,G,new\n",
                           roster: roster, targets: "rep_id,measure,year,target\nA,bookings,2026,336000.00\nB,bookings,2026,1.00\n"))
        // 28000.00 a month: 14/28 of February and all of March.
        #expect(r.statements.first { $0.payeeID == "A" }?.measures[0].quota == "42000.00")
    }

    @Test func aYearToDatePlanIsMeasuredAgainstTheYearToDate() throws {
        let plan = Self.targetPlan.replacingOccurrences(of: "rounding half-up to 0.01\n", with: "rounding half-up to 0.01\ntrue-up year to date\n")
        let t = "rep_id,measure,year,target\nA,bookings,2026,400000.00\nB,bookings,2026,1.00\n"
        let s = "year,period,weight\n2026,Q1,20\n2026,Q2,25\n2026,Q3,25\n2026,Q4,30\n"
        #expect(try ok(run(plan, targets: t, seasonality: s, period: "2026-Q1")).statements.first?.measures[0].quota == "80000.00")
        #expect(try ok(run(plan, targets: t, seasonality: s, period: "2026-Q2")).statements.first?.measures[0].quota == "180000.00")
    }

    @Test func aPayeeWithoutATargetIsAnErrorNamingRepMeasureAndYear() throws {
        guard case .failure(let found) = run(Self.targetPlan, targets: "rep_id,measure,year,target\nA,bookings,2026,400000.00\nB,bookings,2025,1.00\n") else {
            Issue.record("expected an error")
            return
        }
        let e = try #require(found.errors.first)
        #expect(e.code == "R362")
        #expect(e.message == "rep `B` has no target for measure `bookings` in 2026")
        #expect(e.span?.path == "p.plan" && e.span?.line == 8)
    }

    @Test func aPlanReadingTargetsWithoutTargetsCSVIsOneError() throws {
        guard case .failure(let found) = runEngine(plan: Self.targetPlan, deals: briefDeals, assignments: assignments([("A", "0"), ("B", "0")])) else {
            Issue.record("expected an error")
            return
        }
        #expect(found.errors.map(\.code) == ["R362"])
        #expect(found.errors.first?.message == "measure `bookings` of plan \"P\" takes its quota from the `bookings` rows of targets.csv, and the data folder has no targets.csv")
    }

    @Test func aKeyOtherThanTheMeasuresNameIsRead() throws {
        let plan = Self.targetPlan.replacingOccurrences(of: "quota from target", with: "quota from target \"revenue\"")
        let r = try ok(run(plan, targets: "rep_id,measure,year,target\nA,revenue,2026,120000.00\nB,revenue,2026,120000.00\n"))
        #expect(r.statements.first?.measures[0].quota == "30000.00")
    }

    @Test func unreadTargetRowsAreWarnedOf() throws {
        let r = try ok(run(Self.targetPlan, targets: "rep_id,measure,year,target\nA,bookings,2026,1200\nB,bookings,2026,1200\nZ,bookings,2026,5\nA,visits,2026,40\n"))
        let codes = r.warnings.items.map(\.code)
        #expect(codes.contains("R360") && codes.contains("R361"))
        let z = try #require(r.warnings.items.first { $0.code == "R360" })
        #expect(z.message == "1 target in targets.csv is not read: reps not in the roster: `Z` (1)")
        #expect(z.span?.line == 4 && z.span?.column == 1)
        let v = try #require(r.warnings.items.first { $0.code == "R361" })
        #expect(v.message == "1 target in targets.csv is not read: measures no plan takes a quota from: `visits` (1)")
    }

    @Test func aTeamTargetSumsTheReportsTargets() throws {
        let plan = """
            plan "M" version "1"
            effective 2026-01-01 to 2026-12-31
            currency USD
            period quarter
            rounding half-up to 0.01

            measure team = sum of deal.amount for direct reports
              quota from team target "bookings"

            bonus "Team bonus" on team
              at 100% pay 1000.00 USD

            """
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,M,2025-01-01,\nB,Rep B,M,2026-02-15,\nM,Manager,,2025-01-01,\n"
        let r = try ok(run(plan, roster: roster, assignments: "rep_id,plan,start_date,end_date,quota,target_incentive\nM,M,2026-01-01,2026-12-31,0,0\n",
                           targets: "rep_id,measure,year,target\nA,bookings,2026,120000.00\nB,bookings,2026,336000.00\n"))
        // A: 30000.00; B from 15 February: 14000.00 + 28000.00.
        let m = try #require(r.statements.first)
        #expect(m.measures[0].quota == "72000.00")
        #expect(m.paid.text == "1000.00")
    }

    @Test func aTeamTargetFollowsTheDatedHierarchyDayByDay() throws {
        let plan = """
            plan "M" version "1"
            effective 2026-01-01 to 2026-12-31
            currency USD
            period quarter
            rounding half-up to 0.01

            measure team = sum of deal.amount for direct reports
              quota from team target "bookings"

            bonus "Team bonus" on team
              at 100% pay 1000.00 USD

            """
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,M1,2025-01-01,\nB,Rep B,M1,2025-01-01,\nM1,One,,2025-01-01,\nM2,Two,,2025-01-01,\n"
        var request = RunRequest(plans: [SourceFile(path: "m.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(briefDeals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array("rep_id,plan,start_date,end_date,quota,target_incentive\nM1,M,2026-01-01,2026-12-31,0,0\nM2,M,2026-01-01,2026-12-31,0,0\n".utf8)),
                                 hierarchy: InputFile(path: "hierarchy.csv", bytes: Array("rep_id,manager_id,start_date,end_date\nA,M1,2025-01-01,2026-02-14\nA,M2,2026-02-15,\n".utf8)),
                                 period: "2026-Q1")
        request.targets = TargetFiles(targets: InputFile(path: "targets.csv", bytes: Array("rep_id,measure,year,target\nA,bookings,2026,336000.00\nB,bookings,2026,120000.00\n".utf8)), seasonality: nil)
        let r = try ok(Engine.run(request))
        // M1: A's January and 14/28 of February (28000.00 + 14000.00), and all of B's quarter (30000.00).
        #expect(r.statements.first { $0.payeeID == "M1" }?.measures[0].quota == "72000.00")
        // M2: A from 15 February: 14000.00 + 28000.00.
        #expect(r.statements.first { $0.payeeID == "M2" }?.measures[0].quota == "42000.00")
    }

    @Test func planLinesThatReadTargetsParseAndCheck() {
        let base = "measure bookings = sum of deal.amount\n"
        let (plans, found) = Engine.compile([SourceFile(path: "p.plan", text: header + base + "  quota from target \"revenue\"\ncommission \"C\" on bookings\n  rate 5%\n")])
        #expect(!found.hasErrors)
        if case .target(let key, let team, _)? = plans.first?.measures[0].quota { #expect(key == "revenue" && !team) } else { Issue.record("not a target quota") }
        expectError(header + base + "  quota from target per 1️⃣quarter\ncommission \"C\" on bookings\n  rate 5%\n", code: "E190",
                    message: "a quota from targets.csv is read month by month; `per quarter` does not apply")
        expectError(header + base + "  1️⃣quota from team target\ncommission \"C\" on bookings\n  rate 5%\n", code: "E191",
                    message: "`quota from team target` sums the targets of the reports a team measure counts")
        expectError(header + base + "  quota from 1️⃣targets\ncommission \"C\" on bookings\n  rate 5%\n", code: "E020",
                    message: "expected `assignment`, `target` or `team target`")
    }

    @Test func theWrittenBreakdownReadsBackAsTargetsWithTheSameMonths() throws {
        let targets = "rep_id,measure,year,target,period\nA,bookings,2026,400000.00,\nB,bookings,2026,400000.00,\nB,bookings,2026,150000.00,Q2\nC,visits,2026,100,\nC,visits,2026,30,07\n"
        let seasonality = "year,period,weight\n2026,Q1,20\n2026,Q2,25\n2026,Q3,25\n2026,Q4,30\n"
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Ana,M,2025-01-01,\nB,Ben,M,2025-01-01,\nC,Cleo,,2025-01-01,\nM,Mia,,2025-01-01,\n"
        func file(_ n: String, _ t: String) -> InputFile { InputFile(path: n, bytes: Array(t.utf8)) }
        let report = try TargetsReport.make(TargetsRequest(targets: TargetFiles(targets: file("targets.csv", targets), seasonality: file("seasonality.csv", seasonality)),
                                                           roster: file("roster.csv", roster), year: "2026")).get()
        #expect(report.csv.split(separator: "\n").count == 1 + 3 * 17)
        #expect(report.text.contains("M (team)  Mia   bookings  800000.00  146666.67  250000.00  183333.33  220000.00"))
        let (first, _) = load(targets, seasonality: seasonality)
        // Read back with no seasonality at all: every period is given, so the weights do not matter.
        let (again, found) = load(report.csv)
        #expect(found.items.isEmpty)
        let a = try #require(first), b = try #require(again)
        #expect(a.targets.map(\.breakdown) == b.targets.map(\.breakdown))
        #expect(a.targets.map { "\($0.repID) \($0.key)" } == ["A bookings", "B bookings", "C visits"])
    }

    @Test func explainSaysWhereATargetQuotaComesFrom() {
        let (plans, _) = Engine.compile([SourceFile(path: "p.plan", text: Self.targetPlan)])
        #expect(TreePrinter.describe(plans[0]).contains("    quota: targets.csv rows of measure `bookings`, the payee's target; each active day of the period counts its month's target ÷ the month's days\n"))
    }

    // MARK: Fast paths

    /// A company of 60 reps under 6 managers on a plan with a quota from targets (some hired mid-year, some with an
    /// explicit quarter), and a team plan on the managers' team target.
    static func company() -> (plans: [SourceFile], files: [String: String]) {
        var roster = "rep_id,name,manager_id,hire_date,end_date\n", assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var targets = "rep_id,measure,year,target,period\n", deals = "deal_id,rep_id,close_date,amount,currency,product,type\n"
        for m in 0..<6 {
            roster += "M\(m),Manager \(m),,2025-01-01,\n"
            assignments += "M\(m),Team,2026-01-01,2026-12-31,0,5000.00\n"
        }
        for i in 0..<60 {
            let hire = i % 7 == 3 ? "2026-02-\(10 + i % 15)" : "2025-01-01"
            roster += "R\(i),Rep \(i),M\(i % 6),\(hire),\n"
            assignments += "R\(i),AE,2026-01-01,2026-12-31,0,10000.00\n"
            targets += "R\(i),bookings,2026,\(200000 + i * 1234).\(i % 10)5,\n"
            if i % 5 == 0 { targets += "R\(i),bookings,2026,\(40000 + i * 10).00,Q2\n" }
            for k in 0..<8 {
                deals += "D\(i)-\(k),R\(i),2026-0\(1 + (i + k) % 6)-\(10 + k),\(5000 + (i * 37 + k * 101) % 9000).\(k)0,USD,Widget,new\n"
            }
        }
        let ae = """
            plan "AE" version "1"
            effective 2026-01-01 to 2026-12-31
            currency USD
            period quarter
            rounding half-up to 0.01
            true-up year to date

            measure bookings = sum of deal.amount
              quota from target

            commission "C" on bookings
              tiers marginal over attainment
              tier from 0% to 100% rate 5%
              tier from 100% rate 9%

            """
        let team = """
            plan "Team" version "1"
            effective 2026-01-01 to 2026-12-31
            currency USD
            period quarter
            rounding half-up to 0.01

            measure team = sum of deal.amount for direct reports
              quota from team target "bookings"

            commission "Team" on team
              tiers retroactive over attainment
              tier from 0% to 100% rate 1%
              tier from 100% rate 2%

            """
        return ([SourceFile(path: "ae.plan", text: ae), SourceFile(path: "team.plan", text: team)],
                ["roster.csv": roster, "assignments.csv": assignments, "targets.csv": targets, "deals.csv": deals,
                 "seasonality.csv": "year,period,weight\n2026,Q1,20\n2026,Q2,25\n2026,Q3,25\n2026,Q4,30\n"])
    }

    static func request(_ c: (plans: [SourceFile], files: [String: String]), period: String) -> RunRequest {
        func f(_ n: String) -> InputFile { InputFile(path: n, bytes: Array(c.files[n]!.utf8)) }
        var r = RunRequest(plans: c.plans, deals: f("deals.csv"), roster: f("roster.csv"), assignments: f("assignments.csv"), period: period)
        r.targets = TargetFiles(targets: f("targets.csv"), seasonality: f("seasonality.csv"))
        return r
    }

    @Test func theFastPathsPayWhatTheStraightforwardOnesPay() throws {
        let c = Self.company()
        let q1 = try Period.parse("2026-Q1").get(), q2 = try Period.parse("2026-Q2").get()
        let prepared = try #require(try? Engine.prepare(Self.request(c, period: "2026-Q1")).get())
        // Lean (rows only, totals only) against every line.
        for p in [q1, q2] {
            let full = try ok(Engine.evaluate(prepared, period: p, detail: true))
            let lean = try ok(Engine.evaluate(prepared, period: p, detail: false))
            #expect(full.statements.count == 66)
            #expect(full.statements.map(\.paid) == lean.statements.map(\.paid), "\(p)")
            #expect(full.statements.map { $0.measures.map(\.quota) } == lean.statements.map { $0.measures.map(\.quota) }, "\(p)")
        }
        // A close settled in chunks against Q1 posted, against one settlement of every payee.
        let first = try ok(Engine.evaluate(prepared, period: q1))
        let history = LedgerHistory.empty.posting(first)
        let together = try ok(Engine.evaluate(prepared, period: q2, history: history, inChunks: false))
        let chunked = try ok(Engine.evaluate(prepared, period: q2, history: history, inChunks: true))
        #expect(together.statements.map(StatementJSON.text) == chunked.statements.map(StatementJSON.text))
        #expect(together.statements.contains { $0.lines.contains { $0.kind == .trueUp } })
        // compare: the fast comparison against the straightforward one, and against what run pays.
        func f(_ n: String) -> InputFile { InputFile(path: n, bytes: Array(c.files[n]!.utf8)) }
        var compare = ComparisonRequest(scenarios: [Scenario(name: "baseline", plans: c.plans)], deals: f("deals.csv"), roster: f("roster.csv"),
                                        assignments: f("assignments.csv"), periods: ["2026-Q1"])
        compare.targets = TargetFiles(targets: f("targets.csv"), seasonality: f("seasonality.csv"))
        let fast = try Comparison.run(compare).get(), straight = try Comparison.runStraight(compare).get()
        #expect(fast.payees.map(\.paid) == straight.payees.map(\.paid))
        #expect(fast.payees.map { $0.paid[0] } == first.statements.map(\.paid.amount))
        // Quotas as the rule says: R0 (Q2 given) and a rep hired in February.
        let r0 = try #require(first.statements.first { $0.payeeID == "R0" })
        #expect(r0.measures[0].quota == "42666.68")
        let m0 = try #require(first.statements.first { $0.payeeID == "M0" })
        #expect(m0.measures[0].quota != nil)
    }
}
