// Activities as measures: activities.csv read with exact positions, measures of activities, pay per activity, the
// team roll-up, what a statement lists, where every activity went, and the paths that must give the same bytes.
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct ActivitiesTests {
    static let roster = """
        rep_id,name,manager_id,hire_date,end_date
        M,Mia Manager,,2024-01-01,
        A,Rep A,M,2025-01-01,
        B,Rep B,M,2026-02-15,

        """

    static let plan = header + """
        field activity.outcome

        measure meetings = count of activities where activity.kind = "meeting" and activity.outcome = "held"
          quota 12 per quarter

        measure visits = sum of activity.count where activity.kind = "visit"

        commission "Meetings" on meetings
          rate 40.00 USD per activity

        commission "Visits" on visits
          tiers marginal over visits
          tier from 0 to 5 rate 10.00 USD per activity
          tier from 5 rate 20.00 USD per activity

        """

    static let teamPlan = """
        plan "Team" version "1"
        effective 2026-01-01 to 2026-12-31
        currency USD
        period quarter
        rounding half-up to 0.01

        measure team_meetings = count of activities for direct reports where activity.kind = "meeting"
          quota 10

        bonus "Team bonus" on team_meetings
          at 100% pay 750.00 USD

        """

    static let activities = """
        activity_id,rep_id,date,kind,count,outcome
        A1,A,2026-01-05,meeting,,held
        A2,A,2026-02-05,meeting,,held
        A3,A,2026-02-06,meeting,,no_show
        A4,A,2026-03-01,visit,4,
        A5,A,2026-03-02,visit,3,
        A6,A,2026-03-03,Meeting,,held
        A7,A,2026-04-01,meeting,,held
        B1,B,2026-02-01,meeting,,held
        B2,B,2026-02-20,meeting,,held
        Z1,Z,2026-02-20,meeting,,held

        """

    static let assignments = """
        rep_id,plan,start_date,end_date,quota,target_incentive
        A,P,2026-01-01,2026-12-31,0,0.00
        B,P,2026-01-01,2026-12-31,0,0.00
        M,Team,2026-01-01,2026-12-31,0,0.00

        """

    static let deals = "deal_id,rep_id,close_date,amount,currency,product,type\n"

    func request(plans: [String] = [ActivitiesTests.plan, ActivitiesTests.teamPlan], activities: String = ActivitiesTests.activities,
                 period: String = "2026-Q1") -> RunRequest {
        var r = RunRequest(plans: plans.enumerated().map { SourceFile(path: "p\($0.offset).plan", text: $0.element) },
                           deals: InputFile(path: "deals.csv", bytes: Array(ActivitiesTests.deals.utf8)),
                           roster: InputFile(path: "roster.csv", bytes: Array(ActivitiesTests.roster.utf8)),
                           assignments: InputFile(path: "assignments.csv", bytes: Array(ActivitiesTests.assignments.utf8)), period: period)
        r.activities = InputFile(path: "activities.csv", bytes: Array(activities.utf8))
        return r
    }

    func run(_ r: RunRequest) throws -> RunResult {
        switch Engine.run(r) {
        case .success(let result): return result
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    func loadErrors(_ csv: String) -> [Diagnostic] {
        switch Engine.prepare(request(activities: csv)) {
        case .success: return []
        case .failure(let d): return d.items
        }
    }

    @Test func badRowsAreReportedAtTheirCells() {
        let csv = """
            activity_id,rep_id,date,kind,count,outcome
            A1,A,2026-02-30,meeting,,held
            A2,A,2026-01-09,meeting,-2,held
            A3,A,2026-01-09,meeting,lots,held
            A1,A,2026-01-10,meeting,,held
            A5,,2026-01-10,meeting,,held

            """
        let found = loadErrors(csv).map { "\($0.code) \($0.span!.line):\($0.span!.column)" }
        #expect(found == ["D265 2:6", "D266 3:25", "D266 4:25", "D268 5:1", "D264 6:4"])
    }

    @Test func aMissingColumnAndADeclaredFieldAreNamed() {
        let noKind = loadErrors("activity_id,rep_id,date,kinds\nA1,A,2026-01-05,meeting\n")
        #expect(noKind.map(\.code).contains("D263"))
        #expect(noKind.contains { $0.message == "missing column `kind`" })
        let noOutcome = loadErrors("activity_id,rep_id,date,kind\nA1,A,2026-01-05,meeting\n")
        #expect(noOutcome.map(\.message) == ["missing column `outcome`, declared with `field activity.outcome`"])
        let typed = header + "field activity.minutes: number\nmeasure calls = sum of activity.minutes\ncommission \"C\" on calls\n  rate 1.00 USD per activity\n"
        let bad = loadErrorsFor(plans: [typed, ActivitiesTests.teamPlan], csv: "activity_id,rep_id,date,kind,minutes\nC1,A,2026-01-05,call,ten\n")
        #expect(bad.map { "\($0.code) \($0.span!.line):\($0.span!.column)" } == ["D267 2:22"])
    }

    func loadErrorsFor(plans: [String], csv: String) -> [Diagnostic] {
        switch Engine.prepare(request(plans: plans, activities: csv)) {
        case .success: return []
        case .failure(let d): return d.items
        }
    }

    @Test func measuresCountOnActiveDaysAndPayPerActivity() throws {
        let result = try run(request())
        let a = try #require(result.statements.first { $0.payeeID == "A" })
        // A: A1, A2 held meetings (A3 a no-show, A6 a kind no filter names, A7 in Q2): 2 × 40.00; 2/12.
        let meetings = try #require(a.measures.first { $0.name == "meetings" })
        #expect(meetings.value == "2")
        #expect(meetings.quota == "12")
        #expect(meetings.attainment == "16.66%")
        #expect(meetings.activities?.map(\.activityID) == ["A1", "A2"])
        // Visits 4 + 3 = 7, tiered: 5 × 10.00 + 2 × 20.00 = 90.00 on A5's line (A4 pays 40.00, A5 1 × 10.00 + 2 × 20.00).
        #expect(a.measures.first { $0.name == "visits" }?.value == "7")
        let lines = a.lines.map { "\($0.component) \($0.activityID ?? "-") \($0.amount.text) \($0.rate ?? "")" }
        #expect(lines == ["Meetings A1 40.00 40.00 USD per activity", "Meetings A2 40.00 40.00 USD per activity",
                          "Visits A4 40.00 10.00 USD per activity", "Visits A5 50.00 "])
        #expect(a.lines.allSatisfy { $0.dealID == nil })
        #expect(a.paid.text == "170.00")
        // B, hired 2026-02-15: B1 is before the hire and not counted; the quota is prorated to 45/90 of 12.
        let b = try #require(result.statements.first { $0.payeeID == "B" })
        #expect(b.measures.first { $0.name == "meetings" }?.quota == "6")
        #expect(b.lines.map(\.activityID) == ["B2"])
        #expect(b.paid.text == "40.00")
    }

    @Test func aTeamMeasureCountsTheReportsActivitiesOnTheirDates() throws {
        let result = try run(request())
        let m = try #require(result.statements.first { $0.payeeID == "M" })
        let team = try #require(m.measures.first { $0.name == "team_meetings" })
        // A's meetings of the quarter (A1, A2, A3; `Meeting` is another kind) and B's after the hire (B2).
        #expect(team.value == "4")
        #expect(team.from.map { "\($0.repID) \($0.deals) \($0.amount)" } == ["A 3 3", "B 1 1"])
        #expect(m.paid.text == "0.00")
    }

    @Test func everyActivityIsAccountedFor() throws {
        let result = try run(request())
        let r = try #require(result.reconciliation?.activities)
        #expect(r.read.activities == 10)
        #expect(r.inPeriod.activities == 9)
        #expect(r.outside.activities == 1)
        #expect(r.counted.activities == 5)
        #expect(r.notCounted[.notOnRoster]?.activities == 1)
        #expect(r.notCounted[.noAssignment]?.activities == 1)
        // A3's outcome `no_show` and A6's kind `Meeting` are values no filter names.
        #expect(r.notCounted[.excludedByFilter] == nil)
        #expect(r.notCounted[.noMatchingFilter]?.activities == 2)
        #expect(r.addsUp)
        let codes = result.warnings.items.map(\.code)
        #expect(codes.contains("R354"))
        #expect(codes.contains("R348"))
        #expect(codes.contains("D269"))
        let r354 = try #require(result.warnings.items.first { $0.code == "R354" })
        #expect(r354.message == "1 activity: activity.kind \"Meeting\" (1) matches no filter; filters at p0.plan:8 expect \"meeting\"")
    }

    @Test func activitiesAndDealsDoNotMix() {
        let plan = header + """
            measure meetings = count of activities where 1️⃣deal.type = "meeting"
            measure bookings = sum of deal.amount where 2️⃣activity.kind = "meeting"
            measure calls = count of activities where 3️⃣activity.knd = "call"
            spif "S"
              where 4️⃣activity.kind = "demo"
              pay 10.00 USD per deal
            commission "C" on meetings
              rate 1.00 USD per activity

            """
        let (text, at) = marked(plan)
        let found = diagnose(text).map { "\($0.code) \($0.span!.line):\($0.span!.column)" }
        let expected = [("E157", "1️⃣"), ("E158", "2️⃣"), ("E159", "3️⃣"), ("E158", "4️⃣")].map { "\($0.0) \(at[$0.1]!.line):\(at[$0.1]!.column)" }
        #expect(found == expected)
    }

    @Test func withoutActivitiesNothingChanges() throws {
        // A plan of deals gives the same statement with or without an activities file.
        let deals = header + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 5%\n"
        var plain = request(plans: [deals, ActivitiesTests.teamPlan])
        plain.activities = nil
        let with = try run(request(plans: [deals, ActivitiesTests.teamPlan]))
        let without = try run(plain)
        let own = { (r: RunResult) in r.statements.filter { $0.payeeID != "M" }.map(StatementJSON.text) }
        #expect(own(with) == own(without))
        #expect(own(without).count == 2)
        #expect(without.reconciliation?.activities == nil)
    }

    @Test func aLeanRunGivesTheSameTotals() throws {
        let full = try run(request())
        var lean = request()
        lean.detail = false
        let leanResult = try run(lean)
        #expect(full.statements.map(\.paid.text) == ["170.00", "40.00", "0.00"])
        #expect(leanResult.statements.map(\.paid.text) == ["170.00", "40.00", "0.00"])
    }

    // MARK: The close settled in chunks

    /// 600 reps under 20 managers, on a quarterly plan or a year-to-date one, with meetings in Q1 and Q2; Q2's file adds
    /// late Q1 meetings for every seventh rep.
    static func company() -> (roster: String, assignments: String, q1: String, q2: String) {
        var roster = "rep_id,name,manager_id,hire_date,end_date\n", assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var q1 = "activity_id,rep_id,date,kind,count,outcome\n", late = "", q2 = ""
        for m in 1...20 {
            roster += "M\(m),Manager \(m),,2024-01-01,\n"
            assignments += "M\(m),Team,2026-01-01,2026-12-31,0,0.00\n"
        }
        for r in 1...600 {
            let id = "R\(1000 + r)"
            roster += "\(id),Rep \(r),M\(r % 20 + 1),\(r % 11 == 0 ? "2026-02-0\(r % 9 + 1)" : "2025-01-01"),\n"
            assignments += "\(id),\(r % 2 == 0 ? "P" : "YTD"),2026-01-01,2026-12-31,0,0.00\n"
            for k in 0..<(r % 9 + 8) {
                let kind = k % 5 == 4 ? "visit" : "meeting"
                q1 += "\(id)-1-\(k),\(id),2026-0\(k % 3 + 1)-\(10 + k),\(kind),\(k % 3),\(k % 7 == 0 ? "no_show" : "held")\n"
                q2 += "\(id)-2-\(k),\(id),2026-0\(k % 3 + 4)-\(10 + k),\(kind),\(k % 4),held\n"
            }
            if r % 7 == 0 { late += "\(id)-1-late,\(id),2026-03-28,meeting,,held\n" }
        }
        return (roster, assignments, q1, q1 + late + q2)
    }

    static let ytdPlan = """
        plan "YTD" version "1"
        effective 2026-01-01 to 2026-12-31
        currency USD
        period quarter
        rounding half-up to 0.01
        true-up year to date

        measure meetings = count of activities where activity.kind = "meeting"
          quota 40

        commission "Meetings" on meetings
          tiers marginal over attainment
          tier from 0% to 50% rate 20.00 USD per activity
          tier from 50% rate 45.00 USD per activity

        """

    @Test func aCloseSettledInChunksIsTheCloseOfEveryPayeeTogether() throws {
        let c = ActivitiesTests.company()
        func request(_ activities: String, _ period: String) -> RunRequest {
            var r = RunRequest(plans: [ActivitiesTests.plan, ActivitiesTests.teamPlan, ActivitiesTests.ytdPlan].enumerated().map { SourceFile(path: "p\($0.offset).plan", text: $0.element) },
                               deals: InputFile(path: "deals.csv", bytes: Array(ActivitiesTests.deals.utf8)),
                               roster: InputFile(path: "roster.csv", bytes: Array(c.roster.utf8)),
                               assignments: InputFile(path: "assignments.csv", bytes: Array(c.assignments.utf8)), period: period)
            r.activities = InputFile(path: "activities.csv", bytes: Array(activities.utf8))
            return r
        }
        let q1 = try run(request(c.q1, "2026-Q1"))
        let history = LedgerHistory.empty.posting(q1)
        let prepared = try #require(try? Engine.prepare(request(c.q2, "2026-Q2")).get())
        let period = try Period.parse("2026-Q2").get()
        let together = try Engine.evaluate(prepared, period: period, history: history, inChunks: false).get()
        let chunked = try Engine.evaluate(prepared, period: period, history: history, inChunks: true).get()
        #expect(together.statements.count == 620)
        #expect(together.statements.map(StatementJSON.text) == chunked.statements.map(StatementJSON.text))
        #expect(DiagnosticRenderer.render(together.warnings) == DiagnosticRenderer.render(chunked.warnings))
        #expect(together.reconciliation?.activities?.text() == chunked.reconciliation?.activities?.text())
        #expect(together.reconciliation?.activities?.addsUp == true)
        // The late Q1 meetings come back as adjustments (quarterly plan) and in the year to date (true-ups).
        let kinds = Dictionary(grouping: together.statements.flatMap(\.lines), by: \.kind).mapValues(\.count)
        #expect((kinds[.adjustment] ?? 0) > 20)
        #expect((kinds[.trueUp] ?? 0) > 20)
    }

    @Test func aCloseRecordsTheActivitiesFileWithItsInputs() throws {
        let dir = "golden/activities-close-two-quarters"
        guard case .success(let loaded) = Commands.load(plans: [dir + "/sdr.plan"], data: dir, period: "2026-Q1", set: [], earningCodes: nil,
                                                         reader: InputReader(root: repositoryRoot)) else {
            Issue.record("the case's inputs did not load")
            return
        }
        #expect(loaded.inputs.map(\.role) == ["plan", "deals", "roster", "assignments", "activities"])
        #expect(loaded.inputs.last?.path == dir + "/activities.csv")
        #expect(loaded.request.activities?.path == dir + "/activities.csv")
    }

    @Test func aTeamMeasureFollowsTheDatedHierarchy() throws {
        // B moves from M to N on 2026-03-01: M's team counts B's meetings before then, N's from then on.
        let roster = ActivitiesTests.roster + "N,Nia Manager,,2024-01-01,\n"
        let assignments = ActivitiesTests.assignments + "N,Team,2026-01-01,2026-12-31,0,0.00\n"
        let activities = ActivitiesTests.activities + "B3,B,2026-03-05,meeting,,held\nB4,B,2026-03-06,meeting,,held\n"
        var r = request(activities: activities)
        r.roster = InputFile(path: "roster.csv", bytes: Array(roster.utf8))
        r.assignments = InputFile(path: "assignments.csv", bytes: Array(assignments.utf8))
        r.hierarchy = InputFile(path: "hierarchy.csv", bytes: Array("rep_id,manager_id,start_date,end_date\nB,M,2026-01-01,2026-02-28\nB,N,2026-03-01,\n".utf8))
        let result = try run(r)
        let from = { (payee: String) in
            result.statements.first { $0.payeeID == payee }?.measures.first?.from.map { "\($0.repID) \($0.deals)" } ?? []
        }
        #expect(from("M") == ["A 3", "B 1"])
        #expect(from("N") == ["B 2"])
        let n = try #require(result.statements.first { $0.payeeID == "N" })
        #expect(n.measures.first?.activities?.map(\.activityID) == ["B3", "B4"])
    }
}
