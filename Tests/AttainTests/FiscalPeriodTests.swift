// Fiscal years and short periods: labels and dates for years starting in any month, semi-monthly and biweekly
// periods, label ↔ period round trips, time order, and the plan header lines that set a plan's calendar.
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct FiscalPeriodTests {
    func date(_ text: String) -> CivilDate { try! CivilDate.parse(Array(text.utf8)).get() }

    func dates(_ label: String, _ calendar: PeriodCalendar) -> String {
        switch Period.read(label, in: calendar) {
        case .success(let p): return "\(p.label) \(p.start) \(p.end)"
        case .failure(let e): return "\(e.code) \(e.message)"
        }
    }

    static let april = PeriodCalendar(fiscalStartMonth: 4)

    @Test func fiscalYearFromApril() {
        let c = FiscalPeriodTests.april
        #expect(dates("FY2027", c) == "FY2027 2026-04-01 2027-03-31")
        #expect(dates("FY2027-Q1", c) == "FY2027-Q1 2026-04-01 2026-06-30")
        #expect(dates("FY2027-Q4", c) == "FY2027-Q4 2027-01-01 2027-03-31")
        #expect(dates("FY2027-H1", c) == "FY2027-H1 2026-04-01 2026-09-30")
        #expect(dates("FY2027-H2", c) == "FY2027-H2 2026-10-01 2027-03-31")
        // Months keep their calendar labels.
        #expect(dates("2026-04", c) == "2026-04 2026-04-01 2026-04-30")
        #expect(Period.containing(date("2027-02-10"), kind: .quarter, in: c).label == "FY2027-Q4")
        #expect(Period.containing(date("2026-03-31"), kind: .quarter, in: c).label == "FY2026-Q4")
        #expect(Period.containing(date("2026-04-01"), kind: .year, in: c).label == "FY2027")
    }

    @Test(arguments: [
        (2, "FY2027 2026-02-01 2027-01-31", "FY2027-Q4 2026-11-01 2027-01-31", "FY2027-H2 2026-08-01 2027-01-31"),
        (7, "FY2027 2026-07-01 2027-06-30", "FY2027-Q4 2027-04-01 2027-06-30", "FY2027-H2 2027-01-01 2027-06-30"),
        (10, "FY2027 2026-10-01 2027-09-30", "FY2027-Q4 2027-07-01 2027-09-30", "FY2027-H2 2027-04-01 2027-09-30"),
        (12, "FY2027 2026-12-01 2027-11-30", "FY2027-Q4 2027-09-01 2027-11-30", "FY2027-H2 2027-06-01 2027-11-30"),
        (1, "2027 2027-01-01 2027-12-31", "2027-Q4 2027-10-01 2027-12-31", "2027-H2 2027-07-01 2027-12-31"),
    ])
    func fiscalYearsOfEveryStart(month: Int, year: String, q4: String, h2: String) {
        let c = PeriodCalendar(fiscalStartMonth: month)
        let prefix = month == 1 ? "2027" : "FY2027"
        #expect(dates(prefix, c) == year)
        #expect(dates(prefix + "-Q4", c) == q4)
        #expect(dates(prefix + "-H2", c) == h2)
        #expect(Period.read(prefix + "-Q1", in: c).map(\.dayCount) == Period.read(prefix + "-Q1", in: c).map { $0.end.dayNumber - $0.start.dayNumber + 1 })
    }

    @Test func fiscalYearOverALeapDay() {
        let c = PeriodCalendar(fiscalStartMonth: 2)
        let fy = try! Period.read("FY2025", in: c).get()
        #expect("\(fy.start) \(fy.end) \(fy.dayCount)" == "2024-02-01 2025-01-31 366")
        #expect(try! Period.read("FY2025-Q1", in: c).get().dayCount == 29 + 31 + 30)
    }

    @Test func yearToDateAndYearOfAFiscalQuarter() {
        let q = try! Period.read("FY2027-Q2", in: FiscalPeriodTests.april).get()
        #expect(q.year.label == "FY2027")
        #expect(q.yearNumber == 2027)
        #expect("\(q.yearToDate.label) \(q.yearToDate.start) \(q.yearToDate.end)" == "FY2027 to 2026-09-30 2026-04-01 2026-09-30")
        #expect(q.next?.label == "FY2027-Q3")
        #expect(try! Period.read("FY2027-Q4", in: FiscalPeriodTests.april).get().next?.label == "FY2028-Q1")
    }

    @Test func calendarLabelOnAFiscalPlanSaysTheFiscalLabel() {
        #expect(Period.read("2026-Q2", in: FiscalPeriodTests.april) == .failure(Period.ReadError(code: "P301",
            message: "`2026-Q2` is a calendar quarter, but the plans' quarters follow the fiscal year from April 1", help: "2026-04-01 to 2026-06-30 is `FY2027-Q1`")))
        #expect(Period.read("2026-Q2", in: PeriodCalendar(fiscalStartMonth: 2)) == .failure(Period.ReadError(code: "P301",
            message: "`2026-Q2` is a calendar quarter, but the plans' quarters follow the fiscal year from February 1",
            help: "2026-04-01 falls in `FY2027-Q1` (2026-02-01 to 2026-04-30)")))
        #expect(dates("2026", FiscalPeriodTests.april) == "P301 `2026` is a calendar year, but the plans' years follow the fiscal year from April 1")
        #expect(dates("FY2027-Q1", .gregorian) == "P302 `FY2027-Q1` is a fiscal period, but the plans' year is the calendar year (they have no `fiscal year starts` line)")
        #expect(dates("+202-Q1", .gregorian).hasPrefix("P300 "))
        #expect(dates("FY2027-13", FiscalPeriodTests.april) == "P300 expected a period such as 2026-04, FY2027-Q1, FY2027-H1, FY2027 or 2026-04-S1; found `FY2027-13`")
    }

    @Test func semiMonthlyInALeapFebruary() {
        #expect(dates("2028-02-S1", .gregorian) == "2028-02-S1 2028-02-01 2028-02-15")
        #expect(dates("2028-02-S2", .gregorian) == "2028-02-S2 2028-02-16 2028-02-29")
        #expect(dates("2026-02-S2", .gregorian) == "2026-02-S2 2026-02-16 2026-02-28")
        #expect(try! Period.read("2028-02-S2", in: .gregorian).get().dayCount == 14)
        #expect(Period.containing(date("2026-03-15"), kind: .semiMonthly).label == "2026-03-S1")
        #expect(Period.containing(date("2026-03-16"), kind: .semiMonthly).label == "2026-03-S2")
        #expect(try! Period.read("2026-12-S2", in: .gregorian).get().next?.label == "2027-01-S1")
        #expect(dates("2026-02-S3", .gregorian).hasPrefix("P300 "))
    }

    @Test func biweeklyNumberingAcrossYears() {
        let c = PeriodCalendar(biweeklyAnchor: date("2026-01-05"))
        #expect(dates("2026-B01", c) == "2026-B01 2026-01-05 2026-01-18")
        #expect(dates("2026-B02", c) == "2026-B02 2026-01-19 2026-02-01")
        #expect(dates("2026-B26", c) == "2026-B26 2026-12-21 2027-01-03")
        #expect(dates("2027-B01", c) == "2027-B01 2027-01-04 2027-01-17")
        // Backward from the anchor: 2025's periods start 2025-01-06.
        #expect(dates("2025-B01", c) == "2025-B01 2025-01-06 2025-01-19")
        #expect(Period.containing(date("2025-12-25"), kind: .biweekly, in: c).label == "2025-B26")
        #expect(Period.containing(date("2026-01-04"), kind: .biweekly, in: c).label == "2025-B26")
        #expect(dates("2026-B27", c) == "P306 2026 has 26 biweekly periods (2026-B01 to 2026-B26); found `2026-B27`")
        #expect(try! Period.read("2026-B26", in: c).get().next?.label == "2027-B01")
        #expect(dates("2026-B01", .gregorian).hasPrefix("P303 "))
    }

    @Test func biweeklyYearsShareNoDay() {
        let c = PeriodCalendar(biweeklyAnchor: date("2026-01-05"))
        let b01 = try! Period.read("2026-B01", in: c).get()
        #expect("\(b01.year.start) \(b01.year.end)" == "2026-01-05 2027-01-03")
        #expect("\(b01.yearToDate.label) \(b01.yearToDate.start) \(b01.yearToDate.end)" == "2026 to 2026-01-18 2026-01-05 2026-01-18")
        let b26 = try! Period.read("2025-B26", in: c).get()
        #expect("\(b26.year.start) \(b26.year.end)" == "2025-01-06 2026-01-04")
        // With a fiscal year from April: the periods that start from 2026-04-01 on.
        let f = PeriodCalendar(fiscalStartMonth: 4, biweeklyAnchor: date("2026-01-05"))
        let march = Period.containing(date("2026-04-10"), kind: .biweekly, in: f)
        #expect("\(march.label) \(march.start) \(march.year.label) \(march.year.end)" == "2026-B07 2026-03-30 FY2026 2026-04-12")
        let april = Period.containing(date("2026-04-15"), kind: .biweekly, in: f)
        #expect("\(april.label) \(april.year.label) \(april.year.start) \(april.year.end)" == "2026-B08 FY2027 2026-04-13 2027-04-11")
        #expect(april.yearNumber == 2027)
    }

    @Test func aYearOfTwentySevenBiweeklyPeriods() {
        let c = PeriodCalendar(biweeklyAnchor: date("2026-01-01"))
        #expect(dates("2026-B27", c) == "2026-B27 2026-12-31 2027-01-13")
        #expect(dates("2027-B01", c) == "2027-B01 2027-01-14 2027-01-27")
        #expect(Period.biweeklyCount(2026, anchor: date("2026-01-01")) == 27)
        #expect(Period.biweeklyCount(2027, anchor: date("2026-01-01")) == 26)
    }

    @Test func everyPeriodReadsBackFromItsLabel() {
        let calendars = [PeriodCalendar.gregorian, FiscalPeriodTests.april, PeriodCalendar(fiscalStartMonth: 11),
                         PeriodCalendar(fiscalStartMonth: 4, biweeklyAnchor: date("2025-12-29"))]
        var day = date("2025-11-20")
        var checked = 0
        while day <= date("2028-03-10") {
            for c in calendars {
                for kind in PeriodKind.allCases where kind != .biweekly || c.biweeklyAnchor != nil {
                    let p = Period.containing(day, kind: kind, in: c)
                    #expect(p.contains(day))
                    #expect(Period.read(p.label, in: c) == .success(p), "\(p.label) in \(c)")
                    #expect(Period.stored(label: p.label, start: p.start, end: p.end).map { "\($0.label) \($0.start) \($0.end)" } == "\(p.label) \(p.start) \(p.end)")
                    checked += 1
                }
            }
            day = day.adding(days: 3)!
        }
        #expect(checked > 4000)
    }

    @Test func periodsOrderByStartNotByLabel() {
        let c = PeriodCalendar(fiscalStartMonth: 10)
        let labels = ["FY2027-Q1", "FY2026-Q4", "FY2027-Q2", "FY2026-Q3"]
        let sorted = labels.map { try! Period.read($0, in: c).get() }.sorted(by: Period.precedes).map(\.label)
        #expect(sorted == ["FY2026-Q3", "FY2026-Q4", "FY2027-Q1", "FY2027-Q2"])
        let b = PeriodCalendar(biweeklyAnchor: date("2026-01-05"))
        let bs = ["2026-B02", "2025-B26", "2026-B01"].map { try! Period.read($0, in: b).get() }.sorted(by: Period.precedes).map(\.label)
        #expect(bs == ["2025-B26", "2026-B01", "2026-B02"])
        #expect(Settlement.periodOrder("FY2027-Q1", "FY2026-Q4", calendar: c) == false)
    }

    @Test func monthsInShortPeriods() throws {
        #expect(try Settlement.months(in: Period.read("2026-02-S1", in: .gregorian).get()) == Ratio(15, 28))
        let b = try Period.read("2026-B02", in: PeriodCalendar(biweeklyAnchor: date("2026-01-05"))).get()
        #expect(try Settlement.months(in: b) == Ratio(13, 31).adding(Ratio(1, 28)))
        #expect(try Settlement.months(in: Period.read("FY2027-H2", in: FiscalPeriodTests.april).get()) == Ratio(6, 1))
    }

    // MARK: The header

    let body = """
        currency USD
        rounding half-up to 0.01
        measure bookings = sum of deal.amount
          quota from assignment
        commission "C" on bookings
          rate 5%

        """

    func compile(_ head: String) -> (plan: CompiledPlan?, diagnostics: [Diagnostic]) {
        let (plans, d) = Engine.compile([SourceFile(path: "p.plan", text: "plan \"P\" version \"1\"\n" + head + body)])
        return (plans.first, d.items)
    }

    @Test func headerSetsTheCalendar() {
        let fiscal = compile("period quarter\nfiscal year starts 2026-04-01\n")
        #expect(fiscal.diagnostics.isEmpty)
        #expect(fiscal.plan?.calendar == PeriodCalendar(fiscalStartMonth: 4))
        let semi = compile("period semi-monthly\n")
        #expect(semi.plan?.periodKind == .semiMonthly)
        let biweekly = compile("period biweekly from 2026-01-05\n")
        #expect(biweekly.plan?.periodKind == .biweekly)
        #expect(biweekly.plan?.calendar.biweeklyAnchor == date("2026-01-05"))
    }

    @Test func headerErrorsSayWhere() {
        let (text, m) = marked("period quarter\nfiscal year starts 1️⃣2026-04-15\n")
        let d = compile(text).diagnostics
        #expect(d.map(\.code) == ["E195"])
        #expect(d.first?.message == "a fiscal year starts on the first day of a month; found `2026-04-15`")
        #expect(d.first.map { "\($0.span!.line):\($0.span!.column)" } == m["1️⃣"].map { "\($0.line + 1):\($0.column)" })
        let (t2, m2) = marked("period 1️⃣biweekly\n")
        let d2 = compile(t2).diagnostics
        #expect(d2.map(\.code) == ["E196"])
        #expect(d2.first.map { "\($0.span!.line):\($0.span!.column)" } == m2["1️⃣"].map { "\($0.line + 1):\($0.column)" })
        let (t3, m3) = marked("period month from 1️⃣2026-01-05\n")
        let d3 = compile(t3).diagnostics
        #expect(d3.map(\.code) == ["E197"])
        #expect(d3.first.map { "\($0.span!.line):\($0.span!.column)" } == m3["1️⃣"].map { "\($0.line + 1):\($0.column)" })
    }

    @Test func aFiscalRunSaysOfClosedCalendarPeriods() throws {
        let plan = "plan \"P\" version \"1\"\nperiod quarter\nfiscal year starts 2026-04-01\n" + body
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-04-10,1000.00,USD,G,new\n"
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments([("A", "10000.00")]).utf8)), period: "FY2027-Q1")
        guard case .success(let r) = Engine.run(request, history: LedgerHistory(closedPeriods: ["2026-Q1", "FY2026-Q4"])) else {
            Issue.record("the run failed"); return
        }
        #expect(r.statements.map { "\($0.payeeID) \($0.paid.text)" } == ["A 50.00"])
        let p307 = r.warnings.items.filter { $0.code == "P307" }
        #expect(p307.map(\.message) == ["closed period 2026-Q1 is not a period of the plans' calendar (fiscal year from April 1), so it is not recomputed and changes to its deals are not adjusted"])
        #expect(p307.first?.notes.last?.message == "2026-01-01 to 2026-03-31 is `FY2026-Q4`")
    }

    @Test func quotaPerQuarterIsAFiscalQuarter() throws {
        // A year from February: 2026-02 lies in FY2027-Q1 (February to April, 89 days), so 89,000.00 a quarter is
        // 89,000 x 28/89 = 28,000.00 for February (the calendar quarter would give 89,000 x 28/90 = 27,688.89).
        let plan = "plan \"P\" version \"1\"\nperiod month\nfiscal year starts 2026-02-01\n"
            + body.replacingOccurrences(of: "quota from assignment\n", with: "quota from assignment per quarter\n")
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-02-10,14000.00,USD,G,new\n"
        switch runEngine(plan: plan, deals: deals, assignments: assignments([("A", "89000.00")]), period: "2026-02") {
        case .success(let r):
            let a = try #require(r.statements.first { $0.payeeID == "A" })
            #expect(a.measures.map { "\($0.quota ?? "") \($0.attainment ?? "")" } == ["28000.00 50.00%"])
        case .failure(let d): Issue.record("\(DiagnosticRenderer.render(d))")
        }
    }

    @Test func commandLinePeriodsExit64() {
        let reader = InputReader(root: repositoryRoot + "/golden/periods-fiscal-ytd")
        // No calendar reads it: refused before any file is read, a missing plan or not.
        let garbage = Commands.run(plans: ["missing.plan"], data: "nowhere", period: "2026-Q5", set: [], reader: reader)
        #expect(garbage.exitCode == 64)
        #expect(garbage.stderr == "error: expected a period such as 2026-01, 2026-Q1, 2026-H1, 2026 or 2026-01-S1; found `2026-Q5`\n")
        // A calendar quarter on the fiscal plan: P301 with the fiscal label that holds it.
        let calendarLabel = Commands.run(plans: ["annual.plan"], data: ".", period: "2026-Q2", set: [], reader: reader)
        #expect(calendarLabel.exitCode == 64)
        #expect(calendarLabel.stderr.hasPrefix("error[P301]: `2026-Q2` is a calendar quarter, but the plans' quarters follow the fiscal year from April 1\n  = help: 2026-04-01 to 2026-06-30 is `FY2027-Q1`\n"))
        #expect(calendarLabel.files.isEmpty)
        let estimate = Commands.estimate(plans: ["annual.plan"], data: ".", period: "2026-H1", payee: "A", deals: ["amount=1000"], set: [], reader: reader)
        #expect(estimate.exitCode == 64)
        #expect(estimate.stderr.hasPrefix("error[P301]: `2026-H1` is a calendar half, but the plans' halves follow"))
    }

    @Test func plansOfOneRunShareTheirYear() {
        let a = compile("period quarter\nfiscal year starts 2026-04-01\n").plan!
        let b = compile("period quarter\n").plan!
        guard case .failure(let d) = Engine.period("FY2027-Q1", plans: [a, b]) else { Issue.record("expected P304"); return }
        #expect(d.items.map(\.code) == ["P304"])
        #expect(d.items[0].message == "the plans of one run follow different years: plan \"P\"'s year starts in April, plan \"P\" follows the calendar year (no `fiscal year starts` line)")
        #expect(d.items[0].span?.line == 3)
    }
}

