// The shard steps (`attain shard credit|payees|evaluate|finish`) joined by hand, as a cluster joins them: the same
// statements, payroll and summary as `attain run`, byte for byte, however the payees are spread over shards.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool

@Suite struct ShardTests {
    /// A copy of a golden case's folder to run in.
    func folder(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "attain-shard-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: repositoryRoot + "/golden/" + name, toPath: dir)
        return dir
    }

    /// Every file under `dir`, by relative path.
    func files(in dir: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: dir)!
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue {
                out[p] = try String(contentsOfFile: dir + "/" + p, encoding: .utf8)
            }
        }
        return out
    }

    /// The deal rows of deals.csv as a shard reads them (`<line>\t<row>`), spread over `n` inputs by deal id.
    func rowInputs(_ dir: String, shards n: Int) throws -> (columns: String, inputs: [[UInt8]]) {
        let lines = try String(contentsOfFile: dir + "/deals.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var inputs = Array(repeating: [UInt8](), count: n)
        for (i, row) in lines.enumerated().dropFirst() where !row.isEmpty {
            let id = row.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
            let k = Int(id.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) } % UInt32(n))
            inputs[k] += Array("\(i + 1)\t\(row)\n".utf8)
        }
        return (lines[0], inputs)
    }

    /// Each shard's stdin for `evaluate`: the records grouped by payee, each payee's in (close date, deal id) order,
    /// payees spread over `n` shards by a hash of their id.
    func spread(_ records: [String], shards n: Int) throws -> [String] {
        var byShard = Array(repeating: [(key: [String], text: String)](), count: n)
        for text in records {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            let payee = object["payee"] as! String
            let k = Int(payee.utf8.reduce(UInt32(3)) { $0 &* 131 &+ UInt32($1) } % UInt32(n))
            byShard[k].append(([payee, object["close_date"] as? String ?? "", object["deal_id"] as? String ?? ""], text))
        }
        return byShard.map { shard in shard.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { $0.text + "\n" }.joined() }
    }

    /// Runs the four steps in `dir` with `shards` evaluate shards (payees spread by a hash of their id) and returns the
    /// finish outcome and what it wrote.
    func sharded(_ dir: String, plans: [String], period: String, formats: [OutputFormat], shards: Int, strict: Bool = false, codes: String? = nil) throws -> (CommandOutcome, [String: String]) {
        let reader = InputReader(root: dir)
        let (columns, inputs) = try rowInputs(dir, shards: 2)
        var records: [String] = []
        for input in inputs {
            let credited = ShardCommands.credit(plans: plans, data: ".", period: period, set: [], columns: columns, input: input, reader: reader)
            #expect(credited.exitCode == 0, "\(credited.stderr)")
            records += credited.stdout.split(separator: "\n").map(String.init)
        }
        records += ShardCommands.payees(data: ".", reader: reader).stdout.split(separator: "\n").map(String.init)
        var evaluated: [String] = []
        for input in try spread(records, shards: shards) {
            let made = ShardCommands.evaluate(plans: plans, data: ".", period: period, set: [], columns: columns, formats: formats,
                                              earningCodes: codes, input: Array(input.utf8), reader: reader)
            #expect(made.exitCode == 0, "\(made.stderr)")
            evaluated += made.stdout.split(separator: "\n").map(String.init)
        }
        // Sorted by the payee field, as a cluster sorts them before the one finishing step.
        evaluated.sort { $0.prefix { $0 != "\t" }.utf8.lexicographicallyPrecedes($1.prefix { $0 != "\t" }.utf8) }
        let out = dir + "/sharded"
        let stage = OutputWriter.Stage(folder: out)
        var rest = evaluated[...]
        let finished = ShardCommands.finish(plans: plans, data: ".", period: period, set: [], columns: columns, formats: formats,
                                            strict: strict, locale: .english, lines: { rest.popFirst() }, reader: reader, stage: stage)
        if finished.exitCode == 0 { try stage.commit(finished.files) } else { stage.discard() }
        return (finished, finished.exitCode == 0 ? try files(in: out) : [:])
    }

    /// `attain run`'s outcome and files in `dir`.
    func whole(_ dir: String, plans: [String], period: String, formats: [OutputFormat], strict: Bool = false, codes: String? = nil) throws -> (CommandOutcome, [String: String]) {
        let out = dir + "/whole"
        let stage = OutputWriter.Stage(folder: out)
        let run = Commands.run(plans: plans, data: ".", period: period, set: [], formats: formats, earningCodes: codes, strict: strict, reader: InputReader(root: dir), stage: stage)
        if run.exitCode == 0 { try stage.commit(run.files) } else { stage.discard() }
        return (run, run.exitCode == 0 ? try files(in: out) : [:])
    }

    static let formats: [OutputFormat] = [.json, .xml, .payroll, .jsonl]

    @Test(arguments: ["brief-14-override", "brief-07-split", "brief-13-fx", "brief-03-cap", "brief-06-spif", "team-quota", "roles-sdr-and-ae",
                      "crm-labels-no-filter-match", "reorg-dated-hierarchy", "hostile-names", "plan-change-segments"])
    func shardedRunIsTheRun(_ name: String) throws {
        let dir = try folder(name)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let conf = try String(contentsOfFile: dir + "/case.conf", encoding: .utf8)
        // A close case (the dated hierarchy's) is run for its first quarter.
        let period = conf.split(separator: "\n").first { $0.hasPrefix("period:") }.map { $0.dropFirst(7).trimmingCharacters(in: .whitespaces) } ?? "2026-Q1"
        let (run, expected) = try whole(dir, plans: ["."], period: period, formats: Self.formats)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(expected.count >= 3)
        for shards in [1, 3] {
            let (finished, got) = try sharded(dir, plans: ["."], period: period, formats: Self.formats, shards: shards)
            #expect(finished.exitCode == 0, "\(finished.stderr)")
            #expect(finished.stdout == run.stdout)
            #expect(finished.stderr == run.stderr)
            #expect(got.keys.sorted() == expected.keys.sorted())
            for (path, text) in expected { #expect(got[path] == text, "\(name), \(shards) shards: \(path) differs") }
        }
    }

    /// A dated tree (hierarchy.csv, a reorg in the quarter): each deal goes to the managers above its rep on its close date.
    @Test func shardedRunFollowsTheDatedTree() throws {
        let root = try folder("reorg-dated-hierarchy")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/2026-Q2"
        // The quarter's folder has the new tree, roster and deals; the assignments are the case's.
        try FileManager.default.copyItem(atPath: root + "/assignments.csv", toPath: dir + "/assignments.csv")
        let (run, expected) = try whole(dir, plans: [".."], period: "2026-Q2", formats: Self.formats)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let (finished, got) = try sharded(dir, plans: [".."], period: "2026-Q2", formats: Self.formats, shards: 3)
        #expect(finished.exitCode == 0, "\(finished.stderr)")
        #expect(finished.stdout == run.stdout)
        #expect(got == expected)
        #expect(expected.keys.contains { $0.hasSuffix(".xml") })
    }

    @Test func earningCodesNameThePayrollRowsOfEveryShard() throws {
        let dir = try folder("brief-14-override")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "kind,code\ncommission,COMM-1\noverride,OVR-9\n".write(toFile: dir + "/codes.csv", atomically: true, encoding: .utf8)
        let (_, expected) = try whole(dir, plans: ["."], period: "2026-Q1", formats: [.payroll], codes: "codes.csv")
        let (finished, got) = try sharded(dir, plans: ["."], period: "2026-Q1", formats: [.payroll], shards: 2, codes: "codes.csv")
        #expect(finished.exitCode == 0, "\(finished.stderr)")
        #expect(got == expected)
        #expect(got["2026-Q1/payroll.csv"]!.contains("M2,Max,2026-Q1,OVR-9,1600.00,USD\n"))
    }

    @Test func creditsGoToTheOwnerAndTheManagersWhoMeasureThem() throws {
        let dir = try folder("brief-14-override")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (columns, inputs) = try rowInputs(dir, shards: 1)
        let out = ShardCommands.credit(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, input: inputs[0], reader: InputReader(root: dir))
        #expect(out.exitCode == 0, "\(out.stderr)")
        let got = out.stdout.split(separator: "\n").map { line -> String in
            let o = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return "\(o["deal_id"]!) \(o["line"]!) \(o["payee"]!) \(o["role"]!) \(o["close_date"]!)"
        }
        // M1 (direct reports) gets A1's deal only; M2 (all reports) gets A2's and B2's below A2; B1's deal goes to no
        // manager (A1's plan reads no reports' deals, and M1 only its direct reports').
        #expect(got == [
            "D1 2 A1 owner 2026-01-10", "D1 2 M1 manager 2026-01-10",
            "D2 3 B1 owner 2026-02-03",
            "D3 4 A2 owner 2026-01-12", "D3 4 M2 manager 2026-01-12",
            "D4 5 B2 owner 2026-02-05", "D4 5 M2 manager 2026-02-05",
            "D4 6 A2 owner 2026-02-05", "D4 6 M2 manager 2026-02-05",
            "D5 7 B2 owner 2026-03-01", "D5 7 M2 manager 2026-03-01",
        ])
        #expect(out.stdout.contains(#""row":"D4,B2,2026-02-05,30000.00,USD,Gadget,new,60""#))
    }

    @Test func rowsOfRepsNotInTheRosterAreCountedOnceAndNamed() throws {
        let dir = try folder("brief-14-override")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "deal_id,rep_id,close_date,amount,currency,product,type,split\nD1,A1,2026-01-10,50000.00,USD,Gadget,new,\nD9,Z9,2026-01-11,1234.56,USD,Gadget,new,\nD8,Z9,2026-02-11,100.00,USD,Gadget,new,\n"
            .write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let (run, expected) = try whole(dir, plans: ["."], period: "2026-Q1", formats: Self.formats)
        #expect(run.stderr.contains("warning[D230]: 2 deal rows name a rep not in the roster"))
        let (finished, got) = try sharded(dir, plans: ["."], period: "2026-Q1", formats: Self.formats, shards: 3)
        #expect(finished.stderr == run.stderr)
        #expect(got == expected)
        #expect(got["2026-Q1/summary.json"]!.contains("\"not_on_roster\": {\n            \"amount\": \"1334.56\",\n            \"deals\": 2"))
    }

    @Test func strictRefusesTheJoinedWarnings() throws {
        let dir = try folder("crm-labels-no-filter-match")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (finished, got) = try sharded(dir, plans: ["."], period: "2026-Q1", formats: Self.formats, shards: 2, strict: true)
        #expect(finished.exitCode == ExitCode.invalidInput)
        #expect(finished.stderr.contains("error[R340]: 4 deals, 140,500.00 USD"))
        #expect(got.isEmpty)
    }

    @Test func flatRecordsAreReadAsJSONReadsThem() throws {
        let line = #"{"payee":"R\u00e9 \"x\"","line":42,"row":"a,\\b\tc\ud83d\ude00","role":"owner","close_date":"2026-01-10"}"#
        let m = try #require(FlatJSON.members(Array(line.utf8)[...]))
        #expect(m == ["payee": "Ré \"x\"", "line": "42", "row": "a,\\b\tc😀", "role": "owner", "close_date": "2026-01-10"])
        let foundation = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        #expect(foundation["row"] as? String == m["row"])
        #expect(FlatJSON.members(Array(#"{}"#.utf8)[...]) == [:])
        for bad in [#"{"a":}"#, #"{"a":"b""#, #"["a"]"#, #"{"a":"b"} x"#, #"{"a":"\q"}"#, #"{"a":{"b":1}}"#, ""] {
            #expect(FlatJSON.members(Array(bad.utf8)[...]) == nil, "\(bad)")
        }
    }

    @Test func badShardInputIsRefusedWithItsLine() throws {
        let dir = try folder("brief-14-override")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        let columns = "deal_id,rep_id,close_date,amount,currency,product,type,split"
        let noTab = ShardCommands.credit(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, input: Array("2\tD1,A1,2026-01-10,5.00,USD,G,new,\nD2,B1\n".utf8), reader: reader)
        #expect(noTab.exitCode == ExitCode.invalidInput)
        #expect(noTab.stderr == "error: stdin line 2: expected `<line number>\\t<CSV row>` (the row's line in the deals file, 2 or more, a tab, the row)\n")
        // A bad value is reported at its line in the whole deals file, not in the shard's input.
        let badValue = ShardCommands.credit(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, input: Array("41\tD1,A1,2026-13-10,5.00,USD,G,new,\n".utf8), reader: reader)
        #expect(badValue.exitCode == ExitCode.invalidInput)
        #expect(badValue.stderr.hasPrefix("deals.csv:41:"), "\(badValue.stderr)")
        #expect(badValue.stdout.isEmpty)
        let notJSON = ShardCommands.evaluate(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, formats: [.json], earningCodes: nil,
                                             input: Array("{\"payee\":\"A1\",\"role\":\"payee\"}\nnot a record\n".utf8), reader: reader)
        #expect(notJSON.exitCode == ExitCode.invalidInput)
        #expect(notJSON.stderr.hasPrefix("error: stdin line 2: expected a credit record"))
        let html = ShardCommands.evaluate(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, formats: [.json, .html], earningCodes: nil, input: [], reader: reader)
        #expect(html.exitCode == ExitCode.usage)
        // A record that is not one, or no part line at all, writes nothing.
        let stage = OutputWriter.Stage(folder: dir + "/o")
        var lines = ["\"B1\"\tpayee\t{}"][...]
        let unordered = ShardCommands.finish(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, formats: [.json],
                                             strict: false, locale: .english, lines: { lines.popFirst() }, reader: reader, stage: stage)
        #expect(unordered.exitCode == ExitCode.invalidInput)
        #expect(unordered.stderr == "error: stdin line 1: the payee record cannot be read; nothing was written\n")
        var none = [String]()[...]
        let empty = ShardCommands.finish(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, formats: [.json],
                                         strict: false, locale: .english, lines: { none.popFirst() }, reader: reader, stage: OutputWriter.Stage(folder: dir + "/o"))
        #expect(empty.stderr.contains("no shard's part line came on stdin"))
        try "deal_id,date,amount,currency\n".write(toFile: dir + "/payments.csv", atomically: true, encoding: .utf8)
        let payments = ShardCommands.credit(plans: ["."], data: ".", period: "2026-Q1", set: [], columns: columns, input: [], reader: reader)
        #expect(payments.stderr == "error: payments.csv is not read by the shard steps yet; run this data folder with `attain run` or `attain close`\n")
    }
}
