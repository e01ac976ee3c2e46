// The figures that make a statement checkable by hand: running measures and attainments beside deal lines, the
// working of caps, gates, bonuses and ledger settlements, the plan's `show` columns, and what changed since the last close.
import Foundation
import Testing
@testable import Attain
@testable import AttainLedger

/// "before→after attainmentBefore→attainmentAfter" of a line's running total, or "-" without one.
private func run(_ line: StatementLine) -> String {
    guard let r = line.running else { return "-" }
    return "\(r.measure) \(r.before)→\(r.after) \(r.attainmentBefore ?? "nil")→\(r.attainmentAfter ?? "nil")"
}

private func request(plans: [String], deals: String, roster: String = oneRep, assignments: String, period: String) -> RunRequest {
    RunRequest(plans: plans.enumerated().map { SourceFile(path: "p\($0.offset).plan", text: $0.element) },
               deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)), roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
               assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: period)
}

private func result(_ r: RunRequest, history: LedgerHistory = .empty) throws -> RunResult {
    switch Engine.run(r, history: history) {
    case .success(let result): return result
    case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
    }
}

@Suite struct RunningTotalTests {
    let quota = assignments([("A", "100000.00")])

    @Test func marginalTiersRunFromZeroToTheMeasure() throws {
        let s = try statements(plan: header + tiers, deals: briefDeals, assignments: quota)[0]
        #expect(s.lines.map(run) == ["bookings 0.00→30000.00 0.00%→30.00%", "bookings 30000.00→70000.00 30.00%→70.00%",
                                     "bookings 70000.00→120000.00 70.00%→120.00%"])
        #expect(s.lines.last?.running?.after == s.measures[0].value)
        #expect(s.lines.last?.running?.attainmentAfter == s.measures[0].attainment)
    }

    @Test func retroactiveTiersRunTheSameWay() throws {
        let plan = header + tiers.replacingOccurrences("marginal", "retroactive")
        let s = try statements(plan: plan, deals: briefDeals, assignments: quota)[0]
        #expect(s.amounts == ["2400.00", "3200.00", "4000.00"])
        #expect(s.lines.map(run) == ["bookings 0.00→30000.00 0.00%→30.00%", "bookings 30000.00→70000.00 30.00%→70.00%",
                                     "bookings 70000.00→120000.00 70.00%→120.00%"])
    }

    @Test func aSplitDealCountsItsShare() throws {
        let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\ncommission \"C\" on bookings\n  rate 10%\n"
        let deals = """
            deal_id,rep_id,close_date,amount,currency,product,type,split
            P1,A,2026-01-15,20000.00,USD,Gadget,new,100
            S1,A,2026-02-01,100000.00,USD,Gadget,new,60
            S1,B,2026-02-01,100000.00,USD,Gadget,new,40

            """
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))
        #expect(s[0].lines.map(run) == ["bookings 0.00→20000.00 0.00%→20.00%", "bookings 20000.00→80000.00 20.00%→80.00%"])
        #expect(s[1].lines.map(run) == ["bookings 0.00→40000.00 0.00%→40.00%"])
        #expect(s[0].lines.last?.running?.after == s[0].measures[0].value)
    }

    @Test func anOverrideRunsTheManagersMeasureOfTheReportsCredits() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nM,Mia,,2025-01-01,\nA,Ann,M,2025-01-01,\nB,Ben,A,2025-01-01,\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,50000.00,USD,G,new\nD2,B,2026-02-03,30000.00,USD,G,new\n"
        let manager = header.replacingOccurrences("plan \"P\"", "plan \"O\"")
            + "measure team = sum of deal.amount\n  quota from assignment\noverride \"Team\" on team\n  for all reports\n  rate 2%\n"
        let rep = header + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 10%\n"
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nM,O,2026-01-01,,200000.00,0\nA,P,2026-01-01,,1.00,0\nB,P,2026-01-01,,1.00,0\n"
        let r = try result(request(plans: [manager, rep], deals: deals, roster: roster, assignments: a, period: "2026-Q1"))
        let m = try #require(r.statements.first { $0.payeeID == "M" })
        #expect(m.amounts == ["1000.00", "600.00"])
        #expect(m.lines.map(run) == ["team 0.00→50000.00 0.00%→25.00%", "team 50000.00→80000.00 25.00%→40.00%"])
        #expect(m.lines.last?.running?.after == m.measures[0].value)
        // The rep's measure has no quota: no attainment.
        let ann = try #require(r.statements.first { $0.payeeID == "A" })
        #expect(ann.lines.map(run) == ["bookings 0.00→50000.00 nil→nil"])
    }

    @Test func anActivityMeasureRunsOverItsActivities() throws {
        let s = try ActivitiesTests().run(ActivitiesTests().request()).statements.first { $0.payeeID == "A" }!
        let meetings = s.lines.filter { $0.component == "Meetings" }
        #expect(meetings.map { $0.activityID ?? "" } == ["A1", "A2"])
        #expect(meetings.map(run) == ["meetings 0→1 0.00%→8.33%", "meetings 1→2 8.33%→16.66%"])
        let visits = s.lines.filter { $0.component == "Visits" }
        #expect(visits.map(run) == ["visits 0→4 nil→nil", "visits 4→7 nil→nil"])
        #expect(visits.last?.running?.after == s.measures.first { $0.name == "visits" }?.value)
    }

    @Test func eachSegmentRunsFromZero() throws {
        let p = header + "measure bookings = sum of deal.amount\n  quota from assignment\ncommission \"C\" on bookings\n  rate 10%\n"
        let q = p.replacingOccurrences("plan \"P\"", "plan \"Q\"").replacingOccurrences("rate 10%", "rate 12%")
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,P,2026-01-01,2026-02-14,100000.00,0\nA,Q,2026-02-15,2026-12-31,100000.00,0\n"
        let s = try #require(try result(request(plans: [p, q], deals: briefDeals, assignments: a, period: "2026-Q1")).statements.first)
        #expect(s.segments.count == 2)
        #expect(s.lines.map { $0.segment ?? 0 } == [1, 1, 2])
        // Each segment's quota is 45/90 of 100000.00.
        #expect(s.lines.map(run) == ["bookings 0.00→30000.00 0.00%→60.00%", "bookings 30000.00→70000.00 60.00%→140.00%",
                                     "bookings 0.00→50000.00 0.00%→100.00%"])
        #expect(s.lines[1].running?.after == s.segments[0].measures[0].value)
        #expect(s.lines[2].running?.after == s.segments[1].measures[0].value)
    }

    @Test func aYearToDatePlanRunsFromTheYearsEarlierDeals() throws {
        let plan = """
            plan "Y" version "1"
            currency USD
            period quarter
            true-up year to date
            rounding half-up to 0.01
            measure bookings = sum of deal.amount
              quota from assignment
            commission "C" on bookings
              rate 10%

            """
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nX,A,2026-02-05,10000.00,USD,W,new\nY,A,2026-05-05,5000.00,USD,W,new\n"
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,Y,2026-01-01,2026-12-31,100000.00,0\n"
        let s = try #require(try result(request(plans: [plan], deals: deals, assignments: a, period: "2026-Q2")).statements.first)
        let commission = s.lines.filter { $0.kind == .commission }
        #expect(commission.map(run) == ["bookings 0.00→10000.00 0.00%→10.00%", "bookings 10000.00→15000.00 10.00%→15.00%"])
        #expect(commission.last?.running?.after == s.measures[0].value)
    }

    @Test func aSpifOnAMeasureRunsAndOneWithoutDoesNot() throws {
        let plan = header + """
            measure bookings = sum of deal.amount
              quota from assignment
            spif "On bookings" on bookings
              where deal.amount >= 40000.00 USD
              pay 250.00 USD per deal
            spif "Any deal"
              pay 10.00 USD per deal

            """
        let s = try statements(plan: plan, deals: briefDeals, assignments: quota)[0]
        #expect(s.lines.filter { $0.component == "On bookings" }.map(run)
                == ["bookings 30000.00→70000.00 30.00%→70.00%", "bookings 70000.00→120000.00 70.00%→120.00%"])
        #expect(s.lines.filter { $0.component == "Any deal" }.map(run) == ["-", "-", "-"])
    }

    @Test func aRunWithoutDetailHasNoFigures() throws {
        var r = request(plans: [header + tiers + "  cap 4000.00 USD per period\n"], deals: briefDeals, assignments: quota, period: "2026-Q1")
        r.detail = false
        let s = try #require(try result(r).statements.first)
        #expect(s.paid.text == "4000.00")
        #expect(s.lines.allSatisfy { $0.running == nil && $0.working == nil && $0.shown == nil })
    }
}

