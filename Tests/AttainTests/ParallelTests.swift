// Payees evaluated in parallel chunks give exactly what one core gives: statements and messages, in order.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct ParallelTests {
    @Test func chunksAcrossCoresGiveTheSameOutputAsOneCore() throws {
        // 700 reps, with a missing rate, deals before hire dates and reps without assignments, to exercise the messages.
        var roster = "rep_id,name,manager_id,hire_date,end_date\n"
        var assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        for i in 0..<700 {
            let rep = "R\(1000 + i)"
            roster += "\(rep),Rep \(i),\(i == 0 ? "" : "R\(1000 + (i - 1) / 8)"),\(i % 50 == 7 ? "2026-02-10" : "2024-01-01"),\n"
            if i % 97 != 5 { assignments += "\(rep),P,2026-01-01,2026-12-31,\(50000 + i * 37).00,\(4000 + i).00\n" }
            for k in 0..<(i % 7 + 1) {
                deals += "D\(i)-\(k),\(rep),2026-0\(1 + k % 3)-\(10 + k),\(1000 + (i * 131 + k * 17) % 40000).\(k)5,USD,\(k % 2 == 0 ? "Widget" : "Gadget"),new,\n"
            }
        }
        let plan = header + """
            measure bookings = sum of deal.amount
              quota from assignment
            commission "C" on bookings
              tiers marginal over attainment
              tier from 0% to 50% rate 2%
              tier from 50% to 100% rate 5%
              tier from 100% rate 8%
              cap 150% of target_incentive per period
            spif "S"
              where deal.product = "Widget"
              pay 50.00 USD per deal

            """
        let request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: "2026-Q1")
        let prepared = try Engine.prepare(request).get()
        let period = try Period.parse("2026-Q1").get()
        var one = Crediting(prepared: prepared, period: period, maxChunks: 1, reconcile: true)
        var many = Crediting(prepared: prepared, period: period, reconcile: true)
        let a = one.statements(), b = many.statements()
        #expect(a.count == 692)  // 8 of the 700 have no assignment
        #expect(a.map { StatementJSON.text($0.statement) } == b.map { StatementJSON.text($0.statement) })
        #expect(one.diagnostics.items.map(DiagnosticRenderer.plain) == many.diagnostics.items.map(DiagnosticRenderer.plain))
        // Each core's tally of the rows, joined, is the tally of one core: the reconciliation and its warnings.
        let (ra, rb) = (one.tally!.finished(period: period, dealsPath: "deals.csv", lastPlanEnd: nil), many.tally!.finished(period: period, dealsPath: "deals.csv", lastPlanEnd: nil))
        #expect(ra.json == rb.json)
        #expect(ra.warnings().map(DiagnosticRenderer.plain) == rb.warnings().map(DiagnosticRenderer.plain))
        #expect(ra.warnings().contains { $0.code == "R310" })
        #expect(ra.currencies.first.map { ra.adds(up: $0) } == true)
    }
}

