// `attain shard …`: a run in steps an engine such as Apache Spark can spread over machines, each reading and writing
// lines on stdin and stdout. `credit` turns deal rows into credits (one a payee and role), `evaluate` turns the credits
// of some payees into their statements, and `finish` joins every shard's output into the files `attain run` writes.
import Attain
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

    /// `attain shard payees`: one record per roster payee, so that payees with no credits are evaluated too.
    public static func payees(data: String, reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let path = reader.dataPath(data, "roster.csv")
        let roster: InputFile
        do { roster = InputFile(path: path, bytes: try reader.bytes(path)) } catch {
            return self.error("\(error)", exit: ExitCode.ioFailure)
        }
        switch Shard.payees(roster: roster) {
        case .failure(let d): return failed(d)
        case .success(let ids):
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
    public static func credit(plans: [String], data: String, period: String, set: [String], columns: String, input: [UInt8], reader: InputReader) -> CommandOutcome {
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
        switch self.prepared(plans: plans, data: data, period: period, set: set, rows: rows, only: nil, partialShares: false, reader: reader) {
        case .failure(let o): return o
        case .success(let p): prepared = p.prepared
        }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 2 + 64)
        for c in Shard.credits(prepared) {
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
    struct PayeeRecord: Codable {
        let entry: StatementJSON.SummaryEntry
        /// Each statement file: its path under the output folder and its text.
        let files: [[String]]
        let jsonl: String?
        let payroll: String?
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
    public static func evaluate(plans: [String], data: String, period: String, set: [String], columns: String, formats: [OutputFormat],
                                earningCodes: String?, input: [UInt8], reader: InputReader) -> CommandOutcome {
        if let refused = shardFormats(formats) { return refused }
        var rows: [(line: Int, text: String)] = []
        var unrostered: [Int: String] = [:]
        var only = Set<String>()
        for (i, line) in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let m = FlatJSON.members(line), let payee = m["payee"], let role = m["role"] else {
                return self.error("stdin line \(i + 1): expected a credit record of `attain shard credit` or `attain shard payees` (a JSON object with `payee` and `role`)")
            }
            let n = m["line"].flatMap { Int($0) }
            switch role {
            case Shard.payeeRole: only.insert(payee)
            case Shard.managerRole: break
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
        let detail = formats.contains { $0.showsLines }
        let made: (statements: [Statement], part: Shard.Part)
        switch Shard.evaluate(run.prepared, period: run.period, detail: detail, unrostered: unrostered) {
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
                let record = PayeeRecord(entry: StatementJSON.SummaryEntry(s), files: files,
                                         jsonl: formats.contains(.jsonl) ? Commands.jsonLine(s) : nil, payroll: payroll)
                out += field(s.payeeID) + "\tpayee\t" + String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
            }
        } catch {
            return self.error("\(error)")
        }
        var outcome = CommandOutcome()
        outcome.stdout = out
        outcome.retained = [run.prepared]
        return outcome
    }

    /// `attain shard finish`: every `evaluate` line of a run on `lines` (payees in id order, the shards' part lines
    /// anywhere); writes into `stage` what `attain run` writes, and says what it says.
    public static func finish(plans: [String], data: String, period: String, set: [String], columns: String, formats: [OutputFormat],
                              strict: Bool, locale: ReportLocale, lines: () -> String?, reader: InputReader, stage: OutputWriter.Stage) -> CommandOutcome {
        if let refused = shardFormats(formats) { return refused }
        func bad(_ message: String) -> CommandOutcome { error(message + "; nothing was written") }
        // The payees' order, and which of them get statements, from the roster and assignments (with no deal rows).
        let label: String
        var request: RunRequest
        switch prepared(plans: plans, data: data, period: period, set: set, rows: Shard.Rows(path: reader.dealsPath(data), header: columns, rows: []), only: [], reader: reader) {
        case .failure(let o): return o
        case .success(let p):
            label = p.period.label
            request = p.request
            stage.expect(PayeeOrder(p.prepared, period: p.period))
        }
        let decoder = JSONDecoder()
        var parts: [Shard.Part] = []
        var entries: [StatementJSON.SummaryEntry] = []
        var payroll = PayrollCSV.header.joined(separator: ",") + "\n"
        var number = 0
        do {
            while let line = lines() {
                number += 1
                if line.isEmpty { continue }
                let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count == 3 else { return bad("stdin line \(number): expected `<payee>\\t<kind>\\t<record>` from `attain shard evaluate`") }
                switch fields[1] {
                case "part":
                    guard let part = try? decoder.decode(Shard.Part.self, from: Data(fields[2].utf8)) else { return bad("stdin line \(number): the shard's part record cannot be read") }
                    parts.append(part)
                case "payee":
                    guard let record = try? decoder.decode(PayeeRecord.self, from: Data(fields[2].utf8)) else { return bad("stdin line \(number): the payee record cannot be read") }
                    if let last = entries.last, !(last.payeeID < record.entry.payeeID) {
                        return bad("stdin line \(number): payee `\(record.entry.payeeID)` comes after `\(last.payeeID)`; give the lines sorted by payee id (each payee once)")
                    }
                    entries.append(record.entry)
                    try stage.write(contents: record.files.map { ($0[0], OutputWriter.Contents.text($0[1])) })
                    if let l = record.jsonl, formats.contains(.jsonl) {
                        try stage.lines(at: "\(label)/statements.jsonl").add(payee: record.entry.payeeID, JSONWriter.Buffer(bytes: Array(l.utf8)))
                    }
                    if let p = record.payroll { payroll += p }
                default:
                    return bad("stdin line \(number): `\(fields[1])` is not a kind `attain shard evaluate` writes (payee, part)")
                }
            }
        } catch {
            return self.error("\(error)", exit: ExitCode.ioFailure)
        }
        if parts.isEmpty { return bad("no shard's part line came on stdin: give every line `attain shard evaluate` wrote") }
        // The rows of reps not in the roster, read as one run reads the whole file: its message of them, and their figures.
        // The files read at the start are used again, with these rows as the deals.
        let rows = Shard.Rows(path: reader.dealsPath(data), header: columns, rows: parts.flatMap { $0.unrostered.map { ($0.line, $0.text) } })
        request.deals = rows.file
        let run: (prepared: PreparedRun, period: Period)
        switch prepared(request, rows: rows, only: []) {
        case .failure(let o): return o
        case .success(let p): run = p
        }
        let joined = Shard.join(parts, payees: entries, prepared: run.prepared, period: run.period)
        var outcome = CommandOutcome()
        let warnings = Commands.runWarnings(joined.warnings, plans: joined.plans)
        if Commands.refuse(warnings, reconciliation: joined.reconciliation, strict: strict, into: &outcome, locale: locale) { return outcome }
        for left in joined.left { outcome.stderr += "note: \(left.message(in: run.period, what: "run"))\n" }
        if formats.contains(.payroll) { outcome.files.append(("\(run.period.label)/payroll.csv", payroll)) }
        if formats.contains(.jsonl) && entries.isEmpty { outcome.files.append(("\(run.period.label)/statements.jsonl", "")) }
        outcome.files.append(("\(run.period.label)/summary.json",
                              StatementJSON.summaryText(period: run.period, payees: entries, plans: joined.plans, reconciliation: joined.reconciliation, warnings: joined.warnings)))
        outcome.stderr += Commands.adjustmentsNote(request.adjustments)
        outcome.stdout = Commands.runDone(run.period, count: entries.count, paid: entries.map(\.paid), locale: locale)
        return outcome
    }
}
