// Period close against the ledger: a dry run that shows what would be posted, `--commit` that posts and locks,
// the history of closes, and reopening a period with a recorded reason.
import Attain
import AttainLedger
import Foundation

extension Commands {
    /// The time recorded with a run: `ATTAIN_CLOCK` when set (for reproducible tests), otherwise now, in UTC.
    static func now() -> String {
        if let fixed = ProcessInfo.processInfo.environment["ATTAIN_CLOCK"], !fixed.isEmpty { return fixed }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }

    /// How long a write waits for another process's write lock: `ATTAIN_LEDGER_WAIT` seconds when set (for tests),
    /// otherwise 10 s.
    static func ledgerWait() -> Double {
        if let text = ProcessInfo.processInfo.environment["ATTAIN_LEDGER_WAIT"], let s = Double(text), s >= 0 { return s }
        return Ledger.defaultBusyTimeout
    }

    /// A `--ledger` value as commands use it: a postgres:// URL's password taken out of every message (kept aside for
    /// connecting), anything else as given.
    public static func ledgerName(_ value: String) -> String { LedgerServer.hidingPassword(value) }

    static func openLedger(_ path: String, reader: InputReader, outcome: inout CommandOutcome) -> Ledger? {
        do {
            return try Ledger(path: reader.absolute(path), busyTimeout: ledgerWait())
        } catch {
            ledgerError(error, ledgerPath: path, absolute: reader.absolute(path), into: &outcome)
            return nil
        }
    }

    /// An error of the ledger put in words on the outcome: damaged (exit 5), busy (exit 6), or any other as a file that
    /// could not be read or written (exit 2), the ledger's `absolute` path shown as it was given.
    static func ledgerError(_ error: any Error, ledgerPath: String, absolute: String? = nil, into outcome: inout CommandOutcome) {
        if ledgerFailure(error, ledgerPath: ledgerPath, into: &outcome) { return }
        let text = "error: \(error)\n"
        outcome.stderr += absolute.map { text.replacingOccurrences(of: $0, with: ledgerPath) } ?? text
        outcome.exitCode = ExitCode.ioFailure
        outcome.files = []
    }