@Suite struct WorkingTests {
    let quota = assignments([("A", "100000.00")])

    @Test func aCapSaysItsLimitAndTheLinesItCut() throws {
        let s = try statements(plan: header + tiers + "  cap 4000.00 USD per period\n", deals: briefDeals, assignments: quota)[0]
        let cap = try #require(s.lines.last)
        #expect(cap.amount.text == "-1100.00")
        #expect(cap.reason == "cap of 4000.00 USD per quarter reached")
        let w = try #require(cap.working)
        #expect(w.rule == .cap)
        #expect((w.limit, w.linesTotal, w.limitPercent, w.limitBase) == ("4000.00", "5100.00", nil, nil))
    }

    @Test func aCapOnTheTargetIncentiveSaysThePercentAndTheBase() throws {
        // Target incentive 10000.00 (the helper's): 20% of it is 2000.00.
        let s = try statements(plan: header + tiers + "  cap 20% of target_incentive per period\n", deals: briefDeals, assignments: quota)[0]
        let cap = try #require(s.lines.last)
        #expect(cap.amount.text == "-3100.00")
        let w = try #require(cap.working)
        #expect((w.limit, w.linesTotal, w.limitPercent, w.limitBase) == ("2000.00", "5100.00", "20%", "10000.00"))
    }