@Suite struct LeanRunTests {
    @Test func aPayrollOnlyRunWritesTheSamePayrollAndSummaryAsAFullRun() throws {
        let reader = InputReader(root: repositoryRoot)
        let full = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader)
        let lean = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], formats: [.payroll], reader: reader)
        #expect(lean.exitCode == 0 && full.exitCode == 0)
        for name in ["2026-Q1/payroll.csv", "2026-Q1/summary.json"] {
            let a = try #require(full.files.first { $0.path == name }?.text)
            let b = try #require(lean.files.first { $0.path == name }?.text)
            #expect(a == b, "\(name) differs")
        }
        #expect(lean.files.map(\.path) == ["2026-Q1/payroll.csv", "2026-Q1/summary.json"])
    }

    /// Every golden `run` case (caps per deal and per period, gates, splits, segments, overrides, currencies) pays the
    /// same in a payroll-only run, where statements keep one summed line per kind and component.
    @Test func everyGoldenRunCasePaysTheSameInAPayrollOnlyRun() throws {
        let reader = InputReader(root: repositoryRoot)
        let golden = GoldenRunner(reader: reader)
        var compared = 0
        for dir in golden.cases(in: ["golden"]) {
            let config = try golden.config(dir)
            guard config.command == "run" else { continue }
            let local = InputReader(root: reader.absolute(dir))
            let plans = try FileManager.default.contentsOfDirectory(atPath: local.root).filter { $0.hasSuffix(".plan") }.sorted()
            let full = Commands.run(plans: plans, data: ".", period: config.period, set: config.sets, reader: local)
            let lean = Commands.run(plans: plans, data: ".", period: config.period, set: config.sets, formats: [.payroll], reader: local)
            #expect(lean.exitCode == full.exitCode, "\(dir)")
            #expect(lean.stdout == full.stdout, "\(dir)")
            guard full.exitCode == 0 else { continue }
            for name in ["\(config.period)/payroll.csv", "\(config.period)/summary.json"] {
                #expect(full.files.first { $0.path == name }?.text == lean.files.first { $0.path == name }?.text, "\(dir): \(name)")
            }
            compared += 1
        }
        #expect(compared >= 15)
    }

    @Test func summedLinesKeepEachDealRoundedOnItsOwn() throws {
        // Three deals of 0.10 at 5%: each line is 0.005, rounded half-up to 0.01, so 0.03 in all (not 0.015 → 0.02).
        let plan = """
            plan "P" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01
            measure bookings = sum of deal.amount
            commission "C" on bookings
              rate 5%
            """
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type\nD1,A,2026-01-05,0.10,USD,W,new\nD2,A,2026-01-06,0.10,USD,W,new\nD3,A,2026-01-07,0.10,USD,W,new\n"
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Ann,,2020-01-01,\n"
        let assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\nA,P,2026-01-01,,1000.00,100.00\n"
        var request = RunRequest(plans: [SourceFile(path: "p.plan", text: plan)], deals: InputFile(path: "deals.csv", bytes: Array(deals.utf8)),
                                 roster: InputFile(path: "roster.csv", bytes: Array(roster.utf8)),
                                 assignments: InputFile(path: "assignments.csv", bytes: Array(assignments.utf8)), period: "2026-Q1")
        let full = try Engine.run(request).get()
        request.detail = false
        let lean = try Engine.run(request).get()
        #expect(full.statements[0].lines.count == 3)
        #expect(lean.statements[0].lines.count == 1)
        #expect(lean.statements[0].lines[0].amount.text == "0.03")
        #expect(full.statements[0].paid.text == "0.03" && lean.statements[0].paid.text == "0.03")
    }
}

@Suite struct GroupingTests {
    func deal(_ id: String, _ rep: String, _ date: String, line: Int) -> Deal {
        Deal(dealID: id, repID: rep, closeDate: try! CivilDate.parse(Array(date.utf8)).get(), amount: .one, currency: Currency(code: "USD")!,
             product: "W", type: "new", share: .one, status: .won, cancelDate: nil, extras: [:], line: line)
    }

    @Test func rowsAreGroupedByRepInRosterOrderAndSortedIntoCreditOrder() {
        let reps = ["B", "A", "C"].map { Rep(id: $0, name: $0, managerID: nil, hireDate: CivilDate(year: 2020, month: 1, day: 1)!, endDate: nil, line: 0) }
        let ids = ["D10", "D9", "D1", "Ü1", "U2", "a-very-long-deal-identifier-2", "a-very-long-deal-identifier-10", "é", "E", "D1 ", "D0"]
        var deals: [Deal] = []
        var line = 2
        for (k, id) in ids.enumerated() {
            for rep in ["A", "B"] where (k + rep.count) % 3 != 0 || rep == "A" {
                deals.append(deal(id, rep, k % 2 == 0 ? "2026-01-05" : "2026-01-04", line: line))
                line += 1
            }
        }
        // With only ASCII ids of at most 16 bytes, the keys alone order the rows.
        let short = ids.filter { $0.utf8.count <= 16 && $0.allSatisfy(\.isASCII) }
        for set in [deals, deals.filter { short.contains($0.dealID) }] {
            let table = DealTable(set.reversed(), reps: reps)
            let (order, starts) = Engine.grouped(table, repCount: reps.count)
            #expect(order.count == set.count)
            #expect(starts == [0, set.filter { $0.repID == "B" }.count, set.count, set.count])
            for (position, rep) in ["B", "A"].enumerated() {
                let expected = set.filter { $0.repID == rep }.sorted(by: Engine.creditOrder).map(\.line)
                let mine = order[starts[position]..<starts[position + 1]].map { table[Int($0)].line }
                #expect(mine == expected, "rep \(rep)")
            }
        }
    }

