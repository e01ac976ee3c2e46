// The brief's worked examples, evaluated directly, to the cent.
import Testing
@testable import Attain

let tiers = """
    measure bookings = sum of deal.amount
      quota from assignment
    commission "C" on bookings
      tiers marginal over attainment
      tier from 0% to 50% rate 2%
      tier from 50% to 100% rate 5%
      tier from 100% rate 8%

    """

@Suite struct EvaluatorTests {
    let quota = assignments([("A", "100000.00")])

    @Test func marginalTiers() throws {
        let s = try statements(plan: header + tiers, deals: briefDeals, assignments: quota)[0]
        #expect(s.amounts == ["600.00", "1400.00", "3100.00"])
        #expect(s.lines[1].tiers.map(\.base) == ["20000.00", "20000.00"])
        #expect(s.lines[1].tiers.map(\.rate) == ["2%", "5%"])
        #expect(s.paid.text == "5100.00")
        #expect(s.measures[0].attainment == "120.00%")
    }

    @Test func retroactiveTiers() throws {
        let plan = header + tiers.replacingOccurrences("marginal", "retroactive")
        let s = try statements(plan: plan, deals: briefDeals, assignments: quota)[0]
        #expect(s.amounts == ["2400.00", "3200.00", "4000.00"])
        #expect(s.paid.text == "9600.00")
    }

    @Test func capIsASeparateAdjustment() throws {
        let s = try statements(plan: header + tiers + "  cap 4000.00 USD per period\n", deals: briefDeals, assignments: quota)[0]
        #expect(s.amounts == ["600.00", "1400.00", "3100.00", "-1100.00"])
        #expect(s.lines[3].kind == .adjustment)
        #expect((s.earned.text, s.adjustments.text, s.paid.text) == ("5100.00", "-1100.00", "4000.00"))
    }

    @Test func perDealCap() throws {
        let s = try statements(plan: header + tiers + "  cap 2000.00 USD per deal\n", deals: briefDeals, assignments: quota)[0]
        #expect(s.amounts == ["600.00", "1400.00", "3100.00", "-1100.00"])
        #expect(s.lines[3].dealID == "D3")
    }

    @Test func gateCancelsAndSaysWhy() throws {
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,30000.00,USD,Gadget,new\n"
        let s = try statements(plan: header + tiers + "  gate attainment >= 50%\n", deals: deals, assignments: quota)[0]
        #expect(s.amounts == ["600.00", "-600.00"])
        #expect(s.paid.text == "0.00")
        #expect(s.lines[1].reason?.contains("30.00%") == true)
    }