    @Test func aPerDealCapSaysItsLimitAndTheLine() throws {
        let s = try statements(plan: header + tiers + "  cap 2000.00 USD per deal\n", deals: briefDeals, assignments: quota)[0]
        let cap = try #require(s.lines.last)
        #expect(cap.dealID == "D3")
        #expect((cap.working?.limit, cap.working?.linesTotal) == ("2000.00", "3100.00"))
    }

    @Test func aGateNotMetSaysItsConditionThresholdAndAttainment() throws {
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,30000.00,USD,Gadget,new\n"
        let s = try statements(plan: header + tiers + "  gate attainment >= 50%\n", deals: deals, assignments: quota)[0]
        #expect(s.amounts == ["600.00", "-600.00"])
        let w = try #require(s.lines[1].working)
        #expect(w.rule == .gate)
        #expect((w.condition, w.threshold, w.attainment, w.linesTotal) == ("bookings.attainment >= 50%", "50%", "30.00%", "600.00"))
    }

    @Test func aBonusSaysTheStepMetAndTheAttainment() throws {
        let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\nbonus \"B\" on bookings\n  at 100% pay 5000.00 USD\n  at 120% pay 8000.00 USD\n"
        let s = try statements(plan: plan, deals: briefDeals, assignments: quota)[0]
        #expect(s.amounts == ["8000.00"])
        let w = try #require(s.lines[0].working)
        #expect(w.rule == .bonus)
        #expect((w.threshold, w.attainment) == ("120%", "120.00%"))
    }

    static let clawbackPlan = header + """
        clawback within 90 days
        measure bookings = sum of deal.amount
          quota from assignment
        commission "C" on bookings
          rate 10%

        """

    @Test func aPriorPeriodAdjustmentSaysWhatWasPaidAndWhatItIsNow() throws {
        let q1 = try result(request(plans: [WorkingTests.clawbackPlan], deals: briefDeals, assignments: quota, period: "2026-Q1"))
        // D2 was booked 10000.00 short.
        let fixed = briefDeals.replacingOccurrences(of: "D2,A,2026-02-03,40000.00", with: "D2,A,2026-02-03,50000.00")
        let q2 = try result(request(plans: [WorkingTests.clawbackPlan], deals: fixed, assignments: quota, period: "2026-Q2"),
                            history: LedgerHistory.empty.posting(q1))
        let s = try #require(q2.statements.first)
        let line = try #require(s.lines.first { $0.kind == .adjustment })
        #expect((line.dealID, line.amount.text, line.refPeriod) == ("D2", "1000.00", "2026-Q1"))
        #expect(line.reason == "2026-Q1 recomputed with the current inputs on deal D2: 5000.00 now, 4000.00 paid")
        let w = try #require(line.working)
        #expect((w.rule, w.period, w.was, w.now) == (LineWorking.Rule.recomputed, "2026-Q1", "4000.00", "5000.00"))
    }

