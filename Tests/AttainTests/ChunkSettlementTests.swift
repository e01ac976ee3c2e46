// A close settled chunk by chunk (each chunk of payees against its own posted lines, its closed periods recomputed
// alone) gives the same statements and messages, to the byte, as one settlement of every payee: on a generated
// company of 620 payees with splits, overrides, FX, draws, year-to-date true-ups, prior-period adjustments and clawbacks.
import Foundation
import Testing
@testable import Attain

@Suite struct ChunkSettlementTests {
    static let plans = [
        SourceFile(path: "ae.plan", text: """
            plan "AE" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            fx at close date
            clawback within 120 days

            measure bookings = sum of deal.amount where deal.type in ("new", "expansion")
              quota from assignment

            commission "Commission" on bookings
              tiers marginal over attainment
              tier from 0% to 50% rate 2%
              tier from 50% to 100% rate 5%
              tier from 100% rate 8%
              cap 200% of target_incentive per period

            spif "Widget SPIF"
              where deal.product = "Widget"
              pay 100.00 USD per deal

            draw "Ramp"
              amount 3000.00 USD per month
              recoverable
            """),
        SourceFile(path: "annual.plan", text: """
            plan "Annual" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            fx at close date
            true-up year to date
            clawback within 120 days

            measure bookings = sum of deal.amount

            commission "Commission" on bookings
              rate 6%
            """),
        SourceFile(path: "manager.plan", text: """
            plan "Manager" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            fx at close date
            clawback within 120 days

            measure team = sum of deal.amount

            override "Team override" on team
              for direct reports
              rate 2%
            """),
    ]

    /// A small deterministic generator (a linear congruential one), so the company is the same on every run.
    struct Numbers {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// Roster, assignments, fx and the deals of Q1 and Q2: Q2's file holds Q1's deals with some amounts changed and
    /// some cancelled in Q2, and Q2's own deals.
    static func company() -> (roster: String, assignments: String, fx: String, q1: String, q2: String) {
        var g = Numbers(state: 17)
        var roster = "rep_id,name,manager_id,hire_date,end_date\n"
        var assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var reps: [String] = []
        for m in 0..<20 {
            let manager = String(format: "M%02d", m)
            roster += "\(manager),Manager \(m),,2024-01-01,\n"
            assignments += "\(manager),Manager,2026-01-01,2026-12-31,0,0\n"
            for r in 0..<30 {
                let id = String(format: "R%02d%02d", m, r)
                reps.append(id)
                roster += "\(id),Rep \(m)-\(r),\(manager),2025-01-01,\n"
                let plan = r % 5 == 4 ? "Annual" : "AE"
                assignments += "\(id),\(plan),2026-01-01,2026-12-31,\(100_000 + 10_000 * g.next(20)).00,\(10_000 + 1_000 * g.next(10)).00\n"
            }
        }
        var fx = "date,from,to,rate\n"
        for month in 1...6 {
            for day in 1...(month == 2 ? 28 : month == 4 || month == 6 ? 30 : 31) {
                fx += String(format: "2026-%02d-%02d,EUR,USD,1.0%03d\n", month, day, 800 + g.next(200))
            }
        }
        let columns = "deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date\n"
        let products = ["Widget", "Gadget", "Gizmo"], types = ["new", "expansion", "renewal"]
        var q1: [String] = [], q2Own: [String] = [], changed: [String] = []
        for quarter in 0..<2 {
            for i in 0..<3_000 {
                let id = "D\(quarter)\(String(format: "%05d", i))"
                let month = 1 + 3 * quarter + g.next(3)
                let date = String(format: "2026-%02d-%02d", month, 1 + g.next(28))
                let amount = "\(1_000 + g.next(60_000)).\(String(format: "%02d", g.next(100)))"
                let currency = g.next(10) == 0 ? "EUR" : "USD"
                let product = products[g.next(3)], type = types[g.next(3)]
                let owner = reps[g.next(reps.count)]
                var rows: [String]
                if g.next(20) == 0 {
                    // A split between two reps.
                    var other = reps[g.next(reps.count)]
                    if other == owner { other = reps[(reps.firstIndex(of: owner)! + 1) % reps.count] }
                    rows = ["\(id),\(owner),\(date),\(amount),\(currency),\(product),\(type),60", "\(id),\(other),\(date),\(amount),\(currency),\(product),\(type),40"]
                } else {
                    rows = ["\(id),\(owner),\(date),\(amount),\(currency),\(product),\(type),"]
                }
                if quarter == 1 {
                    q2Own += rows.map { $0 + ",won," }
                    continue
                }
                q1 += rows.map { $0 + ",won," }
                // In Q2's file: 4% of Q1's deals with a new amount, 3% cancelled in Q2.
                switch g.next(100) {
                case 0..<4:
                    let now = "\(1_000 + g.next(60_000)).00"
                    changed += rows.map { $0.replacingOccurrences(of: ",\(amount),", with: ",\(now),") + ",won," }
                case 4..<7:
                    let on = "2026-0\(4 + g.next(3))-1\(g.next(9))"
                    changed += rows.map { $0 + ",cancelled,\(on)" }
                default:
                    changed += rows.map { $0 + ",won," }
                }
            }
        }
        return (roster, assignments, fx, columns + q1.joined(separator: "\n") + "\n", columns + (changed + q2Own).joined(separator: "\n") + "\n")
    }