    @Test func bonusPaysOnlyTheHighestStepAndThresholdsAreInclusive() throws {
        let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\nbonus \"B\" on bookings\n  at 100% pay 5000.00 USD\n  at 120% pay 8000.00 USD\n"
        let deals = briefDeals + "E1,B,2026-01-05,100000.00,USD,Gadget,new\n"
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))
        #expect(s[0].amounts == ["8000.00"])
        #expect(s[1].amounts == ["5000.00"])
    }

    @Test func spifWindowIsInclusive() throws {
        let plan = header + "spif \"Widget\"\n  from 2026-02-01 to 2026-03-31\n  where deal.product = \"Widget\"\n  pay 250.00 USD per deal\n"
        let deals = """
            deal_id,rep_id,close_date,amount,currency,product,type
            W0,A,2026-01-31,100.00,USD,Widget,new
            W1,A,2026-02-01,100.00,USD,Widget,new
            W2,A,2026-03-31,100.00,USD,Widget,new
            G1,A,2026-02-10,100.00,USD,Gadget,new

            """
        let s = try statements(plan: plan, deals: deals, assignments: quota)[0]
        #expect(s.lines.map { $0.dealID ?? "" } == ["W1", "W2"])
        #expect(s.paid.text == "500.00")
    }

    @Test func splitCreditsEachPayeeTheirShare() throws {
        let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\ncommission \"C\" on bookings\n  rate 10%\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\nS1,A,2026-02-01,100000.00,USD,Gadget,new,60\nS1,B,2026-02-01,100000.00,USD,Gadget,new,40\n"
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))
        #expect(s.map(\.paid.text) == ["6000.00", "4000.00"])
        #expect(s.map { $0.measures[0].attainment } == ["60.00%", "40.00%"])
    }

    @Test func splitSharesMustTotal100() {
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\nS1,A,2026-02-01,100.00,USD,Gadget,new,60\nS1,B,2026-02-01,100.00,USD,Gadget,new,30\n"
        guard case .failure(let d) = runEngine(plan: header + tiers, deals: deals, assignments: assignments([("A", "1.00"), ("B", "1.00")])) else {
            Issue.record("expected an error")
            return
        }
        #expect(d.items.contains { $0.code == "D238" && $0.message.contains("total 90%") })
    }

    @Test func roundingHalfUpAndHalfEven() throws {
        let plan = header + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 0.5%\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,1001.00,USD,G,new\n"
        #expect(try statements(plan: plan, deals: deals, assignments: quota)[0].paid.text == "5.01")
        let even = plan.replacingOccurrences("half-up", "half-even")
        #expect(try statements(plan: even, deals: deals, assignments: quota)[0].paid.text == "5.00")
        let third = header + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 3.333%\n"
        let d2 = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,1234.56,USD,G,new\n"
        #expect(try statements(plan: third, deals: d2, assignments: quota)[0].paid.text == "41.15")
    }

    @Test func attainmentIsExact() throws {
        let plan = header + "measure bookings = sum of deal.amount\n  quota from assignment\nbonus \"B\" on bookings\n  at 100% pay 1000.00 USD\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,33333.33,USD,G,new\nD2,A,2026-01-11,33333.33,USD,G,new\nD3,A,2026-01-12,33333.34,USD,G,new\n"
        let s = try statements(plan: plan, deals: deals, assignments: quota)[0]
        #expect(s.measures[0].attainment == "100.00%")
        #expect(s.paid.text == "1000.00")
    }

    @Test func prorationByCalendarDays() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2026-02-15,\n"
        let plan = header + tiers
        // Hired 2026-02-15: active 45 of Q1's 90 days, so the quota is 50,000.00 and 30,000 is 60%.
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-03-01,30000.00,USD,G,new\n"
        let s = try statements(plan: plan, deals: deals, assignments: quota, roster: roster)[0]
        #expect(s.proration == "45/90")
        #expect(s.measures[0].quota == "50000.00")
        #expect(s.targetIncentive == "5000.00")
        #expect(s.paid.text == "750.00") // 25,000 × 2% + 5,000 × 5%
    }

    @Test func weightedMeasuresAndCountRates() throws {
        let plan = header + """
            measure revenue = sum of deal.amount
              quota from assignment
              weight 70%
            measure logos = count of deals where deal.type = "new"
              quota 4
              weight 30%
            commission "Logos" on logos
              rate 100.00 USD per deal
            bonus "Team" on total attainment
              at 100% pay 1000.00 USD

            """
        // Revenue 120% × 70% + logos 3/4 × 30% = 84% + 22.5% = 106.5%.
        let s = try statements(plan: plan, deals: briefDeals, assignments: quota)[0]
        #expect(s.totalAttainment == "106.50%")
        #expect(s.amounts == ["100.00", "100.00", "100.00", "1000.00"])
    }

    @Test func parametersCanBeOverridden() throws {
        let plan = header + "param r = 5%\nmeasure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate r\n"
        #expect(try statements(plan: plan, deals: briefDeals, assignments: quota)[0].paid.text == "6000.00")
        #expect(try statements(plan: plan, deals: briefDeals, assignments: quota, overrides: [("r", "10%")])[0].paid.text == "12000.00")
    }

    @Test func anyDataErrorMeansNoStatements() {
        let deals = briefDeals + "D9,A,2026-02-30,1,234.56,USD,G,new\nD8,Z,2026-02-01,5.00,USD,G,new\n"
        guard case .failure(let d) = runEngine(plan: header + tiers, deals: deals, assignments: quota) else {
            Issue.record("expected errors")
            return
        }
        #expect(d.errors.count >= 1)
        // A rep not in the roster is a warning naming the row, said even when other errors stop the run.
        #expect(d.items.contains { $0.code == "D230" && $0.severity == .warning && $0.span?.line == 6 })
    }

    @Test func dealsOfRepsNotInTheRosterAreNotPaidAndAreCounted() throws {
        let deals = briefDeals + "D8,Z,2026-02-01,5000.00,USD,G,new\nD9,AA,2026-02-02,250.50,USD,G,new\nD10,Z,2026-05-01,100.00,USD,G,new\n"
        guard case .success(let r) = runEngine(plan: header + tiers, deals: deals, assignments: quota) else {
            Issue.record("expected a run")
            return
        }
        #expect(r.statements.map(\.paid.text) == ["5100.00"])
        let warning = try #require(r.warnings.items.first { $0.code == "D230" })
        #expect(warning.message == "3 deal rows name reps not in the roster, and are not paid: `Z` (2), `AA` (1)")
        #expect(warning.span?.line == 5)
        #expect(warning.notes.map(\.message).contains("`AA`: did you mean `A`?"))
        let usd = try #require(r.reconciliation?.currencies.first)
        #expect(usd.notCounted[.notOnRoster] == Reconciliation.Figure(deals: 2, amount: ExactDecimal(coefficient: 525050, scale: 2)))
        #expect(usd.read.deals == 6 && usd.outside.deals == 1)
        #expect(r.reconciliation!.adds(up: usd))
    }

    @Test func cancelledDealsAreNotCredited() throws {
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type,status,cancel_date\nD1,A,2026-01-10,30000.00,USD,G,new,cancelled,2026-02-01\nD2,A,2026-01-11,1000.00,USD,G,new,,\n"
        let s = try statements(plan: header + tiers, deals: deals, assignments: quota)[0]
        #expect(s.lines.map { $0.dealID ?? "" } == ["D2"])
    }
}