    @Test func aClawbackSaysThePeriodWhatWasPaidAndTheCancelDate() throws {
        let q1 = try result(request(plans: [WorkingTests.clawbackPlan], deals: briefDeals, assignments: quota, period: "2026-Q1"))
        let cancelled = "deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date\n"
            + "D1,A,2026-01-10,30000.00,USD,Gadget,new,100,won,\nD2,A,2026-02-03,40000.00,USD,Gadget,new,100,cancelled,2026-04-10\n"
            + "D3,A,2026-03-15,50000.00,USD,Gadget,new,100,won,\n"
        let q2 = try result(request(plans: [WorkingTests.clawbackPlan], deals: cancelled, assignments: quota, period: "2026-Q2"),
                            history: LedgerHistory.empty.posting(q1))
        let s = try #require(q2.statements.first)
        let line = try #require(s.lines.first { $0.kind == .clawback })
        #expect((line.dealID, line.amount.text) == ("D2", "-4000.00"))
        let w = try #require(line.working)
        #expect((w.rule, w.period, w.was, w.date?.description) == (LineWorking.Rule.clawback, "2026-Q1", "4000.00", "2026-04-10"))
    }
}

@Suite struct ShowTests {
    static let plan = header + """
        field account
        show deal.account, deal.deal_id, deal.amount
        measure bookings = sum of deal.amount
          quota from assignment
        commission "C" on bookings
          rate 10%
          cap 3000.00 USD per deal

        """
    static let deals = """
        deal_id,rep_id,close_date,amount,currency,product,type,split,account
        D1,A,2026-01-10,30000.00,USD,Gadget,new,100,Acme
        D2,A,2026-02-03,40000.00,USD,Gadget,new,50,Zenith Bank
        D2,B,2026-02-03,40000.00,USD,Gadget,new,50,Zenith Bank

        """

    @Test func linesOnADealCarryTheShownColumns() throws {
        let s = try statements(plan: ShowTests.plan, deals: ShowTests.deals, assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))
        #expect(s[0].shownFields == ["account", "deal_id", "amount"])
        // D2 is split: its amount is A's share.
        #expect(s[0].lines.map { $0.shown ?? [] } == [["Acme", "D1", "30000.00"], ["Zenith Bank", "D2", "20000.00"]])
        let capped = try statements(plan: ShowTests.plan.replacingOccurrences("cap 3000.00", "cap 2500.00"), deals: ShowTests.deals,
                                    assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))[0]
        // The per-deal cap's adjustment shows its deal's columns too.
        #expect(capped.lines.map(\.kind) == [.commission, .adjustment, .commission])
        #expect(capped.lines[1].shown == ["Acme", "D1", "30000.00"])
    }

    @Test func explainSaysWhatIsShown() throws {
        let plan = try #require(Engine.compile([SourceFile(path: "p.plan", text: ShowTests.plan)]).0.first)
        #expect(TreePrinter.describe(plan).contains("  field deal.account: text\n  shows on each line on a deal: deal.account, deal.deal_id, deal.amount\n"))
    }

    @Test func withoutAShowLineNothingIsShown() throws {
        let s = try statements(plan: header + tiers, deals: briefDeals, assignments: assignments([("A", "100000.00")]))[0]
        #expect(s.shownFields.isEmpty)
        #expect(s.lines.allSatisfy { $0.shown == nil })
    }

    func errors(_ lines: String) -> [String] {
        let (text, markers) = marked(header + "field account\n" + lines + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 10%\n")
        let found = Engine.compile([SourceFile(path: "p.plan", text: text)]).1.items
        #expect(found.count == 1 || found.isEmpty)
        return found.map { d in
            let at = markers.first { $0.value.line == d.span?.line && $0.value.column == d.span?.column }?.key ?? "?"
            return "\(d.code) \(at) \(d.message)" + d.notes.map { " | \($0.message)" }.joined()
        }
    }

    @Test func badShowLinesAreErrorsAtTheirPlace() {
        #expect(errors("show 1️⃣account\n") == ["P310 1️⃣ expected a deal column such as `deal.account` after `show`, found `account` | write the columns as `deal.<column>`: `show deal.account`"])
        #expect(errors("show deal.1️⃣\n").first?.hasPrefix("P310 1️⃣ expected a column name after `deal.`") == true)
        #expect(errors("show deal.account\n1️⃣show deal.product\n").first?.hasPrefix("P311 1️⃣ the plan already has a `show` line") == true)
        #expect(errors("show 1️⃣deal.accout\n") == ["P312 1️⃣ unknown deal column `deal.accout` in `show` | did you mean `account`? | a column of deals.csv the plan shows needs a `field accout` line; standard columns are `deal_id`, `rep_id`, `close_date`, `amount`, `currency`, `product`, `type`, `split`, `status`, `role`"])
        #expect(errors("show deal.account, 1️⃣deal.account\n").first?.hasPrefix("P313 1️⃣ the `show` line names `deal.account` twice") == true)
        #expect(errors("show 1️⃣activity.outcome\n").first?.hasPrefix("P314 1️⃣ `show` names deal columns") == true)
        #expect(errors("show deal.account, deal.product\n").isEmpty)
    }
}

