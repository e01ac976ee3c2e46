// A run that needs amounts only reads credits from the deal table's rows; it must credit and read exactly what the
// credit values of a full run do.
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct RowCreditsTests {
    /// Two currencies, split deals, cancellations inside and outside the clawback window, extra columns, a rep hired
    /// mid-period and deals outside the period.
    static let plan = """
        plan "P" version "1"
        effective 2026-01-01 to 2026-12-31
        currency USD
        period quarter
        rounding half-up to 0.01
        fx at close date
        clawback within 30 days
        field region: text
        field margin: number
        field signed: date

        measure bookings = sum of deal.amount where deal.type in ("new", "expansion") and deal.region != "APAC"
          quota from assignment
        measure logos = count of deals where deal.status = "won" and deal.currency = "USD"
        commission "C" on bookings
          tiers marginal over attainment
          tier from 0% to 50% rate 2%
          tier from 50% to 100% rate 5%
          tier from 100% rate 8%
          cap 150% of target_incentive per period
        commission "L" on logos
          rate 10.00 USD per deal
        spif "S"
          where deal.product = "Widget" and deal.split >= 50% and deal.close_date >= 2026-02-01 and deal.margin > 0.2
          pay 50.00 USD per deal
        spif "T"
          where deal.rep_id = "B" or deal.deal_id = "D7" or deal.signed < 2026-01-15
          pay 1% of deal.amount
        spif "W" on bookings
          from 2026-01-01 to 2026-02-28
          pay 5.00 USD per deal

        """

    static let deals = """
        deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date,region,margin,signed
        D1,A,2026-01-05,1000.00,USD,Widget,new,,won,,EMEA,0.3,2026-01-02
        D2,A,2026-02-10,2500.50,EUR,Widget,new,60,won,,EMEA,0.25,2026-02-01
        D2,B,2026-02-10,2500.50,EUR,Widget,new,40,won,,EMEA,0.25,2026-02-01
        D3,A,2026-02-11,700.00,USD,Gadget,expansion,,cancelled,2026-02-20,AMER,0.1,2026-02-11
        D4,B,2026-03-01,900.00,USD,Widget,renewal,,cancelled,2026-05-10,AMER,0.5,2026-02-20
        D5,B,2026-03-20,1200.00,USD,Widget,new,50,won,,APAC,0.4,2026-03-01
        D5,C,2026-03-20,1200.00,USD,Widget,new,50,won,,APAC,0.4,2026-03-01
        D6,C,2026-01-20,300.00,EUR,Gadget,new,,won,,EMEA,0.9,2026-01-10
        D7,C,2026-03-30,450.25,USD,Widget,expansion,,cancelled,2026-03-31,AMER,0.3,2026-03-29
        D8,A,2026-04-02,999.00,USD,Widget,new,,won,,EMEA,0.3,2026-04-01
        D9,C,2025-12-31,10.00,USD,Widget,new,,won,,EMEA,0.3,2025-12-30

        """

    static let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Ann,,2025-01-01,\nB,Bo,A,2025-01-01,\nC,Cy,A,2026-02-01,\n"
    static let assignments = """
        rep_id,plan,start_date,end_date,quota,target_incentive
        A,P,2026-01-01,2026-12-31,3000.00,500.00
        B,P,2026-01-01,2026-12-31,2000.00,300.00
        C,P,2026-01-01,2026-12-31,1500.00,200.00

        """
    static let fx = "date,from,to,rate\n2026-02-10,EUR,USD,1.0850\n2026-01-20,EUR,USD,1.1\n"

    func request() -> RunRequest {
        var r = RunRequest(plans: [SourceFile(path: "p.plan", text: RowCreditsTests.plan)],
                           deals: InputFile(path: "deals.csv", bytes: Array(RowCreditsTests.deals.utf8)),
                           roster: InputFile(path: "roster.csv", bytes: Array(RowCreditsTests.roster.utf8)),
                           assignments: InputFile(path: "assignments.csv", bytes: Array(RowCreditsTests.assignments.utf8)), period: "2026-Q1")
        r.fx = InputFile(path: "fx.csv", bytes: Array(RowCreditsTests.fx.utf8))
        return r
    }

    @Test func rowsCreditAndReadWhatDealValuesDo() throws {
        let prepared = try Engine.prepare(request()).get()
        let period = try Period.parse("2026-Q1").get()
        var crediting = Crediting(prepared: prepared, period: period)
        let plan = prepared.plans[0]
        var compared = 0
        for rep in prepared.data.reps {
            let a = prepared.assignmentsByRep[rep.id]![0]
            let window = try #require(Evaluator.activeWindow(rep: rep, assignment: a, period: period))
            let part = Crediting.Part(assignment: a, plan: plan, window: window, inPeriod: window)
            let rows = prepared.rows(of: rep.id)
            let (deals, dealPositions) = crediting.credits(of: prepared.deals(of: rep.id), part: part)
            let table = prepared.data.deals
            var positions: [Int] = []
            let fromRows = crediting.rowCredits(rows, rows: rows.map { table.rows[Int($0)] }, part: part, positions: &positions)
            #expect(fromRows.count == deals.count, "\(rep.id)")
            #expect(positions == dealPositions, "\(rep.id)")
            let fields: [DealField] = DealField.standard.map(\.1) + plan.fields.indices.map { .extra($0) }
            for (i, credit) in deals.enumerated() where i < fromRows.count {
                #expect(fromRows.amounts[i] == credit.amount)
                #expect(fromRows.conversions[i]?.text == credit.conversion?.text)
                #expect(fromRows.credit(i).deal.dealID == credit.deal.dealID)
                for f in fields {
                    let a = try ExpressionEvaluator.evaluate(.dealField(f), in: DealEnvironment(credit: credit, plan: plan))
                    let b = try ExpressionEvaluator.evaluate(.dealField(f), in: RowEnvironment(credits: fromRows, at: i))
                    #expect(a == b, "\(rep.id) \(credit.deal.dealID) \(f)")
                    compared += 1
                }
            }
        }
        // A: D1 and D2 (D3 was cancelled within the clawback window, D8 closed after the period); B: D2, D4 (cancelled
        // after the period) and D5; C, hired on 1 February: D5 only (D6 closed before, D7 was cancelled the next day).
        #expect(compared == 6 * 13)
    }

    @Test func aPayrollOnlyRunPaysWhatAFullRunPays() throws {
        var full = request()
        full.detail = true
        var lean = request()
        lean.detail = false
        let a = try Engine.run(full).get(), b = try Engine.run(lean).get()
        #expect(a.statements.map(\.paid) == b.statements.map(\.paid))
        #expect(a.statements.map { $0.measures.map(\.value) } == b.statements.map { $0.measures.map(\.value) })
        // Rows collapse to one line per kind and component; the full run keeps a line per deal.
        #expect(b.statements[0].lines.count < a.statements[0].lines.count)
        // A: C 20.00 + 66.39 (2627.824 of a 3000.00 quota), L 10.00, S 30.00 (60% of D2), T 10.00 (D1 signed early),
        // W 5.00 + 3.00. B: C 24.26, L 5.00 (half of D5), S 50.00 + 25.00, T 10.85 + 9.00 + 6.00, W 2.00.
        // C: L 5.00, S 25.00.
        #expect(a.statements.map(\.paid.text) == ["144.39", "132.11", "30.00"])
    }
}
