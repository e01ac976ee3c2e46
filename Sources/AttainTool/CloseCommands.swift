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
    public static func close(plans: [String], data: String, period: String, set: [String], ledgerPath: String, commit: Bool,
                             formats: [OutputFormat] = OutputFormat.allCases, earningCodes: String? = nil, clock: String? = nil,
                             strict: Bool = false, reader: InputReader, stage: OutputWriter.Stage? = nil) -> CommandOutcome {
        var outcome = CommandOutcome()
        let loaded: Loaded
        switch load(plans: plans, data: data, period: period, set: set, earningCodes: earningCodes, reader: reader) {
        case .failure(let o): return o
        case .success(let l): loaded = l
        }
        let p: Period
        switch Period.parse(period) {
        case .success(let x): p = x
        case .failure(let e):
            outcome.stderr = "error: \(e.reason)\n"
            outcome.exitCode = ExitCode.usage
            return outcome
        }
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        let history: LedgerHistory
        let imported: ImportedFigures?
        // The run that locked the period, when this close writes its outputs again (same inputs).
        var rewriting: Int64?
        do {
            if let run = try ledger.closedOutside(p) {
                outcome.stderr = "error: \(Ledger.closedOutsideMessage(p, run: run))\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
            if let run = try ledger.lockingRun(p) {
                if let differs = inputsDiffer(loaded.inputs, from: try ledger.inputs(ofRun: run), run: run) {
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
            history = try ledger.history(before: p)
            imported = try ledger.importedFigures(before: p)
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
            return outcome
        }
        let trailer = commit && rewriting == nil ? "; nothing was posted or written" : "; nothing was written"
        let result: RunResult
        switch Engine.run(loaded.request, history: history) {
        case .failure(let diagnostics):
            outcome.stderr = DiagnosticRenderer.render(diagnostics, trailer: trailer)
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        case .success(let r): result = r
        }
        // The first close after an import of opening balances checks them against what this close pays.
        var warnings = result.warnings
        if failsImportCheck(imported, of: result, warnings: &warnings, into: &outcome, trailer: trailer) { return outcome }
        if refuse(warnings, reconciliation: result.reconciliation, strict: strict, into: &outcome, trailer: trailer) { return outcome }
        let documents = Dictionary(uniqueKeysWithValues: result.statements.map { ($0.payeeID, StatementJSON.text($0)) })
        if let run = rewriting {
            do {
                let posted = try ledger.documentDigests(ofRun: run)
                func same(_ id: String) -> Bool {
                    guard let p = posted[id], let d = documents[id] else { return false }
                    let made = Ledger.digest(d)
                    return p.sha256 == made.sha256 && p.bytes == made.bytes
                }
                if Set(posted.keys) != Set(documents.keys) || !documents.keys.allSatisfy(same) {
                    let differs = Set(posted.keys).symmetricDifference(documents.keys).sorted().first
                        ?? documents.keys.sorted().first { !same($0) } ?? ""
                    let engine = try ledger.runs().first { $0.id == run }?.engineVersion ?? "?"
                    outcome.stderr += "error: \(p) is already closed (run \(run), engine \(engine)) with these same inputs, but the statement of `\(differs)` made now (engine \(Engine.version)) is not the one posted: another engine, or other `--set` overrides; nothing was written\n"
                    outcome.exitCode = ExitCode.refused
                    return outcome
                }
            } catch {
                ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
                return outcome
            }
        }
        do {
            outcome.files = try files(result, formats: formats, codes: loaded.codes)
        } catch {
            outcome.stderr += "error: \(error)\(trailer)\n"
            outcome.exitCode = ExitCode.ioFailure
            outcome.files = []
            return outcome
        }
        // Every file staged and every place checked before the ledger is touched: files that cannot be written post nothing.
        if let stage {
            do {
                try stage.write(outcome.files)
                try stage.check()
                outcome.files = []
            } catch {
                outcome.stderr += "error: \(error)\(commit && rewriting == nil ? "; nothing was posted" : "; nothing was written")\n"
                outcome.exitCode = ExitCode.ioFailure
                outcome.files = []
                return outcome
            }
        }
        let written = stage.map { " to " + OutputWriter.joined($0.folder, p.label) } ?? ""
        if let run = rewriting {
            outcome.stdout = "\(p) is already closed by run \(run) with these same inputs; its outputs were written again\(written)\n"
            return outcome
        }
        do {
            let at = clock ?? now()
            let previous = try ledger.preview(p)
            if commit {
                let run = try ledger.post(result, documents: documents, inputs: loaded.inputs, at: at, engineVersion: Engine.version, pause: pauseHook())
                outcome.stdout = closeTable(result, previous: previous, heading: "\(p) closed: run \(run) posted \(result.statements.count) statement\(result.statements.count == 1 ? "" : "s") to \(ledgerPath) and locked \(p)")
                outcome.writeFailureNote = "; \(p) is posted (run \(run)): run the same command again to write its outputs"
            } else {
                try ledger.savePreview(result, at: at)
                outcome.stdout = closeTable(result, previous: previous, heading: "\(p) close, dry run: nothing is posted to \(ledgerPath)")
                outcome.stdout += "To post these statements and lock \(p), run the same command with --commit.\n"
            }
        } catch let e as LedgerError {
            outcome.stderr += "error: \(e)\n"
            outcome.exitCode = ExitCode.refused
            outcome.files = []
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }

    /// For the crash test: with `ATTAIN_PAUSE_DURING_POST=<file>`, posting writes that file and waits inside its transaction.
    static func pauseHook() -> (() -> Void)? {
        guard let marker = ProcessInfo.processInfo.environment["ATTAIN_PAUSE_DURING_POST"], !marker.isEmpty else { return nil }
        return {
            _ = FileManager.default.createFile(atPath: marker, contents: Data("posting\n".utf8))
            Thread.sleep(forTimeInterval: 60)
        }
    }

    /// Each payee's totals, with the change since the last dry run, and the totals per currency.
    static func closeTable(_ result: RunResult, previous: [String: (currency: String, paid: String)], heading: String) -> String {
        var rows: [[String]] = [["payee", "name", "plan", "earned", "adjustments", "paid", "currency", "since last dry run"]]
        for s in result.statements {
            var change = previous.isEmpty ? "" : "new"
            if let before = previous[s.payeeID], case .success(let b) = ExactDecimal.parse(before.paid) {
                if let d = try? s.paid.amount.subtracting(b) {
                    change = d.isZero ? "same" : (d.isNegative ? "" : "+") + Money(d, s.currency).text
                }
            }
            rows.append([s.payeeID, s.payeeName, s.planName, s.earned.text, s.adjustments.text, s.paid.text, s.currency.code, change])
        }
        let gone = Set(previous.keys).subtracting(result.statements.map(\.payeeID)).sorted()
        for id in gone { rows.append([id, "", "", "", "", "", previous[id]!.currency, "no longer paid (was \(previous[id]!.paid))"]) }
        var out = heading + "\n" + TextTable.render(rows, numeric: [3, 4, 5])
        out += "total paid: \(totalsLine(result)) to \(result.statements.count) payee\(result.statements.count == 1 ? "" : "s")\n"
        return out
    }

    /// `attain history`: every close and reopen in the ledger, oldest first; with `inputs`, the SHA-256 of each input.
    public static func history(ledgerPath: String, inputs: Bool, reader: InputReader) -> CommandOutcome {
        var outcome = CommandOutcome()
        guard FileManager.default.fileExists(atPath: reader.absolute(ledgerPath)) else {
            outcome.stderr = "error: no ledger at \(ledgerPath); `attain close` creates it\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            let runs = try ledger.runs()
            if runs.isEmpty {
                outcome.stdout = "\(ledgerPath): no closes yet\n"
                return outcome
            }
            var rows: [[String]] = [["run", "at", "action", "period", "payees", "paid", "engine", "note"]]
            for r in runs {
                let posts = r.action == "close" || r.action == "import"
                var note = r.action == "import" ? Ledger.closedOutsideNote : r.reason.map { "reason: \($0)" } ?? ""
                if let v = r.voidedBy { note = r.action == "import" ? "\(note), voided by run \(v)" : "voided by run \(v)" }
                let paid = posts ? r.paid.map { "\($0.amount) \($0.currency)" }.joined(separator: ", ") : ""
                rows.append([String(r.id), r.at, r.action, r.period, posts ? String(r.payees) : "", paid, r.engineVersion, note])
                if inputs {
                    for i in r.inputs { rows.append(["", "", "", "", "", "", "", "\(i.role) \(i.path) sha256:\(i.sha256)"]) }
                }
            }
            outcome.stdout = TextTable.render(rows, numeric: [0, 4, 5])
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
        let p: Period
        switch Period.parse(period) {
        case .success(let x): p = x
        case .failure(let e):
            outcome.stderr = "error: \(e.reason)\n"
            outcome.exitCode = ExitCode.usage
            return outcome
        }
        guard FileManager.default.fileExists(atPath: reader.absolute(ledgerPath)) else {
            outcome.stderr = "error: no ledger at \(ledgerPath)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        guard let ledger = openLedger(ledgerPath, reader: reader, outcome: &outcome) else { return outcome }
        do {
            // Reopening a period closed outside Attain voids the whole import of opening balances.
            let imported = try ledger.closedOutside(p) != nil ? try ledger.importedPeriods() : []
            let run = try ledger.reopen(p, reason: why, at: clock ?? now(), engineVersion: Engine.version)
            if imported.isEmpty {
                outcome.stdout = "\(p) reopened (run \(run)): its posting is void and the period can be closed again; reason recorded: \(why)\n"
            } else {
                outcome.stdout = "opening balances voided (run \(run)): \(imported.joined(separator: ", ")) no longer closed outside Attain; import them again with `attain ledger import`; reason recorded: \(why)\n"
            }
        } catch let e as LedgerError {
            outcome.stderr = "error: \(e)\n"
            outcome.exitCode = ExitCode.refused
        } catch {
            ledgerError(error, ledgerPath: ledgerPath, into: &outcome)
        }
        return outcome
    }
}