@Suite struct LimitsAndWindowsTests {
    let quota = assignments([("A", "100000.00")])

    @Test func theLowestPerDealCapBinds() throws {
        let plan = header + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 10%\n  cap 2000.00 USD per deal\n  cap 1000.00 USD per deal\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,25000.00,USD,G,new\n"
        let s = try statements(plan: plan, deals: deals, assignments: quota)[0]
        #expect(s.amounts == ["2500.00", "-1500.00"])
        #expect(s.paid.text == "1000.00")
    }

    @Test func dealsOutsideTheAssignmentAreNotCredited() throws {
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,P,2026-01-01,2026-02-14,100000.00,0\n"
        let s = try statements(plan: header + tiers, deals: briefDeals, assignments: a)[0]
        #expect(s.lines.map { $0.dealID ?? "" } == ["D1", "D2"])
        #expect(s.proration == "45/90")
    }

    @Test func noStatementWhenTheRepWasNotActive() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2026-03-15,\n"
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,P,2026-01-01,2026-03-10,100000.00,0\n"
        #expect(try statements(plan: header + tiers, deals: briefDeals, assignments: a, roster: roster).isEmpty)
    }

    @Test func reasonsShowParameterValues() throws {
        let plan = header + "param floor = 50%\n" + tiers + "  gate attainment >= floor\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,30000.00,USD,G,new\n"
        let s = try statements(plan: plan, deals: deals, assignments: quota, overrides: [("floor", "40%")])[0]
        #expect(s.lines.last?.reason == "gate not met: `bookings.attainment >= 40%`; bookings attainment is 30.00%")
    }
}

@Suite struct PlanShapeErrorTests {
    @Test func repeatedLinesAreErrors() {
        #expect(diagnose(header + "currency EUR\n").contains { $0.code == "E015" })
        #expect(diagnose(header + "measure m = sum of deal.amount\n  quota 5.00 USD\n  quota 6.00 USD\n").contains { $0.code == "E016" })
        #expect(diagnose(header + "spif \"S\"\n  where deal.type = \"a\"\n  where deal.type = \"b\"\n  pay 1.00 USD per deal\n").contains { $0.code == "E139" })
    }

    @Test func tiersAfterARateAreAnError() {
        let plan = header + "measure m = sum of deal.amount\n  quota from assignment\ncommission \"C\" on m\n  rate 5%\n  tier from 0% rate 2%\n"
        #expect(diagnose(plan).contains { $0.code == "E134" })
    }

    @Test func aLexerErrorIsReportedOnce() {
        let plan = header + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate 5%\n  cap 4,000.00 USD per period\n"
        #expect(diagnose(plan).map(\.code) == ["E004"])
    }

