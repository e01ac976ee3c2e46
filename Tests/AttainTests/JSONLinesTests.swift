// statements.jsonl: one compact statement a line, the same object as the payee's JSON file, payees in id order,
// written in order while statements come from several cores in any order.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct JSONLinesTests {
    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "attain-jsonl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A company of `reps` payees on the benchmark's plan (tiers, a cap, a SPIF), evaluated in several chunks: every
    /// 7th rep has no assignment and every 11th left before the quarter (neither gets a statement).
    func company(reps: Int, in dir: String) throws {
        let plan = """
            plan "Bench" version "1"
            currency USD
            period quarter
            rounding half-up to 0.01

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

            """
        var roster = "rep_id,name,manager_id,hire_date,end_date\n"
        var assignments = "rep_id,plan,start_date,end_date,quota,target_incentive\n"
        var deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\n"
        var d = 0
        for r in 0..<reps {
            let id = String(format: "P%04d", r)
            roster += "\(id),Payee \(r) \(r % 3 == 0 ? "<&>" : "é"),,2024-01-01,\(r % 11 == 5 ? "2025-12-31" : "")\n"
            if r % 7 != 3 { assignments += "\(id),Bench,2026-01-01,2026-12-31,\(10000 + r * 37).00,\(1000 + r).00\n" }
            for k in 0..<(1 + r % 4) {
                d += 1
                deals += "D\(d),\(id),2026-0\(1 + k % 3)-1\(k),\(1000 + (r * 131 + k * 17) % 9000).\(10 + k),USD,\(k % 2 == 0 ? "Widget" : "Gadget"),new,\n"
            }
        }
        for (name, text) in [("bench.plan", plan), ("roster.csv", roster), ("assignments.csv", assignments), ("deals.csv", deals)] {
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    /// Each line of `jsonl` parsed, with the payee id it is for.
    func lines(_ jsonl: String) throws -> [(id: String, object: NSDictionary)] {
        #expect(jsonl.hasSuffix("\n"))
        return try jsonl.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary)
            let id = try #require((object["payee"] as? NSDictionary)?["id"] as? String)
            return (id, object)
        }
    }

    @Test func everyLineIsThePayeesJSONFileOnOneLine() throws {
        let outcome = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], formats: [.json, .jsonl], reader: InputReader(root: repositoryRoot))
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let files = Dictionary(uniqueKeysWithValues: outcome.files.map { ($0.path, $0.text) })
        let jsonl = try #require(files["2026-Q1/statements.jsonl"])
        let parsed = try lines(jsonl)
        let perPayee = files.keys.filter { $0.hasPrefix("2026-Q1/statements/") && $0.hasSuffix(".json") }
        #expect(parsed.count == 36 && perPayee.count == 36)
        #expect(parsed.map(\.id) == parsed.map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for (id, object) in parsed {
            let text = try #require(files["2026-Q1/statements/\(Engine.fileName(id)).json"])
            let file = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
            #expect(object == file, "\(id)")
        }
        // Compact: no space or line break outside strings; the pretty file is the same text laid out.
        let first = String(jsonl.prefix { $0 != "\n" })
        #expect(first.hasPrefix(#"{"currency":"USD","format":"attain-statement/1","lines":[{"amount":"#))
        #expect(!jsonl.contains("\": ") && !jsonl.contains(",\n"))
        // Asked for alone, jsonl needs every line of every statement, as json does.
        let alone = Commands.run(plans: ["plans"], data: "sample", period: "2026-Q1", set: [], formats: [.jsonl], reader: InputReader(root: repositoryRoot))
        #expect(alone.files.map(\.path).sorted() == ["2026-Q1/statements.jsonl", "2026-Q1/summary.json"])
        #expect(alone.files.first { $0.path == "2026-Q1/statements.jsonl" }?.text == jsonl)
    }

    @Test func jsonlIsWrittenOnlyWhenAskedFor() throws {
        #expect(!OutputFormat.allCases.contains(.jsonl))
        #expect(try OutputFormat.parse("jsonl,json").get() == [.jsonl, .json])
        guard case .failure(let e) = OutputFormat.parse("ndjson") else { Issue.record("ndjson parsed"); return }
        #expect(e.description == "unknown format `ndjson`; expected json, jsonl, xml, html or payroll")
    }

    @Test func streamedFromSeveralCoresTheFileIsTheSameBytesInPayeeOrder() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try company(reps: 700, in: dir)
        let reader = InputReader(root: dir)
        let whole = Commands.run(plans: ["bench.plan"], data: ".", period: "2026-Q1", set: [], formats: [.json, .jsonl], reader: reader)
        #expect(whole.exitCode == 0, "\(whole.stderr)")
        let expected = try #require(whole.files.first { $0.path == "2026-Q1/statements.jsonl" }?.text)
        let ids = try lines(expected).map(\.id)
        // 700 reps less the 100 without an assignment and the 55 who left (9 of them are both).
        #expect(ids.count == 700 - 100 - 64 + 9)
        #expect(ids == ids.sorted())

        let out = dir + "/out"
        let stage = OutputWriter.Stage(folder: out)
        let streamed = Commands.run(plans: ["bench.plan"], data: ".", period: "2026-Q1", set: [], formats: [.json, .jsonl], reader: reader, stage: stage)
        #expect(streamed.exitCode == 0, "\(streamed.stderr)")
        #expect(!streamed.files.contains { $0.path.hasSuffix(".jsonl") }, "the streamed file is not made again at the end")
        let waited = try #require(stage.streams.values.first).mostWaiting
        try stage.commit(streamed.files)
        let written = try String(contentsOfFile: out + "/2026-Q1/statements.jsonl", encoding: .utf8)
        #expect(written == expected)
        // What waited for its turn is far less than the whole file.
        #expect(waited < expected.utf8.count / 2, "\(waited) of \(expected.utf8.count) bytes waited")
        for file in whole.files where file.path.hasSuffix(".json") && file.path.contains("/statements/") {
            #expect(try String(contentsOfFile: out + "/" + file.path, encoding: .utf8) == file.text, "\(file.path)")
        }
    }

    /// A compact JSON line naming a payee.
    func line(_ id: String) -> JSONWriter.Buffer {
        var w = JSONWriter(compact: true)
        w.beginObject()
        w.field("id", id)
        w.endObject()
        return w.finishBytes()
    }

    @Test func linesWaitForTheirTurnAndPayeesWithoutAStatementArePassedOver() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stage = OutputWriter.Stage(folder: dir)
        #expect(throws: (any Error).self) { try stage.lines(at: "P/statements.jsonl") }
        let stage2 = OutputWriter.Stage(folder: dir)
        stage2.expect(PayeeOrder(ids: ["a", "b", "c", "d", "e", "f"], expected: [true, false, true, true, true, false]))
        let stream = try stage2.lines(at: "P/statements.jsonl")
        try stream.add(payee: "e", line("e"))
        try stream.add(payee: "c", line("c"))
        #expect(stream.next == 0 && stream.waitingBytes == 2 * #"{"id":"e"}\#n"#.utf8.count)
        try stream.add(payee: "a", line("a"))
        // a, then b passed over (no statement expected), then c; d is still to come.
        #expect(stream.next == 3 && stream.waiting.keys.sorted() == [4])
        // A payee already written, or not in the order, fails the stream, and then the stage's commit, which writes nothing.
        #expect(throws: (any Error).self) { try stream.add(payee: "a", line("a")) }
        #expect(throws: (any Error).self) { try stream.add(payee: "z", line("z")) }
        #expect(stream.failure?.description == "cannot write \(stage2.root)/P/statements.jsonl: the statement of `a` came out of the payees' order")
        #expect(throws: (any Error).self) { try stage2.commit() }
        #expect(stage2.failure?.description == stream.failure?.description)
        #expect(!FileManager.default.fileExists(atPath: dir + "/P"))
    }

    /// 2,000 payees' lines added from all cores in 40 pieces, each piece in order as the engine's chunks are; the
    /// pieces are taken first to last, or `backwards`. Returns the stream, finished.
    func manyThreads(backwards: Bool, waitLimit: Int, patience: Double = 0.2, leaveOut: Int? = nil, in dir: String) throws -> LineStream {
        let ids = (0..<2000).map { String(format: "R%05d", $0) }
        let stage = OutputWriter.Stage(folder: dir)
        // Every 5th payee gets no statement; `leaveOut` was expected but never comes (it is simply left out).
        stage.expect(PayeeOrder(ids: ids, expected: ids.indices.map { $0 % 5 != 2 }))
        let stream = try stage.lines(at: "P/statements.jsonl")
        stream.waitLimit = waitLimit
        stream.patience = patience
        let sent = ids.indices.filter { $0 % 5 != 2 && $0 != leaveOut }
        _ = Parallel.map(40) { c in
            for i in sent[Parallel.piece(backwards ? 39 - c : c, of: 40, over: sent.count)] { try! stream.add(payee: ids[i], line(ids[i])) }
        }
        try stage.commit()
        let written = try String(contentsOfFile: dir + "/P/statements.jsonl", encoding: .utf8)
        #expect(written == sent.map { #"{"id":"\#(ids[$0])"}\#n"# }.joined())
        return stream
    }

    @Test func linesFromManyThreadsComeOutInOrder() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Nothing held back: with the pieces taken last first, nearly every line waits for the first piece.
        let unheld = try manyThreads(backwards: true, waitLimit: 64 << 20, leaveOut: 1234, in: dir + "/a")
        #expect(unheld.mostWaiting > 1000 * 13)
        // Held back at 200 bytes (15 lines of 13 bytes): what waits never passes it by more than the one line that
        // is next to go, which is let in whatever waits (and written at once, with those after it).
        let held = try manyThreads(backwards: false, waitLimit: 200, patience: 60, in: dir + "/b")
        #expect(held.mostWaiting <= 200 + 13 && held.patient)
        // Pieces taken last first, as the engine never does: the cores would wait for a piece none of them has
        // taken, so after the patience runs out they are no longer held back, and the file still comes out in order.
        let stuck = try manyThreads(backwards: true, waitLimit: 200, in: dir + "/c")
        #expect(!stuck.patient)
        // So too when an expected payee's line never comes.
        let missing = try manyThreads(backwards: false, waitLimit: 200, leaveOut: 1234, in: dir + "/d")
        #expect(!missing.patient)
    }
}
