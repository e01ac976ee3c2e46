// The ledger's posting API and compact layout: statements added from several threads in one transaction and read
// back exactly, a failed posting leaves nothing, documents kept as digests, and ledgers of the old layout converted.
import Foundation
import GRDB
import Testing
@testable import Attain
@testable import AttainLedger

@Suite struct LedgerPostingTests {
    let usd = Currency(code: "USD")!

    func money(_ text: String) -> Money { Money(try! ExactDecimal.parse(text).get(), usd) }

    func scratchLedger() throws -> (dir: String, ledger: Ledger) {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-posting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return (dir, try Ledger(path: dir + "/attain.db"))
    }

    /// A statement for `payee` in `period` with a commission line per deal, an adjustment for 2025-Q4 and, when
    /// `draw` is given, a draw line recovering it.
    func statement(_ payee: String, _ period: Period, deals: [(String, String)], draw: (String, String, String)? = nil) throws -> Attain.Statement {
        var lines = deals.map { StatementLine(kind: .commission, component: "Commission", dealID: $0.0, amount: money($0.1), source: "p.plan:12") }
        lines.append(StatementLine(kind: .adjustment, component: "Commission", dealID: deals.first?.0, amount: money("-1.50"), source: "p.plan:12",
                                   refPeriod: "2025-Q4"))
        if let (amount, before, after) = draw {
            lines.append(StatementLine(kind: .draw, component: "Draw", amount: money(amount), source: "p.plan:20",
                                       balanceBefore: money(before), balanceAfter: money(after)))
        }
        return try Statement(payeeID: payee, payeeName: "Rep \(payee)", planName: "P", planVersion: "1", planPath: "p.plan", period: period,
                             currency: usd, measures: [], totalAttainment: nil, targetIncentive: "0", proration: nil, lines: lines)
    }

    /// Rows in every table of the ledger, by table.
    func counts(_ ledger: Ledger) throws -> [String: Int] {
        try ledger.queue.read { db in
            var out: [String: Int] = [:]
            for name in ["runs", "run_inputs", "statements", "lines", "texts", "draw_balances", "locks", "previews"] {
                out[name] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(name)")
            }
            return out
        }
    }

    @Test func aDocumentIsKeptAsTheSHA256AndLengthOfItsUTF8Bytes() {
        #expect(Ledger.digest("abc") == (sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", bytes: 3))
        #expect(Ledger.digest("").sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // "é" is two bytes in UTF-8.
        #expect(Ledger.digest("é").bytes == 2)
        #expect(Ledger.digest("{\"a\":1}").sha256 != Ledger.digest("{\"a\":2}").sha256)
    }

    @Test func aPostedAmountIsReadBackExactly() {
        func read(_ text: String) -> String? {
            Array(text.utf8).withUnsafeBufferPointer { Ledger.amount($0) }.map { "\($0.coefficient)e-\($0.scale)" }
        }
        #expect(read("-1234.50") == "-123450e-2")
        #expect(read("0.00") == "0e-2")
        #expect(read("12") == "12e-0")
        // Longer than the direct reading takes: through ExactDecimal.parse, still exact.
        #expect(read("1234567890123456789012345678901.5") == "12345678901234567890123456789015e-1")
        #expect(read("1.") == nil)
        #expect(read("-") == nil)
        #expect(read("1,5") == nil)
        #expect(read("") == nil)
    }

