// The fast what-if paths against the straightforward ones: `Comparison.run` (deals grouped once, totals-only
// evaluations, figures kept per payee) equals `Comparison.runStraight` (every scenario prepared alone, full statements)
// to the cent and in every byte of the report, on every golden input and on a generated company with splits, overrides,
// FX, draws and clawback windows; `attain estimate` gives the same text whether it makes one payee's lines or everyone's.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct FastWhatIfTests {
    // MARK: A generated company

    /// A small deterministic generator (a linear congruential one), so the company is the same on every run.
    struct Dice {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let repPlan = """
        plan "Reps" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01
        fx at close date
        clawback within 90 days
        param accelerator = 8%

        measure bookings = sum of deal.amount where deal.type in ("new", "expansion")
          quota from assignment

        commission "Commission" on bookings
          tiers marginal over attainment
          tier from 0% to 50% rate 2%
          tier from 50% to 100% rate 5%
          tier from 100% rate accelerator
          cap 200% of target_incentive per period

        spif "Widget SPIF"
          where deal.product = "Widget"
          pay 100.00 USD per deal

        """

    /// The candidate: the same tiers, retroactive.
    static let retroactiveRepPlan = repPlan.replacingOccurrences(of: "tiers marginal", with: "tiers retroactive")

    static let rampPlan = """
        plan "Ramp" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01
        fx at close date

        measure bookings = sum of deal.amount

        commission "Commission" on bookings
          rate 6%

        draw "Ramp draw"
          amount 1000.00 USD per month
          recoverable

        """

    static let managerPlan = """
        plan "Managers" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01
        fx at close date

        measure team = sum of deal.amount for direct reports
          quota from assignment

        measure bookings = sum of deal.amount

        override "Team override" on bookings
          for direct reports
          rate 2%

        bonus "Team bonus" on team
          at 80% pay 2000.00 USD
          at 110% pay 5000.00 USD

        """

    static let vpPlan = """
        plan "VPs" version "1"
        currency USD
        period quarter
        rounding half-up to 0.01
        fx at close date

        measure org = sum of deal.amount where deal.type = "new"

        override "Org override" on org
          for all reports
          rate 1%

        """

    struct Company {
        var deals = "deal_id,rep_id,close_date,amount,currency,product,type,split,status,cancel_date\n"
        var roster = "rep_id,name,manager_id,hire_date,end_date\n"
        var assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var fx = "date,from,to,rate\n"
        var reps: [String] = []
    }

    /// 3 VPs, 12 managers, 300 reps (a tenth on a ramp plan with a draw, some moving from it to the reps' plan in the
    /// quarter, some hired or leaving in it); deals over two quarters, a tenth split 60/40, a fifth in EUR or GBP, one in
    /// twenty cancelled (inside the clawback window, or after it).
    static func company(deals count: Int = 6000) -> Company {
        var c = Company()
        var dice = Dice(state: 17)
        for v in 1...3 {
            let vp = "V\(v)"
            c.roster += "\(vp),VP \(v),,2024-01-01,\n"
            c.assignments += "\(vp),VPs,2026-01-01,2026-12-31,0,20000.00\n"
            for m in 1...4 {
                let manager = "M\(v)\(m)"
                c.roster += "\(manager),Manager \(v)-\(m),\(vp),2024-01-01,\n"
                c.assignments += "\(manager),Managers,2026-01-01,2026-12-31,\(2_000_000 + 100_000 * dice.next(10)).00,15000.00\n"
                for r in 1...25 {
                    let rep = String(format: "R%d%d%02d", v, m, r)
                    c.reps.append(rep)
                    let hired = r == 7 ? "2026-02-01" : "2024-06-01"
                    let left = r == 9 ? "2026-03-10" : ""
                    c.roster += "\(rep),Rep \(rep),\(manager),\(hired),\(left)\n"
                    let quota = "\(150_000 + 10_000 * dice.next(20)).00", target = "\(8000 + 500 * dice.next(8)).00"
                    switch r {
                    case 1, 2:
                        c.assignments += "\(rep),Ramp,2026-01-01,2026-12-31,\(quota),\(target)\n"
                    case 3:
                        c.assignments += "\(rep),Ramp,2026-01-01,2026-02-14,\(quota),\(target)\n"
                        c.assignments += "\(rep),Reps,2026-02-15,2026-12-31,\(quota),\(target)\n"
                    default:
                        c.assignments += "\(rep),Reps,2026-01-01,2026-12-31,\(quota),\(target)\n"
                    }
                }
            }
        }
        let products = ["Widget", "Gadget", "Gizmo"], types = ["new", "expansion", "renewal"]
        for n in 1...count {
            let month = 1 + dice.next(6), day = 1 + dice.next(28)
            let date = String(format: "2026-%02d-%02d", month, day)
            let currency = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2][dice.next(10)]
            let amount = "\(1000 + dice.next(60_000)).\(String(format: "%02d", dice.next(100)))"
            let product = products[dice.next(3)], type = types[dice.next(3)]
            var status = "won", cancel = ""
            if dice.next(20) == 0 {
                status = "cancelled"
                let late = dice.next(3) == 0
                let cancelMonth = min(12, month + (late ? 4 : 1))
                cancel = String(format: "2026-%02d-%02d", cancelMonth, day)
            }
            let code = ["USD", "EUR", "GBP"][currency]
            let first = c.reps[dice.next(c.reps.count)]
            if dice.next(10) == 0 {
                let second = c.reps[dice.next(c.reps.count)]
                c.deals += "D\(n),\(first),\(date),\(amount),\(code),\(product),\(type),60,\(status),\(cancel)\n"
                if second != first { c.deals += "D\(n),\(second),\(date),\(amount),\(code),\(product),\(type),40,\(status),\(cancel)\n" }
            } else {
                c.deals += "D\(n),\(first),\(date),\(amount),\(code),\(product),\(type),,\(status),\(cancel)\n"
            }
        }
        // A rate for every day of the half-year.
        var k = 0
        for month in 1...6 {
            for d in 1...CivilDate.daysIn(month: month, year: 2026) {
                let day = CivilDate(year: 2026, month: month, day: d)!
                c.fx += "\(day),EUR,USD,1.\(String(format: "%04d", 500 + k % 700))\n"
                c.fx += "\(day),GBP,USD,1.\(String(format: "%04d", 2000 + k % 900))\n"
                k += 1
            }
        }
        return c
    }

    static func file(_ name: String, _ text: String) -> InputFile { InputFile(path: name, bytes: Array(text.utf8)) }

    static func plans(_ rep: String = repPlan) -> [SourceFile] {
        [SourceFile(path: "reps.plan", text: rep), SourceFile(path: "ramp.plan", text: rampPlan),
         SourceFile(path: "managers.plan", text: managerPlan), SourceFile(path: "vps.plan", text: vpPlan)]
    }

    static func companyRequest(_ c: Company, periods: [String] = ["2026-Q1", "2026-Q2"]) throws -> ComparisonRequest {
        let scenarios = [Scenario(name: "baseline", plans: plans()),
                         Scenario(name: "retro", plans: plans(retroactiveRepPlan)),
                         Scenario(name: "a12", plans: plans(), overrides: [("accelerator", "12%")])]
        return ComparisonRequest(scenarios: scenarios, deals: file("deals.csv", c.deals), roster: file("roster.csv", c.roster),
                                 assignments: file("assignments.csv", c.assignments), fx: file("fx.csv", c.fx), periods: periods,
                                 scales: [try ExactDecimal.parse("0.9").get(), .one, try ExactDecimal.parse("1.1").get()])
    }

    /// Both ways of comparing give the same outcome: the same messages when they fail; otherwise the same figures for
    /// every payee and scenario, the same warnings and reconciliation, and the same report in every file.
    func expectSame(_ request: ComparisonRequest, _ label: String) throws -> Attain.ComparisonResult? {
        let fast = Comparison.run(request), straight = Comparison.runStraight(request)
        switch (fast, straight) {
        case (.failure(let a), .failure(let b)):
            #expect(DiagnosticRenderer.render(a) == DiagnosticRenderer.render(b), "\(label)")
            return nil
        case (.success(let a), .success(let b)):
            #expect(a.payees.map(\.payeeID) == b.payees.map(\.payeeID), "\(label)")
            for (p, q) in zip(a.payees, b.payees) {
                #expect(p.paid == q.paid && p.plan == q.plan && p.targetIncentive == q.targetIncentive, "\(label): \(p.payeeID)")
                #expect(p.attainment.map { ComparisonOutput.percent($0) } == q.attainment.map { ComparisonOutput.percent($0) }, "\(label): \(p.payeeID)")
            }
            #expect(a.bookings == b.bookings, "\(label)")
            #expect(a.sensitivity.map(\.cost) == b.sensitivity.map(\.cost), "\(label)")
            #expect(a.warnings.items.map(DiagnosticRenderer.render) == b.warnings.items.map(DiagnosticRenderer.render), "\(label)")
            #expect(a.reconciliation?.text() == b.reconciliation?.text(), "\(label)")
            #expect(ComparisonOutput.text(a) == ComparisonOutput.text(b), "\(label)")
            let (x, y) = (ComparisonOutput.files(a), ComparisonOutput.files(b))
            #expect(x.map(\.path) == y.map(\.path), "\(label)")
            for (f, g) in zip(x, y) { #expect(f.text == g.text, "\(label): \(f.path)") }
            return a
        default:
            Issue.record("\(label): one way failed and the other did not")
            return nil
        }
    }

    @Test func theFastComparisonOfAGeneratedCompanyIsTheStraightOne() throws {
        let c = FastWhatIfTests.company()
        let r = try #require(try expectSame(try FastWhatIfTests.companyRequest(c), "company"))
        #expect(r.payees.count == 315)
        #expect(r.scenarios == ["baseline", "retro", "a12"])
        // Retroactive tiers and a higher accelerator pay more in all; the scaled rows are in the table.
        #expect(r.summaries[1].cost > r.summaries[0].cost && r.summaries[2].cost > r.summaries[0].cost)
        #expect(r.sensitivity.map(\.scale.normalized.description) == ["0.9", "1", "1.1"])
        #expect(r.curves.map(\.plan) == ["Reps"])
    }

    /// The comparison's figures are what `attain run` pays each payee under each plan set, period by period, and the
    /// company has what the test is meant to cover: split rows, converted deals, draws, overrides and segments.
    @Test func eachScenarioPaysWhatItsRunPays() throws {
        let c = FastWhatIfTests.company()
        let request = try FastWhatIfTests.companyRequest(c)
        guard case .success(let r) = Comparison.run(request) else { throw EngineFailed(text: "compare failed") }
        var kinds: Set<LineKind> = [], converted = 0, split = 0, segmented = 0
        for (i, scenario) in request.scenarios.enumerated() {
            var paid: [String: ExactDecimal] = [:]
            for period in request.periods {
                let run = RunRequest(plans: scenario.plans, deals: request.deals, roster: request.roster, assignments: request.assignments,
                                     fx: request.fx, period: period, overrides: scenario.overrides)
                guard case .success(let result) = Engine.run(run) else { throw EngineFailed(text: "run \(scenario.name) \(period) failed") }
                for s in result.statements {
                    paid[s.payeeID] = try (paid[s.payeeID] ?? .zero).adding(s.paid.amount)
                    kinds.formUnion(s.lines.map(\.kind))
                    converted += s.lines.filter { $0.conversion != nil }.count
                    split += s.lines.filter { $0.share != nil && $0.share != "100%" }.count
                    if !s.segments.isEmpty { segmented += 1 }
                }
            }
            #expect(r.payees.count == paid.count)
            for p in r.payees { #expect(p.paid[i] == paid[p.payeeID], "\(scenario.name) \(p.payeeID)") }
        }
        #expect(kinds.isSuperset(of: [.commission, .spif, .override, .bonus, .draw, .adjustment]), "\(kinds)")
        #expect(converted > 0 && split > 0 && segmented > 0, "converted \(converted), split \(split), segmented \(segmented)")
    }

    // MARK: The golden inputs

    /// Every golden case with plans and deals, compared as its own baseline, again as a candidate, and at two scales,
    /// over the periods its case runs or closes.
    @Test func theFastComparisonOfEveryGoldenInputIsTheStraightOne() throws {
        let fm = FileManager.default
        let root = repositoryRoot + "/golden"
        var compared = 0
        for name in try fm.contentsOfDirectory(atPath: root).sorted() {
            let dir = root + "/" + name
            guard fm.fileExists(atPath: dir + "/deals.csv"), let conf = fm.contents(atPath: dir + "/case.conf") else { continue }
            let lines = String(decoding: conf, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }
            func values(_ key: String) -> [String] {
                lines.filter { $0.hasPrefix(key + ":") }.map { $0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces) }
            }
            let periods = values("period") + values("close")
            let planFiles = try fm.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".plan") }.sorted()
            guard !periods.isEmpty, !planFiles.isEmpty else { continue }
            func input(_ file: String) -> InputFile? { fm.contents(atPath: dir + "/" + file).map { InputFile(path: file, bytes: [UInt8]($0)) } }
            let plans = planFiles.map { SourceFile(path: $0, text: String(decoding: fm.contents(atPath: dir + "/" + $0)!, as: UTF8.self)) }
            guard let deals = input("deals.csv"), let roster = input("roster.csv"), let assignments = input("assignments.csv") else { continue }
            var request = ComparisonRequest(scenarios: [Scenario(name: "baseline", plans: plans), Scenario(name: "again", plans: plans)],
                                            deals: deals, roster: roster, assignments: assignments, fx: input("fx.csv"),
                                            hierarchy: input("hierarchy.csv"), periods: periods,
                                            scales: [try ExactDecimal.parse("0.9").get(), try ExactDecimal.parse("1.1").get()])
            request.activities = input("activities.csv")
            _ = try expectSame(request, name)
            compared += 1
        }
        #expect(compared >= 30, "only \(compared) golden inputs compared")
    }

    // MARK: Progress

    /// A line per step while someone watches: what is read, each period's plan sets as they are evaluated (a scale
    /// other than 1 said), and a short ending; the report is the same as without it.
    @Test func aWatchedComparisonSaysWhatItIsDoing() throws {
        final class Lines: @unchecked Sendable {
            let lock = NSLock()
            var all: [String] = []
            func add(_ line: String) { lock.lock(); all.append(line); lock.unlock() }
        }
        let lines = Lines()
        func compare(_ progress: (@Sendable (String) -> Void)?) -> CommandOutcome {
            Commands.compare(plans: ["plans"], data: "sample", periods: ["2026-Q1"], candidates: [], whatIfs: ["accelerator-12=accelerator=12%"],
                             scale: "1.1", lossThreshold: "10%", reader: InputReader(root: repositoryRoot), progress: progress)
        }
        let watched = compare { lines.add($0) }, quiet = compare(nil)
        #expect(watched.exitCode == 0 && watched.stdout == quiet.stdout && watched.stderr == quiet.stderr)
        #expect(watched.files.map(\.text) == quiet.files.map(\.text))
        let said = lines.all
        #expect(said.first?.hasPrefix("reading sample/deals.csv (") == true, "\(said)")
        #expect(said.contains { $0.hasPrefix("read ") && $0.hasSuffix("; evaluating 36 payees under each plan set…") }, "\(said)")
        #expect(said.contains { $0.hasPrefix("[1/4] baseline (1 of 2), 2026-Q1: 0 of 36 payees, ") }, "\(said)")
        #expect(said.contains { $0.hasPrefix("[3/4] baseline (1 of 2), 2026-Q1 at 1.1× the amounts: 0 of 36 payees, ") }, "\(said)")
        #expect(said.last?.hasPrefix("compared 2 plan sets over 36 payees in ") == true, "\(said)")
        #expect(said.last?.hasSuffix(" s; writing…") == true, "\(said)")
    }

    // MARK: Estimates

    @Test func anEstimateForOnePayeeIsTheOneEveryPayeesRunGives() throws {
        let c = FastWhatIfTests.company(deals: 2000)
        let dir = NSTemporaryDirectory() + "attain-estimate-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        for (name, text) in [("data/deals.csv", c.deals), ("data/roster.csv", c.roster), ("data/assignments.csv", c.assignments), ("data/fx.csv", c.fx),
                             ("reps.plan", FastWhatIfTests.repPlan), ("ramp.plan", FastWhatIfTests.rampPlan),
                             ("managers.plan", FastWhatIfTests.managerPlan), ("vps.plan", FastWhatIfTests.vpPlan)] {
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        let reader = InputReader(root: dir)
        // A rep, a rep on the ramp's draw, one changing plan in the quarter, a manager, a VP, and someone not on the roster.
        for payee in ["R1104", "R1101", "R2303", "M12", "V3", "NOBODY"] {
            func estimate(straight: Bool) -> CommandOutcome {
                Commands.estimate(plans: ["reps.plan", "ramp.plan", "managers.plan", "vps.plan"], data: "data", period: "2026-Q1", payee: payee,
                                  deals: ["amount=90000,product=Widget", "amount=12000.50,product=Gadget,currency=EUR,close_date=2026-02-03"],
                                  set: ["accelerator=10%"], reader: reader, straight: straight)
            }
            let (fast, straight) = (estimate(straight: false), estimate(straight: true))
            #expect(fast.exitCode == straight.exitCode, "\(payee)")
            #expect(fast.stdout == straight.stdout, "\(payee)")
            #expect(fast.stderr == straight.stderr, "\(payee)")
            if payee == "R1104" {
                #expect(fast.exitCode == 0, "\(fast.stderr)")
                #expect(fast.stdout.contains("Rep R1104 (R1104), 2026-Q1, plan Reps: what these 2 deals would add"), "\(fast.stdout)")
            }
            if payee == "NOBODY" { #expect(fast.exitCode == ExitCode.usage) }
        }
    }

    @Test func anEstimateOfEveryGoldenPayeeIsTheOneEveryPayeesRunGives() throws {
        let fm = FileManager.default
        var estimated = 0
        for name in ["brief-07-split", "brief-09-draw", "brief-13-fx", "brief-14-override", "estimate-extra-deals", "plan-change-segments", "team-quota", "activities-sdr-meetings"] {
            let dir = "golden/" + name
            let conf = String(decoding: try #require(fm.contents(atPath: repositoryRoot + "/" + dir + "/case.conf")), as: UTF8.self)
            let period = try #require(conf.split(separator: "\n").first { $0.hasPrefix("period:") || $0.hasPrefix("close:") })
                .split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
            let plans = try fm.contentsOfDirectory(atPath: repositoryRoot + "/" + dir).filter { $0.hasSuffix(".plan") }.sorted().map { dir + "/" + $0 }
            let roster = String(decoding: try #require(fm.contents(atPath: repositoryRoot + "/" + dir + "/roster.csv")), as: UTF8.self)
            for line in roster.split(separator: "\n").dropFirst() {
                let payee = String(line.prefix { $0 != "," })
                func estimate(straight: Bool) -> CommandOutcome {
                    Commands.estimate(plans: plans, data: dir, period: period, payee: payee, deals: ["amount=25000,product=Widget"], set: [],
                                      reader: InputReader(root: repositoryRoot), straight: straight)
                }
                let (fast, straight) = (estimate(straight: false), estimate(straight: true))
                #expect(fast.exitCode == straight.exitCode && fast.stdout == straight.stdout && fast.stderr == straight.stderr, "\(name) \(payee)")
                estimated += 1
            }
        }
        #expect(estimated > 15)
    }
}
