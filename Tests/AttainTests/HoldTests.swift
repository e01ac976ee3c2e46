// Holds and pay on collection: the plan line and its errors, payments.csv and holds.csv, the payable share and its
// rounding, a recomputed closed period on a held deal, and `attain hold` against a ledger.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct HoldTests {
    // MARK: Plan language

    func collectionPlan(_ line: String, kind: String = "commission \"C\" on b\n  rate 10%") -> String {
        header + "measure b = sum of deal.amount\n  quota from assignment\n\(kind)\n  \(line)\n"
    }

    @Test(arguments: [
        ("pay on 1️⃣colection proportionally", "P330", "expected `collection` after `pay on`, found `colection`"),
        ("pay on collection 1️⃣partly", "P331", "`pay on collection` is `proportionally` or `in full`, not `partly`"),
        ("pay on collection in 1️⃣whole", "P331", "expected `full` after `pay on collection in`, found `whole`"),
        ("pay on collection in full 1️⃣now", "P332", "unexpected `now` after `pay on collection in full`; expected the end of the line"),
    ])
    func parserErrorsPointAtTheWord(line: String, code: String, message: String) {
        let (text, m) = marked(collectionPlan(line))
        let d = diagnose(text).first { $0.code == code }
        #expect(d?.message == message)
        #expect(d?.span?.line == m["1️⃣"]!.line)
        #expect(d?.span?.column == m["1️⃣"]!.column)
    }

    @Test func checkerErrors() {
        // A bonus has no deal lines.
        let (bonus, b) = marked(collectionPlan("1️⃣pay on collection in full", kind: "bonus \"B\" on b\n  at 100% pay 500.00 USD"))
        let e220 = diagnose(bonus).first { $0.code == "E220" }
        #expect(e220?.message == "a bonus has no deal lines to hold until collection: `pay on collection` goes in a commission, spif or override")
        #expect(e220?.span?.line == b["1️⃣"]!.line)
        #expect(e220?.span?.column == b["1️⃣"]!.column)
        // Written twice.
        let (twice, t) = marked(collectionPlan("pay on collection in full\n  1️⃣pay on collection proportionally"))
        let e221 = diagnose(twice).first { $0.code == "E221" }
        #expect(e221?.message == "a commission says once how it is paid on collection")
        #expect(e221?.span?.line == t["1️⃣"]!.line)
        #expect(e221?.span?.column == t["1️⃣"]!.column)
        #expect(e221?.notes.first?.span?.line == t["1️⃣"]!.line - 1)
        // A year-to-date plan's deal lines hold the year so far.
        let ytd = header.replacingOccurrences(of: "rounding half-up to 0.01\n", with: "rounding half-up to 0.01\ntrue-up year to date\n")
            + "measure b = sum of deal.amount\ncommission \"C\" on b\n  rate 10%\n  pay on collection in full\n"
        #expect(diagnose(ytd).contains { $0.code == "E222" && $0.span?.line == 10 })
        // A good one compiles, and says how it pays.
        let plans = Engine.compile([SourceFile(path: "p.plan", text: collectionPlan("pay on collection proportionally"))]).0
        #expect(plans.first?.components.first?.collection?.mode == .proportionally)
        #expect(plans.first?.components.first?.collection?.trace.line == 10)
    }

    @Test func explainSaysHowItPays() throws {
        let plans = Engine.compile([SourceFile(path: "p.plan", text: collectionPlan("pay on collection in full"))]).0
        let text = TreePrinter.describe(try #require(plans.first))
        #expect(text.contains("    then pay on collection in full: each deal line held (hold line) until the customer has paid the whole deal (payments.csv), then released in full (release line)  (p.plan:10)\n"))
    }

    // MARK: payments.csv and holds.csv

    let deals = """
        deal_id,rep_id,close_date,amount,currency,product,type
        D1,A,2026-01-10,1000.00,USD,Gadget,new
        D2,A,2026-02-03,2000.00,EUR,Gadget,new

        """

    func table() throws -> DealTable {
        let loader = DataLoader(declaredFields: [:], planNames: ["P"])
        let (loaded, d) = loader.load(deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                      roster: InputFile(path: "roster.csv", bytes: Array(oneRep.utf8)),
                                      assignments: InputFile(path: "assignments.csv", bytes: Array(assignments([("A", "100000.00")]).utf8)))
        #expect(!d.hasErrors)
        return try #require(loaded).deals
    }

    @Test func paymentErrorsNameFileLineAndColumn() throws {
        let csv = """
            deal_id,date,amount,currency
            D1,2026-02-30,100.00,USD
            D1,2026-02-01,ten,USD
            D1,2026-02-01,-5.00,USD
            D1,2026-02-01,5.00,USX
            D2,2026-02-01,5.00,USD
            ,2026-02-01,5.00,USD

            """
        let (payments, d) = Payments.load(InputFile(path: "payments.csv", bytes: Array(csv.utf8)), deals: try table())
        #expect(payments == nil)
        let found = d.errors.map { "\($0.code) \($0.span!.line):\($0.span!.column)" }
        #expect(found == ["D301 2:4", "D302 3:15", "D303 4:15", "D304 5:20", "D305 6:20", "D300 7:1"])
        #expect(d.errors.first { $0.code == "D305" }?.message == "a payment in USD for deal `D2`, which is in EUR; payments are in the deal's currency")
    }

    @Test func unknownDealsAndOverpaymentsAreWarnings() throws {
        let csv = "deal_id,date,amount,currency\nD1,2026-02-01,600.00,USD\nD1,2026-03-01,600.00,USD\nD9,2026-03-01,50.00,USD\n"
        let (payments, d) = Payments.load(InputFile(path: "payments.csv", bytes: Array(csv.utf8)), deals: try table())
        #expect(!d.hasErrors)
        #expect(d.items.map(\.code) == ["D307", "D306"])
        #expect(d.items[0].message == "payments for deal `D1` come to 1200.00 USD, more than its amount of 1000.00; it counts as collected in full")
        #expect(d.items[0].span?.line == 3)
        #expect(d.items[1].message == "a payment of 50.00 USD for deal `D9`, which deals.csv does not have; it is not counted")
        #expect(d.items[1].span?.line == 4)
        #expect(d.items[1].span?.column == 1)
        let p = try #require(payments)
        #expect(p.collected("D1", by: CivilDate(year: 2026, month: 2, day: 15)!).text(minimumScale: 2) == "600.00")
        #expect(p.collected("D1", by: CivilDate(year: 2026, month: 3, day: 31)!).text(minimumScale: 2) == "1200.00")
        #expect(p.collected("D9", by: CivilDate(year: 2026, month: 3, day: 31)!).isZero)
    }

    @Test func holdsCSVErrors() throws {
        let csv = "payee_id,deal_id,reason,until\nA,D1,both,\n,,neither,\nZ,,unknown,\n,D7,unknown deal,\nA,,,\nA,,bad date,2026-13-01\nA,,fine,2026-04-30\n"
        let (holds, d) = HandHold.load(InputFile(path: "holds.csv", bytes: Array(csv.utf8)), reps: [Rep(id: "A", name: "A", managerID: nil, hireDate: CivilDate(year: 2025, month: 1, day: 1)!, endDate: nil, line: 2)],
                                       deals: try table())
        #expect(holds.isEmpty)
        #expect(d.errors.map { "\($0.code) \($0.span!.line):\($0.span!.column)" } == ["D320 2:3", "D320 3:1", "D321 4:1", "D322 5:2", "D323 6:4", "D324 7:13"])
    }

    // MARK: The payable share

    func holdRun(mode: String, rounding: String = "half-up", paid: String, gate: Bool = false) throws -> Statement {
        let plan = """
            plan "P" version "1"
            effective 2026-01-01 to 2026-12-31
            currency USD
            period quarter
            rounding \(rounding) to 0.01

            measure b = sum of deal.amount
              quota from assignment
            commission "C" on b
              rate 10%
            \(gate ? "  gate attainment >= 50%\n" : "")  pay on collection \(mode)

            """
        var request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)],
                                 deals: InputFile(path: "deals.csv", bytes: Array("deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,1000.00,USD,Gadget,new\n".utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array("rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2025-01-01,\n".utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments([("A", "100000.00")]).utf8)), period: "2026-Q1")
        request.payments = InputFile(path: "payments.csv", bytes: Array("deal_id,date,amount,currency\nD1,2026-03-01,\(paid),USD\n".utf8))
        switch Engine.run(request) {
        case .success(let r): return try #require(r.statements.first)
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    @Test func proportionalPayableIsRoundedByThePlansRule() throws {
        // 100.00 × 333.25 / 1000.00 = 33.325: 33.33 half-up, 33.32 half-even; the rest is held.
        let up = try holdRun(mode: "proportionally", paid: "333.25")
        #expect(up.amounts == ["100.00", "-66.67"])
        #expect(up.lines[1].kind == .hold)
        #expect(up.lines[1].reason == "held until collected: 333.25 of 1000.00 USD collected by 2026-03-31 (33.32%); 33.32% of 100.00 is payable, 33.33, so 66.67 is held")
        #expect(up.earned.text == "100.00")
        #expect(up.adjustments.text == "-66.67")
        #expect(up.held?.text == "66.67")
        #expect(up.released == nil)
        #expect(up.paid.text == "33.33")
        let even = try holdRun(mode: "proportionally", rounding: "half-even", paid: "333.25")
        #expect(even.amounts == ["100.00", "-66.68"])
        #expect(even.paid.text == "33.32")
        // In full: nothing until the whole deal is paid, then all of it.
        #expect(try holdRun(mode: "in full", paid: "999.99").amounts == ["100.00", "-100.00"])
        let full = try holdRun(mode: "in full", paid: "1000.00")
        #expect(full.amounts == ["100.00"])
        #expect(full.held == nil)
    }

    @Test func aGatedComponentHoldsNothing() throws {
        // 1,000.00 of a 100,000.00 quota is 1%: the gate takes the 100.00 back, so there is nothing left to hold.
        let s = try holdRun(mode: "proportionally", paid: "250.00", gate: true)
        #expect(s.lines.map(\.kind) == [.commission, .adjustment])
        #expect(s.paid.text == "0.00")
        #expect(s.held == nil)
    }

    @Test func statementsWithoutHoldsKeepTheirTotals() throws {
        let s = try statements(plan: header + "measure b = sum of deal.amount\ncommission \"C\" on b\n  rate 10%\n", deals: briefDeals, assignments: assignments([("A", "100000.00")]))
        #expect(s[0].held == nil && s[0].released == nil)
        #expect(!StatementJSON.text(s[0]).contains("held"))
    }

    // MARK: Closes

    /// A scratch data folder with a pay-on-collection plan; `files` by name, written before each close.
    struct Folder {
        let dir: String
        let reader: InputReader

        init() throws {
            dir = NSTemporaryDirectory() + "attain-holds-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
            reader = InputReader(root: dir)
            try write("p.plan", """
                plan "P" version "1"
                effective 2026-01-01 to 2026-12-31
                currency USD
                period quarter
                rounding half-up to 0.01

                measure b = sum of deal.amount
                commission "C" on b
                  rate 10%
                  pay on collection proportionally

                """, top: true)
            try write("roster.csv", "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2025-01-01,\n")
            try write("assignments.csv", assignments([("A", "100000.00")]))
        }

        func write(_ name: String, _ text: String, top: Bool = false) throws {
            try text.write(toFile: dir + (top ? "/" : "/data/") + name, atomically: true, encoding: .utf8)
        }

        func close(_ period: String, at: String) -> CommandOutcome {
            Commands.close(plans: ["p.plan"], data: "data", period: period, set: [], ledgerPath: "l.db", commit: true, formats: [.json],
                           clock: at, reader: reader)
        }

        func statement(_ o: CommandOutcome, _ period: String) -> String {
            o.files.first { $0.path == "\(period)/statements/A.json" }?.text ?? ""
        }

        /// The statement's totals, and each line as `kind amount`.
        func read(_ o: CommandOutcome, _ period: String) -> (totals: [String: String], lines: [String], reasons: [String]) {
            let json = (try? JSONSerialization.jsonObject(with: Data(statement(o, period).utf8))) as? [String: Any] ?? [:]
            let lines = json["lines"] as? [[String: Any]] ?? []
            return (json["totals"] as? [String: String] ?? [:], lines.map { "\($0["kind"] ?? "") \($0["amount"] ?? "")" }, lines.map { $0["reason"] as? String ?? "" })
        }
    }

    @Test func aRecomputedHeldDealIsNotCountedTwice() throws {
        let f = try Folder()
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        try f.write("deals.csv", "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,50000.00,USD,Gadget,new\n")
        try f.write("payments.csv", "deal_id,date,amount,currency\nD1,2026-02-15,25000.00,USD\n")
        let q1 = f.close("2026-Q1", at: "2026-04-01T00:00:00Z")
        #expect(q1.exitCode == 0, "\(q1.stderr)")
        // 5,000.00 earned, half collected: 2,500.00 held.
        #expect(f.read(q1, "2026-Q1").totals == ["adjustments": "-2500.00", "earned": "5000.00", "held": "2500.00", "paid": "2500.00"])
        #expect(f.read(q1, "2026-Q1").lines == ["commission 5000.00", "hold -2500.00"])
        // After the close the deal's amount is corrected to 60,000.00; still 25,000.00 collected (41.66%). The
        // adjustment pays the 1,000.00 the line gained, and a hold for 2026-Q1 takes back what is not collected of it:
        // 6,000.00 × 25,000 / 60,000 = 2,500.00 payable, 2,500.00 + 1,000.00 paid so far, so 1,000.00 more is held.
        try f.write("deals.csv", "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,60000.00,USD,Gadget,new\n")
        let q2 = f.close("2026-Q2", at: "2026-07-01T00:00:00Z")
        #expect(q2.exitCode == 0, "\(q2.stderr)")
        let s = f.read(q2, "2026-Q2")
        #expect(s.lines == ["adjustment 1000.00", "hold -1000.00"])
        #expect(s.reasons[1] == "held until collected: 25000.00 of 60000.00 USD collected by 2026-06-30 (41.66%); 41.66% of 6000.00 is payable, 2500.00, and 3500.00 is paid of it with this close's adjustment, so 1000.00 more is held")
        #expect(s.totals == ["adjustments": "0.00", "earned": "0.00", "held": "1000.00", "paid": "0.00"])
        // Collected in full in Q3: the whole 6,000.00 is paid, all told.
        try f.write("payments.csv", "deal_id,date,amount,currency\nD1,2026-02-15,25000.00,USD\nD1,2026-08-01,35000.00,USD\n")
        let q3 = f.close("2026-Q3", at: "2026-10-01T00:00:00Z")
        #expect(q3.exitCode == 0, "\(q3.stderr)")
        #expect(f.read(q3, "2026-Q3").lines == ["release 3500.00"])
        #expect(f.read(q3, "2026-Q3").totals == ["adjustments": "3500.00", "earned": "0.00", "paid": "3500.00", "released": "3500.00"])
    }

    @Test func holdCommandRecordsListsAndReleases() throws {
        let f = try Folder()
        defer { try? FileManager.default.removeItem(atPath: f.dir) }
        let r = f.reader
        // Listing or releasing needs a ledger; holding creates it.
        #expect(Commands.hold(payee: nil, deal: nil, reason: nil, by: nil, release: false, ledgerPath: "l.db", reader: r).exitCode == ExitCode.invalidInput)
        let missing = Commands.hold(payee: "A", deal: nil, reason: nil, by: nil, release: false, ledgerPath: "l.db", reader: r)
        #expect(missing.exitCode == ExitCode.usage)
        #expect(Commands.hold(payee: "A", deal: "D1", reason: "x", by: nil, release: false, ledgerPath: "l.db", reader: r).exitCode == ExitCode.usage)
        let held = Commands.hold(payee: "A", deal: nil, reason: "bank details missing", by: "Dana", release: false, ledgerPath: "l.db",
                                 clock: "2026-03-30T09:00:00Z", reader: r)
        #expect(held.exitCode == 0)
        #expect(held.stdout == "hold 1: rep A is held by Dana: bank details missing; closes hold its pay until `attain hold --release --payee A`\n")
        // A close holds everything the period pays.
        try f.write("deals.csv", "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-10,50000.00,USD,Gadget,new\n")
        try f.write("payments.csv", "deal_id,date,amount,currency\nD1,2026-02-15,50000.00,USD\n")
        let q1 = f.close("2026-Q1", at: "2026-04-01T00:00:00Z")
        #expect(q1.exitCode == 0, "\(q1.stderr)")
        let s1 = f.read(q1, "2026-Q1")
        #expect(s1.lines == ["commission 5000.00", "hold -5000.00"])
        #expect(s1.reasons[1] == "rep A is held (held by Dana, ledger hold 1: bank details missing): all of this period's pay, 5000.00, is held until the hold is lifted")
        #expect(s1.totals == ["adjustments": "-5000.00", "earned": "5000.00", "held": "5000.00", "paid": "0.00"])
        let released = Commands.hold(payee: "A", deal: nil, reason: nil, by: "Sam", release: true, ledgerPath: "l.db", clock: "2026-04-02T09:00:00Z", reader: r)
        #expect(released.stdout == "hold 1 on rep A is released by Sam; the next close pays what it held\n")
        #expect(Commands.hold(payee: "A", deal: nil, reason: nil, by: nil, release: true, ledgerPath: "l.db", reader: r).exitCode == ExitCode.refused)
        let list = Commands.hold(payee: nil, deal: nil, reason: nil, by: nil, release: false, ledgerPath: "l.db", reader: r)
        #expect(list.stdout == """
            hold  on     reason                by    at                    released
               1  rep A  bank details missing  Dana  2026-03-30T09:00:00Z  2026-04-02T09:00:00Z by Sam

            """)
        // The next close releases what the hold held, for the period it held it in.
        let q2 = f.close("2026-Q2", at: "2026-07-01T00:00:00Z")
        #expect(q2.exitCode == 0, "\(q2.stderr)")
        let s2 = f.read(q2, "2026-Q2")
        #expect(s2.lines == ["release 5000.00"])
        #expect(s2.reasons == ["the hold on rep A is lifted: what it held of 2026-Q1's pay, 5000.00, is paid"])
        #expect(s2.totals == ["adjustments": "5000.00", "earned": "0.00", "paid": "5000.00", "released": "5000.00"])
    }
}