    @Test func manyRowsAreGroupedLikeASortByRepAndCreditOrder() {
        // Enough rows for several cores and many buckets of reps: reps with no rows, and one rep with more rows than
        // a bucket holds.
        let reps = (0..<3000).map { Rep(id: "R\($0)", name: "", managerID: nil, hireDate: CivilDate(year: 2020, month: 1, day: 1)!, endDate: nil, line: 0) }
        var deals: [Deal] = []
        var state: UInt64 = 7
        for k in 0..<90_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = k % 4 == 0 ? 17 : Int((state >> 33) % 2000) * 3 / 2
            deals.append(deal("D\((state >> 20) % 50_000)", "R\(r)", "2026-01-\(10 + (state >> 40) % 3)", line: k + 2))
        }
        for set in [deals, deals + [deal("an-identifier-longer-than-sixteen-bytes", "R17", "2026-01-11", line: 90_002)]] {
            let table = DealTable(set, reps: reps)
            let (order, starts) = Engine.grouped(table, repCount: reps.count)
            let position = Rep.positions(reps)
            let expected = set.indices.sorted { a, b in
                let (x, y) = (set[a], set[b])
                if position[x.repID]! != position[y.repID]! { return position[x.repID]! < position[y.repID]! }
                return Engine.creditOrder(x, y) || (!Engine.creditOrder(y, x) && a < b)
            }
            #expect(order.map { Int($0) } == expected)
            var counts: [String: Int] = [:]
            for d in set { counts[d.repID, default: 0] += 1 }
            #expect(reps.indices.allSatisfy { starts[$0 + 1] - starts[$0] == counts[reps[$0].id, default: 0] })
        }
    }

    @Test func aTableGivesBackTheDealsItWasMadeFrom() {
        let reps = ["A", "B"].map { Rep(id: $0, name: $0, managerID: nil, hireDate: CivilDate(year: 2020, month: 1, day: 1)!, endDate: nil, line: 0) }
        let huge = ExactDecimal(coefficient: Int128(Int64.max) * 1000 + 7, scale: 2)
        let deals = [
            Deal(dealID: "Ü-1", repID: "B", closeDate: CivilDate(year: 2026, month: 2, day: 3)!, amount: huge, currency: Currency(code: "EUR")!,
                 product: "Widget", type: "new", share: ExactDecimal(coefficient: 4, scale: 1), status: .cancelled,
                 cancelDate: CivilDate(year: 2026, month: 3, day: 1)!, extras: ["region": .text("EMEA")], line: 9),
            deal("D2", "A", "2026-01-05", line: 10),
        ]
        let table = DealTable(deals, reps: reps)
        #expect(table.count == 2)
        for (made, back) in zip(deals, table) {
            #expect(back.dealID == made.dealID && back.repID == made.repID && back.closeDate == made.closeDate)
            #expect(back.amount == made.amount && back.amount.scale == made.amount.scale && back.share == made.share)
            #expect(back.currency == made.currency && back.product == made.product && back.type == made.type)
            #expect(back.status == made.status && back.cancelDate == made.cancelDate && back.line == made.line)
            #expect(back.extras.count == made.extras.count)
        }
        #expect(table[0].amount.text(minimumScale: 2) == huge.text(minimumScale: 2))
        #expect(table[0].extras["region"]?.text == Value.text("EMEA").text)
    }

    @Test func repIDsAreFoundFromTheirBytes() {
        // Short ids are told apart in their slot; long ones sharing their first eight bytes are compared whole.
        let ids = (0..<5000).map { "P\($0)" } + ["", "é", "P1 ", "P1\u{0}", "REP-EMEA-0001", "REP-EMEA-0002", "REP-EMEA-00010", "12345678", "123456789"]
        let lookup = RepLookup(ids)
        for (i, id) in ids.enumerated() {
            let found = Array(id.utf8).withUnsafeBufferPointer { lookup.position($0) }
            #expect(found == Int32(i), "\(id)")
        }
        for missing in ["P5000", "p1", "P1  ", "P", "REP-EMEA-0003", "REP-EMEA-000", "1234567", "1234567890", "P1\u{0}\u{0}"] {
            #expect(Array(missing.utf8).withUnsafeBufferPointer { lookup.position($0) } == nil)
        }
    }

    @Test func repsFoundInBatchesAreThoseFoundOneByOne() {
        // Batches full and partial, short and long ids, and an id not in the roster.
        let ids = (0..<5000).map { "P\($0)" } + ["REP-EMEA-0001", "REP-EMEA-0002", "12345678", "123456789", ""]
        let lookup = RepLookup(ids)
        let asked = (0..<70).map { ids[($0 * 811) % ids.count] }
        var text: [UInt8] = []
        var ranges: [Range<Int>] = []
        for id in asked + ["P5000"] {
            ranges.append(text.count..<(text.count + id.utf8.count))
            text += id.utf8
        }
        let reps = [Rep(id: "A", name: "A", managerID: nil, hireDate: CivilDate(year: 2020, month: 1, day: 1)!, endDate: nil, line: 0)]
        let template = DealTable([deal("D1", "A", "2026-01-05", line: 2)], reps: reps).rows[0]
        for size in [1, 7, RepLookup.Batch.size] {
            var rows = [DealTable.Row](repeating: template, count: ranges.count)
            var batch = RepLookup.Batch()
            var found = true
            text.withUnsafeBufferPointer { b in
                rows.withUnsafeMutableBufferPointer { r in
                    var start = 0
                    for (k, range) in ranges.enumerated() where k < asked.count {
                        batch.add(range)
                        if batch.count == size || k == asked.count - 1 {
                            found = found && lookup.positions(b, &batch, into: r.baseAddress! + start)
                            start = k + 1
                        }
                    }
                    #expect(batch.count == 0)
                    batch.add(ranges[asked.count])
                    #expect(!lookup.positions(b, &batch, into: r.baseAddress! + asked.count))
                }
            }
            #expect(found)
            for (k, id) in asked.enumerated() { #expect(rows[k].rep == Int32(ids.firstIndex(of: id)!), "\(id)") }
        }
    }
}