/// Fiscal and biweekly periods on the fast paths: a close settled chunk by chunk gives the same statements and messages
/// as one settlement of every payee, and a lean run the same totals as a detailed one, on ChunkSettlementTests' company.
@Suite struct FiscalPeriodPathTests {
    /// ChunkSettlementTests' plans with another period header.
    func plans(_ periodLines: String) -> [SourceFile] {
        ChunkSettlementTests.plans.map { SourceFile(path: $0.path, text: $0.text.replacingOccurrences(of: "period quarter\n", with: periodLines)) }
    }

    func request(_ plans: [SourceFile], _ c: (roster: String, assignments: String, fx: String, q1: String, q2: String), deals: String, period: String) -> RunRequest {
        RunRequest(plans: plans, deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                   roster: InputFile(path: "roster.csv", bytes: Array(c.roster.utf8)),
                   assignments: InputFile(path: "assignments.csv", bytes: Array(c.assignments.utf8)),
                   fx: InputFile(path: "fx.csv", bytes: Array(c.fx.utf8)), period: period)
    }

    func ok<T>(_ r: Result<T, Diagnostics>) throws -> T {
        switch r {
        case .success(let v): return v
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(Diagnostics(Array(d.items.prefix(3)))))
        }
    }

    /// Closes `first` with the company's first deals file, then settles `second` with the second file both ways.
    func settleBothWays(_ periodLines: String, first: String, second: String) throws -> RunResult {
        let c = ChunkSettlementTests.company()
        let p = plans(periodLines)
        let closed = try ok(Engine.run(request(p, c, deals: c.q1, period: first)))
        let history = LedgerHistory.empty.posting(closed)
        let prepared = try ok(Engine.prepare(request(p, c, deals: c.q2, period: second)))
        let period = try ok(Engine.period(second, plans: prepared.plans))
        let together = try ok(Engine.evaluate(prepared, period: period, history: history, inChunks: false))
        let chunked = try ok(Engine.evaluate(prepared, period: period, history: history, inChunks: true))
        #expect(together.statements.map(StatementJSON.text) == chunked.statements.map(StatementJSON.text))
        #expect(DiagnosticRenderer.render(together.warnings) == DiagnosticRenderer.render(chunked.warnings))
        // Without a ledger, a lean run (totals only) pays what a detailed one does.
        let detailed = try ok(Engine.evaluate(prepared, period: period, detail: true))
        let lean = try ok(Engine.evaluate(prepared, period: period, detail: false))
        #expect(detailed.statements.map { "\($0.payeeID) \($0.paid.text)" } == lean.statements.map { "\($0.payeeID) \($0.paid.text)" })
        return together
    }

    @Test func fiscalQuartersSettleAlikeInChunks() throws {
        // A year from July: the company's January-March deals are FY2026-Q3, April-June FY2026-Q4.
        let r = try settleBothWays("period quarter\nfiscal year starts 2025-07-01\n", first: "FY2026-Q3", second: "FY2026-Q4")
        #expect(r.period.label == "FY2026-Q4")
        let kinds = Dictionary(grouping: r.statements.flatMap(\.lines), by: \.kind).mapValues(\.count)
        #expect((kinds[.adjustment] ?? 0) > 20)
        #expect((kinds[.clawback] ?? 0) > 20)
        #expect((kinds[.trueUp] ?? 0) > 20)
        #expect((kinds[.draw] ?? 0) > 20)
    }

    @Test func biweeklyPeriodsSettleAlikeInChunks() throws {
        let r = try settleBothWays("period biweekly from 2026-01-05\n", first: "2026-B03", second: "2026-B04")
        #expect("\(r.period.start) \(r.period.end)" == "2026-02-16 2026-03-01")
        let kinds = Dictionary(grouping: r.statements.flatMap(\.lines), by: \.kind).mapValues(\.count)
        #expect((kinds[.trueUp] ?? 0) > 20)
        #expect((kinds[.draw] ?? 0) > 20)
    }

    @Test func semiMonthlyPeriodsSettleAlikeInChunks() throws {
        let r = try settleBothWays("period semi-monthly\n", first: "2026-03-S1", second: "2026-03-S2")
        #expect((r.statements.flatMap(\.lines).filter { $0.kind == .trueUp }.count) > 20)
    }
}
