// Credit roles: a deal credits its owner and, in roles of their own (`role` in deals.csv), an SDR, an overlay
// specialist…, each on a plan that credits the role (`credit "sdr"`). Both deals readers, the lean and the full run,
// and every message about roles.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct CreditRolesTests {
    static let roster = """
        rep_id,name,manager_id,hire_date,end_date
        A,Ann,M,2025-01-01,
        B,Bo,M,2025-01-01,
        M,Mo,,2025-01-01,
        S,Sue,M,2025-01-01,

        """

    static let deals = """
        deal_id,rep_id,close_date,amount,currency,product,type,split,role
        D1,A,2026-01-10,50000.00,USD,Gadget,new,,
        D1,S,2026-01-10,50000.00,USD,Gadget,new,,sdr
        D2,A,2026-02-03,20000.00,USD,Gadget,new,60,
        D2,B,2026-02-03,20000.00,USD,Gadget,new,40,owner
        D2,S,2026-02-03,20000.00,USD,Gadget,new,100,sdr
        D3,B,2026-02-20,30000.00,USD,Widget,new,,
        D3,A,2026-02-20,30000.00,USD,Widget,new,,sdr

        """

    static let ae = """
        plan "AE" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01

        measure bookings = sum of deal.amount
        commission "C" on bookings
          rate 10%

        """

    static let sdr = """
        plan "SDR" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01
        credit "sdr"

        measure sourced = sum of deal.amount where deal.role = "sdr"
        commission "S" on sourced
          rate 5%
        spif "Gadget sourced"
          where deal.product = "Gadget" and deal.role = "sdr"
          pay 100.00 USD per deal

        """

    static let manager = """
        plan "Manager" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01

        measure team = sum of deal.amount
        override "O" on team
          for direct reports
          rate 1%

        """

    static let assignments = """
        rep_id,plan,start_date,end_date,quota,target_incentive
        A,AE,2026-01-01,2026-12-31,100000.00,1000.00
        B,AE,2026-01-01,2026-12-31,100000.00,1000.00
        M,Manager,2026-01-01,2026-12-31,0,1000.00
        S,SDR,2026-01-01,2026-12-31,100000.00,1000.00

        """

    func request(deals: String = CreditRolesTests.deals, plans: [String] = [ae, sdr, manager], detail: Bool = true) -> RunRequest {
        var r = RunRequest(plans: plans.enumerated().map { SourceFile(path: "p\($0.offset).plan", text: $0.element) },
                           deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                           roster: InputFile(path: "roster.csv", bytes: Array(CreditRolesTests.roster.utf8)),
                           assignments: InputFile(path: "assignments.csv", bytes: Array(CreditRolesTests.assignments.utf8)), period: "2026-Q1")
        r.detail = detail
        return r
    }

    // MARK: The table

    @Test func aRowStaysSixtyFourBytes() {
        #expect(MemoryLayout<DealTable.Row>.size == 64)
        #expect(MemoryLayout<DealTable.Row>.stride == 64)
    }

    @Test func aRowKeepsItsRoleBesideItsCancelledFlag() {
        let row = DealTable.Row(idStart: 0, amount: 1, share: 1, line: 2, idLength: 1, rep: 0, closeDate: 0, cancelDate: 0, product: 0, type: 0,
                                extras: -1, amountScale: 0, shareScale: 0, currency: 0, cancelled: true, role: 127)
        #expect(row.cancelled)
        #expect(row.role == 127)
        let won = DealTable.Row(idStart: 0, amount: 1, share: 1, line: 2, idLength: 1, rep: 0, closeDate: 0, cancelDate: 0, product: 0, type: 0,
                                extras: -1, amountScale: 0, shareScale: 0, currency: 0, cancelled: false, role: 3)
        #expect(!won.cancelled)
        #expect(won.role == 3)
    }

    // MARK: Reading

    func describe(_ deals: [Deal]) -> [String] {
        deals.map { "\($0.dealID)|\($0.repID)|\($0.share)|\($0.role)|\($0.status)|\($0.line)" }
    }

    func both(_ deals: String) -> (fast: [Deal]?, careful: [Deal], diagnostics: Diagnostics) {
        let file = InputFile(path: "deals.csv", bytes: Array(deals.utf8))
        var loader = DataLoader(declaredFields: [:], planNames: ["AE"])
        let reps = ["A", "B", "S", "T"].map { Rep(id: $0, name: $0, managerID: nil, hireDate: CivilDate(year: 2020, month: 1, day: 1)!, endDate: nil, line: 2) }
        let fast = loader.fastDeals(file, reps: reps)
        loader.useFastPath = false
        var d = Diagnostics()
        var offRoster: [Deal] = []
        let careful = loader.loadDeals(file, reps: reps, &d, offRoster: &offRoster)
        return (fast.map { Array($0.0) }, Array(careful.0), d)
    }

    @Test func bothReadersGiveTheSameRoles() throws {
        let r = both(CreditRolesTests.deals)
        let fast = try #require(r.fast)
        #expect(!r.diagnostics.hasErrors)
        #expect(describe(fast) == describe(r.careful))
        #expect(r.careful.map(\.role) == ["owner", "sdr", "owner", "owner", "sdr", "owner", "sdr"])
    }

    @Test func aLargeFileWithRolesInEveryChunkGivesTheSameDeals() throws {
        var text = "deal_id,rep_id,close_date,amount,currency,product,type,split,role\n"
        var k = 0
        while text.utf8.count < 1_300_000 {
            k += 1
            let date = "2026-02-\(10 + k % 18)", amount = "\(k % 9000).\(k % 90 + 10)"
            // Roles in a different order in different parts of the file, so that pools number them differently.
            let roles = k < 12_000 ? ["sdr", "overlay"] : ["overlay", "sdr"]
            text += "R\(k),A,\(date),\(amount),USD,Widget,new,60,\n"
            text += "R\(k),B,\(date),\(amount),USD,Widget,new,40,owner\n"
            text += "R\(k),S,\(date),\(amount),USD,Widget,new,,\(roles[k % 2])\n"
            if k % 3 == 0 { text += "R\(k),T,\(date),\(amount),USD,Widget,new,,\(roles[(k + 1) % 2])\n" }
        }
        let r = both(text)
        let fast = try #require(r.fast)
        #expect(fast.count == r.careful.count)
        #expect(describe(fast) == describe(r.careful))
        #expect(Set(r.careful.map(\.role)) == ["owner", "sdr", "overlay"])
    }

    @Test func rolesTheFastReaderCannotTakeGoToTheCarefulOne() {
        let head = "deal_id,rep_id,close_date,amount,currency,product,type,split,role\n"
        let cases: [(String, [String])] = [
            (head + "D1,A,2026-01-10,1.00,USD,W,new,,s d r\n", ["D239"]),
            (head + "D1,A,2026-01-10,1.00,USD,W,new,,sdr!\n", ["D239"]),
            (head + "D1,A,2026-01-10,1.00,USD,W,new,,\(String(repeating: "x", count: 33))\n", ["D239"]),
            (head + "D1,A,2026-01-10,1.00,USD,W,new,,\nD1,S,2026-01-10,1.00,USD,W,new,60,sdr\n", ["D238"]),
            (head + "D1,A,2026-01-10,1.00,USD,W,new,100,\nD1,B,2026-01-10,1.00,USD,W,new,100,\n", ["D238"]),
            (head + "D1,A,2026-01-10,1.00,USD,W,new,,\nD1,S,2026-01-10,1.00,USD,W,new,50,sdr\nD1,S,2026-01-10,1.00,USD,W,new,50,sdr\n", ["D236"]),
            (head + "D1,A,2026-01-10,1.00,USD,W,new,,\nD1,S,2026-01-11,1.00,USD,W,new,,sdr\n", ["D237"]),
            (head + "D1,A,2026-01-10,1.00,USD,W,new,,\nD1,S,2026-01-10,2.00,USD,W,new,,sdr\n", ["D237"]),
        ]
        for (text, codes) in cases {
            let r = both(text)
            #expect(r.fast == nil, "\(text)")
            #expect(r.diagnostics.errors.map(\.code) == codes, "\(text)")
        }
        // An owner row and an SDR row of the same rep on one deal are two credits, not one rep twice.
        let same = both(head + "D1,A,2026-01-10,1.00,USD,W,new,,\nD1,A,2026-01-10,1.00,USD,W,new,,sdr\n")
        #expect(same.fast != nil)
        #expect(!same.diagnostics.hasErrors)
    }

    @Test func sharesThatMissAHundredInARoleNameTheRole() {
        let head = "deal_id,rep_id,close_date,amount,currency,product,type,split,role\n"
        let r = both(head + "D1,A,2026-01-10,1.00,USD,W,new,,\nD1,S,2026-01-10,1.00,USD,W,new,60,sdr\nD1,T,2026-01-10,1.00,USD,W,new,60,sdr\n")
        let e = r.diagnostics.errors
        #expect(e.map(\.message) == ["split shares of deal `D1` in role `sdr` total 120%; they must total 100%"])
        #expect(e.first?.span?.line == 3)
        #expect(e.first?.span?.column == 32)
        let owner = both(head + "D1,A,2026-01-10,1.00,USD,W,new,100,\nD1,B,2026-01-10,1.00,USD,W,new,100,\n")
        #expect(owner.diagnostics.errors.map(\.message) == ["split shares of deal `D1` total 200%; they must total 100%"])
        let bad = both(head + "D1,A,2026-01-10,1.00,USD,W,new,,s d r\n")
        #expect(bad.diagnostics.errors.map(\.message) == ["`role` is `s d r`: a role is a word of letters, digits, `_` and `-`; found \" \""])
        #expect(bad.diagnostics.errors.first?.span?.column == 33)
    }

    // MARK: Plans

    @Test func creditLinesAreChecked() {
        func codes(_ line: String) -> [String] {
            diagnose(header + line + "\nmeasure b = sum of deal.amount\ncommission \"C\" on b\n  rate 1%\n").filter { $0.severity == .error }.map(\.code)
        }
        #expect(codes("credit \"sdr\"") == [])
        #expect(codes("credit \"owner\", \"overlay\"") == [])
        #expect(codes("credit") == ["E193"])
        #expect(codes("credit \"sdr\", \"sdr\"") == ["E186"])
        #expect(codes("credit \"s d r\"") == ["E187"])
        #expect(codes("credit \"sdr\"\ncredit \"overlay\"") == ["E188"])
        #expect(codes("credit sdr") == ["E189"])
        #expect(codes("credit \"sdr\",") == ["E189"])
        let (plans, _) = Engine.compile([SourceFile(path: "p.plan", text: CreditRolesTests.sdr)])
        #expect(plans.first?.creditRoles == ["sdr"])
        let (owner, _) = Engine.compile([SourceFile(path: "p.plan", text: CreditRolesTests.ae)])
        #expect(owner.first?.creditRoles == ["owner"])
        #expect(owner.first?.creditLine?.line == 1)
        #expect(plans.first?.creditLine?.line == 5)
    }

    @Test func aRepeatedRoleIsShownWhereItIsRepeated() {
        let (text, m) = marked(header + "credit \"sdr\", 1️⃣\"sdr\"\nmeasure b = sum of deal.amount\ncommission \"C\" on b\n  rate 1%\n")
        let d = diagnose(text).first { $0.code == "E186" }
        #expect(d?.message == "the `credit` line names role \"sdr\" twice")
        #expect(d?.span?.line == m["1️⃣"]!.line)
        #expect(d?.span?.column == m["1️⃣"]!.column)
    }

    // MARK: Running

    @Test func eachPlanCountsTheRolesItCredits() throws {
        let run = try Engine.run(request()).get()
        let paid = Dictionary(uniqueKeysWithValues: run.statements.map { ($0.payeeID, $0.paid.text) })
        // A: D1 50,000 + 60% of D2 12,000 = 62,000 → 6,200.00 (its SDR row on D3 is not credited: R355).
        // B: 40% of D2 8,000 + D3 30,000 = 38,000 → 3,800.00.
        // S: D1 50,000 + D2 20,000 = 70,000 → 3,500.00, and the spif on two Gadget deals sourced: 200.00.
        // M: 1% of the owner rows of A and B: 62,000 + 38,000 = 100,000 → 1,000.00; S's SDR rows do not count.
        #expect(paid == ["A": "6200.00", "B": "3800.00", "M": "1000.00", "S": "3700.00"])
        let s = try #require(run.statements.first { $0.payeeID == "S" })
        #expect(s.lines.map { $0.role ?? "-" } == ["sdr", "sdr", "sdr", "sdr"])
        let a = try #require(run.statements.first { $0.payeeID == "A" })
        #expect(a.lines.allSatisfy { $0.role == nil })
        let m = try #require(run.statements.first { $0.payeeID == "M" })
        #expect(m.lines.compactMap(\.creditedTo) == ["A", "A", "B", "B"])
        let json = StatementJSON.text(s)
        #expect(json.contains("\"role\": \"sdr\""))
        #expect(!StatementJSON.text(a).contains("\"role\""))
        #expect(StatementHTML.describe(s.lines[0]) == "Deal D1 (as sdr), 50000.00 at 5% = 2500.00")
    }

    @Test func aRowInARoleThePlanDoesNotCreditIsNotPaidAndIsSaid() throws {
        let run = try Engine.run(request()).get()
        let w = try #require(run.warnings.items.first { $0.code == "R355" })
        #expect(w.message == "1 deal, 30,000.00 USD closed in 2026-Q1 is credited in role \"sdr\" (1) to payees on plan \"AE\", which credits \"owner\"; it is not paid")
        #expect(w.notes.map(\.message) == ["to pay them, credit the role in the plan (`credit \"owner\", \"sdr\"`) or put these payees on a plan that credits it; --strict makes this an error"])
        let r = try #require(run.reconciliation)
        let usd = try #require(r.currencies.first)
        #expect(r.adds(up: usd))
        #expect(usd.read == Reconciliation.Figure(deals: 7, amount: try ExactDecimal.parse("200000.00").get()))
        #expect(usd.readByRole["sdr"] == Reconciliation.Figure(deals: 3, amount: try ExactDecimal.parse("100000.00").get()))
        #expect(usd.counted.deals == 6)
        #expect(usd.notCounted[.roleNotCredited] == Reconciliation.Figure(deals: 1, amount: try ExactDecimal.parse("30000.00").get()))
        let text = r.text()
        #expect(text.contains("  of them in role sdr"))
        #expect(text.contains("  not counted: role not credited by the plan"))
    }

    @Test func aLeanRunPaysWhatAFullRunPaysWithRoles() throws {
        let full = try Engine.run(request()).get(), lean = try Engine.run(request(detail: false)).get()
        #expect(full.statements.map(\.paid) == lean.statements.map(\.paid))
        #expect(full.statements.map { $0.measures.map(\.value) } == lean.statements.map { $0.measures.map(\.value) })
        #expect(full.warnings.items.map(\.message) == lean.warnings.items.map(\.message))
    }

    @Test func aPlanCreditingARoleSpeltOtherwiseIsSaid() throws {
        let plan = CreditRolesTests.sdr.replacingOccurrences(of: "credit \"sdr\"", with: "credit \"SDR\"")
            .replacingOccurrences(of: "deal.role = \"sdr\"", with: "deal.role = \"SDR\"")
        let run = try Engine.run(request(plans: [CreditRolesTests.ae, plan, CreditRolesTests.manager])).get()
        let w = try #require(run.warnings.items.first { $0.code == "R356" })
        #expect(w.message == "plan \"SDR\" credits role \"SDR\", which no row of deals.csv has; did you mean \"sdr\"?")
        // And S's rows in role `sdr` are not paid, and said.
        #expect(run.statements.first { $0.payeeID == "S" }?.paid.text == "0.00")
        #expect(run.warnings.items.contains { $0.code == "R355" && $0.message.hasPrefix("2 deals, 70,000.00 USD") })
    }

    @Test func withoutRolesNothingChanges() throws {
        // A file without a `role` column: every row is the owner's, no role figures, no role warnings.
        let plain = CreditRolesTests.deals.split(separator: "\n").filter { !$0.hasSuffix("sdr") }.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }.joined(separator: "\n") + "\n"
        let run = try Engine.run(request(deals: plain)).get()
        let r = try #require(run.reconciliation)
        #expect(r.currencies.first?.readByRole.isEmpty == true)
        #expect(!r.text().contains("role"))
        #expect(!run.warnings.items.contains { $0.code == "R355" || $0.code == "R356" })
        #expect(run.statements.first { $0.payeeID == "S" }?.paid.text == "0.00")
    }

    // MARK: Closing

    /// 300 AEs and 100 SDRs under 10 managers: every deal owned by one or two AEs and sourced by an SDR. Q2 cancels some
    /// Q1 deals within the clawback window and corrects others' amounts, on every role's rows.
    static func company() -> (roster: String, assignments: String, q1: String, q2: String) {
        var roster = "rep_id,name,manager_id,hire_date,end_date\n", assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        for m in 0..<10 {
            roster += "M\(m),Manager \(m),,2025-01-01,\n"
            assignments += "M\(m),Manager,2026-01-01,2026-12-31,0,1000.00\n"
        }
        for a in 0..<300 {
            roster += "A\(a),AE \(a),M\(a % 10),2025-01-01,\n"
            assignments += "A\(a),AE,2026-01-01,2026-12-31,50000.00,5000.00\n"
        }
        for r in 0..<100 {
            roster += "S\(r),SDR \(r),M\(r % 10),2025-01-01,\n"
            assignments += "S\(r),SDR,2026-01-01,2026-12-31,50000.00,2000.00\n"
        }
        var q1 = "deal_id,rep_id,close_date,amount,currency,product,type,split,role,status,cancel_date\n", q2 = q1
        for d in 0..<1200 {
            let date = "2026-0\(1 + d % 3)-\(10 + d % 18)", a = d % 300, b = (d * 7 + 3) % 300, sdr = d % 100
            let amount = "\(1000 + d * 37 % 20000).\(d % 90 + 10)", corrected = "\(1500 + d * 37 % 20000).\(d % 90 + 10)"
            let cancelled = d % 13 == 0, changed = d % 11 == 0
            func rows(_ amount: String, _ status: String) -> String {
                let owners = d % 4 == 0 && a != b ? "D\(d),A\(a),\(date),\(amount),USD,Widget,new,60,,\(status)\nD\(d),A\(b),\(date),\(amount),USD,Widget,new,40,owner,\(status)\n"
                    : "D\(d),A\(a),\(date),\(amount),USD,Widget,new,,,\(status)\n"
                return owners + "D\(d),S\(sdr),\(date),\(amount),USD,Widget,new,,sdr,\(status)\n"
            }
            q1 += rows(amount, "won,")
            q2 += rows(changed ? corrected : amount, cancelled ? "cancelled,2026-04-0\(1 + d % 9)" : "won,")
        }
        for d in 0..<300 {
            q2 += "E\(d),A\(d),2026-05-\(10 + d % 18),\(2000 + d).00,USD,Widget,new,,,won,\n"
            q2 += "E\(d),S\(d % 100),2026-05-\(10 + d % 18),\(2000 + d).00,USD,Widget,new,,sdr,won,\n"
        }
        return (roster, assignments, q1, q2)
    }

    static let closingPlans = [
        SourceFile(path: "ae.plan", text: ae.replacingOccurrences(of: "rounding half-up to 0.01", with: "rounding half-up to 0.01\nclawback within 120 days")),
        SourceFile(path: "sdr.plan", text: sdr.replacingOccurrences(of: "rounding half-up to 0.01", with: "rounding half-up to 0.01\nclawback within 120 days")),
        SourceFile(path: "manager.plan", text: manager),
    ]

    func closing(_ c: (roster: String, assignments: String, q1: String, q2: String), deals: String, period: String) -> RunRequest {
        RunRequest(plans: Self.closingPlans, deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                   roster: InputFile(path: "roster.csv", bytes: Array(c.roster.utf8)),
                   assignments: InputFile(path: "assignments.csv", bytes: Array(c.assignments.utf8)), period: period)
    }

    @Test func chunksSettleRolesLikeOneSettlementOfEveryPayee() throws {
        let c = Self.company()
        let q1 = try Engine.run(closing(c, deals: c.q1, period: "2026-Q1")).get()
        let history = LedgerHistory.empty.posting(q1)
        let prepared = try Engine.prepare(closing(c, deals: c.q2, period: "2026-Q2")).get()
        let q2 = try Period.parse("2026-Q2").get()
        let a = try Engine.evaluate(prepared, period: q2, history: history, inChunks: false).get()
        let b = try Engine.evaluate(prepared, period: q2, history: history, inChunks: true).get()
        #expect(a.statements.count == 410)
        #expect(a.statements.map(StatementJSON.text) == b.statements.map(StatementJSON.text))
        #expect(DiagnosticRenderer.render(a.warnings) == DiagnosticRenderer.render(b.warnings))
        // AEs and SDRs are both clawed back and adjusted, and the SDRs' lines say their role.
        let lines = a.statements.flatMap { s in s.lines.map { (s.payeeID, $0) } }
        let clawedAEs = lines.filter { $0.0.hasPrefix("A") && $0.1.kind == .clawback }.count
        let clawedSDRs = lines.filter { $0.0.hasPrefix("S") && $0.1.kind == .clawback }.count
        #expect(clawedAEs > 50 && clawedSDRs > 50, "\(clawedAEs) \(clawedSDRs)")
        #expect(lines.contains { $0.0.hasPrefix("S") && $0.1.kind == .adjustment })
        #expect(lines.filter { $0.0.hasPrefix("S") && $0.1.kind == .commission }.allSatisfy { $0.1.role == "sdr" })
        // Each SDR is clawed back what it was paid on each cancelled deal it sourced in Q1: D13 (S13, 1,481.23 closed
        // 2026-02-23, cancelled 2026-04-05) paid 5%, 74.06; its owner A13 was paid 10%, 148.12.
        let d13 = lines.filter { $0.1.kind == .clawback && $0.1.dealID == "D13" }.map { "\($0.0) \($0.1.amount.text) \($0.1.role ?? "")" }
        #expect(d13 == ["A13 -148.12 ", "S13 -74.06 sdr"])
    }

    // MARK: Estimates

    /// Every payee of `golden/roles-sdr-and-ae`: the fast estimate is the straight one; an SDR's extra deal is one they
    /// sourced (their plan's first role), and pays 5% of it.
    @Test func anEstimateWithRolesIsTheStraightOne() throws {
        let dir = "golden/roles-sdr-and-ae"
        let plans = ["ae.plan", "manager.plan", "overlay.plan", "sdr.plan"].map { dir + "/" + $0 }
        for payee in ["AE1", "AE3", "MGR", "OV1", "SDR1"] {
            func estimate(straight: Bool) -> CommandOutcome {
                Commands.estimate(plans: plans, data: dir, period: "2026-Q1", payee: payee, deals: ["amount=25000,product=Widget"], set: [],
                                  reader: InputReader(root: repositoryRoot), straight: straight)
            }
            let (fast, straight) = (estimate(straight: false), estimate(straight: true))
            #expect(fast.exitCode == straight.exitCode && fast.stdout == straight.stdout && fast.stderr == straight.stderr, "\(payee)")
            #expect(fast.exitCode == 0, "\(payee): \(fast.stderr)")
            if payee == "SDR1" { #expect(fast.stdout.contains("1250.00"), "\(fast.stdout)") }
            if payee == "AE1" { #expect(fast.stdout.contains("2500.00"), "\(fast.stdout)") }
        }
    }

    /// A year-to-date SDR plan over two quarters: Q2 measures the year's SDR rows (not the owner rows) and pays that less
    /// what Q1 paid; a deal sourced in Q1 and cancelled in Q2 within the window is clawed back from the SDR and the AE.
    @Test func aYearToDatePlanMeasuresTheYearInItsRole() throws {
        let sdrYTD = """
            plan "SDR" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            credit "sdr"
            true-up year to date
            clawback within 120 days

            measure sourced = sum of deal.amount
              quota from assignment
            commission "S" on sourced
              tiers marginal over attainment
              tier from 0% to 50% rate 2%
              tier from 50% rate 4%

            """
        let aeClawback = CreditRolesTests.ae.replacingOccurrences(of: "rounding half-up to 0.01", with: "rounding half-up to 0.01\nclawback within 120 days")
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Ann,,2025-01-01,\nS,Sue,,2025-01-01,\n"
        let assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,AE,2026-01-01,2026-12-31,100000.00,1000.00\nS,SDR,2026-01-01,2026-12-31,200000.00,1000.00\n"
        let head = "deal_id,rep_id,close_date,amount,currency,product,type,split,role,status,cancel_date\n"
        let q1 = head + "D1,A,2026-01-10,60000.00,USD,W,new,,,won,\nD1,S,2026-01-10,60000.00,USD,W,new,,sdr,won,\n"
            + "D2,A,2026-02-10,40000.00,USD,W,new,,,won,\nD2,S,2026-02-10,40000.00,USD,W,new,,sdr,won,\n"
        let q2 = head + "D1,A,2026-01-10,60000.00,USD,W,new,,,won,\nD1,S,2026-01-10,60000.00,USD,W,new,,sdr,won,\n"
            + "D2,A,2026-02-10,40000.00,USD,W,new,,,cancelled,2026-04-15\nD2,S,2026-02-10,40000.00,USD,W,new,,sdr,cancelled,2026-04-15\n"
            + "D3,A,2026-05-10,80000.00,USD,W,new,,,won,\nD3,S,2026-05-10,80000.00,USD,W,new,,sdr,won,\n"
        func request(_ deals: String, _ period: String) -> RunRequest {
            RunRequest(plans: [SourceFile(path: "ae.plan", text: aeClawback), SourceFile(path: "sdr.plan", text: sdrYTD)],
                       deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)), roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                       assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: period)
        }
        let first = try Engine.run(request(q1, "2026-Q1")).get()
        // Q1: S's year so far is D1 + D2 = 100,000 of 200,000 (50%): 100,000 at 2% = 2,000.00. A: 10% of 100,000.
        #expect(first.statements.map(\.paid.text) == ["10000.00", "2000.00"])
        let second = try Engine.run(request(q2, "2026-Q2"), history: LedgerHistory.empty.posting(first)).get()
        let s = try #require(second.statements.first { $0.payeeID == "S" })
        let a = try #require(second.statements.first { $0.payeeID == "A" })
        // S's year to date is D1 60,000 + D3 80,000 = 140,000 (D2 dropped out): 100,000 at 2% + 40,000 at 4% = 3,600.00.
        // D2 is clawed back (-800.00, its 2% of 40,000), and the Q1 true-up leaves that out: 3,600 - (2,000 - 800) = 2,400.00,
        // so Q2 pays 3,600.00 - 800.00 - 1,200.00 = 1,600.00, and the year 2,000.00 + 1,600.00 = 3,600.00.
        #expect(s.lines.map { "\($0.kind.rawValue) \($0.dealID ?? "-") \($0.amount.text) \($0.role ?? "-")" }
                == ["commission D1 1200.00 sdr", "commission D3 2400.00 sdr", "clawback D2 -800.00 sdr", "true-up - -1200.00 -"])
        #expect(s.paid.text == "1600.00")
        // A: D3 8,000.00 and D2 clawed back, -4,000.00.
        #expect(a.paid.text == "4000.00")
        #expect(a.lines.contains { $0.kind == .clawback && $0.dealID == "D2" && $0.amount.text == "-4000.00" && $0.role == nil })
    }

    @Test func strictRefusesARowInARoleThePlanDoesNotCredit() {
        let dir = "golden/roles-sdr-and-ae"
        let plans = ["ae.plan", "manager.plan", "overlay.plan", "sdr.plan"].map { dir + "/" + $0 }
        let outcome = Commands.run(plans: plans, data: dir, period: "2026-Q1", set: [], strict: true, reader: InputReader(root: repositoryRoot))
        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.contains("error[R355]: 1 deal, 30,000.00 USD closed in 2026-Q1 is credited in role \"sdr\" (1)"), "\(outcome.stderr)")
        #expect(outcome.files.isEmpty)
    }
}
