// Conditions on a deal's product or type are answered once per text of the deal table; every row must get the answer
// evaluating the condition on the row's deal gives.
import Testing
@testable import Attain

@Suite struct TextTestsTests {
    static let plan = """
        plan "P" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01

        measure bookings = sum of deal.amount where deal.type in ("new", "expansion")
          quota from assignment
        measure widgets = count of deals where deal.product = "Widget" and not deal.type = "renewal"
        measure other = sum of deal.amount where deal.product != "Gadget" or deal.type in ("new")
        measure big = sum of deal.amount where deal.product = "Widget" and deal.amount > 500.00 USD
        measure same = count of deals where not (deal.type = "new" or deal.product = "Gizmo")
        commission "C" on bookings
          tiers marginal over attainment
          tier from 0% to 50% rate 2%
          tier from 50% to 100% rate 5%
          tier from 100% rate 8%
        commission "W" on widgets
          rate 3.00 USD per deal
        commission "O" on other
          rate 1%
        commission "B" on big
          rate 2%
        commission "S" on same
          rate 1.00 USD per deal
        spif "G"
          where deal.product in ("Gadget", "Gizmo")
          pay 7.50 USD per deal

        """

    static let products = ["Widget", "Gadget", "Gizmo", "Platform"]
    static let types = ["new", "expansion", "renewal"]

    /// About 40,000 rows (over 1 MB, so the file is read in pieces, each with its own table of texts). Each piece meets
    /// the texts in another order, so one text has different indices in different pieces.
    static func deals() -> String {
        var text = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        for i in 0..<40_000 {
            let piece = i / 5_000
            let product = products[(i + piece) % products.count]
            let type = types[(i / 3 + piece * 2) % types.count]
            let amount = 100 + (i * 7_919) % 1_900
            text += "D\(i),R\(i % 50),2026-0\(1 + i % 3)-\(10 + i % 18),\(amount).\(i % 100 < 10 ? "0" : "")\(i % 100),USD,\(product),\(type),\n"
        }
        return text
    }

    static func request(detail: Bool) -> RunRequest {
        var roster = "rep_id,name,manager_id,hire_date,end_date\n"
        var assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        for r in 0..<50 {
            roster += "R\(r),Rep \(r),,2025-01-01,\n"
            assignments += "R\(r),P,2026-01-01,2026-12-31,\(400_000 + r * 10_000).00,20000.00\n"
        }
        var request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(deals().utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: "2026-Q1")
        request.detail = detail
        return request
    }

    @Test func everyRowGetsTheAnswerItsDealGives() throws {
        let prepared = try Engine.prepare(TextTestsTests.request(detail: false)).get()
        let table = prepared.data.deals
        #expect(table.pools.count > 1)
        // The pieces met the texts in different orders.
        #expect(Set(table.pools.map { $0.texts.first! }).count > 1)
        let plan = prepared.plans[0]
        let tests = try #require(prepared.textTests["P"])
        // Only the measure that reads the amount is left to be evaluated deal by deal.
        #expect(tests.measures.map { $0 != nil } == [true, true, true, false, true])
        #expect(tests.components.map { $0 != nil } == [false, false, false, false, false, true])
        let conditions = plan.measures.map { $0.filter! } + [plan.components.compactMap { c -> CheckedExpr? in
            if case .spif(let rule) = c.rule { return rule.filter }
            return nil
        }[0]]
        let compiled = tests.measures + [tests.components[5]]
        var counts = [Int](repeating: 0, count: conditions.count)
        for i in 0..<table.count {
            let deal = table[i]
            let credit = Credit(deal: deal, amount: Ratio(deal.amount), conversion: nil)
            for (k, condition) in conditions.enumerated() {
                let expected = try ExpressionEvaluator.truth(condition, in: DealEnvironment(credit: credit, plan: plan))
                if let test = compiled[k] {
                    #expect(test.holds(table.rows[i], pool: table.pool(of: i)) == expected, "row \(i), condition \(k)")
                }
                if expected { counts[k] += 1 }
            }
        }
        // Counted over the same generated rows by a separate script.
        #expect(counts == [26_667, 6_664, 33_335, 7_901, 20_003, 20_000])
    }

    @Test func aPayrollOnlyRunPaysWhatAFullRunPays() throws {
        let full = try Engine.run(TextTestsTests.request(detail: true)).get()
        let lean = try Engine.run(TextTestsTests.request(detail: false)).get()
        #expect(full.statements.map(\.paid) == lean.statements.map(\.paid))
        #expect(full.statements.map { $0.measures.map(\.value) } == lean.statements.map { $0.measures.map(\.value) })
        #expect(full.statements.count == 50)
    }
}
