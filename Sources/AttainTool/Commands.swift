// The commands, as functions from options to an outcome. The executable only parses arguments and writes.
import Attain
import AttainLedger
import AttainXML
import Foundation

/// The files `attain run` can write: a statement file per payee (`json`, `xml`, `html`), every statement in one JSON
/// Lines file (`jsonl`: `PERIOD/statements.jsonl`, one compact statement a line, payees in id order), the payroll file.
public enum OutputFormat: String, CaseIterable, Sendable {
    case json, xml, html, payroll, jsonl

    /// The formats written when none is named: every one but `jsonl`, which is written only when asked for.
    public static var allCases: [OutputFormat] { [.json, .xml, .html, .payroll] }

    /// Whether the format shows statements' lines (not only their totals).
    public var showsLines: Bool { self != .payroll }

    /// Parses `json,xml`; an unknown name is a usage error.
    public static func parse(_ text: String) -> Result<[OutputFormat], Commands.UsageError> {
        var out: [OutputFormat] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let f = OutputFormat(rawValue: name) else {
                return .failure(Commands.UsageError(description: "unknown format `\(name)`; expected json, jsonl, xml, html or payroll"))
            }
            if !out.contains(f) { out.append(f) }
        }
        return out.isEmpty ? .failure(Commands.UsageError(description: "--format needs at least one of json, jsonl, xml, html, payroll")) : .success(out)
    }
}

