// A close through shards (`attain shard … --ledger`, the posting step `shard finish --ledger`): period after period
// of a golden close case, the same outputs, terminal text and ledger as `attain close`, with the payees spread over
// one or three shards: clawbacks, prior-period adjustments, year-to-date true-ups, draws, reorgs, reopens, disputes.
import Foundation
import Testing
@testable import Attain
@testable import AttainLedger
@testable import AttainTool

@Suite struct ShardCloseTests {
    let shardTests = ShardTests()

    /// One step of a golden close case: its action, its period and what follows.
    struct Step {
        let action: String
        let period: String
        let rest: String
    }

    func steps(_ name: String) throws -> [Step] {
        let conf = try String(contentsOfFile: repositoryRoot + "/golden/" + name + "/case.conf", encoding: .utf8)
        return conf.split(separator: "\n").compactMap { line -> Step? in
            guard !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { return nil }
            let key = String(line[..<colon])
            guard ["close", "dry-run", "reopen", "dispute", "resolve"].contains(key) else { return nil }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
            return Step(action: key, period: parts[0], rest: parts.count > 1 ? parts[1] : "")
        }
    }

    /// The step's data folder in `work`: the case's files, overlaid with the period's own and the step's own.
    func stepFolder(_ name: String, step: Step, number n: Int, in work: String) throws -> (folder: String, plans: [String]) {
        let fm = FileManager.default
        let root = repositoryRoot + "/golden/" + name
        let folder = "\(step.period)-step\(n + 1)"
        try fm.createDirectory(atPath: work + "/" + folder, withIntermediateDirectories: true)
        var from: [String: String] = [:]
        for base in try fm.contentsOfDirectory(atPath: root) where base.hasSuffix(".plan") || base.hasSuffix(".csv") { from[base] = root + "/" + base }
        for overlay in [step.period, "step\(n + 1)"].map({ root + "/" + $0 }) {
            for name in (try? fm.contentsOfDirectory(atPath: overlay)) ?? [] where name.hasSuffix(".plan") || name.hasSuffix(".csv") {
                from[name] = overlay + "/" + name
            }
        }
        for (file, source) in from { try fm.copyItem(atPath: source, toPath: work + "/" + folder + "/" + file) }
        return (folder, from.keys.filter { $0.hasSuffix(".plan") }.sorted().map { "\(folder)/\($0)" })
    }

    /// A close through `shards` shards in `work`, as `spark/attain_spark.py --ledger` runs it: the finish outcome.
    /// `ledger`: the ledger every step is given; `evaluating`: the one `shard evaluate` is given (nil: none).
    func shardedClose(_ work: String, folder: String, plans: [String], period: String, commit: Bool, by: String?, shards: Int, clock: String,
                      formats: [OutputFormat], out: String, ledger: String = "attain.db", evaluating: String?? = .none, deals: String? = nil) throws -> CommandOutcome {
        let reader = InputReader(root: work)
        let (columns, inputs) = try shardTests.rowInputs(work + "/" + folder, shards: 2)
        var records: [String] = []
        for input in inputs {
            let credited = ShardCommands.credit(plans: plans, data: folder, period: period, set: [], columns: columns, input: input, reader: reader, ledger: ledger)
            #expect(credited.exitCode == 0, "\(credited.stderr)")
            records += credited.stdout.split(separator: "\n").map(String.init)
        }
        let payees = ShardCommands.payees(data: folder, reader: reader, close: .init(plans: plans, period: period, set: [], ledger: ledger))
        #expect(payees.exitCode == 0, "\(payees.stderr)")
        records += payees.stdout.split(separator: "\n").map(String.init)
        var evaluated: [String] = []
        for input in try shardTests.spread(records, shards: shards) {
            let made = ShardCommands.evaluate(plans: plans, data: folder, period: period, set: [], columns: columns, formats: formats,
                                              earningCodes: nil, input: Array(input.utf8), reader: reader, ledger: evaluating ?? ledger)
            if made.exitCode != 0 { return made }
            evaluated += made.stdout.split(separator: "\n").map(String.init)
        }
        evaluated.sort { $0.prefix { $0 != "\t" }.utf8.lexicographicallyPrecedes($1.prefix { $0 != "\t" }.utf8) }
        let stage = OutputWriter.Stage(folder: out)
        var rest = evaluated[...]
        let close = ShardCommands.CloseFinish(ledger: ledger, commit: commit, by: by, all: false, deals: deals, clock: clock, earningCodes: nil)
        let finished = ShardCommands.finish(plans: plans, data: folder, period: period, set: [], columns: columns, formats: formats, strict: false,
                                            locale: .english, lines: { rest.popFirst() }, reader: reader, stage: stage, close: close)
        if finished.exitCode == 0 { try stage.commit(finished.files) } else { stage.discard() }
        return finished
    }

