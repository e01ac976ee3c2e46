// The dated manager tree (hierarchy.csv): who manages a rep on a date, cycles on some dates only, a deep chain read in
// linear time, and overrides and team measures that follow a rep who moves to another manager inside a period.
import Foundation
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct HierarchyTests {
    static let roster = """
        rep_id,name,manager_id,hire_date,end_date
        M1,Mara,V1,2024-01-01,
        M2,Milo,V2,2024-01-01,
        V1,Vera,,2024-01-01,
        V2,Vik,,2024-01-01,
        X,Xena,M2,2025-01-01,
        Y,Yuri,M2,2025-01-01,

        """

    func day(_ text: String) -> CivilDate {
        guard case .success(let d) = CivilDate.parse(Array(text.utf8)) else { fatalError("bad date \(text)") }
        return d
    }

    func reps(_ roster: String) -> [Rep] {
        var d = Diagnostics()
        let reps = DataLoader(declaredFields: [:], planNames: []).loadRoster(InputFile(path: "roster.csv", bytes: Array(roster.utf8)), &d)
        precondition(!d.hasErrors, DiagnosticRenderer.render(d))
        return reps
    }

    func load(_ csv: String, roster: String = HierarchyTests.roster) -> (Hierarchy?, [Diagnostic]) {
        let (h, d) = Hierarchy.load(InputFile(path: "hierarchy.csv", bytes: Array(csv.utf8)), reps: reps(roster))
        return (h, d.items)
    }

    @Test func managerOnADate() throws {
        // X is under M1 until the end of March and under M2 from 1 April; Y has no rows and keeps roster.csv's M2.
        let (h, d) = load("rep_id,manager_id,start_date,end_date\nX,M1,2025-01-01,2026-03-31\nX,M2,2026-04-01,\n")
        #expect(d.isEmpty)
        let tree = try #require(h)
        #expect(tree.manager(of: "X", on: day("2026-03-31")) == "M1")
        #expect(tree.manager(of: "X", on: day("2026-04-01")) == "M2")
        #expect(tree.manager(of: "X", on: day("2030-12-31")) == "M2")
        // Before its first row a rep with rows has no manager (roster.csv's `manager_id` is not used for it).
        #expect(tree.manager(of: "X", on: day("2024-12-31")) == nil)
        #expect(tree.manager(of: "Y", on: day("2020-01-01")) == "M2")
        #expect(tree.manager(of: "M1", on: day("2026-03-31")) == "V1")
        #expect(tree.reportsOnAnyDate(of: "M2") == ["X", "Y"])
        #expect(tree.reportsOnAnyDate(of: "M1") == ["X"])
        #expect(tree.reports("X", to: "V1", on: day("2026-03-31"), direct: false))
        #expect(!tree.reports("X", to: "V1", on: day("2026-04-01"), direct: false))
        #expect(tree.reports("X", to: "V2", on: day("2026-04-01"), direct: false))
        #expect(!tree.reports("X", to: "V2", on: day("2026-04-01"), direct: true))
    }

    @Test func aGapBetweenRowsMeansNoManagerAndAnEmptyManagerIsTheTop() throws {
        let (h, d) = load("rep_id,manager_id,start_date,end_date\nX,M1,2026-01-01,2026-01-31\nX,M2,2026-03-01,\nM1,,2026-02-01,\n")
        #expect(d.isEmpty)
        let tree = try #require(h)
        #expect(tree.manager(of: "X", on: day("2026-01-31")) == "M1")
        #expect(tree.manager(of: "X", on: day("2026-02-15")) == nil)
        #expect(tree.manager(of: "X", on: day("2026-03-01")) == "M2")
        #expect(tree.manager(of: "M1", on: day("2026-02-01")) == nil)
        #expect(tree.manager(of: "M1", on: day("2026-01-31")) == nil)
    }

    @Test func overlappingRowsAreAnErrorOnTheLaterRow() {
        let (h, d) = load("rep_id,manager_id,start_date,end_date\nX,M2,2026-04-01,\nX,M1,2025-01-01,\n")
        #expect(h == nil)
        #expect(d.map(\.code) == ["D283"])
        #expect(d.first?.message == "rep `X` has two rows that cover 2026-04-01")
        #expect((d.first?.span?.line, d.first?.span?.column) == (2, 6))
        #expect(d.first?.notes.first?.message == "the other row is on line 3 and has no end")
    }

    @Test func unknownIdsAndBadDatesAndMissingColumns() {
        let (_, d) = load("rep_id,manager_id,start_date,end_date\nX,M3,2026-01-01,\nZZ,M1,2026-01-01,\nY,M1,2026-05-01,2026-04-30\nY,M1,2026-13-01,\n")
        #expect(d.map(\.code) == ["D281", "D280", "D282", "D210"])
        #expect(d[0].message == "manager `M3` of rep `X` is not in the roster")
        #expect(d[0].notes.map(\.message).contains { $0.hasPrefix("did you mean") })
        #expect(d[2].message == "`end_date` 2026-04-30 is before `start_date` 2026-05-01")
        let (_, missing) = load("rep_id,manager_id,start_date\nX,M1,2026-01-01\n")
        #expect(missing.map(\.code) == ["D204"])
        #expect(missing.first?.message == "missing column `end_date`")
    }

    @Test func aCycleThatExistsOnlyOnSomeDates() {
        // M2 reports to M1 (roster). X moves under Y on 1 April; M1 reports to X for May only: M1 → X → Y → M2 → M1.
        let rows = "rep_id,manager_id,start_date,end_date\nX,M2,2025-01-01,2026-03-31\nX,Y,2026-04-01,\nM1,X,2026-05-01,2026-05-31\nM1,,2026-06-01,\n"
        let roster = HierarchyTests.roster.replacingOccurrences("M2,Milo,V2", "M2,Milo,M1")
        let (h, d) = load(rows, roster: roster)
        #expect(h == nil)
        #expect(d.map(\.code) == ["D284"])
        #expect(d.first?.message == "the manager tree has a cycle on 2026-05-01: `M1` → `X` → `Y` → `M2` → `M1`")
        #expect((d.first?.span?.line, d.first?.span?.column) == (4, 4))
        // The same edges at other times: X is under Y in April only, and under V2 when M1 is under X in May. Over
        // all time the edges still go round (M1 → X → Y → M2 → M1), but on no single day.
        let apart = "rep_id,manager_id,start_date,end_date\nX,M2,2025-01-01,2026-03-31\nX,Y,2026-04-01,2026-04-30\nX,V2,2026-05-01,\nM1,X,2026-05-01,2026-05-31\n"
        let (ok, none) = load(apart, roster: roster)
        #expect(none.isEmpty)
        #expect(ok?.manager(of: "M1", on: day("2026-05-15")) == "X")
        #expect(ok?.manager(of: "M1", on: day("2026-06-01")) == nil)
        // A rep under itself is the shortest cycle.
        let (_, own) = load("rep_id,manager_id,start_date,end_date\nY,Y,2026-02-01,\n")
        #expect(own.map(\.message) == ["the manager tree has a cycle on 2026-02-01: `Y` → `Y`"])
    }

    @Test func twoCyclesOnDifferentDatesAreEachReported() {
        let rows = "rep_id,manager_id,start_date,end_date\nV1,M1,2026-02-01,2026-02-28\nV2,X,2026-03-01,\n"
        let (_, d) = load(rows)
        #expect(d.map(\.message) == ["the manager tree has a cycle on 2026-02-01: `V1` → `M1` → `V1`",
                                     "the manager tree has a cycle on 2026-03-01: `V2` → `X` → `M2` → `V2`"])
        #expect(d.map { $0.span?.line } == [2, 3])
    }

    /// `count` days in a row from `first`.
    func days(from first: CivilDate, count: Int) -> [CivilDate] {
        var out = [first]
        while out.count < count {
            let d = out.last!
            out.append(CivilDate(year: d.year, month: d.month, day: d.day + 1)
                ?? CivilDate(year: d.year, month: d.month + 1, day: 1) ?? CivilDate(year: d.year + 1, month: 1, day: 1)!)
        }
        return out
    }

    /// R00000 at the top, R00001 under it, and so on: each row of the chain starts on a day of its own.
    func chain(_ n: Int, closing: String? = nil, sameDay: Bool = false) -> (roster: String, rows: String) {
        var roster = "rep_id,name,manager_id,hire_date,end_date\n", rows = "rep_id,manager_id,start_date,end_date\n"
        func id(_ i: Int) -> String { "R" + String(repeating: "0", count: 5 - String(i).count) + String(i) }
        let starts = days(from: day("2000-01-01"), count: 9000)
        for i in 0..<n {
            roster += "\(id(i)),Rep \(i),,2000-01-01,\n"
            guard i > 0 else { continue }
            rows += "\(id(i)),\(id(i - 1)),\(starts[sameDay ? 0 : i % 9000]),\n"
        }
        if let closing { rows += "R00000,\(id(n - 1)),\(closing),\n" }
        return (roster, rows)
    }

    @Test func aFiftyThousandDeepChainIsReadInLinearTime() throws {
        let (roster, rows) = chain(50_000)
        let clock = ContinuousClock()
        var loaded: (Hierarchy?, [Diagnostic]) = (nil, [])
        let took = clock.measure { loaded = load(rows, roster: roster) }
        #expect(loaded.1.isEmpty)
        let tree = try #require(loaded.0)
        // A walk from every row up to the top would be 1.25 billion steps; the check takes far less than a second's
        // work per 50,000 rows even in a debug build.
        #expect(took < .seconds(20), "loading took \(took)")
        #expect(tree.manager(of: "R49999", on: day("2030-01-01")) == "R49998")
        #expect(tree.reports("R49999", to: "R00000", on: day("2030-01-01"), direct: false))
        #expect(!tree.reports("R49999", to: "R00000", on: day("2000-01-01"), direct: false))
        // The same chain with the top put under the bottom from 2026-05-01: one cycle of 50,000 reps, found in a walk
        // per day.
        let (_, closed) = chain(50_000, closing: "2026-05-01", sameDay: true)
        let start = clock.now
        let (h, d) = load(closed, roster: roster)
        #expect(clock.now - start < .seconds(20))
        #expect(h == nil)
        #expect(d.map(\.code) == ["D284"])
        #expect(d.first?.span?.line == 50_001)
        #expect(d.first?.message.hasPrefix("the manager tree has a cycle on 2026-05-01: `R00000` → `R49999` → `R49998` → ") == true)
    }

    // MARK: Crediting

    static let plans = [
        SourceFile(path: "rep.plan", text: header.replacingOccurrences("plan \"P\"", "plan \"Rep\"") + "measure bookings = sum of deal.amount\ncommission \"C\" on bookings\n  rate 10%\n"),
        SourceFile(path: "direct.plan", text: header.replacingOccurrences("plan \"P\"", "plan \"Direct\"")
            + "measure team = sum of deal.amount\noverride \"Direct override\" on team\n  for direct reports\n  rate 10%\n"),
        SourceFile(path: "all.plan", text: header.replacingOccurrences("plan \"P\"", "plan \"All\"")
            + "measure org = sum of deal.amount\noverride \"Org override\" on org\n  for all reports\n  rate 1%\n"),
    ]
    static let assignments = """
        rep_id,plan,start_date,end_date,quota,target_incentive
        M1,Direct,2026-01-01,2026-12-31,0,0
        M2,Direct,2026-01-01,2026-12-31,0,0
        V1,All,2026-01-01,2026-12-31,0,0
        V2,All,2026-01-01,2026-12-31,0,0
        X,Rep,2026-01-01,2026-12-31,0,0
        Y,Rep,2026-01-01,2026-12-31,0,0

        """
    /// X closes D1 before moving from M1 (under V1) to M2 (under V2) on 2026-02-15, and D2 after.
    static let deals = """
        deal_id,rep_id,close_date,amount,currency,product,type
        D1,X,2026-01-20,10000.00,USD,Gadget,new
        D2,X,2026-03-10,20000.00,USD,Gadget,new
        D3,Y,2026-02-01,5000.00,USD,Gadget,new

        """

    func run(hierarchy: String?) throws -> [String: Statement] {
        let request = RunRequest(plans: HierarchyTests.plans, deals: InputFile(path: "deals.csv", bytes: Array(HierarchyTests.deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(HierarchyTests.roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(HierarchyTests.assignments.utf8)),
                                 hierarchy: hierarchy.map { InputFile(path: "hierarchy.csv", bytes: Array($0.utf8)) }, period: "2026-Q1")
        switch Engine.run(request) {
        case .success(let r): return Dictionary(uniqueKeysWithValues: r.statements.map { ($0.payeeID, $0) })
        case .failure(let d): throw EngineFailed(text: DiagnosticRenderer.render(d))
        }
    }

    @Test func directAndAllFollowAMoveInsideThePeriod() throws {
        let s = try run(hierarchy: "rep_id,manager_id,start_date,end_date\nX,M1,2025-01-01,2026-02-14\nX,M2,2026-02-15,\n")
        // Direct: M1 has D1 (closed before the move), M2 has D2 (after it) and Y's D3.
        #expect(s["M1"]!.lines.map { "\($0.dealID!) \($0.amount.text)" } == ["D1 1000.00"])
        #expect(s["M2"]!.lines.map { "\($0.dealID!) \($0.amount.text)" } == ["D3 500.00", "D2 2000.00"])
        // All: the second line follows too: V1 has D1 through M1, V2 has D3 and D2 through M2.
        #expect(s["V1"]!.lines.map { "\($0.dealID!) \($0.amount.text)" } == ["D1 100.00"])
        #expect(s["V2"]!.lines.map { "\($0.dealID!) \($0.amount.text)" } == ["D3 50.00", "D2 200.00"])
        // Each team measure is the roll-up its override paid on, with who it came from.
        #expect(s["M2"]!.measures.map(\.value) == ["25000.00"])
        #expect(s["M2"]!.measures[0].from.map { "\($0.repID) \($0.repName) \($0.deals) \($0.amount)" } == ["X Xena 1 20000.00", "Y Yuri 1 5000.00"])
        #expect(s["V1"]!.measures[0].from.map { "\($0.repID) \($0.deals) \($0.amount)" } == ["X 1 10000.00"])
        #expect(s["V1"]!.paid.text == "100.00")
        #expect(s["X"]!.measures[0].from.isEmpty)
    }

    @Test func withoutAHierarchyTheRosterHoldsForAllTime() throws {
        let s = try run(hierarchy: nil)
        #expect(s["M1"]!.lines.isEmpty)
        #expect(s["M2"]!.lines.map { "\($0.dealID!) \($0.amount.text)" } == ["D1 1000.00", "D3 500.00", "D2 2000.00"])
        #expect(s["V1"]!.paid.text == "0.00")
        #expect(s["V2"]!.paid.text == "350.00")
        #expect(s["M1"]!.measures.map(\.value) == ["0.00"])
    }

    @Test func compareReadsTheHierarchyForEveryScenarioAndScale() throws {
        func paid(hierarchy: String?) throws -> [String: [String]] {
            let request = ComparisonRequest(scenarios: [Scenario(name: "baseline", plans: HierarchyTests.plans)],
                                            deals: InputFile(path: "deals.csv", bytes: Array(HierarchyTests.deals.utf8)),
                                            roster: InputFile(path: "roster.csv", bytes: Array(HierarchyTests.roster.utf8)),
                                            assignments: InputFile(path: "assignments.csv", bytes: Array(HierarchyTests.assignments.utf8)),
                                            hierarchy: hierarchy.map { InputFile(path: "hierarchy.csv", bytes: Array($0.utf8)) },
                                            periods: ["2026-Q1"], scales: [.one, try ExactDecimal.parse("2").get()])
            guard case .success(let r) = Comparison.run(request) else { throw EngineFailed(text: "compare failed") }
            var out = Dictionary(uniqueKeysWithValues: r.payees.map { ($0.payeeID, $0.paid.map { $0.text(minimumScale: 2) }) })
            // The cost at twice every deal: the managers' part follows the same tree.
            out["cost"] = r.sensitivity.map { $0.cost[0].text(minimumScale: 2) }
            return out
        }
        let dated = try paid(hierarchy: "rep_id,manager_id,start_date,end_date\nX,M1,2025-01-01,2026-02-14\nX,M2,2026-02-15,\n")
        #expect(dated["M1"] == ["1000.00"])
        #expect(dated["M2"] == ["2500.00"])
        // Reps 3500.00, M1 1000.00, M2 2500.00, V1 100.00, V2 250.00; doubled at scale 2.
        #expect(dated["cost"] == ["7350.00", "14700.00"])
        let roster = try paid(hierarchy: nil)
        #expect(roster["M1"] == ["0.00"])
        #expect(roster["M2"] == ["3500.00"])
    }

    @Test func aMeasureAlsoPaidOnOwnDealsStaysTheOwnDeals() throws {
        // `bookings` pays a commission on the manager's own deals and an override on the reports': it stays the own
        // deals (M2 closed none), and the override still pays on X's and Y's.
        let plan = header.replacingOccurrences("plan \"P\"", "plan \"Direct\"")
            + "measure bookings = sum of deal.amount\ncommission \"Own\" on bookings\n  rate 10%\noverride \"Team\" on bookings\n  for direct reports\n  rate 10%\n"
        var plans = HierarchyTests.plans
        plans[1] = SourceFile(path: "direct.plan", text: plan)
        let (compiled, _) = Engine.compile(plans)
        #expect(compiled[1].measures[0].creditScope == nil)
        #expect(compiled[2].measures[0].rollUp == .all)
        let request = RunRequest(plans: plans, deals: InputFile(path: "deals.csv", bytes: Array(HierarchyTests.deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(HierarchyTests.roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(HierarchyTests.assignments.utf8)), period: "2026-Q1")
        guard case .success(let r) = Engine.run(request) else { Issue.record("the run failed"); return }
        let m2 = try #require(r.statements.first { $0.payeeID == "M2" })
        #expect(m2.measures.map(\.value) == ["0.00"])
        #expect(m2.measures[0].from.isEmpty)
        #expect(m2.paid.text == "3500.00")
    }

    @Test func aCloseRecordsTheHierarchyAmongItsInputs() throws {
        let dir = try scratchCopy(of: "reorg-dated-hierarchy")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let overlay = repositoryRoot + "/golden/reorg-dated-hierarchy/2026-Q2/"
        for name in ["deals.csv", "roster.csv", "hierarchy.csv"] {
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
            try FileManager.default.copyItem(atPath: overlay + name, toPath: dir + "/" + name)
        }
        let reader = InputReader(root: dir)
        let outcome = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(outcome.exitCode == 0)
        let listed = Commands.history(ledgerPath: "attain.db", inputs: true, reader: reader).stdout
        let hash = InputHash.sha256(try reader.bytes("hierarchy.csv"))
        #expect(listed.contains("hierarchy ./hierarchy.csv sha256:\(hash)") || listed.contains("hierarchy hierarchy.csv sha256:\(hash)"))
    }
}

/// The issue's reproduction on the shipped sample: AE03 moves from MGR02 to MGR03 after 2026-Q1 is closed.
@Suite struct ReorgOnTheSampleTests {
    /// Closes Q1, moves AE03 in roster.csv (and with `dated`, in hierarchy.csv from 2026-04-01), closes Q2; the lines
    /// posted and the Q2 close's messages.
    func closeAroundTheMove(dated: Bool) throws -> (lines: [LedgerHistory.PostedLine], stderr: String) {
        let fm = FileManager.default
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-reorg-\(UUID().uuidString)")
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        try fm.copyItem(atPath: repositoryRoot + "/plans", toPath: dir + "/plans")
        try fm.copyItem(atPath: repositoryRoot + "/sample", toPath: dir + "/sample")
        let reader = InputReader(root: dir)
        let q1 = Commands.close(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(q1.exitCode == 0)
        let roster = try reader.text("sample/roster.csv")
        let moved = roster.replacingOccurrences(of: "AE03,Zoë Müller,MGR02,", with: "AE03,Zoë Müller,MGR03,")
        #expect(moved != roster)
        try moved.write(toFile: dir + "/sample/roster.csv", atomically: true, encoding: .utf8)
        if dated {
            try "rep_id,manager_id,start_date,end_date\nAE03,MGR02,2020-05-22,2026-03-31\nAE03,MGR03,2026-04-01,\n"
                .write(toFile: dir + "/sample/hierarchy.csv", atomically: true, encoding: .utf8)
        }
        let q2 = Commands.close(plans: ["plans"], data: "sample", period: "2026-Q2", set: [], ledgerPath: "attain.db", commit: true, reader: reader)
        #expect(q2.exitCode == 0)
        let lines = try Ledger(path: dir + "/attain.db").history(before: try Period.parse("2026-Q3").get()).lines
        return (lines, q2.stderr)
    }

    @Test func aMoveInTheRosterAloneRewritesTheClosedQuarterAndSaysSo() throws {
        let (lines, stderr) = try closeAroundTheMove(dated: false)
        let backdated = lines.filter { $0.period == "2026-Q2" && $0.refPeriod == "2026-Q1" && ["MGR02", "MGR03"].contains($0.payeeID) }
        // Q1 recomputed with today's roster: MGR02 gives back 0.5% of AE03's six Q1 deals (9288.76 → 46.44, 12970.19 →
        // 64.85, 32104.85 → 160.52, 24254.99 → 121.27, 10531.04 → 21.06, 17851.81 → 89.26: 503.40), and MGR03, who did
        // not manage AE03 in Q1, is paid the same.
        func total(_ payee: String) -> String {
            ExactDecimal.total(backdated.filter { $0.payeeID == payee }.map(\.amount)).text(minimumScale: 2)
        }
        #expect(backdated.filter { $0.payeeID == "MGR02" }.map { "\($0.dealID ?? "") \($0.amount.text(minimumScale: 2))" }
                == ["D26-0009 -46.44", "D26-0022 -64.85", "D26-0113 -160.52", "D26-0156 -121.27", "D26-0274 -21.06", "D26-0335 -89.26"])
        #expect((total("MGR02"), total("MGR03")) == ("-503.40", "503.40"))
        #expect(stderr.contains("warning[R322]: override and team pay for closed period 2026-Q1 changes with the current inputs"))
    }

    func decimal(_ text: String) -> ExactDecimal? {
        if case .success(let d) = ExactDecimal.parse(text) { return d }
        return nil
    }

    @Test func aManagersTeamMeasureIsWhatTheOverridePaidOn() throws {
        let reader = InputReader(root: repositoryRoot)
        let d = try reader.dataFiles("sample")
        let request = RunRequest(plans: try reader.planFiles(["plans"]), deals: d.deals, roster: d.roster, assignments: d.assignments, period: "2026-Q1")
        guard case .success(let run) = Engine.run(request) else { Issue.record("the sample run failed"); return }
        let managers = run.statements.filter { $0.planName == "Managers-2026" }
        #expect(managers.map(\.payeeID) == ["MGR01", "MGR02", "MGR03", "MGR04"])
        for s in managers {
            let measure = try #require(s.measures.first { $0.name == "team_bookings" })
            let bases = ExactDecimal.total(s.lines.filter { $0.kind == .override }.compactMap { decimal($0.base ?? "") })
            #expect(measure.value == bases.text(minimumScale: 2), "\(s.payeeID)")
            #expect(ExactDecimal.total(measure.from.compactMap { decimal($0.amount) }).text(minimumScale: 2) == measure.value)
            #expect(measure.from.map(\.deals).reduce(0, +) == s.lines.filter { $0.kind == .override }.count)
            #expect(measure.from.map(\.repID) == measure.from.map(\.repID).sorted())
            #expect(measure.value != "0.00")
        }
        // MGR01 heads the company: every one of the 32 reps below the managers (AEs, renewal reps, SDRs) adds to hers.
        #expect(managers[0].measures[0].from.count == 32)
    }

    @Test func aDatedMoveLeavesTheClosedQuarterAlone() throws {
        let (lines, stderr) = try closeAroundTheMove(dated: true)
        #expect(lines.filter { $0.period == "2026-Q2" && $0.refPeriod == "2026-Q1" }.isEmpty)
        #expect(!stderr.contains("R322"))
        // In Q2 AE03's deals (five, all new or expansion) are MGR03's now, and no longer MGR02's.
        let ae03 = Set(["D26-2009", "D26-2010", "D26-2011", "D26-2012", "D26-2013"])
        func overridden(_ payee: String) -> Set<String> {
            Set(lines.filter { $0.payeeID == payee && $0.period == "2026-Q2" && $0.kind == .override }.compactMap(\.dealID))
        }
        #expect(overridden("MGR03").isSuperset(of: ae03))
        #expect(overridden("MGR02").isDisjoint(with: ae03))
        // MGR01 is above both managers on every date: paid on them either way.
        #expect(overridden("MGR01").isSuperset(of: ae03))
    }
}