    @Test func unquotedTextGetsAHint() {
        let plan = header + "measure m = sum of deal.amount where deal.type = new\ncommission \"C\" on m\n  rate 5%\n"
        #expect(diagnose(plan).first?.notes.first?.message == "if you meant the text \"new\", put it in quotes")
    }

    @Test func aByteOrderMarkIsIgnored() {
        #expect(diagnose("\u{FEFF}" + header + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate 5%\n").isEmpty)
    }
}

@Suite struct CurrencyTests {
    let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-02-03,10000.00,EUR,G,new\n"
    let fx = "date,from,to,rate\n2026-01-01,EUR,USD,1.10\n2026-02-03,EUR,USD,1.085\n"
    let plan = header + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 10%\n"

    func run(_ plan: String, fx: String) -> Result<RunResult, Diagnostics> {
        Engine.run(RunRequest(plans: [SourceFile(path: "p.plan", text: plan)],
                              deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                              roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                              assignments: InputFile(path: "assignments.csv", bytes: Array(assignments([("A", "1.00")]).utf8)),
                              fx: InputFile(path: "fx.csv", bytes: Array(fx.utf8)), period: "2026-Q1"))
    }

    @Test func convertsAtTheCloseDateRate() throws {
        let s = try run(plan, fx: fx).get().statements[0]
        #expect(s.lines[0].base == "10850.00")
        #expect(s.lines[0].conversion?.text == "10000.00 EUR at 1.085 (2026-02-03)")
        #expect(s.paid.text == "1085.00")
    }

    @Test func convertsAtThePeriodRateWhenThePlanSaysSo() throws {
        let s = try run(plan.replacingOccurrences("rounding half-up to 0.01\n", "rounding half-up to 0.01\nfx at period start\n"), fx: fx).get().statements[0]
        #expect(s.lines[0].base == "11000.00")
        #expect(s.paid.text == "1100.00")
    }

    @Test func badRatesAreReportedWithTheirPlace() {
        guard case .failure(let d) = run(plan, fx: "date,from,to,rate\n2026-02-03,EUR,USD,0\n2026-02-03,EUX,USD,1.1\n") else {
            Issue.record("expected errors")
            return
        }
        #expect(d.errors.map(\.code) == ["D261", "D260"])
        #expect(d.errors.map { $0.span?.line ?? 0 } == [2, 3])
    }
}

@Suite struct OverrideTests {
    let roster = "rep_id,name,manager_id,hire_date,end_date\nM,Mia,,2025-01-01,\nA,Ann,M,2025-01-01,\nB,Ben,A,2025-01-01,\n"
    let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,50000.00,USD,G,new\nD2,B,2026-02-03,30000.00,USD,G,new\n"

    func overridePaid(_ scope: String) throws -> [String] {
        let plan = header.replacingOccurrences("plan \"P\"", "plan \"O\"") + "measure bookings = sum of deal.amount\noverride \"Team\" on bookings\n  for \(scope) reports\n  rate 2%\n"
        let rep = header + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 10%\n"
        let a = "rep_id,plan,start_date,end_date,quota,target_incentive\nM,O,2026-01-01,,0,0\nA,P,2026-01-01,,1.00,0\nB,P,2026-01-01,,1.00,0\n"
        let result = Engine.run(RunRequest(plans: [SourceFile(path: "o.plan", text: plan), SourceFile(path: "p.plan", text: rep)],
                                           deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                           roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                           assignments: InputFile(path: "assignments.csv", bytes: Array(a.utf8)), period: "2026-Q1"))
        let s = try result.get().statements.first { $0.payeeID == "M" }!
        return s.lines.map { "\($0.creditedTo ?? "") \($0.dealID ?? "") \($0.amount.text)" }
    }

    @Test func directReportsOnly() throws {
        #expect(try overridePaid("direct") == ["A D1 1000.00"])
    }

    @Test func theWholeSubtree() throws {
        #expect(try overridePaid("all") == ["A D1 1000.00", "B D2 600.00"])
    }

    @Test func aCycleInTheManagerTreeIsAnError() {
        let cyclic = "rep_id,name,manager_id,hire_date,end_date\nM,Mia,B,2025-01-01,\nA,Ann,M,2025-01-01,\nB,Ben,A,2025-01-01,\n"
        guard case .failure(let d) = runEngine(plan: header + tiers, deals: deals, roster: cyclic, assignments: assignments([("A", "1.00")])) else {
            Issue.record("expected an error")
            return
        }
        #expect(d.errors.map(\.message) == ["the manager tree has a cycle: `A` → `M` → `B` → `A`"])
    }