    func request(_ c: (roster: String, assignments: String, fx: String, q1: String, q2: String), deals: String, period: String) -> RunRequest {
        RunRequest(plans: Self.plans, deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                   roster: InputFile(path: "roster.csv", bytes: Array(c.roster.utf8)),
                   assignments: InputFile(path: "assignments.csv", bytes: Array(c.assignments.utf8)),
                   fx: InputFile(path: "fx.csv", bytes: Array(c.fx.utf8)), period: period)
    }

    /// The value, or the first messages rendered as the error.
    func ok<T>(_ r: Result<T, Diagnostics>) throws -> T {
        switch r {
        case .success(let v): return v
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(Diagnostics(Array(d.items.prefix(3)))))
        }
    }

    @Test func chunksSettleLikeOneSettlementOfEveryPayee() throws {
        let c = Self.company()
        let q1 = try ok(Engine.run(request(c, deals: c.q1, period: "2026-Q1")))
        let history = LedgerHistory.empty.posting(q1)
        // Every 20th rep leaves at the end of Q1: what changes for them, or is cancelled, cannot be settled in Q2.
        var left = c
        left.assignments = c.assignments.split(separator: "\n").enumerated().map { i, row in
            i % 20 == 7 && row.hasPrefix("R") ? row.replacingOccurrences(of: ",2026-12-31,", with: ",2026-03-31,") : String(row)
        }.joined(separator: "\n") + "\n"
        let prepared = try ok(Engine.prepare(request(left, deals: c.q2, period: "2026-Q2")))
        let q2 = try Period.parse("2026-Q2").get()
        #expect(prepared.data.reps.count == 620)
        let together = Engine.evaluate(prepared, period: q2, history: history, inChunks: false)
        let chunked = Engine.evaluate(prepared, period: q2, history: history, inChunks: true)
        let a = try ok(together), b = try ok(chunked)
        #expect(a.statements.count == 590)
        #expect(a.statements.map(StatementJSON.text) == b.statements.map(StatementJSON.text))
        #expect(DiagnosticRenderer.render(a.warnings) == DiagnosticRenderer.render(b.warnings))
        // Payees who left after Q1 are told of, in payee order across the chunks.
        #expect(a.warnings.items.contains { $0.code == "R320" } && a.warnings.items.contains { $0.code == "R323" })
        // The company exercises every kind of settlement line.
        let kinds = Dictionary(grouping: a.statements.flatMap(\.lines), by: \.kind).mapValues(\.count)
        #expect((kinds[.adjustment] ?? 0) > 20)
        #expect((kinds[.clawback] ?? 0) > 20)
        #expect((kinds[.trueUp] ?? 0) > 20)
        #expect((kinds[.draw] ?? 0) > 20)
        #expect((kinds[.override] ?? 0) >= 20)
    }
}
