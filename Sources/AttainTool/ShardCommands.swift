// `attain shard …`: a run in steps an engine such as Apache Spark can spread over machines, each reading and writing
// lines on stdin and stdout. `credit` turns deal rows into credits (one a payee and role), `evaluate` turns the credits
// of some payees into their statements, and `finish` joins every shard's output into the files `attain run` writes.
import Attain
import AttainLedger
import Foundation

public enum ShardCommands {
    /// The output formats a shard writes: every statement's own files, statements.jsonl and payroll. HTML pages also
    /// need every statement at once (the index and team pages), so they are left to `attain run`.
    static func shardFormats(_ formats: [OutputFormat]) -> CommandOutcome? {
        guard formats.contains(.html) else { return nil }
        return Commands.usage("--format html is not written by the shard steps (its index and team pages read every statement at once); write json, xml, jsonl and payroll, and html with `attain run`")
    }

    static func failed(_ diagnostics: Diagnostics) -> CommandOutcome {
        var outcome = CommandOutcome()
        outcome.stderr = DiagnosticRenderer.render(diagnostics, trailer: "; nothing was written")
        outcome.exitCode = ExitCode.invalidInput
        return outcome
    }

    /// An outcome that says one error line and exits with `code`.
    static func error(_ message: String, exit code: Int32 = ExitCode.invalidInput) -> CommandOutcome {
        var outcome = CommandOutcome()
        outcome.stderr = "error: \(message)\n"
        outcome.exitCode = code
        return outcome
    }

    /// What the shard steps do not read yet: a data folder with one of these files is refused, not run without it.
    static func refusedFiles(_ request: RunRequest) -> CommandOutcome? {
        let present = [request.activities, request.payments, request.holds].compactMap { $0?.path }
        guard let first = present.first else { return nil }
        return error("\(first) is not read by the shard steps yet; run this data folder with `attain run` or `attain close`")
    }

    /// The plans, period and ledger of a shard step of a close (`--ledger`).
    public struct CloseStep {
        public let plans: [String]
        public let period: String
        public let set: [String]
        public let ledger: String

        public init(plans: [String], period: String, set: [String], ledger: String) {
            self.plans = plans
            self.period = period
            self.set = set
            self.ledger = ledger
        }
    }

    /// `attain shard payees`: one record per roster payee, so that payees with no credits are evaluated too. For a
    /// close, also one per payee the ledger paid in closed periods who is not in the roster, so that one shard settles
    /// what was posted for them.
    public static func payees(data: String, reader: InputReader, close: CloseStep? = nil) -> CommandOutcome {
        var outcome = CommandOutcome()
        let path = reader.dataPath(data, "roster.csv")
        let roster: InputFile
        do { roster = InputFile(path: path, bytes: try reader.bytes(path)) } catch {
            return self.error("\(error)", exit: ExitCode.ioFailure)
        }
        switch Shard.payees(roster: roster) {
        case .failure(let d): return failed(d)
        case .success(var ids):
            if let close {
                // The plans and small tables, for the period and the roster's digest; no deal is read.
                let request: RunRequest
                switch Commands.load(plans: close.plans, data: data, period: close.period, set: close.set, earningCodes: nil, reader: reader,
                                     records: false, deals: InputFile(path: reader.dealsPath(data), bytes: [])) {
                case .failure(let o): return o
                case .success(let l): request = l.request
                }
                let (plans, errors) = Engine.compile(request.plans, overrides: request.overrides)
                if errors.hasErrors { return failed(errors) }
                let p: Period
                switch Engine.period(request.period, plans: plans) {
                case .failure(let d): return failed(d)
                case .success(let x): p = x
                }
                switch ledgerHistory(close.ledger, request: request, period: p, reader: reader, lines: .otherPayees(Set(ids))) {
                case .failure(let o): return o
                case .success(let history): ids = (ids + Shard.unrosteredPaid(history, roster: ids)).sorted()
                }
            }
            var text = ""
            for id in ids {
                var w = JSONWriter(capacity: 64, compact: true)
                w.beginObject()
                w.field("payee", id)
                w.field("role", Shard.payeeRole)
                w.endObject()
                text += w.finishText()
            }
            outcome.stdout = text
        }
        return outcome
    }