public enum Commands {
    /// Parses `name=value` overrides.
    public struct UsageError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func overrides(_ items: [String]) -> Result<[(name: String, text: String)], UsageError> {
        var out: [(name: String, text: String)] = []
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                return .failure(UsageError(description: "--set takes name=value, e.g. --set base_rate=3%; found `\(item)`"))
            }
            out.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        return .success(out)
    }

    /// What a run reads: the request, the payroll earning codes, and each input with its hash for the ledger.
    struct Loaded {
        let request: RunRequest
        let codes: EarningCodes
        var inputs: [InputRecord]
        /// accounts.csv, when the data folder has one (a close's journal).
        var accounts: InputFile? = nil
    }

    /// A `--period` value that is not a period of the plans' calendar: the usage error to report (exit 64), or nil when
    /// it is one. When the plans do not compile, only a value no calendar reads is refused here; the plans' errors come next.
    static func badPeriod(_ period: String, plans files: [SourceFile], overrides sets: [(name: String, text: String)] = []) -> CommandOutcome? {
        let (compiled, diagnostics) = Engine.compile(files, overrides: sets)
        if diagnostics.hasErrors { return unreadablePeriod(period) }
        guard case .failure(let d) = Engine.period(period, plans: compiled) else { return nil }
        // Text that is no period at all is said as other bad values are; a label the plans' calendar refuses shows its code.
        if d.items.count == 1, d.items[0].code == "P300" { return usage(d.items[0].message) }
        var outcome = CommandOutcome()
        outcome.stderr = DiagnosticRenderer.render(d)
        outcome.exitCode = ExitCode.usage
        return outcome
    }

    /// A `--period` value no calendar reads (neither a calendar, fiscal, semi-monthly nor biweekly label): the usage
    /// error (exit 64), said before any file is read; nil when some calendar reads it.
    static func unreadablePeriod(_ period: String) -> CommandOutcome? {
        let loose = PeriodCalendar(fiscalStartMonth: 4, biweeklyAnchor: CivilDate(year: 2026, month: 1, day: 5))
        guard case .failure(let e) = Period.read(period, in: .gregorian), e.code == "P300",
              case .failure(let f) = Period.read(period, in: loose), f.code == "P300" else { return nil }
        return usage(e.message)
    }

    /// The errors the plans find in `--set` values (no such parameter, not a value, another type, a character no text
    /// may hold): a bad command line value, exit 64, before anything else is read. Nil when there are none, or no `--set`.
    static func badOverrides(_ files: [SourceFile], _ sets: [(name: String, text: String)]) -> CommandOutcome? {
        guard !sets.isEmpty else { return nil }
        return badOverrides(in: Engine.compile(files, overrides: sets).1)
    }

    /// The usage error (exit 64) for the `--set` errors among a compile's diagnostics, or nil when there are none.
    static func badOverrides(in diagnostics: Diagnostics) -> CommandOutcome? {
        let found = diagnostics.errors.filter { $0.code == "E115" || $0.span?.path.hasPrefix("--set ") == true }
        guard !found.isEmpty else { return nil }
        var outcome = CommandOutcome()
        outcome.stderr = DiagnosticRenderer.render(Diagnostics(found), trailer: "; nothing was written")
        outcome.exitCode = ExitCode.usage
        return outcome
    }

    /// Reads plans, the data folder and the earning-code table; a failure is the outcome to report.
    /// `records`: whether to hash each input for the ledger (a run without a ledger does not need it).
    /// The command line is checked first: a bad `--set` or `--period` is a usage error (64) whatever the files hold.
    static func load(plans: [String], data: String, period: String, set: [String], earningCodes: String?,
                     reader: InputReader, records: Bool = true, deals: InputFile? = nil) -> Result<Loaded, CommandOutcome> {
        var outcome = CommandOutcome()
        let sets: [(name: String, text: String)]
        switch overrides(set) {
        case .success(let s): sets = s
        case .failure(let message): return .failure(usage(message.description))
        }
        if let bad = unreadablePeriod(period) { return .failure(bad) }
        var request: RunRequest
        var inputs: [InputRecord] = []
        var accounts: InputFile?
        do {
            let files = try reader.planFiles(plans)
            if let bad = badOverrides(files, sets) { return .failure(bad) }
            if let bad = badPeriod(period, plans: files, overrides: sets) { return .failure(bad) }
            let d = try reader.dataFiles(data, deals: deals)
            request = RunRequest(plans: files, deals: d.deals, roster: d.roster, assignments: d.assignments, fx: d.fx, hierarchy: d.hierarchy,
                                 period: period, overrides: sets)
            request.targets = d.targets
            request.activities = d.activities
            request.adjustments = d.adjustments
            request.payments = d.payments
            request.holds = d.holds
            accounts = d.accounts
            if records {
                inputs = files.map { InputRecord(role: "plan", path: $0.path, bytes: Array($0.text.utf8)) }
                inputs += [("deals", d.deals), ("roster", d.roster), ("assignments", d.assignments)].map { InputRecord(role: $0.0, path: $0.1.path, bytes: $0.1.bytes) }
                if let fx = d.fx { inputs.append(InputRecord(role: "fx", path: fx.path, bytes: fx.bytes)) }
                if let h = d.hierarchy { inputs.append(InputRecord(role: "hierarchy", path: h.path, bytes: h.bytes)) }
                if let t = d.targets {
                    inputs.append(InputRecord(role: "targets", path: t.targets.path, bytes: t.targets.bytes))
                    if let s = t.seasonality { inputs.append(InputRecord(role: "seasonality", path: s.path, bytes: s.bytes)) }
                }
                if let a = d.activities { inputs.append(InputRecord(role: "activities", path: a.path, bytes: a.bytes)) }
                if let a = d.adjustments { inputs.append(InputRecord(role: "adjustments", path: a.path, bytes: a.bytes)) }
                if let p = d.payments { inputs.append(InputRecord(role: "payments", path: p.path, bytes: p.bytes)) }
                if let h = d.holds { inputs.append(InputRecord(role: "holds", path: h.path, bytes: h.bytes)) }
                if let a = d.accounts { inputs.append(InputRecord(role: "accounts", path: a.path, bytes: a.bytes)) }
            }
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return .failure(outcome)
        }
        var codes = EarningCodes.standard
        if let path = earningCodes {
            do {
                let text = try reader.text(path)
                switch EarningCodes.parse(text, path: path) {
                case .success(let c): codes = c
                case .failure(let d):
                    outcome.stderr = DiagnosticRenderer.render(d, trailer: "; nothing was written")
                    outcome.exitCode = ExitCode.invalidInput
                    return .failure(outcome)
                }
                if records { inputs.append(InputRecord(role: "earning-codes", path: path, bytes: Array(text.utf8))) }
            } catch {
                outcome.stderr = "error: \(error)\n"
                outcome.exitCode = ExitCode.ioFailure
                return .failure(outcome)
            }
        }
        return .success(Loaded(request: request, codes: codes, inputs: inputs, accounts: accounts))
    }

    /// `attain run`: plans × data × period → statements (as files to write). No ledger: nothing was paid before.
    /// With a `stage`, each statement's files are written into it as the statement is made, and only the statement's
    /// totals are kept: the lines of every statement are never all in memory at once. The outcome's files are then the
    /// run's own (payroll, summary), for the caller to commit with the staged ones.
    /// `strict`: any warning is an error, and nothing is written.
    public static func run(plans: [String], data: String, period: String, set: [String], formats: [OutputFormat] = OutputFormat.allCases,
                           earningCodes: String? = nil, strict: Bool = false, reader: InputReader, progress: (@Sendable (String) -> Void)? = nil,
                           stage: OutputWriter.Stage? = nil, locale: ReportLocale = .english) -> CommandOutcome {
        var outcome = CommandOutcome()
        var request: RunRequest
        let codes: EarningCodes
        switch load(plans: plans, data: data, period: period, set: set, earningCodes: earningCodes, reader: reader, records: false) {
        case .failure(let o): return o
        case .success(let l):
            request = l.request
            codes = l.codes
        }
        // Payroll and the summary need amounts only; statements need every line's words.
        request.detail = formats.contains { $0.showsLines }
        // The inputs and the result stay with the outcome: the command line exits right after writing it, and freeing
        // a large run's inputs piece by piece took half a second at 10M deals.
        var kept: [any Sendable] = []
        let pages = Pages(locale)
        var data: DataSet?
        let made = staged(request, progress: progress, each: stage.map { writing(into: $0, formats: formats, statements: request.detail, pages: pages) },
                          keep: { prepared in
                              kept.append(prepared)
                              data = prepared.data
                              pages.context = PageContext(plans: request.plans, reps: prepared.data.reps, defaultLocale: locale)
                              if formats.contains(.jsonl), let stage, case .success(let p) = Engine.period(request.period, plans: prepared.plans) { stage.expect(PayeeOrder(prepared, period: p)) }
                          })
        if case .success(let result) = made { kept.append(result) }
        outcome.retained = kept
        switch made {
        case .failure(let diagnostics):
            outcome.stderr = DiagnosticRenderer.render(diagnostics, trailer: "; nothing was written")
            outcome.exitCode = ExitCode.invalidInput
        case .success(let result):
            let warnings = runWarnings(result.warnings, plans: result.plans)
            if refuse(warnings, reconciliation: result.reconciliation, strict: strict, into: &outcome, locale: locale) { return outcome }
            for left in result.leftToOtherKinds { outcome.stderr += "note: \(left.message(in: result.period, what: "run"))\n" }
            do {
                if let stage {
                    if let failure = stage.failure { throw failure }
                    outcome.files = try runFiles(result, formats: formats, codes: codes, streamed: true)
                } else {
                    outcome.files = try files(result, formats: formats, codes: codes, pages: pages.context)
                }
                outcome.files += pageFiles(result, formats: formats, pages: pages.context, data: data)
            } catch {
                outcome.stderr += "error: \(error)\n"
                outcome.exitCode = ExitCode.ioFailure
                return outcome
            }
            outcome.stderr += adjustmentsNote(request.adjustments)
            outcome.stdout = runDone(result.period, count: result.statements.count, paid: result.statements.map(\.paid), locale: locale)
        }
        return outcome
    }

    /// Puts a run's warnings and its reconciliation table on stderr. With `strict`, warnings are errors: the outcome
    /// fails with nothing written, and true is returned.
    static func refuse(_ warnings: Diagnostics, reconciliation: Reconciliation?, strict: Bool, into outcome: inout CommandOutcome,
                       trailer: String = "; nothing was written", locale: ReportLocale = .english) -> Bool {
        let table = reconciliation?.text(locale: locale) ?? ""
        guard strict, !warnings.items.isEmpty else {
            outcome.stderr += warnings.items.map(DiagnosticRenderer.render).joined(separator: "\n") + (warnings.items.isEmpty ? "" : "\n") + table
            return false
        }
        outcome.stderr += DiagnosticRenderer.render(strictly(warnings), trailer: trailer + " (--strict makes every warning an error)") + "\n" + table
        outcome.exitCode = ExitCode.invalidInput
        outcome.files = []
        return true
    }

    /// The checks the first close after imported opening balances makes of a period's run (`ImportedFigures.check`):
    /// their warnings join `warnings`; an error among them fails the outcome with all of them, and true is returned.
    static func failsImportCheck(_ checked: Diagnostics?, warnings: inout Diagnostics, into outcome: inout CommandOutcome,
                                 trailer: String = "; nothing was written") -> Bool {
        guard let checked, !checked.items.isEmpty else { return false }
        if checked.hasErrors {
            outcome.stderr += DiagnosticRenderer.render(Diagnostics(warnings.items + checked.items), trailer: trailer)
            outcome.exitCode = ExitCode.invalidInput
            return true
        }
        warnings.append(contentsOf: checked)
        return false
    }

    /// Warnings made errors, for `--strict`.
    static func strictly(_ warnings: Diagnostics) -> Diagnostics {
        Diagnostics(warnings.items.map { Diagnostic(.error, code: $0.code, $0.message, at: $0.span, notes: $0.notes) })
    }

    /// What is done with each statement as it is made when its files go straight to a stage: its files are made and
    /// written (its JSON Lines line added to `statements.jsonl`, which puts the lines in payee order), then only its
    /// totals and payroll lines are kept. A file that cannot be made or written is kept by the stage as its failure,
    /// and the run then fails. Without statements (a payroll-only run) the lines were summed already and nothing is
    /// written.
    static func writing(into stage: OutputWriter.Stage, formats: [OutputFormat], statements: Bool, pages: Pages) -> @Sendable (inout Statement) -> Void {
        { statement in
            guard statements else { return }
            do {
                try stageStatement(statement, statementContents(of: statement, formats: formats, pages: pages.context), into: stage, formats: formats)
            } catch {
                stage.fail(error)
            }
            statement.collapseLines()
        }
    }

    /// Writes one statement's files (`contents`, from `statementContents`) into the stage, and its line into
    /// `statements.jsonl` when that format is asked for.
    static func stageStatement(_ statement: Statement, _ contents: [(path: String, contents: OutputWriter.Contents)], into stage: OutputWriter.Stage,
                               formats: [OutputFormat]) throws {
        try stage.write(contents: contents)
        if formats.contains(.jsonl) {
            try stage.lines(at: "\(statement.period.label)/statements.jsonl").add(payee: statement.payeeID, StatementJSON.bytes(statement, compact: true))
        }
    }

    /// `Engine.run` in its two stages, reporting each (rows read, payees done, rates) when someone is watching.
    /// While payees are evaluated, how many are done is reported every `tick` seconds. The prepared inputs are handed
    /// to `keep` when given, so a caller about to exit need not wait for them to be freed.
    static func staged(_ request: RunRequest, history: LedgerHistory = .empty, progress: (@Sendable (String) -> Void)?,
                       each: (@Sendable (inout Statement) -> Void)? = nil, tick: Double = 0.5,
                       keep: ((PreparedRun) -> Void)? = nil) -> Result<RunResult, Diagnostics> {
        let clock = ContinuousClock()
        let t0 = clock.now
        progress?("reading \(request.deals.path) (\(request.deals.bytes.count / 1_000_000) MB)…")
        let prepared: PreparedRun
        switch Engine.prepare(request) {
        case .failure(let d): return .failure(d)
        case .success(let p): prepared = p
        }
        keep?(prepared)
        let period: Period
        switch Engine.period(request.period, plans: prepared.plans) {
        case .success(let p): period = p
        case .failure(let d): return .failure(d)
        }
        guard let progress else { return Engine.evaluate(prepared, period: period, history: history, detail: request.detail, each: each) }
        let read = seconds(clock.now - t0)
        progress("read \(prepared.dealCount) deal rows in \(String(format: "%.1f", read)) s (\(Int(Double(prepared.dealCount) / max(read, 0.001))) rows/s); evaluating \(prepared.data.reps.count) payees…")
        let t1 = clock.now
        let total = prepared.data.reps.count
        let done = Tally()
        let ticker = Ticker(every: tick) {
            let n = done.value, took = seconds(clock.now - t1)
            progress("evaluated \(n) of \(total) payees in \(String(format: "%.1f", took)) s (\(Int(Double(n) / max(took, 0.001))) payees/s)…")
        }
        let result = Engine.evaluate(prepared, period: period, history: history, detail: request.detail) { statement in
            each?(&statement)
            done.add()
        }
        ticker.stop()
        if case .success(let r) = result {
            let took = seconds(clock.now - t1)
            progress("evaluated \(r.statements.count) payees in \(String(format: "%.1f", took)) s (\(Int(Double(r.statements.count) / max(took, 0.001))) payees/s); writing…")
        }
        return result
    }

    /// A count kept by several cores.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0

        func add() {
            lock.lock()
            count += 1
            lock.unlock()
        }

        var value: Int {
            lock.lock()
            defer { lock.unlock() }
            return count
        }
    }

    /// Calls `tick` every `seconds` on a thread of its own until stopped; after `stop` returns it is not called again.
    final class Ticker: @unchecked Sendable {
        private let stopping = DispatchSemaphore(value: 0)
        private let stopped = DispatchSemaphore(value: 0)

        init(every seconds: Double, _ tick: @escaping @Sendable () -> Void) {
            let (stopping, stopped) = (self.stopping, self.stopped)
            Thread.detachNewThread {
                while stopping.wait(timeout: .now() + seconds) == .timedOut { tick() }
                stopped.signal()
            }
        }

        func stop() {
            stopping.signal()
            stopped.wait()
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Every output file of a run, by path under the output folder: statements in each format,
    /// the payroll file and the summary.
    static func files(_ result: RunResult, formats: [OutputFormat], codes: EarningCodes = .standard, pages: PageContext = PageContext()) throws -> [(path: String, text: String)] {
        // Each statement's files are made on all cores, in statement order.
        try Parallel.each(result.statements) { statementFiles(of: $0, formats: formats, pages: pages) }.joined() + runFiles(result, formats: formats, codes: codes)
    }

    /// One statement's files in the chosen formats, as text.
    static func statementFiles(of s: Statement, formats: [OutputFormat], pages: PageContext) -> [(path: String, text: String)] {
        statementContents(of: s, formats: formats, pages: pages).map { ($0.path, $0.contents.text) }
    }

    /// The page context of a run, set once its roster is read and before any statement is made (statements are made
    /// on all cores, and read it).
    final class Pages: @unchecked Sendable {
        var context: PageContext
        init(_ locale: ReportLocale) { context = PageContext(defaultLocale: locale) }
    }

    /// One statement's files as bytes to write as they are, without a copy of the JSON and XML into `String`s.
    static func statementContents(of s: Statement, formats: [OutputFormat], pages: PageContext) -> [(path: String, contents: OutputWriter.Contents)] {
        let name = "\(s.period.label)/statements/" + Engine.fileName(s.payeeID)
        var files: [(path: String, contents: OutputWriter.Contents)] = []
        if formats.contains(.json) { files.append((name + ".json", .json(StatementJSON.bytes(s)))) }
        if formats.contains(.xml) { files.append((name + ".xml", .bytes(StatementXML.bytes(s)))) }
        if formats.contains(.html) { files.append((name + ".html", .text(StatementHTML.render(s, context: pages)))) }
        return files
    }

    /// Every statement as one JSON Lines text: one compact statement a line, in the result's (payee id) order.
    static func jsonLines(_ statements: [Statement]) -> String {
        statements.map(jsonLine).joined()
    }

    /// A statement's line of `statements.jsonl`: the compact statement and its newline.
    static func jsonLine(_ s: Statement) -> String {
        OutputWriter.Contents.json(StatementJSON.bytes(s, compact: true)).text
    }

    /// The files of the run as a whole: the payroll file (when asked for), the summary, and `statements.jsonl` (when
    /// asked for) unless its lines were `streamed` into the stage as the statements were made (a run without
    /// statements still gets the file, empty).
    static func runFiles(_ result: RunResult, formats: [OutputFormat], codes: EarningCodes, streamed: Bool = false) throws -> [(path: String, text: String)] {
        // The two are made at once, on two cores.
        let payroll = formats.contains(.payroll)
        let made = Parallel.map(2) { i -> Result<String, ArithmeticError>? in
            if i == 1 { return .success(StatementJSON.summaryText(result)) }
            guard payroll else { return nil }
            do throws(ArithmeticError) { return .success(try PayrollCSV.render(result.statements, codes: codes)) } catch { return .failure(error) }
        }
        var out: [(path: String, text: String)] = []
        if let csv = made[0] ?? nil { out.append(("\(result.period.label)/payroll.csv", try csv.get())) }
        if formats.contains(.jsonl) && (!streamed || result.statements.isEmpty) {
            out.append(("\(result.period.label)/statements.jsonl", jsonLines(result.statements)))
        }
        out.append(("\(result.period.label)/summary.json", try made[1]!!.get()))
        return out
    }

    /// `attain validate`: check statement files against the published schema.
    public static func validate(files: [String], reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let validator: SchemaValidator
        let jsonValidator: JSONSchemaValidator
        do {
            validator = try SchemaValidator(xsd: StatementXML.schema)
            jsonValidator = try JSONSchemaValidator(schema: JSONSchemaValidator.statementSchema)
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        for file in files {
            guard FileManager.default.isReadableFile(atPath: reader.absolute(file)) else {
                outcome.stderr += "error: cannot read \(file)\n"
                outcome.exitCode = ExitCode.ioFailure
                continue
            }
            let problems: [String]
            let schemaName: String
            if file.hasSuffix(".json") {
                schemaName = "schemas/statement.schema.json"
                guard let json = try? reader.text(file) else {
                    outcome.stderr += "error: cannot read \(file) as UTF-8 text\n"
                    outcome.exitCode = ExitCode.ioFailure
                    continue
                }
                problems = jsonValidator.validate(json: json, path: file)
            } else {
                schemaName = "schemas/statement.xsd"
                problems = validator.validate(fileAt: reader.absolute(file)).map { $0.replacingOccurrences(of: reader.absolute(file), with: file) }
            }
            if problems.isEmpty {
                outcome.stdout += "\(file): valid against \(schemaName)\n"
            } else {
                outcome.stderr += problems.map { "\($0)\n" }.joined()
                if outcome.exitCode == ExitCode.ok { outcome.exitCode = ExitCode.invalidInput }
            }
        }
        return outcome
    }

    /// A total of the run's statements per currency, e.g. "1200.00 EUR, 394898.01 USD": what they paid, or another total.
    static func totalsLine(_ result: RunResult, _ amount: KeyPath<Statement, Money> = \.paid) -> String {
        totalsLine(result.statements.map { $0[keyPath: amount] })
    }

    /// Amounts added up per currency, e.g. "1200.00 EUR, 394898.01 USD"; "nothing" when there are none.
    static func totalsLine(_ amounts: [Money]) -> String {
        var sums: [String: Money] = [:]
        for m in amounts {
            sums[m.currency.code] = (try? (sums[m.currency.code] ?? .zero(m.currency)).adding(m)) ?? sums[m.currency.code]
        }
        if sums.isEmpty { return "nothing" }
        return sums.keys.sorted().map { "\(sums[$0]!.text) \($0)" }.joined(separator: ", ")
    }

    /// A run's warnings on the terminal: its own, and, without a ledger (nothing was paid before), one for each plan
    /// whose pay depends on what was.
    static func runWarnings(_ warnings: Diagnostics, plans: [CompiledPlan]) -> Diagnostics {
        var out = warnings
        for plan in plans {
            if let w = Diagnostic.withoutLedger(plan, command: "`attain run`", help: "use `attain close` to settle the period against the ledger") { out.append(w) }
        }
        return out
    }

    /// The note a run gives when the data folder has adjustments.csv (a close posts it), or nothing.
    static func adjustmentsNote(_ file: InputFile?) -> String {
        file.map { "note: \($0.path) is posted by `attain close`, against the ledger; this run leaves it out\n" } ?? ""
    }

    /// The line a run ends with: how many statements, and what they paid.
    static func runDone(_ period: Period, count: Int, paid: [Money], locale: ReportLocale) -> String {
        locale.text(count == 1 ? "table.run.done_one" : "table.run.done_many", period.description, String(count), totalsLine(paid)) + "\n"
    }

    /// `attain check`: parse and type-check plans, no data needed.
    public static func check(plans: [String], set: [String], reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let sets: [(name: String, text: String)]
        switch overrides(set) {
        case .success(let s): sets = s
        case .failure(let e): return usage(e.description)
        }
        let files: [SourceFile]
        do {
            files = try reader.planFiles(plans)
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        let (compiled, diagnostics) = Engine.compile(files, overrides: sets)
        if let bad = badOverrides(in: diagnostics) { return bad }
        outcome.stderr = diagnostics.items.isEmpty ? "" : DiagnosticRenderer.render(diagnostics)
        if diagnostics.hasErrors {
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        }
        for plan in compiled {
            outcome.stdout += "\(Diagnostics.visible(plan.path)): ok — \"\(Diagnostics.visible(plan.name))\" version \(Diagnostics.visible(plan.version)), \(plan.measures.count) measure\(plan.measures.count == 1 ? "" : "s"), \(plan.components.count) component\(plan.components.count == 1 ? "" : "s")\n"
        }
        return outcome
    }

    /// `attain explain`: print the evaluation tree of each plan.
    public static func explain(plans: [String], set: [String], reader: InputReader) -> CommandOutcome {
        var outcome = check(plans: plans, set: set, reader: reader)
        guard outcome.exitCode == ExitCode.ok, case .success(let sets) = overrides(set), let files = try? reader.planFiles(plans) else { return outcome }
        let (compiled, _) = Engine.compile(files, overrides: sets)
        outcome.stdout = compiled.map(TreePrinter.describe).joined(separator: "\n")
        return outcome
    }
}