@Suite struct ChangesTests {
    let quota = assignments([("A", "100000.00")])
    let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\ncommission \"C\" on bookings\n  rate 10%\n"

    @Test func aSecondCloseSaysWhatChangedSinceTheFirst() throws {
        let deals = briefDeals + "D4,A,2026-04-20,20000.00,USD,Gadget,new\nD5,A,2026-05-02,5000.00,USD,Gadget,new\nD6,A,2026-07-02,1.00,USD,Gadget,new\n"
        // Without a ledger (`attain run`), or on the payee's first closed period: nothing.
        let q1 = try result(request(plans: [plan], deals: deals, assignments: quota, period: "2026-Q1"))
        #expect(q1.statements[0].changes == nil)
        #expect(q1.statements[0].paid.text == "12000.00")
        let afterQ1 = LedgerHistory.empty.posting(q1)
        let q2 = try result(request(plans: [plan], deals: deals, assignments: quota, period: "2026-Q2"), history: afterQ1)
        let c = try #require(q2.statements[0].changes)
        #expect((c.previousPeriod, c.previousPaid.text, c.previousAttainment) == ("2026-Q1", "12000.00", nil))
        #expect((c.newDeals, c.newDealsEarned.text) == (2, "2500.00"))
        #expect(c.postedBefore?.text == nil)
        // Q3 after Q1 and Q2 closed: the last is Q2; Q2 reopened and closed again says what its posting paid.
        var afterQ2 = afterQ1.posting(q2)
        afterQ2.reopenedPaid = ["A": try ExactDecimal.parse("0.10").get()]
        let q3 = try result(request(plans: [plan], deals: deals, assignments: quota, period: "2026-Q3"), history: afterQ2)
        let c3 = try #require(q3.statements[0].changes)
        #expect((c3.previousPeriod, c3.previousPaid.text, c3.newDeals, c3.newDealsEarned.text) == ("2026-Q2", "2500.00", 1, "0.10"))
        #expect(c3.postedBefore?.text == "0.10")
        #expect(afterQ2.posting(q3).reopenedPaid.isEmpty)
    }

    @Test func aDealPaidBeforeIsNotNew() throws {
        // A year-to-date plan's Q2 lines hold Q1's deal again: it is not new.
        let ytd = """
            plan "Y" version "1"
            currency USD
            period quarter
            true-up year to date
            rounding half-up to 0.01
            measure bookings = sum of deal.amount
            commission "C" on bookings
              rate 10%

            """
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nX,A,2026-02-05,10000.00,USD,W,new\nY,A,2026-05-05,5000.00,USD,W,new\n"
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,Y,2026-01-01,2026-12-31,0,0\n"
        let q1 = try result(request(plans: [ytd], deals: deals, assignments: a, period: "2026-Q1"))
        let q2 = try result(request(plans: [ytd], deals: deals, assignments: a, period: "2026-Q2"), history: LedgerHistory.empty.posting(q1))
        let c = try #require(q2.statements[0].changes)
        #expect((c.previousPeriod, c.previousPaid.text, c.newDeals, c.newDealsEarned.text) == ("2026-Q1", "1000.00", 1, "500.00"))
    }
}