    /// What the ledger in `work` holds, in text: runs with their inputs, each posted statement with its document's
    /// digest, every line and draw balance posted before `period`, the dry run's preview.
    func ledgerText(_ work: String, before period: Period, ledger: String = "attain.db") throws -> [String] {
        let l = try Ledger(readingOnly: ledger.hasPrefix("postgres") ? ledger : work + "/" + ledger)
        var out: [String] = []
        for r in try l.runs() {
            out.append("\(r.id) \(r.action) \(r.period) \(r.at) payees=\(r.payees) paid=\(r.paid.map { "\($0.amount) \($0.currency)" }) voided=\(r.voidedBy.map(String.init) ?? "-")")
            out += r.inputs.map { "  \($0.role) \($0.path) \($0.sha256)" }
            out += try l.documentDigests(ofRun: r.id).sorted { $0.key < $1.key }.map { "  \($0.key) \($0.value.sha256) \($0.value.bytes)" }
        }
        let h = try l.history(before: period)
        out += h.lines.map { "\($0.period) \($0.payeeID) \($0.plan) \($0.kind.rawValue) \($0.component) \($0.dealID ?? "-") \($0.refPeriod ?? "-") \($0.amount.text(minimumScale: 2)) \($0.source)" }
        out += h.drawBalances.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text(minimumScale: 2))" })" }
        out += try l.preview(period).sorted { $0.key < $1.key }.map { "preview \($0.key) \($0.value.currency) \($0.value.paid)" }
        return out
    }

    static let formats: [OutputFormat] = [.json, .xml, .payroll, .jsonl]

    @Test(arguments: ["brief-11-clawback", "prior-period-adjustment", "brief-09-draw", "brief-10-ytd", "ytd-cancellations", "ytd-clawback-visible",
                      "clawback-edge-cases", "clawback-gated", "reorg-dated-hierarchy", "reorg-roster-only", "roles-clawback-two-quarters",
                      "periods-fiscal-ledger", "reopen-payroll-difference", "disputes-adjustment", "periods-two-kinds", "close-reassigned-deals"])
    func shardedCloseIsTheClose(_ name: String) throws {
        for shards in [1, 3] {
            let whole = NSTemporaryDirectory() + "attain-close-\(UUID().uuidString)"
            let sharded = NSTemporaryDirectory() + "attain-close-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: whole, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: sharded, withIntermediateDirectories: true)
            defer { for d in [whole, sharded] { try? FileManager.default.removeItem(atPath: d) } }
            var posted = 0
            for (n, step) in try steps(name).enumerated() {
                let clock = "2000-01-01T" + (n + 1 < 10 ? "0" : "") + "\(n + 1):00:00Z"
                let what = "\(name), \(shards) shards, step \(n + 1) (\(step.action) \(step.period))"
                switch step.action {
                case "reopen", "dispute", "resolve":
                    for work in [whole, sharded] {
                        let reader = InputReader(root: work)
                        let o: CommandOutcome
                        if step.action == "reopen" {
                            o = Commands.reopen(period: step.period, reason: step.rest, ledgerPath: "attain.db", clock: clock, reader: reader)
                        } else if step.action == "dispute" {
                            let p = step.rest.split(separator: " ", maxSplits: 2).map(String.init)
                            o = Commands.dispute(period: step.period, payee: p[0], line: Int(p[1]) ?? 0, text: p[2], by: nil, ledgerPath: "attain.db", clock: clock, reader: reader)
                        } else {
                            o = Commands.resolve(dispute: Int(step.period) ?? 0, answer: step.rest, by: nil, ledgerPath: "attain.db", clock: clock, reader: reader)
                        }
                        _ = o
                    }
                    continue
                default: break
                }
                let commit = step.action == "close"
                let by = step.rest.hasPrefix("by ") ? String(step.rest.dropFirst(3)) : nil
                let (folder, plans) = try stepFolder(name, step: step, number: n, in: whole)
                _ = try stepFolder(name, step: step, number: n, in: sharded)
                let stage = OutputWriter.Stage(folder: whole + "/out\(n + 1)")
                let expected = Commands.close(plans: plans, data: folder, period: step.period, set: [], ledgerPath: "attain.db", commit: commit,
                                              formats: Self.formats, clock: clock, reader: InputReader(root: whole), stage: stage, by: by)
                if expected.exitCode == 0 { try stage.commit(expected.files) } else { stage.discard() }
                let got = try shardedClose(sharded, folder: folder, plans: plans, period: step.period, commit: commit, by: by, shards: shards, clock: clock,
                                           formats: Self.formats, out: sharded + "/out\(n + 1)")
                #expect(got.exitCode == expected.exitCode, "\(what): \(got.stderr)")
                #expect(got.stdout.replacingOccurrences(of: sharded, with: "W") == expected.stdout.replacingOccurrences(of: whole, with: "W"), "\(what)")
                #expect(got.stderr == expected.stderr, "\(what)")
                let want = try shardTests.files(in: whole + "/out\(n + 1)"), have = try shardTests.files(in: sharded + "/out\(n + 1)")
                #expect(have.keys.sorted() == want.keys.sorted(), "\(what)")
                for (path, text) in want { #expect(have[path] == text, "\(what): \(path) differs") }
                if expected.exitCode == 0 && commit { posted += 1 }
                let fiscal = PeriodCalendar(fiscalStartMonth: 4, biweeklyAnchor: CivilDate(year: 2026, month: 1, day: 5))
                let p = try #require((try? Period.read(step.period, in: .gregorian).get()) ?? (try? Period.read(step.period, in: fiscal).get()))
                #expect(try ledgerText(sharded, before: p) == ledgerText(whole, before: p), "\(what): the ledgers differ")
            }
            #expect(posted >= 2, "\(name): closes posted")
        }
    }

    /// A scratch folder with a golden case's files at its top (`data` "."), and its period folders.
    func scratch(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "attain-close-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: repositoryRoot + "/golden/" + name, toPath: dir)
        return dir
    }

    /// One close of `period` in `dir` through three shards, with the data folder's files (`.`).
    func shardedClose(_ dir: String, _ period: String, commit: Bool, by: String? = nil, ledger: String = "attain.db", evaluating: String?? = .none,
                      deals: String? = nil) throws -> CommandOutcome {
        try shardedClose(dir, folder: ".", plans: try planNames(dir), period: period, commit: commit, by: by, shards: 3, clock: "2000-01-01T01:00:00Z",
                         formats: Self.formats, out: dir + "/out", ledger: ledger, evaluating: evaluating, deals: deals)
    }

    @Test(arguments: LedgerBackend.allCases)
    func aShardedCloseOnEitherLedgerIsTheClose(_ backend: LedgerBackend) throws {
        let whole = try scratch("close-reassigned-deals"), sharded = try scratch("close-reassigned-deals")
        defer { for d in [whole, sharded] { try? FileManager.default.removeItem(atPath: d) } }
        let ledger = try backend.freshLedger()
        for period in ["2026-Q1", "2026-Q2"] {
            if period == "2026-Q2" {
                for dir in [whole, sharded] {
                    for f in ["deals.csv", "roster.csv", "assignments.csv"] {
                        try FileManager.default.removeItem(atPath: dir + "/" + f)
                        try FileManager.default.copyItem(atPath: dir + "/2026-Q2/" + f, toPath: dir + "/" + f)
                    }
                }
            }
            let stage = OutputWriter.Stage(folder: whole + "/out")
            let expected = Commands.close(plans: try planNames(whole), data: ".", period: period, set: [], ledgerPath: "attain.db", commit: true,
                                          formats: Self.formats, clock: "2000-01-01T01:00:00Z", reader: InputReader(root: whole), stage: stage)
            #expect(expected.exitCode == 0, "\(expected.stderr)")
            try stage.commit(expected.files)
            let got = try shardedClose(sharded, period, commit: true, ledger: ledger)
            #expect(got.exitCode == 0, "\(backend) \(period): \(got.stderr)")
            #expect(got.stdout.replacingOccurrences(of: sharded, with: "W").replacingOccurrences(of: ledger, with: "L")
                    == expected.stdout.replacingOccurrences(of: whole, with: "W").replacingOccurrences(of: "attain.db", with: "L"))
            #expect(got.stderr == expected.stderr)
            #expect(try shardTests.files(in: sharded + "/out") == shardTests.files(in: whole + "/out"))
            let p = try Period.parse(period).get()
            #expect(try ledgerText(sharded, before: p, ledger: ledger) == ledgerText(whole, before: p), "\(backend) \(period): the ledgers differ")
        }
        // What each close paid, to the cent (the case's case.conf works 2026-Q2 out).
        let l = try Ledger(readingOnly: backend == .sqlite ? sharded + "/attain.db" : ledger)
        let paid = try l.runs().map { $0.paid.first?.amount }
        #expect(paid == ["13200.00", "-2680.00"])
    }

    @Test func aSecondCommitOfThePeriodIsRefused() throws {
        let dir = try scratch("brief-11-clawback")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try shardedClose(dir, "2026-Q1", commit: true)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("2026-Q1 closed: run 1 posted 2 statements to attain.db"))
        // The same period with the same inputs: its outputs written again, each statement checked against the document
        // posted for it.
        try FileManager.default.removeItem(atPath: dir + "/out")
        let rewritten = try shardedClose(dir, "2026-Q1", commit: true)
        #expect(rewritten.exitCode == 0, "\(rewritten.stderr)")
        #expect(rewritten.stdout == "2026-Q1 is already closed by run 1 with these same inputs; its outputs were written again to \(dir)/out/2026-Q1\n")
        #expect(FileManager.default.fileExists(atPath: dir + "/out/2026-Q1/statements/M.json"))
        // The same period again, inputs changed: refused, nothing posted.
        try (try String(contentsOfFile: dir + "/deals.csv", encoding: .utf8) + "D9,A,2026-03-01,1000.00,USD,Widget,new\n").write(toFile: dir + "/deals.csv", atomically: true, encoding: .utf8)
        let again = try shardedClose(dir, "2026-Q1", commit: true)
        #expect(again.exitCode == ExitCode.refused)
        #expect(again.stderr.contains("2026-Q1 is already closed (run 1) with other inputs: deals file deals.csv has changed"), "\(again.stderr)")
        #expect(try Ledger(readingOnly: dir + "/attain.db").runs().count == 1)
    }

    @Test func statementsMadeWithoutTheLedgerAreNotPosted() throws {
        let dir = try scratch("brief-11-clawback")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = try shardedClose(dir, "2026-Q1", commit: true, evaluating: .some(nil))
        #expect(o.exitCode == ExitCode.ioFailure)
        #expect(o.stderr.contains("the record of payee `A` has no statement to post: give `attain shard evaluate` the same `--ledger`; nothing was posted"), "\(o.stderr)")
        // The ledger this close would have made is not left behind.
        #expect(!FileManager.default.fileExists(atPath: dir + "/attain.db"))
    }

    @Test func theDealsInputIsRecordedOrTheCloseRefused() throws {
        let dir = try scratch("brief-11-clawback")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/deals.csv"))
        try FileManager.default.createDirectory(atPath: dir + "/lake/_tmp", withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: dir + "/lake/part-0.csv"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/lake/_SUCCESS"))
        let missing = try shardedClose(dir, "2026-Q1", commit: false, deals: "nowhere.parquet")
        #expect(missing.exitCode == ExitCode.ioFailure)
        #expect(missing.stderr.contains("cannot read"), "\(missing.stderr)")
        #expect(missing.stderr.contains("give `--deals` the file (or folder) the deal rows came from"))
        let o = try shardedClose(dir, "2026-Q1", commit: true, deals: "lake")
        #expect(o.exitCode == 0, "\(o.stderr)")
        let inputs = try #require(try Ledger(readingOnly: dir + "/attain.db").runs().first?.inputs)
        let deals = try #require(inputs.first { $0.role == "deals" })
        // A folder: one line per file (markers and folders starting with `_` left out), hashed.
        #expect(deals.path == "lake")
        #expect(deals.sha256 == InputHash.sha256(Array("part-0.csv\t\(InputHash.sha256([UInt8](bytes)))\n".utf8)))
    }

    @Test func heldPayAndJournalsAreLeftToAttainClose() throws {
        let held = try scratch("brief-11-clawback")
        let journal = try scratch("accounting-journal-amortization")
        defer { for d in [held, journal] { try? FileManager.default.removeItem(atPath: d) } }
        let hold = Commands.hold(payee: nil, deal: "D1", reason: "invoice disputed", by: nil, release: false, ledgerPath: "attain.db",
                                 clock: "2000-01-01T00:00:00Z", reader: InputReader(root: held))
        #expect(hold.exitCode == 0, "\(hold.stderr)")
        let o = try shardedClose(held, "2026-Q1", commit: true)
        #expect(o.exitCode == ExitCode.invalidInput)
        #expect(o.stderr.contains("a close through shards does not settle held pay yet"), "\(o.stderr)")
        #expect(try Ledger(readingOnly: held + "/attain.db").runs().isEmpty)
        let j = try shardedClose(journal, "2026-Q1", commit: true)
        #expect(j.exitCode == ExitCode.invalidInput)
        #expect(j.stderr == "error: a close through shards does not make a journal or capitalize commissions yet (accounts.csv, contract terms); close this period with `attain close`\n")
        #expect(!FileManager.default.fileExists(atPath: journal + "/attain.db"))
    }

    @Test func anApprovedDryRunIsCommittedThroughShardsOrByAttainClose() throws {
        let dir = try scratch("brief-11-clawback")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = InputReader(root: dir)
        #expect(Commands.configureLedger(requireApproval: true, ledgerPath: "attain.db", reader: reader).exitCode == 0)
        // Unapproved: refused.
        let early = try shardedClose(dir, "2026-Q1", commit: true)
        #expect(early.exitCode == ExitCode.refused)
        #expect(early.stderr.contains("this ledger requires approval"), "\(early.stderr)")
        // A dry run through shards, approved, committed by `attain close`: the inputs signed are the same.
        let dry = try shardedClose(dir, "2026-Q1", commit: false, by: "Ana Ruiz")
        #expect(dry.exitCode == 0, "\(dry.stderr)")
        #expect(Commands.approve(period: "2026-Q1", by: "Dana Lee", ledgerPath: "attain.db", clock: "2000-01-01T02:00:00Z", reader: reader).exitCode == 0)
        let committed = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q1", set: [], ledgerPath: "attain.db", commit: true,
                                       clock: "2000-01-01T03:00:00Z", reader: reader)
        #expect(committed.exitCode == 0, "\(committed.stderr)")
        // And the other way: `attain close`'s dry run of the next quarter, approved, committed through shards.
        for f in ["deals.csv"] {
            try FileManager.default.removeItem(atPath: dir + "/" + f)
            try FileManager.default.copyItem(atPath: dir + "/2026-Q2/" + f, toPath: dir + "/" + f)
        }
        let dry2 = Commands.close(plans: try planNames(dir), data: ".", period: "2026-Q2", set: [], ledgerPath: "attain.db", commit: false,
                                  clock: "2000-01-01T04:00:00Z", reader: reader, by: "Ana Ruiz")
        #expect(dry2.exitCode == 0, "\(dry2.stderr)")
        #expect(Commands.approve(period: "2026-Q2", by: "Dana Lee", ledgerPath: "attain.db", clock: "2000-01-01T05:00:00Z", reader: reader).exitCode == 0)
        let sharded = try shardedClose(dir, "2026-Q2", commit: true)
        #expect(sharded.exitCode == 0, "\(sharded.stderr)")
        #expect(try Ledger(readingOnly: dir + "/attain.db").runs().map { $0.paid.first?.amount } == ["8400.00", "-1200.00"])
    }

    @Test func aPayeeRecordKeepsEveryTextAsItWas() throws {
        let statement = try #require(try statements(plan: header + "measure b = sum of deal.amount\ncommission \"C\" on b\n  rate 10%\n", deals: briefDeals,
                                                    assignments: assignments([("A", "100000.00")])).first)
        let entry = StatementJSON.SummaryEntry(statement)
        let posted = PostedStatement(statement, document: "{}")
        // Tabs, line breaks, backslashes and a literal `\N` in every kind of field; none and empty kept apart.
        let hostile = "a\tb\\N\nc\r\\"
        let lines = [PostedStatement.Line(kind: "commission", component: hostile, dealID: nil, refPeriod: "", amount: "12.50", source: "\\N",
                                          balanceBefore: nil, balanceAfter: hostile)]
        var record = ShardCommands.PayeeRecord(entry: entry, files: [["2026-Q1/statements/A.json", hostile], ["x\ty", ""]], jsonl: nil, payroll: "")
        record.posted = posted.with(lines: lines)
        let text = String(decoding: try record.line(), as: UTF8.self)
        #expect(!text.contains("\n") && !text.contains("\r"))
        let back = try #require(ShardCommands.PayeeRecord.parse(text[...]))
        #expect(back.files == record.files)
        #expect(back.jsonl == nil && back.payroll == "")
        #expect(back.entry.payeeID == entry.payeeID && back.entry.paid == entry.paid)
        let l = try #require(back.posted?.lines.first)
        #expect(l.component == hostile && l.dealID == nil && l.refPeriod == "" && l.source == "\\N" && l.balanceBefore == nil && l.balanceAfter == hostile)
        #expect(back.posted?.sha256 == posted.sha256 && back.posted?.paid == "12000.00")
        #expect(String(decoding: try back.line(), as: UTF8.self) == text)
        // Not a record: too few fields, a count that does not match.
        #expect(ShardCommands.PayeeRecord.parse("{}"[...]) == nil)
        #expect(ShardCommands.PayeeRecord.parse(text.replacingOccurrences(of: "\t1\t", with: "\t7\t")[...]) == nil)
    }
}