    /// The deal rows of a shard's input, `<line>\t<CSV row>` a line; a line that is not is a usage error naming it.
    static func dealRows(_ input: [UInt8]) -> Result<[(line: Int, text: String)], CommandOutcome> {
        var rows: [(line: Int, text: String)] = []
        for (i, raw) in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var line = raw
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            guard let tab = line.firstIndex(of: UInt8(ascii: "\t")), let n = Int(String(decoding: line[line.startIndex..<tab], as: UTF8.self)), n >= 2 else {
                return .failure(error("stdin line \(i + 1): expected `<line number>\\t<CSV row>` (the row's line in the deals file, 2 or more, a tab, the row)"))
            }
            rows.append((n, String(decoding: line[(tab + 1)...], as: UTF8.self)))
        }
        return .success(rows)
    }

    /// What a shard step of a close reads of the ledger: the history the close settles against, with
    /// adjustments.csv's rows; a ledger not made yet has none.
    static func ledgerHistory(_ ledgerPath: String, request: RunRequest, period: Period, reader: InputReader, lines: PostedLineFilter) -> Result<LedgerHistory, CommandOutcome> {
        let adjustments: [ManualAdjustment]
        switch Commands.manualAdjustments(request, trailer: "; nothing was written") {
        case .failure(let o): return .failure(o)
        case .success(let rows): adjustments = rows
        }
        guard reader.ledgerExists(ledgerPath) else {
            var history = LedgerHistory()
            history.manual.adjustments = adjustments
            return .success(history)
        }
        do {
            // Opened as a close opens it: a ledger of an older version is brought up to date (under its write lock, so
            // that shards starting at once migrate it once); nothing else is written.
            let ledger = try Ledger(path: reader.absolute(ledgerPath), busyTimeout: Commands.ledgerWait())
            return .success(try Commands.closeHistory(ledger, period: period, roster: InputHash.sha256(request.roster.bytes), adjustments: adjustments, lines: lines))
        } catch {
            var outcome = CommandOutcome()
            Commands.ledgerError(error, ledgerPath: Commands.ledgerName(ledgerPath), into: &outcome)
            return .failure(outcome)
        }
    }

    /// Plans and small tables read as `attain run` reads them, with the shard's rows as the deals.
    static func prepared(plans: [String], data: String, period: String, set: [String], rows: Shard.Rows, only: Set<String>?,
                         partialShares: Bool = true, earningCodes: String? = nil, reader: InputReader)
        -> Result<(request: RunRequest, prepared: PreparedRun, period: Period, codes: EarningCodes), CommandOutcome> {
        var request: RunRequest
        let codes: EarningCodes
        switch Commands.load(plans: plans, data: data, period: period, set: set, earningCodes: earningCodes, reader: reader, records: false, deals: rows.file) {
        case .failure(let o): return .failure(o)
        case .success(let l):
            request = l.request
            codes = l.codes
        }
        request.sharesMayBePartial = partialShares
        if let refused = refusedFiles(request) { return .failure(refused) }
        return prepared(request, rows: rows, only: only).map { (request, $0.prepared, $0.period, codes) }
    }

    /// A loaded request's plans and tables prepared with `rows` (its `deals`) as the deals.
    static func prepared(_ request: RunRequest, rows: Shard.Rows, only: Set<String>?) -> Result<(prepared: PreparedRun, period: Period), CommandOutcome> {
        switch Shard.prepare(request, rows: rows, only: only) {
        case .failure(let d): return .failure(failed(d))
        case .success(let p):
            switch Engine.period(request.period, plans: p.plans) {
            case .failure(let d): return .failure(failed(d))
            case .success(let period): return .success((p, period))
            }
        }
    }

    /// `attain shard credit`: deal rows on stdin, their credits on stdout (JSON Lines).
    /// `ledger`: for a close, each row also goes to the payees closed periods paid on its deal (`Shard.postedRole`).
    public static func credit(plans: [String], data: String, period: String, set: [String], columns: String, input: [UInt8], reader: InputReader,
                              ledger: String? = nil) -> CommandOutcome {
        var rowList: [(line: Int, text: String)]
        switch dealRows(input) {
        case .failure(let o): return o
        case .success(let r): rowList = r
        }
        var texts: [Int: String] = [:]
        texts.reserveCapacity(rowList.count)
        for r in rowList { texts[r.line] = r.text }
        let rows = Shard.Rows(path: reader.dealsPath(data), header: columns, rows: rowList)
        rowList = []
        let prepared: PreparedRun
        var posted: [String: [String]] = [:]
        switch self.prepared(plans: plans, data: data, period: period, set: set, rows: rows, only: nil, partialShares: false, reader: reader) {
        case .failure(let o): return o
        case .success(let p):
            prepared = p.prepared
            if let ledger {
                let ids = Set(prepared.data.deals.map(\.dealID) + prepared.data.unrostered.map(\.dealID))
                switch ledgerHistory(ledger, request: p.request, period: p.period, reader: reader, lines: .deals(ids)) {
                case .failure(let o): return o
                case .success(let history): posted = Shard.postedPayees(history, deals: ids)
                }
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 2 + 64)
        for c in Shard.credits(prepared, posted: posted) {
            var w = JSONWriter(capacity: 256, compact: true)
            w.beginObject()
            w.field("close_date", c.closeDate)
            w.field("deal_id", c.dealID)
            w.key("line")
            w.int(c.line)
            w.field("payee", c.payee)
            w.field("role", c.role)
            w.field("row", texts[c.line] ?? "")
            w.endObject()
            w.finishBytes().withBytes { out.append(contentsOf: $0) }
        }
        var outcome = CommandOutcome()
        outcome.stdout = String(decoding: out, as: UTF8.self)
        outcome.retained = [prepared]
        return outcome
    }

    /// What `evaluate` says of one payee: the summary's figures and every file of theirs.
    struct PayeeRecord {
        let entry: StatementJSON.SummaryEntry
        /// Each statement file: its path under the output folder and its text.
        let files: [[String]]
        let jsonl: String?
        let payroll: String?
        /// For a close (`--ledger`): the statement as it is posted, and its manual adjustment lines.
        var posted: PostedStatement? = nil
        var manual: [PostedManualLine]? = nil

        /// What a payee record carries besides its lines and files, as JSON: its figures, its manual adjustment lines
        /// and the posted statement's totals and digest.
        private struct RecordHead: Codable {
            let entry: StatementJSON.SummaryEntry
            let manual: [PostedManualLine]?
            let posted: PostedStatement?
        }

        /// The record as `evaluate` writes it after `<payee>\tpayee\t`: tab-separated fields, each with `\`, tab, line
        /// feed and carriage return escaped (`\\`, `\t`, `\n`, `\r`; `\N` for none), so that no JSON parser walks the
        /// statement texts: the head (JSON), the JSON Lines line, the payroll rows, the posted lines' count and 8 fields each
        /// (kind, component, deal, settled period, amount, source, draw balance before and after), then the files' count and
        /// each file's path and text.
        func line() throws -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var out: [UInt8] = []
            out.reserveCapacity(files.reduce(4096) { $0 + $1[1].utf8.count + 64 } + (jsonl?.utf8.count ?? 0) + (posted?.lines.count ?? 0) * 96)
            func add(_ text: String?, first: Bool = false) {
                if !first { out.append(9) }
                guard let text else { out += [92, 78]; return }
                for b in text.utf8 {
                    switch b {
                    case 92: out += [92, 92]
                    case 9: out += [92, 116]
                    case 10: out += [92, 110]
                    case 13: out += [92, 114]
                    default: out.append(b)
                    }
                }
            }
            add(String(decoding: try encoder.encode(RecordHead(entry: entry, manual: manual, posted: posted?.with(lines: []))), as: UTF8.self), first: true)
            add(jsonl)
            add(payroll)
            let lines = posted?.lines ?? []
            add(String(lines.count))
            for l in lines {
                add(l.kind); add(l.component); add(l.dealID); add(l.refPeriod); add(l.amount); add(l.source); add(l.balanceBefore); add(l.balanceAfter)
            }
            add(String(files.count))
            for f in files {
                add(f[0])
                add(f[1])
            }
            return out
        }

        /// A record `line()` wrote; nil when the text is not one.
        static func parse(_ text: Substring) -> PayeeRecord? {
            var fields: [String?] = []
            var field: [UInt8] = []
            var escaped = false, none = false
            func end() {
                fields.append(none ? nil : String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                none = false
            }
            for b in text.utf8 {
                if escaped {
                    escaped = false
                    switch b {
                    case 116: field.append(9)
                    case 110: field.append(10)
                    case 114: field.append(13)
                    case 78 where field.isEmpty: none = true
                    default: field.append(b)
                    }
                } else if b == 92 {
                    escaped = true
                } else if b == 9 {
                    end()
                } else {
                    field.append(b)
                }
            }
            end()
            guard fields.count >= 5, let headText = fields[0],
                  let head = try? JSONDecoder().decode(RecordHead.self, from: Data(headText.utf8)),
                  let n = fields[3].flatMap({ Int($0) }), n >= 0, fields.count >= 5 + 8 * n else { return nil }
            var lines: [PostedStatement.Line] = []
            lines.reserveCapacity(n)
            for i in 0..<n {
                let b = 4 + 8 * i
                guard let kind = fields[b], let component = fields[b + 1], let amount = fields[b + 4], let source = fields[b + 5] else { return nil }
                lines.append(PostedStatement.Line(kind: kind, component: component, dealID: fields[b + 2], refPeriod: fields[b + 3], amount: amount,
                                                  source: source, balanceBefore: fields[b + 6], balanceAfter: fields[b + 7]))
            }
            let at = 4 + 8 * n
            guard let m = fields[at].flatMap({ Int($0) }), m >= 0, fields.count == at + 1 + 2 * m else { return nil }
            var files: [[String]] = []
            for j in 0..<m {
                guard let path = fields[at + 1 + 2 * j], let body = fields[at + 2 + 2 * j] else { return nil }
                files.append([path, body])
            }
            var record = PayeeRecord(entry: head.entry, files: files, jsonl: fields[1], payroll: fields[2])
            record.manual = head.manual
            record.posted = head.posted?.with(lines: lines)
            return record
        }
    }

    /// A payee's files and JSON Lines line written into the stage.
    static func stage(_ record: PayeeRecord, period: Period, formats: [OutputFormat], into stage: OutputWriter.Stage) throws {
        try stage.write(contents: record.files.map { ($0[0], OutputWriter.Contents.text($0[1])) })
        if let l = record.jsonl, formats.contains(.jsonl) {
            try stage.lines(at: "\(period.label)/statements.jsonl").add(payee: record.entry.payeeID, JSONWriter.Buffer(bytes: Array(l.utf8)))
        }
    }

    /// A payee id as the first field of an `evaluate` line: a JSON string, so that no id can hold the tab after it.
    static func field(_ id: String) -> String {
        var w = JSONWriter(capacity: id.utf8.count + 8, compact: true)
        w.string(id)
        var text = w.finishText()
        text.removeLast()
        return text
    }

    /// `attain shard evaluate`: the credits of some payees on stdin; on stdout a line per payee
    /// (`<payee>\tpayee\t<record>`) and one for the shard (`""\tpart\t<part>`).
    /// `ledger`: for a close, the payees are settled against the ledger's history, and each record carries the
    /// statement as it is posted.
    public static func evaluate(plans: [String], data: String, period: String, set: [String], columns: String, formats: [OutputFormat],
                                earningCodes: String?, input: [UInt8], reader: InputReader, ledger: String? = nil) -> CommandOutcome {
        if let refused = shardFormats(formats) { return refused }
        var rows: [(line: Int, text: String)] = []
        var unrostered: [Int: String] = [:]
        var only = Set<String>()
        // Every payee a record names: the posted lines of these are the shard's to settle.
        var named = Set<String>()
        for (i, line) in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let m = FlatJSON.members(line), let payee = m["payee"], let role = m["role"] else {
                return self.error("stdin line \(i + 1): expected a credit record of `attain shard credit` or `attain shard payees` (a JSON object with `payee` and `role`)")
            }
            let n = m["line"].flatMap { Int($0) }
            named.insert(payee)
            switch role {
            case Shard.payeeRole: only.insert(payee)
            case Shard.managerRole, Shard.postedRole: break
            case Shard.unrosteredRole: if let n { unrostered[n] = m["row"] ?? "" }
            default: only.insert(payee)
            }
            if let n, let text = m["row"] { rows.append((n, text)) }
        }
        let shardRows = Shard.Rows(path: reader.dealsPath(data), header: columns, rows: rows)
        rows = []
        let run: (request: RunRequest, prepared: PreparedRun, period: Period, codes: EarningCodes)
        switch prepared(plans: plans, data: data, period: period, set: set, rows: shardRows, only: only, earningCodes: earningCodes, reader: reader) {
        case .failure(let o): return o
        case .success(let p): run = p
        }
        let codes = run.codes
        var history = LedgerHistory.empty
        if let ledger {
            switch ledgerHistory(ledger, request: run.request, period: run.period, reader: reader, lines: .payees(named)) {
            case .failure(let o): return o
            case .success(let h): history = h
            }
            if let refusal = Shard.closeRefusal(run.prepared, history) { return self.error(refusal) }
            history.manual.adjustments.removeAll { !only.contains($0.payeeID) }
        }
        // A close posts every statement's lines.
        let detail = ledger != nil || formats.contains { $0.showsLines }
        let made: (statements: [Statement], part: Shard.Part)
        switch Shard.evaluate(run.prepared, period: run.period, detail: detail, unrostered: unrostered, history: history) {
        case .failure(let d): return failed(d)
        case .success(let m): made = m
        }
        let part = made.part
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = ""
        let fileFormats = formats.filter { $0 == .json || $0 == .xml }
        let pages = PageContext()
        do {
            out += "\"\"\tpart\t" + String(decoding: try encoder.encode(part), as: UTF8.self) + "\n"
            for s in made.statements {
                let files = Commands.statementContents(of: s, formats: fileFormats, pages: pages).map { [$0.path, $0.contents.text] }
                var payroll: String?
                if formats.contains(.payroll) {
                    let csv = PayrollCSV.render(rows: try PayrollCSV.rows([s], codes: codes))
                    payroll = String(csv[csv.index(after: csv.firstIndex(of: "\n")!)...])
                }
                var record = PayeeRecord(entry: StatementJSON.SummaryEntry(s), files: files,
                                         jsonl: formats.contains(.jsonl) ? Commands.jsonLine(s) : nil, payroll: payroll)
                if ledger != nil {
                    // The document posted is the statement's JSON file, as a close posts it.
                    let json = "\(s.period.label)/statements/\(Engine.fileName(s.payeeID)).json"
                    record.posted = PostedStatement(s, document: files.first { $0[0] == json }?[1] ?? StatementJSON.text(s))
                    let manual = Commands.CloseSink.manualLines(of: s)
                    if !manual.isEmpty { record.manual = manual }
                }
                out += field(s.payeeID) + "\tpayee\t" + String(decoding: try record.line(), as: UTF8.self) + "\n"
            }
        } catch {
            return self.error("\(error)")
        }
        var outcome = CommandOutcome()
        outcome.stdout = out
        outcome.retained = [run.prepared]
        return outcome
    }

    /// What `shard finish` closes: the ledger, whether to post, who prepares it, and the deals input to record.
    public struct CloseFinish {
        public let ledger: String
        public let commit: Bool
        public let by: String?
        public let all: Bool
        /// The file (or folder of Parquet parts) the deal rows came from; nil: the data folder's deals.csv.
        public let deals: String?
        public let clock: String?
        /// The earning codes `evaluate` was given, recorded among the close's inputs.
        public let earningCodes: String?

        public init(ledger: String, commit: Bool, by: String?, all: Bool, deals: String?, clock: String?, earningCodes: String?) {
            self.earningCodes = earningCodes
            self.ledger = ledger
            self.commit = commit
            self.by = by
            self.all = all
            self.deals = deals
            self.clock = clock
        }
    }

    /// What `finish` read of the evaluate lines: each shard's part, each payee's figures in id order, payroll's rows.
    struct Joined {
        var parts: [Shard.Part] = []
        var entries: [StatementJSON.SummaryEntry] = []
        var payroll = PayrollCSV.header.joined(separator: ",") + "\n"
    }

    /// Reads every `evaluate` line from `lines`, each payee's record handed to `take` in payee id order. A line that is
    /// not one, a payee out of order, or no part line at all is the outcome to return (exit 1), `take`'s error exit 2.
    /// Records are decoded a batch at a time on every core (decoding is most of this step's work), then taken in order.
    static func read(_ lines: () -> String?, take: (PayeeRecord) throws -> Void) -> Result<Joined, CommandOutcome> {
        func bad(_ message: String) -> Result<Joined, CommandOutcome> { .failure(error(message + "; nothing was written")) }
        var joined = Joined()
        var number = 0
        var batch: [(number: Int, kind: Substring, record: Substring)] = []
        var batchBytes = 0
        /// The batch's payee records decoded on every core, then taken in order; nil when all went well.
        func flush() throws -> Result<Joined, CommandOutcome>? {
            defer { batch.removeAll(keepingCapacity: true); batchBytes = 0 }
            let given = batch
            let decoded = Parallel.map(given.count) { i -> PayeeRecord? in
                guard given[i].kind == "payee" else { return nil }
                return PayeeRecord.parse(given[i].record)
            }
            for (i, line) in given.enumerated() {
                if line.kind == "part" {
                    guard let part = try? JSONDecoder().decode(Shard.Part.self, from: Data(line.record.utf8)) else { return bad("stdin line \(line.number): the shard's part record cannot be read") }
                    joined.parts.append(part)
                    continue
                }
                guard let record = decoded[i] ?? nil else { return bad("stdin line \(line.number): the payee record cannot be read") }
                if let last = joined.entries.last, !(last.payeeID < record.entry.payeeID) {
                    return bad("stdin line \(line.number): payee `\(record.entry.payeeID)` comes after `\(last.payeeID)`; give the lines sorted by payee id (each payee once)")
                }
                joined.entries.append(record.entry)
                try take(record)
                if let p = record.payroll { joined.payroll += p }
            }
            return nil
        }
        do {
            while let line = lines() {
                number += 1
                if line.isEmpty { continue }
                let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count == 3 else { return bad("stdin line \(number): expected `<payee>\\t<kind>\\t<record>` from `attain shard evaluate`") }
                guard fields[1] == "part" || fields[1] == "payee" else {
                    return bad("stdin line \(number): `\(fields[1])` is not a kind `attain shard evaluate` writes (payee, part)")
                }
                batch.append((number, fields[1], fields[2]))
                batchBytes += line.utf8.count
                if batch.count >= 512 || batchBytes >= 64 << 20, let failed = try flush() { return failed }
            }
            if let failed = try flush() { return failed }
        } catch {
            return .failure(self.error("\(error)", exit: ExitCode.ioFailure))
        }
        if joined.parts.isEmpty { return bad("no shard's part line came on stdin: give every line `attain shard evaluate` wrote") }
        return .success(joined)
    }

    /// The run joined from the shards' parts. The rows of reps not in the roster are read as one run reads the whole
    /// file, for its message of them and their figures: the files read at the start are used again, with these rows
    /// as the deals.
    static func joinedRun(_ joined: Joined, request: RunRequest, columns: String, data: String, history: LedgerHistory = .empty, reader: InputReader)
        -> Result<(warnings: Diagnostics, plans: [CompiledPlan], reconciliation: Reconciliation, left: [LeftToOtherKind], period: Period), CommandOutcome> {
        var request = request
        let rows = Shard.Rows(path: reader.dealsPath(data), header: columns, rows: joined.parts.flatMap { $0.unrostered.map { ($0.line, $0.text) } })
        request.deals = rows.file
        // A split deal's rows of reps not in the roster are only some of its rows: their shares were checked where
        // all of them were credited.
        request.sharesMayBePartial = true
        switch prepared(request, rows: rows, only: []) {
        case .failure(let o): return .failure(o)
        case .success(let run):
            let j = Shard.join(joined.parts, payees: joined.entries, prepared: run.prepared, period: run.period, history: history)
            return .success((j.warnings, j.plans, j.reconciliation, j.left, run.period))
        }
    }

    /// The run's own files from the joined figures: payroll.csv, statements.jsonl when no payee has a line, summary.json.
    static func runFiles(_ joined: Joined, period: Period, plans: [CompiledPlan], reconciliation: Reconciliation, warnings: Diagnostics,
                         formats: [OutputFormat]) -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        if formats.contains(.payroll) { files.append(("\(period.label)/payroll.csv", joined.payroll)) }
        if formats.contains(.jsonl) && joined.entries.isEmpty { files.append(("\(period.label)/statements.jsonl", "")) }
        files.append(("\(period.label)/summary.json",
                      StatementJSON.summaryText(period: period, payees: joined.entries, plans: plans, reconciliation: reconciliation, warnings: warnings)))
        return files
    }

    /// `attain shard finish`: every `evaluate` line of a run on `lines` (payees in id order, the shards' part lines
    /// anywhere); writes into `stage` what `attain run` writes, and says what it says. With `close`, it is the posting
    /// step of a close instead: what `attain close` says, writes and posts, from the statements the shards made.
    public static func finish(plans: [String], data: String, period: String, set: [String], columns: String, formats: [OutputFormat],
                              strict: Bool, locale: ReportLocale, lines: @escaping () -> String?, reader: InputReader, stage: OutputWriter.Stage,
                              close: CloseFinish? = nil) -> CommandOutcome {
        if let refused = shardFormats(formats) { return refused }
        if let close {
            return finishClose(close, plans: plans, data: data, period: period, set: set, columns: columns, formats: formats, strict: strict,
                               locale: locale, lines: lines, reader: reader, stage: stage)
        }
        let none = Shard.Rows(path: reader.dealsPath(data), header: columns, rows: [])
        // The payees' order, and which of them get statements, from the roster and assignments (with no deal rows).
        let label: Period
        let request: RunRequest
        switch prepared(plans: plans, data: data, period: period, set: set, rows: none, only: [], reader: reader) {
        case .failure(let o): return o
        case .success(let p):
            label = p.period
            request = p.request
            stage.expect(PayeeOrder(p.prepared, period: p.period))
        }
        let joined: Joined
        switch read(lines, take: { try ShardCommands.stage($0, period: label, formats: formats, into: stage) }) {
        case .failure(let o): return o
        case .success(let j): joined = j
        }
        let run: (warnings: Diagnostics, plans: [CompiledPlan], reconciliation: Reconciliation, left: [LeftToOtherKind], period: Period)
        switch joinedRun(joined, request: request, columns: columns, data: data, reader: reader) {
        case .failure(let o): return o
        case .success(let r): run = r
        }
        var outcome = CommandOutcome()
        let warnings = Commands.runWarnings(run.warnings, plans: run.plans)
        if Commands.refuse(warnings, reconciliation: run.reconciliation, strict: strict, into: &outcome, locale: locale) { return outcome }
        for left in run.left { outcome.stderr += "note: \(left.message(in: run.period, what: "run"))\n" }
        outcome.files = runFiles(joined, period: run.period, plans: run.plans, reconciliation: run.reconciliation, warnings: run.warnings, formats: formats)
        outcome.stderr += Commands.adjustmentsNote(request.adjustments)
        outcome.stdout = Commands.runDone(run.period, count: joined.entries.count, paid: joined.entries.map(\.paid), locale: locale)
        return outcome
    }

    /// `finish` of a close: `attain close` (its checks, approvals, dry run or posting in one transaction, close table,
    /// close.csv, payroll difference), with the statements, files and figures the shards made.
    static func finishClose(_ close: CloseFinish, plans: [String], data: String, period: String, set: [String], columns: String, formats: [OutputFormat],
                            strict: Bool, locale: ReportLocale, lines: @escaping () -> String?, reader: InputReader, stage: OutputWriter.Stage) -> CommandOutcome {
        let none = Shard.Rows(path: reader.dealsPath(data), header: columns, rows: [])
        // The deals the shards read, recorded as the close's deals input by SHA-256.
        let dealsPath = close.deals ?? reader.dealsPath(data)
        let record: InputRecord
        do {
            record = InputRecord(role: "deals", path: dealsPath, sha256: try InputHash.sha256(file: reader.absolute(dealsPath)))
        } catch {
            return self.error("\(error); a close records the deals it read: give `--deals` the file (or folder) the deal rows came from", exit: ExitCode.ioFailure)
        }
        return Commands.close(ledgerPath: close.ledger, reader: reader) {
            Commands.closeLedger(plans: plans, data: data, period: period, set: set, ledgerPath: close.ledger, commit: close.commit, formats: formats,
                                 earningCodes: close.earningCodes, clock: close.clock, strict: strict, all: close.all, reader: reader, progress: nil, stage: stage,
                                 locale: locale, by: close.by, deals: none.file, dealsRecord: record) { given throws(CommandOutcome) in
                func failure(_ o: CommandOutcome) -> CommandOutcome {
                    var o = o
                    o.stderr = given.stderr + o.stderr
                    return o
                }
                let prepared: PreparedRun
                let p: Period
                switch self.prepared(given.request, rows: none, only: []) {
                case .failure(let o): throw failure(o)
                case .success(let r): (prepared, p) = (r.prepared, r.period)
                }
                if let refused = refusedFiles(given.request) { throw failure(refused) }
                if let refusal = Shard.closeRefusal(prepared, given.history) { throw failure(self.error(refusal)) }
                let manual = Shard.manualErrors(prepared, given.history, period: p)
                if manual.hasErrors {
                    var o = CommandOutcome()
                    o.stderr = DiagnosticRenderer.render(Diagnostics(prepared.warnings.items + manual.items), trailer: given.trailer)
                    o.exitCode = ExitCode.invalidInput
                    throw failure(o)
                }
                if formats.contains(.jsonl) { stage.expect(PayeeOrder(prepared, period: p)) }
                let joined: Joined
                switch read(lines, take: { given.sink.take($0, period: p) }) {
                case .failure(let o): throw failure(o)
                case .success(let j): joined = j
                }
                switch joinedRun(joined, request: given.request, columns: columns, data: data, history: given.history, reader: reader) {
                case .failure(let o): throw failure(o)
                case .success(let run):
                    let files = runFiles(joined, period: run.period, plans: run.plans, reconciliation: run.reconciliation, warnings: run.warnings, formats: formats)
                    return Commands.CloseEvaluation(period: run.period, payees: joined.entries, plans: run.plans, warnings: run.warnings,
                                                    reconciliation: run.reconciliation, left: run.left) { (files, []) }
                }
            }
        }
    }
}