    /// A ledger's refusal of a command (`LedgerError`: exit 4, its words), or any other error as `ledgerError` says it.
    static func ledgerRefusal(_ error: any Error, ledgerPath: String, into outcome: inout CommandOutcome) {
        if let e = error as? LedgerError {
            outcome.stderr = "error: \(e)\n"
            outcome.exitCode = ExitCode.refused
        } else {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
    }

    /// A damaged ledger (exit 5) or a busy one (exit 6) put in words on the outcome; false for any other error.
    private static func ledgerFailure(_ error: any Error, ledgerPath: String, into outcome: inout CommandOutcome) -> Bool {
        switch Ledger.classified(error, waited: ledgerWait()) {
        case let d as LedgerDamaged:
            outcome.stderr += "error: the ledger \(ledgerPath) is damaged (quick_check: \(d.detail)); nothing was changed; restore it from a backup\n"
            outcome.exitCode = ExitCode.ledgerDamaged
        case let b as LedgerBusy:
            outcome.stderr += "error: another close is running on \(ledgerPath) (waited \(b.waitedText)); try again when it has finished\n"
            outcome.exitCode = ExitCode.ledgerBusy
        default:
            return false
        }
        outcome.files = []
        return true
    }

    /// How the inputs of this close differ from those the locking run recorded, in words; nil when they are the same:
    /// for each role (plan, deals, roster, …) the same files by path and SHA-256. The paths count: statements name
    /// their plan files, so the same plans read from another folder make other statements.
    static func inputsDiffer(_ now: [InputRecord], from then: [(role: String, path: String, sha256: String)], run: Int64) -> String? {
        var roles: [String] = []
        for r in now.map(\.role) + then.map(\.role) where !roles.contains(r) { roles.append(r) }
        var differences: [String] = []
        for role in roles {
            let n = now.filter { $0.role == role }.map { (path: $0.path, sha256: $0.sha256) }
            let t = then.filter { $0.role == role }.map { (path: $0.path, sha256: $0.sha256) }
            // One file of the role on each side (deals, roster, …): the same file, changed, or read from elsewhere.
            if n.count == 1, t.count == 1 {
                if n[0].sha256 != t[0].sha256 {
                    differences.append("\(role) file \(n[0].path) has changed (sha256 \(t[0].sha256.prefix(12))… at run \(run), \(n[0].sha256.prefix(12))… now)")
                } else if n[0].path != t[0].path {
                    differences.append("\(role) file \(n[0].path) was read as \(t[0].path) by run \(run) (the same bytes)")
                }
                continue
            }
            for x in n where !t.contains(where: { $0.sha256 == x.sha256 && $0.path == x.path }) {
                if let same = t.first(where: { $0.sha256 == x.sha256 }) {
                    differences.append("\(role) file \(x.path) was read as \(same.path) by run \(run) (the same bytes)")
                } else if t.contains(where: { $0.path == x.path }) {
                    differences.append("\(role) file \(x.path) has changed since run \(run)")
                } else {
                    differences.append("\(role) file \(x.path) was not an input of run \(run)")
                }
            }
            for x in t where !n.contains(where: { $0.sha256 == x.sha256 || $0.path == x.path }) {
                differences.append("run \(run) read \(role) file \(x.path), which is not among these inputs")
            }
        }
        return differences.isEmpty ? nil : differences.joined(separator: "; ")
    }

    /// `attain close`: runs the period against the ledger's history. Without `commit` it posts nothing and shows each
    /// payee's totals and what changed since the last dry run; with `commit` it posts every statement and locks the period.
    ///
    /// With a `stage`, every output is written into it and checked (`Stage.check`) before anything is posted: when the
    /// files cannot be written, nothing is posted (exit 2). The caller commits the stage after. A period already closed
    /// with the same inputs (the files, by path and SHA-256, that its locking run recorded) is not refused: it is
    /// evaluated again against the history before it, each statement's JSON is checked against the document posted for
    /// it, and its outputs are written again; that is how a close killed after posting gets its files.
    ///
    /// A close that fails or refuses leaves no ledger behind that it created itself with nothing in it.
    public static func close(plans: [String], data: String, period: String, set: [String], ledgerPath: String, commit: Bool,
                             formats: [OutputFormat] = OutputFormat.allCases, earningCodes: String? = nil, clock: String? = nil,
                             strict: Bool = false, all: Bool = false, reader: InputReader, progress: (@Sendable (String) -> Void)? = nil,
                             stage: OutputWriter.Stage? = nil, locale: ReportLocale = .english, by: String? = nil) -> CommandOutcome {
        close(ledgerPath: ledgerPath, reader: reader) {
            closeLedger(plans: plans, data: data, period: period, set: set, ledgerPath: ledgerPath, commit: commit, formats: formats,
                        earningCodes: earningCodes, clock: clock, strict: strict, all: all, reader: reader, progress: progress, stage: stage,
                        locale: locale, by: by)
        }
    }

    /// A close of any source (`closeLedger`), leaving no ledger behind that it created itself with nothing in it.
    static func close(ledgerPath: String, reader: InputReader, _ closing: () -> CommandOutcome) -> CommandOutcome {
        let file = reader.absolute(ledgerPath)
        let existed = FileManager.default.fileExists(atPath: file)
        let outcome = closing()
        if !existed && outcome.exitCode != ExitCode.ok && FileManager.default.fileExists(atPath: file),
           let ledger = try? Ledger(readingOnly: file), (try? ledger.runs().isEmpty) == true {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        }
        return outcome
    }

    /// What a close's statements came to, wherever they were made: each payee's figures in payee id order, the run's
    /// messages, reconciliation and the plans its statements used, and the run's own files, made once the close is not
    /// refused (payroll.csv, summary.json, statements.jsonl without statements; then HTML pages).
    struct CloseEvaluation {
        let period: Period
        let payees: [StatementJSON.SummaryEntry]
        let plans: [CompiledPlan]
        let warnings: Diagnostics
        let reconciliation: Reconciliation?
        let left: [LeftToOtherKind]
        let files: () throws -> (run: [(path: String, text: String)], pages: [(path: String, text: String)])
    }

    /// What a close's evaluation is given: the request, the ledger history to settle against (with manual inputs and
    /// holds), the sink every statement goes through, and the trailer and stderr of a failure's message.
    struct CloseInputs {
        let request: RunRequest
        let history: LedgerHistory
        let sink: CloseSink
        let trailer: String
        let stderr: String
    }

    /// Makes a close's statements, each through the sink; throws the outcome of a failure.
    typealias CloseEvaluator = (CloseInputs) throws(CommandOutcome) -> CloseEvaluation

    /// adjustments.csv's rows, when the data folder has the file; a bad row is the outcome to return.
    static func manualAdjustments(_ request: RunRequest, trailer: String) -> Result<[ManualAdjustment], CommandOutcome> {
        guard let file = request.adjustments else { return .success([]) }
        switch ManualAdjustments.parse(file) {
        case .success(let rows): return .success(rows)
        case .failure(let d):
            var outcome = CommandOutcome()
            outcome.stderr = DiagnosticRenderer.render(d, trailer: trailer)
            outcome.exitCode = ExitCode.invalidInput
            return .failure(outcome)
        }
    }

    /// What a close settles against: the ledger's history before the period (the posted lines `lines` keeps), its
    /// disputes and posted manual adjustments with adjustments.csv's rows, and the holds put on by hand (`attain hold`)
    /// and not released, whose pay the close holds.
    static func closeHistory(_ ledger: Ledger, period: Period, roster: String?, adjustments: [ManualAdjustment], lines: PostedLineFilter = .all) throws -> LedgerHistory {
        var read = try ledger.history(before: period, roster: roster, lines: lines)
        try ledger.manualInputs(before: period, into: &read)
        read.manual.adjustments = adjustments
        read.holds = try ledger.holds(active: true).map(\.handHold)
        return read
    }

    /// A close. `evaluator`: where its statements come from (nil: the engine, over the data folder's deals). `deals`:
    /// the deal rows when they are not the data folder's deals.csv (a shard close's posting step reads none), and
    /// `dealsRecord` the deals input recorded for them.
    static func closeLedger(plans: [String], data: String, period: String, set: [String], ledgerPath: String, commit: Bool,
                            formats: [OutputFormat], earningCodes: String?, clock: String?, strict: Bool, all: Bool, reader: InputReader,
                            progress: (@Sendable (String) -> Void)?, stage: OutputWriter.Stage?, locale: ReportLocale, by: String?,
                            deals: InputFile? = nil, dealsRecord: InputRecord? = nil, evaluator: CloseEvaluator? = nil) -> CommandOutcome {
        var outcome = CommandOutcome()
        var loaded: Loaded
        switch load(plans: plans, data: data, period: period, set: set, earningCodes: earningCodes, reader: reader, deals: deals) {
        case .failure(let o): return o
        case .success(let l): loaded = l
        }
        if let dealsRecord { loaded.inputs = loaded.inputs.map { $0.role == "deals" ? dealsRecord : $0 } }
        let p: Period
        let (compiled, planErrors) = Engine.compile(loaded.request.plans, overrides: loaded.request.overrides)
        if planErrors.hasErrors {
            outcome.stderr = DiagnosticRenderer.render(planErrors, trailer: commit ? "; nothing was posted or written" : "; nothing was written")
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        }
        switch Engine.period(period, plans: compiled) {
        case .success(let x): p = x
        case .failure(let d):
            outcome.stderr = DiagnosticRenderer.render(d)
            outcome.exitCode = ExitCode.usage
            return outcome
        }
        // adjustments.csv is read before the ledger is touched: a bad row changes nothing.
        let adjustments: [ManualAdjustment]
        switch manualAdjustments(loaded.request, trailer: commit ? "; nothing was posted or written" : "; nothing was written") {
        case .failure(let o): return o
        case .success(let rows): adjustments = rows
        }
        // accounts.csv, when the data folder has one, is among them (role `accounts`).
        let inputs = loaded.inputs
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        var history: LedgerHistory
        let imported: ImportedFigures?
        let voided: VoidedPosting?
        // The run that locked the period, when this close writes its outputs again (same inputs).
        var rewriting: Int64?
        do {
            if let run = try ledger.closedOutside(p) {
                outcome.stderr = "error: \(Ledger.closedOutsideMessage(p, run: run))\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
            if let run = try ledger.lockingRun(p) {
                if let differs = inputsDiffer(inputs, from: try ledger.inputs(ofRun: run), run: run) {
                    outcome.stderr = "error: \(p) is already closed (run \(run)) with other inputs: \(differs); reopen it first with `attain reopen --period \(p) --reason \"…\"`\n"
                    outcome.exitCode = ExitCode.refused
                    return outcome
                }
                rewriting = run
            } else {
                if let later = try ledger.locksAfter(p).first {
                    outcome.stderr = "error: \(later) is already closed, and periods close in order; \(p) cannot be closed after it\n"
                    outcome.exitCode = ExitCode.refused
                    return outcome
                }
                if let gap = try ledger.missing(before: p) {
                    if commit {
                        outcome.stderr = "error: \(gap) is not closed yet, and periods close in order; close \(gap) before \(p)\n"
                        outcome.exitCode = ExitCode.refused
                        return outcome
                    }
                    outcome.stderr = "warning: \(gap) is not closed yet; this dry run of \(p) does not know what \(gap) will pay\n"
                }
            }
            history = try closeHistory(ledger, period: p, roster: inputs.first { $0.role == "roster" }?.sha256, adjustments: adjustments,
                                       lines: evaluator == nil ? .all : .none)
            imported = try ledger.importedFigures(before: p)
            // A period reopened and closed again: what its voided posting sent payroll (before the locking run, when
            // this close writes a re-close's outputs again).
            voided = formats.contains(.payroll) ? try ledger.voidedPosting(of: p, before: rewriting) : nil
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
            return outcome
        }
        let trailer = commit && rewriting == nil ? "; nothing was posted or written" : "; nothing was written"
        // The journal and capitalized commissions, when accounts.csv or contract terms ask for them.
        let accounting: CloseAccounting?
        switch closeAccounting(accounts: loaded.accounts, request: loaded.request, plans: compiled, period: p, ledger: ledger, trailer: trailer) {
        case .failure(let o): return o
        case .success(let a): accounting = a
        }
        if evaluator != nil, accounting != nil {
            outcome.stderr = "error: a close through shards does not make a journal or capitalize commissions yet (accounts.csv, contract terms); close this period with `attain close`\n"
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        }
        let parts = accounting.map { JournalParts($0.journal) }
        // Statements need every line's words; a dry run writing payroll only, with nothing to settle against, needs
        // amounts only, as `attain run --format payroll` does.
        var request = loaded.request
        request.detail = formats.contains { $0.showsLines } || commit || rewriting != nil || !history.settlesAlone || accounting != nil
        let sink = CloseSink(stage: stage, formats: formats, digests: rewriting != nil, documents: commit && rewriting == nil)
        if commit && rewriting == nil { sink.manualPayees = Set(history.manual.pending.map(\.payeeID)) }
        outcome.stderr += alreadyPostedNote(history.manual)
        sink.journal = parts
        var journalRows: [JournalRow]?
        let previous: [String: (currency: String, paid: String)]
        do {
            previous = rewriting == nil ? try ledger.preview(p) : [:]
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
            return outcome
        }
        var kept: [any Sendable] = []
        /// With `voided`: the posting payroll was sent and what this one adds and takes back per currency.
        var difference: (posting: VoidedPosting, totals: [PayrollDifference.Total])?
        /// The engine's evaluation of the period, every statement going through the sink as it is made.
        func engine(_ given: CloseInputs) throws(CommandOutcome) -> CloseEvaluation {
            var data: DataSet?
            let order = { (prepared: PreparedRun) in
                kept.append(prepared)
                data = prepared.data
                sink.pages.context = PageContext(plans: request.plans, reps: prepared.data.reps, defaultLocale: locale)
                if formats.contains(.jsonl), let stage { stage.expect(PayeeOrder(prepared, period: p)) }
            }
            let result: RunResult
            switch staged(given.request, history: given.history, progress: progress, each: { sink.take(&$0) }, keep: order) {
            case .failure(let diagnostics):
                var failed = CommandOutcome()
                failed.stderr = given.stderr + DiagnosticRenderer.render(diagnostics, trailer: given.trailer)
                failed.exitCode = ExitCode.invalidInput
                throw failed
            case .success(let r): result = r
            }
            kept.append(result)
            return CloseEvaluation(period: result.period, payees: result.statements.map(StatementJSON.SummaryEntry.init), plans: result.plans,
                                   warnings: result.warnings, reconciliation: result.reconciliation, left: result.leftToOtherKinds) {
                // statements.jsonl is streamed into the stage, or made by the sink without one.
                (try runFiles(result, formats: stage == nil ? formats.filter { $0 != .jsonl } : formats, codes: loaded.codes, streamed: true),
                 pageFiles(result, formats: formats, pages: sink.pages.context, data: data))
            }
        }
        /// Evaluates the period, every statement going through the sink as it is made, then makes the checks and the
        /// run's own files; any refusal is thrown as the outcome to return.
        func evaluate() throws(CommandOutcome) -> CloseEvaluation {
            var failed = outcome
            let result = try (evaluator ?? engine)(CloseInputs(request: request, history: history, sink: sink, trailer: trailer, stderr: outcome.stderr))
            // The first close after an import of opening balances checks them against what this close pays.
            var warnings = result.warnings
            if let accounting { warnings.append(contentsOf: accounting.warnings) }
            if failsImportCheck(imported?.check(result.period, payees: result.payees, plans: result.plans), warnings: &warnings, into: &failed, trailer: trailer) { throw failed }
            if refuse(warnings, reconciliation: result.reconciliation, strict: strict, into: &failed, trailer: trailer, locale: locale) { throw failed }
            for left in result.left { failed.stderr += "note: \(left.message(in: p, what: "close"))\n" }
            outcome.stderr = failed.stderr
            do {
                if let failure = sink.failure ?? parts?.firstFailure { throw failure }
                let made = try result.files()
                var files = made.run
                files.append(("\(p.label)/close.csv", closeCSV(result.payees, previous: previous)))
                if let voided {
                    let now = result.payees.map { PayrollDifference.Paid(payeeID: $0.payeeID, name: $0.payeeName, amount: $0.paid) }
                    let rows = try PayrollDifference.rows(sent: voided.paid, now: now)
                    files.append(("\(p.label)/payroll-difference.csv", PayrollDifference.render(rows, period: p.label)))
                    difference = (voided, try PayrollDifference.totals(rows))
                }
                files += made.pages
                if let parts, parts.journal.chart != nil {
                    let rows = CloseJournal.journal(parts.all, period: p)
                    journalRows = rows
                    files.append(("\(p.label)/journal.csv", Journal.csv(rows)))
                }
                // Every file staged and every place checked before the ledger commits: files that cannot be written
                // post nothing.
                if let stage {
                    try stage.write(files)
                    try stage.check()
                } else {
                    outcome.files = sink.files(period: p) + files
                }
            } catch {
                failed.stderr += "error: \(error)\(commit && rewriting == nil ? "; nothing was posted" : "; nothing was written")\n"
                failed.exitCode = ExitCode.ioFailure
                failed.files = []
                throw failed
            }
            return result
        }
        let written = stage.map { " to " + OutputWriter.joined($0.folder, p.label) } ?? ""
        let table = stage.map { OutputWriter.joined($0.folder, "\(p.label)/close.csv") }
        // Ids and paths among Persian words keep their order in the terminal's headings.
        func iso(_ s: String) -> String { locale.isRightToLeft ? isolated(s) : s }
        let at = clock ?? now()
        // What an approval signs: the files, the `--set` values, and the holds put on by hand in the ledger (they
        // change what the close pays as much as a file does).
        var signed = inputs
        if !history.holds.isEmpty {
            let holds = history.holds.map { "\($0.source)\t\($0.payeeID ?? "")\t\($0.dealID ?? "")\t\($0.reason)\t\($0.by ?? "")\n" }.sorted().joined()
            signed.append(InputRecord(role: "ledger holds", path: "", bytes: Array(holds.utf8)))
        }
        let digest = Ledger.inputsDigest(signed, overrides: loaded.request.overrides)
        do {
            if let run = rewriting {
                _ = try evaluate()
                let posted = try ledger.documentDigests(ofRun: run)
                let made = sink.madeDigests
                if posted.count != made.count || posted.contains(where: { made[$0.key] != $0.value.sha256 }) {
                    let differs = Set(posted.keys).symmetricDifference(made.keys).sorted().first
                        ?? made.keys.sorted().first { posted[$0]?.sha256 != made[$0] } ?? ""
                    let engine = try ledger.runs().first { $0.id == run }?.engineVersion ?? "?"
                    outcome.stderr += "error: \(p) is already closed (run \(run), engine \(engine)) with these same inputs, but the statement of `\(differs)` made now (engine \(Engine.version)) is not the one posted: another engine, or other `--set` overrides; nothing was written\n"
                    outcome.exitCode = ExitCode.refused
                    outcome.files = []
                    return outcome
                }
                outcome.stdout = "\(p) is already closed by run \(run) with these same inputs; its outputs were written again\(written)\n"
            } else if commit {
                if let refusal = try approvalRefusal(ledger, period: p, inputs: digest) {
                    outcome.stderr += refusal
                    outcome.exitCode = ExitCode.refused
                    outcome.files = []
                    return outcome
                }
                var result: CloseEvaluation?
                let run = try ledger.post(period: p, inputs: inputs, at: at, engineVersion: Engine.version, pause: pauseHook(),
                                          capitalized: parts.map { parts in { CloseJournal.capitalized(parts.all) } }) { posting in
                    sink.posting = posting
                    result = try evaluate()
                    // Each manual line, and the dispute it resolves, in the posting's transaction.
                    try posting.postManual(sink.manualLines, at: at, by: by)
                }
                let posted = result!.payees.count
                outcome.stdout = closeTable(result!.payees, period: p, previous: previous, all: all, file: table, locale: locale,
                                            heading: locale.text(posted == 1 ? "table.close.closed_one" : "table.close.closed_many", iso(p.description), String(run),
                                                                 String(posted), iso(ledgerPath)))
                outcome.stdout += payrollDifferenceLines(difference, period: p, folder: stage?.folder, locale: locale)
                outcome.writeFailureNote = "; \(p) is posted (run \(run)): run the same command again to write its outputs"
            } else {
                let result = try evaluate()
                try ledger.savePreview(p, payees: result.payees, at: at)
                try ledger.saveDryRun(period: p.label, at: at, preparedBy: by, inputs: digest)
                outcome.stdout = closeTable(result.payees, period: p, previous: previous, all: all, file: table, locale: locale,
                                            heading: locale.text("table.close.dry_run", iso(p.description), iso(ledgerPath)))
                outcome.stdout += payrollDifferenceLines(difference, period: p, folder: stage?.folder, locale: locale)
                outcome.stdout += locale.text("table.close.to_commit", iso(p.description)) + "\n"
            }
        } catch let refused as CommandOutcome {
            return refused
        } catch let e as LedgerError {
            outcome.stderr += "error: \(e)\n"
            outcome.exitCode = ExitCode.refused
            outcome.files = []
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        if outcome.exitCode == ExitCode.ok, let journalRows {
            let file = stage.map { OutputWriter.joined($0.folder, "\(p.label)/journal.csv") } ?? "\(p.label)/journal.csv"
            outcome.stdout += journalNote(journalRows, file: file, locale: locale)
        }
        outcome.retained = kept
        return outcome
    }

    /// Where each statement of a close goes as it is made, on any core: its files into the stage (or kept, without
    /// one), its JSON document to the ledger's posting or its digest kept for a rerun's check; then only its totals
    /// and payroll lines are kept. The first failure is kept and later statements are only counted.
    final class CloseSink: @unchecked Sendable {
        let stage: OutputWriter.Stage?
        let formats: [OutputFormat]
        let keepDigests: Bool
        let needsDocument: Bool
        var posting: LedgerPosting?
        /// Payees whose manual adjustment lines are kept as they are posted (a commit with adjustments.csv rows to post).
        var manualPayees: Set<String> = []
        private var manual: [PostedManualLine] = []
        /// With a journal or capitalized commissions to work out: each statement's part, taken before its lines collapse.
        var journal: JournalParts?
        /// Set once the roster is read, before the first statement.
        let pages = Pages(.english)
        private let lock = NSLock()
        private var kept: [(path: String, text: String)] = []
        /// Without a stage, with `jsonl`: each statement's line of statements.jsonl, by payee id.
        private var lines: [(payee: String, text: String)] = []
        private var digests: [String: String] = [:]
        private var firstFailure: (any Error)?

        init(stage: OutputWriter.Stage?, formats: [OutputFormat], digests: Bool, documents: Bool) {
            self.stage = stage
            self.formats = formats
            keepDigests = digests
            needsDocument = digests || documents
        }

        func take(_ statement: inout Statement) {
            guard failure == nil else { return }
            do {
                let contents = statementContents(of: statement, formats: formats, pages: pages.context)
                if needsDocument {
                    // The document posted is the statement's JSON file, made once when it is written too.
                    let json = "\(statement.period.label)/statements/\(Engine.fileName(statement.payeeID)).json"
                    let document = contents.first { $0.path == json }?.contents.text ?? StatementJSON.text(statement)
                    try posting?.add(statement, document: document)
                    if manualPayees.contains(statement.payeeID) { keepManual(statement) }
                    if keepDigests {
                        let digest = Ledger.digest(document).sha256
                        lock.withLock { digests[statement.payeeID] = digest }
                    }
                }
                if let stage {
                    try stageStatement(statement, contents, into: stage, formats: formats)
                } else {
                    let files = contents.map { ($0.path, $0.contents.text) }
                    let line = formats.contains(.jsonl) ? jsonLine(statement) : nil
                    lock.withLock {
                        kept.append(contentsOf: files)
                        if let line { lines.append((statement.payeeID, line)) }
                    }
                }
            } catch {
                lock.withLock { if firstFailure == nil { firstFailure = error } }
            }
            journal?.take(statement)
            statement.collapseLines()
        }

        /// The statement's manual adjustment lines, kept.
        private func keepManual(_ s: Statement) {
            let found = CloseSink.manualLines(of: s)
            if !found.isEmpty { lock.withLock { manual += found } }
        }

        /// A statement's manual adjustment lines, by their place on it.
        static func manualLines(of s: Statement) -> [PostedManualLine] {
            var found: [PostedManualLine] = []
            for (seq, l) in s.lines.enumerated() {
                if let id = l.manualAdjustment {
                    found.append(PostedManualLine(adjustmentID: id, payeeID: s.payeeID, seq: seq, amount: l.amount, source: l.source, dispute: l.dispute))
                }
            }
            return found
        }

        /// A payee's statement as a shard made it (`attain shard evaluate --ledger`): posted as the shard posted it,
        /// its files written as the shard wrote them.
        func take(_ record: ShardCommands.PayeeRecord, period: Period) {
            guard failure == nil else { return }
            let payee = record.entry.payeeID
            do {
                if needsDocument {
                    guard let posted = record.posted else {
                        throw LedgerError("the record of payee `\(payee)` has no statement to post: give `attain shard evaluate` the same `--ledger`")
                    }
                    try posting?.add(posted)
                    if manualPayees.contains(payee), let lines = record.manual, !lines.isEmpty { lock.withLock { manual += lines } }
                    if keepDigests { lock.withLock { digests[payee] = posted.sha256 } }
                }
                if let stage {
                    try ShardCommands.stage(record, period: period, formats: formats, into: stage)
                } else {
                    let line = formats.contains(.jsonl) ? record.jsonl : nil
                    lock.withLock {
                        kept.append(contentsOf: record.files.map { ($0[0], $0[1]) })
                        if let line { lines.append((payee, line)) }
                    }
                }
            } catch {
                lock.withLock { if firstFailure == nil { firstFailure = error } }
            }
        }

        /// The manual adjustment lines posted, by payee and line.
        var manualLines: [PostedManualLine] {
            lock.withLock { manual.sorted { ($0.payeeID, $0.seq) < ($1.payeeID, $1.seq) } }
        }

        var failure: (any Error)? { lock.withLock { firstFailure } }
        /// Without a stage: every statement file, sorted by path, and statements.jsonl when asked for.
        func files(period: Period) -> [(path: String, text: String)] {
            lock.withLock {
                var out = kept.sorted { $0.path < $1.path }
                if formats.contains(.jsonl) {
                    out.append(("\(period.label)/statements.jsonl", lines.sorted { $0.payee < $1.payee }.map(\.text).joined()))
                }
                return out
            }
        }
        var madeDigests: [String: String] { lock.withLock { digests } }
    }

    /// For the crash and race tests: with `ATTAIN_PAUSE_DURING_POST=<file>`, posting writes that file and waits inside
    /// its transaction, 60 s or `ATTAIN_PAUSE_SECONDS`.
    static func pauseHook() -> (() -> Void)? {
        let env = ProcessInfo.processInfo.environment
        guard let marker = env["ATTAIN_PAUSE_DURING_POST"], !marker.isEmpty else { return nil }
        let seconds = env["ATTAIN_PAUSE_SECONDS"].flatMap(Double.init) ?? 60
        return {
            _ = FileManager.default.createFile(atPath: marker, contents: Data("posting\n".utf8))
            Thread.sleep(forTimeInterval: seconds)
        }
    }

    /// What payroll must add and take back per currency against the voided posting of a reopened period, and where
    /// each payee's difference is; empty when the period was not reopened.
    static func payrollDifferenceLines(_ difference: (posting: VoidedPosting, totals: [PayrollDifference.Total])?, period: Period, folder: String?,
                                       locale: ReportLocale) -> String {
        guard let (posting, totals) = difference else { return "" }
        func iso(_ s: String) -> String { locale.isRightToLeft ? isolated(s) : s }
        var out = ""
        for t in totals {
            out += locale.text("table.close.payroll_difference", String(posting.run), String(posting.voidedBy), iso(t.adds.text), t.currency.code, iso(t.takesBack.text)) + "\n"
        }
        let file = folder.map { OutputWriter.joined($0, "\(period.label)/payroll-difference.csv") } ?? "\(period.label)/payroll-difference.csv"
        return out + locale.text("table.close.payroll_difference_file", iso(Diagnostics.visible(file))) + "\n"
    }

    /// How many payees a close's table lists on the terminal before it shows a summary instead (`--all` lists all).
    static let fullTableLimit = 50

    /// One row per payee, and per payee no longer paid since the last dry run: payee, name, plan, earned, adjustments,
    /// paid, currency, and the change since the last dry run ("new", "same", "+12.00", "no longer paid (was …)");
    /// with the change as a number for ranking (a new payee's pay, a payee no longer paid's pay taken off).
    static func closeRows(_ payees: [StatementJSON.SummaryEntry], previous: [String: (currency: String, paid: String)]) -> [(cells: [String], change: ExactDecimal?)] {
        var rows: [(cells: [String], change: ExactDecimal?)] = []
        for s in payees {
            var change = previous.isEmpty ? "" : "new"
            var amount: ExactDecimal? = previous.isEmpty ? nil : s.paid.amount
            if let before = previous[s.payeeID], case .success(let b) = ExactDecimal.parse(before.paid) {
                amount = try? s.paid.amount.subtracting(b)
                if let d = amount { change = d.isZero ? "same" : (d.isNegative ? "" : "+") + Money(d, s.currency).text }
            }
            rows.append(([s.payeeID, s.payeeName, s.planName, s.earned.text, s.adjustments.text, s.paid.text, s.currency.code, change], amount))
        }
        let gone = Set(previous.keys).subtracting(payees.map(\.payeeID)).sorted()
        for id in gone {
            let was = previous[id]!
            rows.append(([id, "", "", "", "", "", was.currency, "no longer paid (was \(was.paid))"], (try? ExactDecimal.parse(was.paid).get())?.negated()))
        }
        return rows
    }

    static let closeHeader = ["payee", "name", "plan", "earned", "adjustments", "paid", "currency", "since last dry run"]

    /// The close table's header and cells in `locale`: the change column's words (`new`, `same`, `no longer paid`) are
    /// the CSV's in English, and the table's in the terminal's language; ids and amounts isolated under Persian.
    static func closeLines(_ rows: [[String]], locale: ReportLocale) -> String {
        func t(_ key: String, _ args: String...) -> String { locale.text("table.close." + key, arguments: args) }
        let header = ["payee", "name", "plan", "earned", "adjustments", "paid", "currency", "since_last"].map { t("col." + $0) }
        let cells = rows.map { row -> [String] in
            var row = row
            if row.count > 7 {
                if row[7] == "new" { row[7] = t("new") } else if row[7] == "same" { row[7] = t("same") }
                else if row[7].hasPrefix("no longer paid (was "), row[7].hasSuffix(")") {
                    row[7] = t("gone", String(row[7].dropFirst("no longer paid (was ".count).dropLast()))
                }
            }
            return row
        }
        return TextTable.render([header] + cells, numeric: { [3, 4, 5].contains($0) }, locale: locale, isolate: { $0 != 7 })
    }

    /// What a close shows on the terminal: each payee's totals with the change since the last dry run, and the totals
    /// per currency. Past `fullTableLimit` payees (unless `all`), a summary instead: how many payees and how many
    /// changed, the totals, the 20 largest changes (or payouts, without an earlier dry run), and where the full table is.
    static func closeTable(_ payees: [StatementJSON.SummaryEntry], period: Period, previous: [String: (currency: String, paid: String)], all: Bool = false,
                           file: String? = nil, locale: ReportLocale = .english, heading: String) -> String {
        func t(_ key: String, _ args: String...) -> String { locale.text("table.close." + key, arguments: args) }
        let rows = closeRows(payees, previous: previous)
        let count = payees.count
        func iso(_ s: String) -> String { locale.isRightToLeft ? isolated(s) : s }
        let total = t(count == 1 ? "total_one" : "total_many", iso(totalsLine(payees.map(\.paid))), String(count)) + "\n"
        if all || rows.count <= fullTableLimit {
            return heading + "\n" + closeLines(rows.map(\.cells), locale: locale) + total
        }
        var out = heading + "\n"
        let shown: [(cells: [String], change: ExactDecimal?)]
        let totals = t("totals", iso(totalsLine(payees.map(\.earned))), iso(totalsLine(payees.map(\.adjustments)))) + "\n"
        if previous.isEmpty {
            out += t("no_dry_run", String(count), iso(period.description)) + "\n"
            out += totals
            out += t("largest_payouts") + "\n"
            let paid = rows.map { (try? ExactDecimal.parse($0.cells[5]).get()) ?? .zero }
            shown = rows.indices.sorted { paid[$0] != paid[$1] ? paid[$0] > paid[$1] : rows[$0].cells[0] < rows[$1].cells[0] }.prefix(20).map { rows[$0] }
        } else {
            let kinds = rows.map { $0.cells[7] }
            let same = kinds.filter { $0 == "same" }.count, new = kinds.filter { $0 == "new" }.count
            let gone = kinds.filter { $0.hasPrefix("no longer paid") }.count
            let changed = rows.count - same - new - gone
            out += t("since_dry_run", String(count), String(same), String(changed), String(new), String(gone)) + "\n"
            out += totals
            let moved = rows.filter { $0.cells[7] != "same" }
            out += moved.isEmpty ? t("none_changed") + "\n" : t(moved.count == 1 ? "largest_change" : "largest_changes", String(min(20, moved.count))) + "\n"
            shown = Array(moved.sorted { a, b in
                let x = a.change?.magnitude ?? .zero, y = b.change?.magnitude ?? .zero
                return x != y ? x > y : a.cells[0] < b.cells[0]
            }.prefix(20))
        }
        if !shown.isEmpty { out += closeLines(shown.map(\.cells), locale: locale) }
        out += t("every_row", file.map { Diagnostics.visible($0) } ?? "close.csv") + "\n"
        return out + total
    }

    /// The full table of a close as CSV, one row per payee (and per payee no longer paid since the last dry run).
    static func closeCSV(_ payees: [StatementJSON.SummaryEntry], previous: [String: (currency: String, paid: String)]) -> String {
        var out = "payee_id,payee_name,plan,earned,adjustments,paid,currency,since_last_dry_run\n"
        for row in closeRows(payees, previous: previous) {
            // The change is a signed amount of ours ("+12.00", "-70.00"), not a formula.
            let signed = { (c: String) in (try? ExactDecimal.parse(c.hasPrefix("+") ? String(c.dropFirst()) : c).get()) != nil }
            out += row.cells.enumerated().map { i, c in PayrollCSV.cell(c, numeric: (3...5).contains(i) || (i == 7 && signed(c))) }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `attain history`: every close and reopen in the ledger, oldest first; with `inputs`, the SHA-256 of each input.
    public static func history(ledgerPath: String, inputs: Bool, reader: InputReader, locale: ReportLocale = .english, kind: PeriodKind? = nil) -> CommandOutcome {
        var outcome = CommandOutcome()
        guard reader.ledgerExists(ledgerPath) else {
            outcome.stderr = "error: no ledger at \(ledgerPath); `attain close` creates it\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            let all = try ledger.runs()
            if all.isEmpty {
                outcome.stdout = "\(ledgerPath): no closes yet\n"
                return outcome
            }
            // A ledger of one period kind shows its history as it always has; with several kinds (or `--kind`), each
            // run says its kind and the locks are listed per kind.
            let kinds = Set(all.map(\.kind))
            let byKind = kinds.count > 1 || kind != nil
            let runs = kind.map { k in all.filter { $0.kind == k.rawValue } } ?? all
            if runs.isEmpty {
                outcome.stdout = "\(ledgerPath): no closes of \(kind!.noun) periods yet\n"
                return outcome
            }
            func kindWord(_ raw: String) -> String { locale.catalog["table.history.kind.\(raw)"] ?? raw }
            var header = ["run", "at", "action", "period", "payees", "paid", "engine", "note"]
            if byKind { header.insert("kind", at: 4) }
            var rows: [[String]] = [header.map { locale.text("table.history.col." + $0) }]
            for r in runs {
                let posts = r.action == "close" || r.action == "import"
                var note = r.action == "import" ? Ledger.closedOutsideNote : r.reason.map { locale.text("table.history.reason", $0) } ?? ""
                if let v = r.voidedBy {
                    let voided = locale.text("table.history.voided", String(v))
                    note = r.action == "import" ? "\(note), \(voided)" : voided
                }
                let paid = posts ? r.paid.map { "\($0.amount) \($0.currency)" }.joined(separator: ", ") : ""
                let action = locale.catalog["table.history.action.\(r.action)"] ?? r.action
                var row = [String(r.id), r.at, action, r.period, posts ? String(r.payees) : "", paid, r.engineVersion, note]
                if byKind { row.insert(kindWord(r.kind), at: 4) }
                rows.append(row)
                if inputs {
                    for i in r.inputs { rows.append(Array(repeating: "", count: header.count - 1) + ["\(i.role) \(i.path) sha256:\(i.sha256)"]) }
                }
            }
            let (numeric, words) = byKind ? ([0, 5, 6], [2, 4, 8]) : ([0, 4, 5], [2, 7])
            outcome.stdout = TextTable.render(rows, numeric: { numeric.contains($0) }, locale: locale, isolate: { !words.contains($0) })
            if byKind {
                outcome.stdout += "\n"
                for (k, periods) in try ledger.locksByKind() where kind == nil || k == kind {
                    outcome.stdout += locale.text("table.history.locked", kindWord(k.rawValue), periods.joined(separator: ", ")) + "\n"
                }
            }
            // Sign-offs: who approved which dry run, when.
            let approvals = try ledger.approvals()
            if !approvals.isEmpty {
                var signed: [[String]] = [["approval", "at", "period", "approved_by", "prepared_by"].map { locale.text("table.history.approvals.col." + $0) }]
                for a in approvals { signed.append([String(a.id), a.at, a.period, a.approvedBy, a.preparedBy ?? ""]) }
                outcome.stdout += "\n" + TextTable.render(signed, numeric: { $0 == 0 }, locale: locale, isolate: { _ in true })
            }
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }

    /// `attain reopen`: unlocks the latest closed period; the reason is recorded and the period's posting voided.
    public static func reopen(period: String, reason: String, ledgerPath: String, clock: String? = nil, reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else {
            outcome.stderr = "error: reopening a closed period needs a reason: --reason \"…\"\n"
            outcome.exitCode = ExitCode.usage
            return outcome
        }
        // A fiscal or biweekly label is read with the dates the ledger locked it with; reopen reads no plans.
        if let bad = unreadablePeriod(period) { return bad }
        let loose = PeriodCalendar(fiscalStartMonth: 4, biweeklyAnchor: CivilDate(year: 2026, month: 1, day: 5))
        let read = (try? Period.read(period, in: .gregorian).get()) ?? (try? Period.read(period, in: loose).get())
        guard reader.ledgerExists(ledgerPath) else {
            outcome.stderr = "error: no ledger at \(ledgerPath)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            guard let p = try ledger.lockedPeriod(period) ?? read else {
                outcome.stderr = "error: \(period) is not closed, so there is nothing to reopen\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
            // Reopening a period closed outside Attain voids the whole import of opening balances.
            let imported = try ledger.closedOutside(p) != nil ? try ledger.importedPeriods() : []
            let run = try ledger.reopen(p, reason: why, at: clock ?? now(), engineVersion: Engine.version)
            if imported.isEmpty {
                outcome.stdout = "\(p) reopened (run \(run)): its posting is void and the period can be closed again; reason recorded: \(why)\n"
            } else {
                outcome.stdout = "opening balances voided (run \(run)): \(imported.joined(separator: ", ")) no longer closed outside Attain; import them again with `attain ledger import`; reason recorded: \(why)\n"
            }
        } catch {
            ledgerRefusal(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }
}

extension Commands {
    /// Why `close --commit` of `period` may not post on a ledger that requires approval, or nil when it may: it needs
    /// a dry run with these same inputs, approved after it by someone other than its preparer.
    static func approvalRefusal(_ ledger: Ledger, period: Period, inputs digest: String) throws -> String? {
        guard try ledger.requiresApproval() else { return nil }
        let p = period.label
        guard let dry = try ledger.lastDryRun(period: p) else {
            return "error: this ledger requires approval: run `attain close --period \(p) --by NAME` (a dry run), have someone else run "
                + "`attain approve --period \(p) --by NAME`, then commit; nothing was posted\n"
        }
        guard dry.inputs == digest else {
            return "error: the inputs (plan and data files, `--set` values, holds in the ledger) differ from those of the last dry run of \(p) (\(dry.at)\(dry.preparedBy.map { ", by \($0)" } ?? "")): run the dry run "
                + "again with these inputs and have it approved; nothing was posted\n"
        }
        guard try !ledger.approvals(of: dry).isEmpty else {
            return "error: the last dry run of \(p) (\(dry.at)\(dry.preparedBy.map { ", by \($0)" } ?? "")) is not approved: someone other than its "
                + "preparer runs `attain approve --period \(p) --by NAME`; nothing was posted\n"
        }
        return nil
    }

    /// `attain approve`: `by` signs off the last dry run of `period` in the ledger. Refused (exit 4) without a dry run,
    /// when the dry run names no preparer, and when `by` prepared it.
    public static func approve(period: String, by: String, ledgerPath: String, clock: String? = nil, reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        let name = by.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { return usage("`--by` names who approves") }
        guard reader.ledgerExists(ledgerPath) else {
            outcome.stderr = "error: no ledger at \(ledgerPath); `attain close` creates it\n"
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        }
        do {
            let ledger = try Ledger(path: reader.absolute(ledgerPath), busyTimeout: ledgerWait())
            guard let dry = try ledger.lastDryRun(period: period) else {
                outcome.stderr = "error: \(period) has no dry run to approve: run `attain close --period \(period) --by NAME` first\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
            guard let preparer = dry.preparedBy else {
                outcome.stderr = "error: the last dry run of \(period) (\(dry.at)) names no preparer: run it again with `--by NAME`\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
            guard preparer != name else {
                outcome.stderr = "error: \(name) prepared the last dry run of \(period) (\(dry.at)); someone else approves it\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
            let a = try ledger.approve(dry, by: name, at: clock ?? now())
            outcome.stdout = "\(period): the dry run of \(dry.at) prepared by \(preparer) is approved by \(name) (approval \(a.id))\n"
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }

    /// `attain ledger config --require-approval` / `--no-require-approval`.
    public static func configureLedger(requireApproval: Bool, ledgerPath: String, reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        do {
            let ledger = try Ledger(path: reader.absolute(ledgerPath), busyTimeout: ledgerWait())
            try ledger.setRequireApproval(requireApproval)
            outcome.stdout = requireApproval
                ? "\(ledgerPath): close --commit now needs an approval of the last dry run by someone other than its preparer\n"
                : "\(ledgerPath): close --commit no longer needs an approval\n"
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }
}