@Suite struct ReopenedPostingTests {
    @Test func aReopenedPeriodsLastPostingIsInTheHistoryOfItsNextClose() throws {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-changes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try Ledger(path: dir + "/attain.db")
        let quota = assignments([("A", "100000.00")])
        let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\ncommission \"C\" on bookings\n  rate 10%\n"
        let deals = briefDeals + "D4,A,2026-04-20,20000.00,USD,Gadget,new\n"
        let (q1, q2) = (try Period.parse("2026-Q1").get(), try Period.parse("2026-Q2").get())
        func close(_ p: Period, _ deals: String) throws -> Attain.Statement {
            let r = try result(request(plans: [plan], deals: deals, assignments: quota, period: p.label), history: try ledger.history(before: p))
            try ledger.post(period: p, inputs: [], at: "t", engineVersion: "1") { posting in
                for s in r.statements { try posting.add(s, document: "") }
            }
            return try #require(r.statements.first)
        }
        #expect(try close(q1, deals).changes == nil)
        #expect(try close(q2, deals).changes?.postedBefore == nil)
        #expect(try ledger.history(before: q2).reopenedPaid.isEmpty)
        try ledger.reopen(q2, reason: "D4 was 25000.00", at: "t2", engineVersion: "1")
        #expect(try ledger.history(before: q2).reopenedPaid.mapValues { $0.text(minimumScale: 2) } == ["A": "2000.00"])
        let again = try close(q2, deals.replacingOccurrences(of: "D4,A,2026-04-20,20000.00", with: "D4,A,2026-04-20,25000.00"))
        let c = try #require(again.changes)
        #expect((c.previousPeriod, c.previousPaid.text, c.postedBefore?.text, again.paid.text) == ("2026-Q1", "12000.00", "2000.00", "2500.00"))
    }
}

@Suite struct RunningTotalPathTests {
    let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\ncommission \"C\" on bookings\n  rate 10%\n"

    @Test func exactThirdsRunToExactlyTheQuota() throws {
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nT1,A,2026-01-10,33333.33,USD,G,new\nT2,A,2026-01-11,33333.33,USD,G,new\nT3,A,2026-01-12,33333.34,USD,G,new\n"
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100000.00")]))[0]
        #expect(s.lines.map(run) == ["bookings 0.00→33333.33 0.00%→33.33%", "bookings 33333.33→66666.66 33.33%→66.66%",
                                     "bookings 66666.66→100000.00 66.66%→100.00%"])
    }

    @Test func sharesWithManyDigitsRunExactly() throws {
        // 33.3333% of 100.01 is 33.33663333: more digits than the whole-number walk keeps, so it runs over ratios.
        let deals = """
            deal_id,rep_id,close_date,amount,currency,product,type,split
            S1,A,2026-01-10,100.01,USD,G,new,33.3333
            S1,B,2026-01-10,100.01,USD,G,new,66.6667
            S2,A,2026-01-11,0.50,USD,G,new,100

            """
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100.00"), ("B", "100.00")]))[0]
        #expect(s.lines.map(run) == ["bookings 0.00→33.33663333 0.00%→33.33%", "bookings 33.33663333→33.83663333 33.33%→33.83%"])
        #expect(s.lines.last?.running?.after == s.measures[0].value)
    }

    @Test func aCountMeasureRunsInWholeNumbersAndAQuotaInThirds() throws {
        let count = header + "measure logos = count of deals\n  quota 3\ncommission \"C\" on logos\n  rate 100.00 USD per deal\n"
        let s = try statements(plan: count, deals: briefDeals, assignments: assignments([("A", "0")]))[0]
        #expect(s.lines.map(run) == ["logos 0→1 0.00%→33.33%", "logos 1→2 33.33%→66.66%", "logos 2→3 66.66%→100.00%"])
    }
}