    @Test func aPostingReadsBackExactly() throws {
        let (dir, ledger) = try scratchLedger()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let q1 = try Period.parse("2026-Q1").get()
        let a = try statement("A", q1, deals: [("D1", "100.00"), ("D2", "250.25")], draw: ("-300.00", "500.00", "200.00"))
        let b = try statement("B", q1, deals: [("D3", "0.01")])
        let inputs = [InputRecord(role: "deals", path: "deals.csv", bytes: Array("x".utf8))]
        let run = try ledger.post(period: q1, inputs: inputs, at: "2026-04-01T00:00:00Z", engineVersion: "9.9.9") { posting in
            // Added out of payee order: the history reads them back by payee.
            try posting.add(b, document: "{\"payee\":\"B\"}")
            try posting.add(a, document: "{\"payee\":\"é\"}")
            #expect(posting.count == 2)
        }
        #expect(run == 1)
        #expect(try ledger.lockingRun(q1) == 1)
        let history = try ledger.history(before: try Period.parse("2026-Q2").get())
        #expect(history.closedPeriods == ["2026-Q1"])
        #expect(history.lines.map { "\($0.period) \($0.payeeID) \($0.plan) \($0.kind.rawValue) \($0.component) \($0.dealID ?? "-") \($0.refPeriod ?? "-") \($0.amount.text(minimumScale: 2)) \($0.source)" } == [
            "2026-Q1 A P commission Commission D1 - 100.00 p.plan:12",
            "2026-Q1 A P commission Commission D2 - 250.25 p.plan:12",
            "2026-Q1 A P adjustment Commission D1 2025-Q4 -1.50 p.plan:12",
            "2026-Q1 A P draw Draw - - -300.00 p.plan:20",
            "2026-Q1 B P commission Commission D3 - 0.01 p.plan:12",
            "2026-Q1 B P adjustment Commission D3 2025-Q4 -1.50 p.plan:12",
        ])
        #expect(history.drawBalances["A"]?["Draw"]?.text(minimumScale: 2) == "200.00")
        #expect(history.drawBalances["B"] == nil)
        // 100.00 + 250.25 - 1.50 - 300.00 = 48.75 for A, 0.01 - 1.50 = -1.49 for B.
        let record = try #require(try ledger.runs().first)
        #expect(record.payees == 2)
        #expect(record.paid.map { "\($0.currency) \($0.amount)" } == ["USD 47.26"])
        #expect(record.engineVersion == "9.9.9")
        #expect(record.inputs.map(\.path) == ["deals.csv"])
        let digests = try ledger.documentDigests(ofRun: run)
        #expect(digests.keys.sorted() == ["A", "B"])
        #expect(digests["A"].map { "\($0.sha256) \($0.bytes)" } == "\(Ledger.digest("{\"payee\":\"é\"}").sha256) 14")
        #expect(digests["B"].map { "\($0.sha256) \($0.bytes)" } == "\(Ledger.digest("{\"payee\":\"B\"}").sha256) 13")
        // Each text once: two components, two sources, three kinds.
        #expect(try ledger.queue.read { try String.fetchAll($0, sql: "SELECT text FROM texts ORDER BY text") }
                == ["Commission", "Draw", "adjustment", "commission", "draw", "p.plan:12", "p.plan:20"])
        // The period is closed: a second posting is refused before its body runs.
        #expect(throws: LedgerError.self) {
            try ledger.post(period: q1, inputs: [], at: "t", engineVersion: "9.9.9") { _ in Issue.record("the body ran for a closed period") }
        }
    }

    struct Stop: Error {}

    @Test func aBodyThatThrowsLeavesTheLedgerUnchanged() throws {
        let (dir, ledger) = try scratchLedger()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let q1 = try Period.parse("2026-Q1").get()
        try ledger.post(period: q1, inputs: [], at: "t1", engineVersion: "1") { try $0.add(try statement("A", q1, deals: [("D1", "1.00")]), document: "a") }
        let before = try counts(ledger)
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/attain.db"))
        let q2 = try Period.parse("2026-Q2").get()
        var kept: LedgerPosting?
        #expect(throws: Stop.self) {
            try ledger.post(period: q2, inputs: [InputRecord(role: "plan", path: "p.plan", bytes: [])], at: "t2", engineVersion: "1") { posting in
                kept = posting
                // New texts and a draw balance, then the failure.
                try posting.add(try statement("A", q2, deals: [("D9", "5.00")], draw: ("-1.00", "2.00", "1.00")), document: "b")
                throw Stop()
            }
        }
        #expect(try counts(ledger) == before)
        // The deal index, dropped for the posting, is back as it was.
        #expect(try dealCounts(ledger) == (lines: 2, indexed: 2, index: ["CREATE INDEX lines_by_deal ON lines(deal_id) WHERE deal_id IS NOT NULL"]))
        #expect(before == ["runs": 1, "run_inputs": 0, "statements": 1, "lines": 2, "texts": 4, "draw_balances": 0, "locks": 1, "previews": 0])
        #expect(FileManager.default.contents(atPath: dir + "/attain.db") == bytes)
        #expect(try ledger.lockingRun(q2) == nil)
        // The posting is over once `post` returns: a late add is refused.
        #expect(throws: LedgerError.self) { try kept?.add(try statement("B", q2, deals: []), document: "") }
        // Q2 posts afterwards as if the failed posting had never started.
        let run = try ledger.post(period: q2, inputs: [], at: "t3", engineVersion: "1") { try $0.add(try statement("A", q2, deals: [("D9", "5.00")]), document: "b") }
        #expect(run == 2)
        #expect(try ledger.history(before: try Period.parse("2026-Q3").get()).lines.map(\.dealID) == ["D1", "D1", "D9", "D9"])
    }

    @Test func anAddThatFailsPostsNothingEvenWhenTheBodyGoesOn() throws {
        let (dir, ledger) = try scratchLedger()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let q1 = try Period.parse("2026-Q1").get()
        var failed: (any Error)?, later: (any Error)?, count = -1
        #expect(throws: DatabaseError.self) {
            try ledger.post(period: q1, inputs: [], at: "t", engineVersion: "1") { posting in
                try posting.add(try statement("A", q1, deals: [("D1", "1.00")]), document: "a")
                // The same payee twice breaks statements(run_id, payee_id) UNIQUE.
                do { try posting.add(try statement("A", q1, deals: []), document: "b") } catch { failed = error }
                // Later adds are refused with the first error.
                do { try posting.add(try statement("B", q1, deals: []), document: "c") } catch { later = error }
                count = posting.count
            }
        }
        #expect((failed as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT)
        #expect((later as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT)
        #expect(count == 1)
        #expect(try counts(ledger) == ["runs": 0, "run_inputs": 0, "statements": 0, "lines": 0, "texts": 0, "draw_balances": 0, "locks": 0, "previews": 0])
        #expect(try ledger.lockingRun(q1) == nil)
    }

    @Test func eightThreadsAddingAtOncePostEveryStatement() throws {
        let (dir, ledger) = try scratchLedger()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let q1 = try Period.parse("2026-Q1").get()
        let perThread = 250
        let made = try (0..<8).map { t in
            try (0..<perThread).map { i in
                let id = String(format: "P%d-%03d", t, i)
                return try statement(id, q1, deals: [("\(id)-a", "\(i).25"), ("\(id)-b", "1.00")], draw: i % 2 == 0 ? ("-1.00", "3.00", "2.00") : nil)
            }
        }
        try ledger.post(period: q1, inputs: [], at: "t", engineVersion: "1") { posting in
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 8) { t in
                for s in made[t] {
                    do { try posting.add(s, document: "{\"payee\":\"\(s.payeeID)\"}") } catch { failures.add(error) }
                }
            }
            if let first = failures.first { throw first }
            #expect(posting.count == 2000)
        }
        let history = try ledger.history(before: try Period.parse("2026-Q2").get())
        // Per statement: two commissions, an adjustment and (every other one) a draw.
        #expect(history.lines.count == 2000 * 3 + 1000)
        #expect(history.drawBalances.count == 1000)
        let payees = history.lines.map(\.payeeID)
        #expect(payees == payees.sorted())
        #expect(Set(payees).count == 2000)
        // Sum of i.25 + 1.00 - 1.50 over i = 0..249 (31125.00 - 62.50), times 8, less 1.00 per draw: 8 × 31062.50 - 1000.00.
        #expect(ExactDecimal.total(history.lines.map(\.amount)).text(minimumScale: 2) == "247500.00")
        #expect(try ledger.runs().first?.paid.first?.amount == "247500.00")
        let digests = try ledger.documentDigests(ofRun: 1)
        #expect(digests.count == 2000)
        #expect(digests["P7-249"]?.sha256 == Ledger.digest("{\"payee\":\"P7-249\"}").sha256)
    }

    /// Lines with a deal, and the entries of the deal index (read through it).
    func dealCounts(_ ledger: Ledger) throws -> (lines: Int, indexed: Int, index: [String]) {
        try ledger.queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lines NOT INDEXED WHERE deal_id IS NOT NULL") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lines INDEXED BY lines_by_deal WHERE deal_id IS NOT NULL") ?? -1,
             try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'lines_by_deal'"))
        }
    }

    @Test func theDealIndexHoldsEveryDealLineWhetherMadeAgainOrAddedTo() throws {
        let (dir, ledger) = try scratchLedger()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The first closes make the index again by one sort; from the fourth on, lines are added to it.
        for (month, deals) in [("2026-01", 3), ("2026-02", 1), ("2026-03", 2), ("2026-04", 4), ("2026-05", 2)] {
            let period = try Period.parse(month).get()
            try ledger.post(period: period, inputs: [], at: "t", engineVersion: "1") { posting in
                try posting.add(try statement("A", period, deals: (0..<deals).map { ("\(month)-\($0)", "1.00") }), document: "")
                try posting.add(try statement("B", period, deals: []), document: "")
            }
        }
        // Per close: its deal lines plus A's adjustment (on its first deal); B's adjustment has no deal.
        let counts = try dealCounts(ledger)
        #expect(counts.lines == 3 + 1 + 2 + 4 + 2 + 5)
        #expect(counts.indexed == counts.lines)
        #expect(counts.index == ["CREATE INDEX lines_by_deal ON lines(deal_id) WHERE deal_id IS NOT NULL"])
        #expect(try ledger.queue.read { try String.fetchAll($0, sql: "SELECT statement_id || ':' || seq FROM lines WHERE deal_id = '2026-04-0' ORDER BY seq") }
                == ["7:0", "7:4"])
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var errors: [any Error] = []
        func add(_ e: any Error) { lock.withLock { errors.append(e) } }
        var first: (any Error)? { lock.withLock { errors.first } }
    }

    @Test func aLedgerOfTheOldLayoutIsConvertedInPlace() throws {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("attain-compact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let docA = "{\n  \"payee\" : \"A\",\n  \"paid\" : \"95.00\"\n}\n", docB = "{\"payee\":\"Bé\"}"
        try olderLedger(at: dir + "/attain.db", upTo: "2: runs may be imports of opening balances") { db in
            try db.execute(sql: """
                INSERT INTO draw_balances (run_id, payee_id, draw, period, period_end, balance_before, balance_after)
                    VALUES (1, 'A', 'Draw', '2026-Q1', '2026-03-31', '10.00', '5.00');
                """)
            try db.execute(sql: """
                INSERT INTO statements (id, run_id, period, payee_id, payee_name, plan, plan_version, currency, earned, adjustments, paid, document)
                VALUES (1, 1, '2026-Q1', 'A', 'Rep A', 'P', '1', 'USD', '100.00', '-5.00', '95.00', ?),
                       (2, 1, '2026-Q1', 'B', 'Rep B', 'P', '1', 'USD', '0.00', '0.00', '0.00', ?),
                       (7, 2, '2026-Q2', 'A', 'Rep A', 'P', '1', 'USD', '1.00', '0.00', '1.00', '{}');
                INSERT INTO lines (statement_id, seq, kind, component, deal_id, for_period, amount, source) VALUES
                    (1, 0, 'commission', 'Commission', 'D1', NULL, '60.00', 'p.plan:12'),
                    (1, 1, 'commission', 'Commission', 'D2', NULL, '40.00', 'p.plan:12'),
                    (1, 2, 'draw', 'Draw', NULL, NULL, '-5.00', 'p.plan:20'),
                    (7, 0, 'adjustment', 'Commission', 'D1', '2026-Q1', '1.00', 'p.plan:12');
                UPDATE sqlite_sequence SET seq = 20 WHERE name = 'statements';
                """, arguments: [docA, docB])
        }
        let ledger = try Ledger(path: dir + "/attain.db")
        let history = try ledger.history(before: try Period.parse("2026-Q2").get())
        #expect(history.lines.map { "\($0.period) \($0.payeeID) \($0.plan) \($0.kind.rawValue) \($0.component) \($0.dealID ?? "-") \($0.refPeriod ?? "-") \($0.amount.text(minimumScale: 2)) \($0.source)" } == [
            "2026-Q1 A P commission Commission D1 - 60.00 p.plan:12",
            "2026-Q1 A P commission Commission D2 - 40.00 p.plan:12",
            "2026-Q1 A P draw Draw - - -5.00 p.plan:20",
        ])
        #expect(history.drawBalances["A"]?["Draw"]?.text(minimumScale: 2) == "5.00")
        let digests = try ledger.documentDigests(ofRun: 1)
        #expect(digests["A"].map { "\($0.sha256) \($0.bytes)" } == "\(InputHash.sha256(Array(docA.utf8))) \(docA.utf8.count)")
        #expect(digests["B"].map { "\($0.sha256) \($0.bytes)" } == "\(InputHash.sha256(Array(docB.utf8))) 15")
        #expect(try ledger.documentDigests(ofRun: 2)["A"]?.sha256 == Ledger.digest("{}").sha256)
        let (tables, indexes, broken, texts, deals) = try ledger.queue.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'lines_by_deal'"),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
             try String.fetchAll(db, sql: "SELECT text FROM texts ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT deal_id || ' ' || statement_id || ' ' || seq FROM lines WHERE deal_id = 'D1' ORDER BY statement_id"))
        }
        #expect(tables == ["approvals", "capitalized_commissions", "disputes", "draw_balances", "dry_runs", "holds", "lines", "locks", "manual_adjustments", "previews", "run_inputs", "runs", "settings", "statements", "texts"])
        #expect(indexes == ["CREATE INDEX lines_by_deal ON lines(deal_id) WHERE deal_id IS NOT NULL"])
        #expect(broken == 0)
        // The pages the old tables held are given back.
        #expect(try ledger.queue.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") } == 0)
        #expect(texts == ["Commission", "Draw", "adjustment", "commission", "draw", "p.plan:12", "p.plan:20"])
        #expect(deals == ["D1 1 0", "D1 7 0"])
        // Statement ids go on after the old table's sequence (20, past its highest id): the next close of Q2 posts statement 21.
        let q2 = try Period.parse("2026-Q2").get()
        try ledger.post(period: q2, inputs: [], at: "t4", engineVersion: "1") { try $0.add(try statement("C", q2, deals: []), document: "") }
        #expect(try ledger.queue.read { try Int64.fetchOne($0, sql: "SELECT id FROM statements WHERE payee_id = 'C'") } == 21)
        #expect(try ledger.runs().map { "\($0.id) \($0.action) \($0.period) \($0.payees) \($0.paid.map(\.amount))" } == [
            "1 close 2026-Q1 2 [\"95.00\"]", "2 close 2026-Q2 1 [\"1.00\"]", "3 reopen 2026-Q2 0 []", "4 close 2026-Q2 1 [\"-1.50\"]",
        ])
    }
}