final class Lines: @unchecked Sendable {
    var items: [String] = []
    private let lock = NSLock()

    /// For lines that may come from another thread.
    func add(_ line: String) {
        lock.lock()
        items.append(line)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

@Suite struct ProgressTests {
    @Test func progressReportsStagesAndChangesNothing() {
        let reader = InputReader(root: repositoryRoot)
        let seen = Lines()
        let watched = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader, progress: { seen.add($0) })
        let quiet = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], reader: reader)
        // The stages, without any count of payees done reported while they were evaluated.
        let stages = seen.all.filter { !$0.contains(" of 36 payees ") }
        #expect(stages.count == 3)
        #expect(stages[1].hasPrefix("read 554 deal rows in "))
        #expect(stages[2].hasPrefix("evaluated 36 payees in "))
        #expect(watched.stdout == quiet.stdout && watched.files.map(\.text) == quiet.files.map(\.text))
    }

    @Test func payeesDoneAreReportedWhileTheyAreEvaluated() {
        let reader = InputReader(root: repositoryRoot)
        let seen = Lines()
        guard case .success(let loaded) = Commands.load(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], earningCodes: nil,
                                                         reader: reader, records: false) else { Issue.record("the sample did not load"); return }
        // Every payee's evaluation waits a little, so ticks a millisecond apart come while payees are being evaluated.
        let slow: @Sendable (inout Statement) -> Void = { _ in usleep(2_000) }
        guard case .success(let r) = Commands.staged(loaded.request, progress: { seen.add($0) }, each: slow, tick: 0.001) else {
            Issue.record("the sample did not run")
            return
        }
        let lines = seen.all
        let ticks = lines.filter { $0.hasPrefix("evaluated ") && $0.contains(" of 36 payees in ") }
        #expect(!ticks.isEmpty)
        let counts = ticks.compactMap { Int($0.dropFirst("evaluated ".count).prefix { $0.isNumber }) }
        #expect(counts == counts.sorted() && counts.allSatisfy { $0 <= 36 })
        #expect(lines.last!.hasPrefix("evaluated \(r.statements.count) payees in "))
    }

    @Test func aTickerStopsTicking() {
        let seen = Lines()
        let ticker = Commands.Ticker(every: 0.001) { seen.add("tick") }
        usleep(50_000)
        ticker.stop()
        let count = seen.all.count
        usleep(20_000)
        #expect(count > 0 && seen.all.count == count)
    }
}