    @Test func anOverrideMustSayWhoseDeals() {
        let plan = header + "measure bookings = sum of deal.amount\noverride \"Team\" on bookings\n  rate 2%\n"
        #expect(diagnose(plan).map(\.code) == ["E149"])
    }
}

@Suite struct HeaderTests {
    @Test func effectiveDatesAreOptional() throws {
        let plan = header.replacingOccurrences("effective 2026-01-01 to 2026-12-31\n", "") + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 1%\n"
        #expect(try statements(plan: plan, deals: briefDeals, assignments: assignments([("A", "1.00")]))[0].paid.text == "1200.00")
    }

    @Test func aMissingHeaderLineIsNamed() {
        let plan = header.replacingOccurrences("currency USD\n", "") + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 1%\n"
        #expect(diagnose(plan).contains { $0.code == "E100" && $0.message == "the plan has no `currency` line" })
    }
}

@Suite struct HostileInputTests {
    func codes(deals: String) -> [String] {
        guard case .failure(let d) = runEngine(plan: header + tiers, deals: deals, assignments: assignments([("A", "1.00")])) else { return [] }
        return d.errors.map(\.code)
    }

    @Test func controlCharactersAndBadUTF8AreRejected() {
        let head = "deal_id,rep_id,close_date,amount,currency,product,type\n"
        #expect(codes(deals: head + "D\u{0B}1,A,2026-01-10,1.00,USD,G,new\n") == ["D209"])
        var bytes = Array((head + "D1,A,2026-01-10,1.00,USD,G,new\n").utf8)
        bytes.insert(0xFF, at: head.utf8.count + 1)
        let result = Engine.run(RunRequest(plans: [SourceFile(path: "p.plan", text: header + tiers)], deals: InputFile(path: "deals.csv", bytes: bytes),
                                           roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                                           assignments: InputFile(path: "assignments.csv", bytes: Array(assignments([("A", "1.00")]).utf8)), period: "2026-Q1"))
        guard case .failure(let d) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(d.errors.map(\.code) == ["D208"])
        #expect(d.errors[0].span?.column == 2)
    }

    @Test func aCancelDateNeedsTheCancelledStatus() {
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type,status,cancel_date\nD1,A,2026-01-10,1.00,USD,G,new,won,2026-02-01\n"
        #expect(codes(deals: deals) == ["D234"])
    }

    @Test func hugeExpressionsAreAnErrorNotACrash() {
        let long = Array(repeating: "0.001%", count: 1000).joined(separator: " + ")
        #expect(diagnose(header + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate \(long)\n").map(\.code) == ["E023"])
        let nested = String(repeating: "(", count: 1000) + "5%" + String(repeating: ")", count: 1000)
        #expect(diagnose(header + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate \(nested)\n").map(\.code) == ["E023"])
        let negations = String(repeating: "-", count: 5000) + "5%"
        #expect(diagnose(header + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate \(negations)\n").map(\.code) == ["E023"])
    }

    @Test func noPhantomErrorsAfterARealOne() {
        #expect(diagnose(header + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate 5% + 2.00 USD\n").map(\.code) == ["E168"])
        #expect(diagnose(header.replacingOccurrences("rounding half-up to 0.01", "rounding half-up to -0.01") + "measure m = sum of deal.amount\ncommission \"C\" on m\n  rate 5%\n").map(\.code) == ["E020"])
    }
}

@Suite struct OverrideWordingTests {
    @Test func anOverrideLineNamesTheReportsShare() {
        var line = StatementLine(kind: .override, component: "Org", dealID: "D4", closeDate: nil, base: "12000.00", share: "40%", rate: "2%",
                                 tier: nil, amount: Money(dec("240.00"), Currency(code: "USD")!), reason: nil, source: "o.plan:12")
        line.creditedTo = "A2"
        #expect(StatementHTML.describe(line) == "Deal D4 (A2's 40% share), 12000.00 at 2% = 240.00")
        line.share = nil
        #expect(StatementHTML.describe(line) == "Deal D4 credited to A2, 12000.00 at 2% = 240.00")
    }
}
