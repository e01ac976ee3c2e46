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

    static func openLedger(_ path: String, reader: InputReader, outcome: inout CommandOutcome) -> Ledger? {
        do {
            return try Ledger(path: reader.absolute(path))
        } catch {
            outcome.stderr += "error: \(error)\n".replacingOccurrences(of: reader.absolute(path), with: path)
            outcome.exitCode = ExitCode.ioFailure
            return nil
        }
    }

    /// `attain close`: runs the period against the ledger's history. Without `commit` it posts nothing and shows each
    /// payee's totals and what changed since the last dry run; with `commit` it posts every statement and locks the period.
    public static func close(plans: [String], data: String, period: String, set: [String], ledgerPath: String, commit: Bool,
                             formats: [OutputFormat] = OutputFormat.allCases, earningCodes: String? = nil, clock: String? = nil,
                             strict: Bool = false, reader: InputReader) -> CommandOutcome {
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
        do {
            if let run = try ledger.closedOutside(p) {
                outcome.stderr = "error: \(Ledger.closedOutsideMessage(p, run: run))\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
            if let run = try ledger.lockingRun(p) {
                outcome.stderr = "error: \(p) is already closed (run \(run)); reopen it first with `attain reopen --period \(p) --reason \"…\"`\n"
                outcome.exitCode = ExitCode.refused
                return outcome
            }
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
            history = try ledger.history(before: p)
            imported = try ledger.importedFigures(before: p)
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        let result: RunResult
        switch Engine.run(loaded.request, history: history) {
        case .failure(let diagnostics):
            outcome.stderr = DiagnosticRenderer.render(diagnostics, trailer: commit ? "; nothing was posted or written" : "; nothing was written")
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        case .success(let r): result = r
        }
        // The first close after an import of opening balances checks them against what this close pays.
        var warnings = result.warnings
        if failsImportCheck(imported, of: result, warnings: &warnings, into: &outcome,
                            trailer: commit ? "; nothing was posted or written" : "; nothing was written") { return outcome }
        if refuse(warnings, reconciliation: result.reconciliation, strict: strict, into: &outcome,
                  trailer: commit ? "; nothing was posted or written" : "; nothing was written") { return outcome }
        do {
            outcome.files = try files(result, formats: formats, codes: loaded.codes)
            let at = clock ?? now()
            let previous = try ledger.preview(p)
            if commit {
                let documents = Dictionary(uniqueKeysWithValues: result.statements.map { ($0.payeeID, StatementJSON.text($0)) })
                let run = try ledger.post(result, documents: documents, inputs: loaded.inputs, at: at, engineVersion: Engine.version, pause: pauseHook())
                outcome.stdout = closeTable(result, previous: previous, heading: "\(p) closed: run \(run) posted \(result.statements.count) statement\(result.statements.count == 1 ? "" : "s") to \(ledgerPath) and locked \(p)")
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
            outcome.stderr += "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            outcome.files = []
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
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
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
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
        }
        return outcome
    }
}
