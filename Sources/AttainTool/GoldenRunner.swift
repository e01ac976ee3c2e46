// Golden cases: a folder of plans and inputs with the exact expected output beside it.
import Attain
import Foundation

/// Runs golden cases and compares (or, in update mode, rewrites) their expected files.
///
/// A case is a folder with `case.conf` (`command: run|check|explain`, `period: 2026-Q1`, any number of
/// `set: name=value`), its `*.plan` files and CSV inputs, and `expected/`: `exit-code`, `stdout.txt`,
/// `stderr.txt` and every file the run writes. `locale: fa` is the `--locale` of a run, close, compare or estimate case.
///
/// A multi-period case (`command: close`) lists steps run in order against a fresh ledger:
/// `close: 2026-Q1` (post and lock), `dry-run: 2026-Q2`, `reopen: 2026-Q1 <reason>`, `import: openings.csv` (opening
/// balances from a file of the case, `attain ledger import`), `require-approval: true` (`attain ledger config
/// --require-approval`), `approve: 2026-Q1 Dana Lee` (`attain approve --by`); `close: 2026-Q1 by Ana Ruiz` and
/// `dry-run: 2026-Q1 by Ana Ruiz` name the preparer (`--by`), `amortization: 2026-06-30` (`attain amortization --as-of`,
/// with `--accounts accounts.csv` when the case has one; its files are shown under `amortization/`); `hold: payee R1 reason…`, `hold: deal D7 reason…`,
/// `hold: release payee R1` and `hold: list` run `attain hold` against the case's ledger. A step of period P reads the
/// case's plans and CSVs, with any file in the subfolder `P/` replacing the one of the same name (a deal edited
/// after P closed, say), then with any file in `stepN/` for step N alone (a deal edited after a reopen of P, before P
/// closes again). `dispute: 2026-Q1 R1 3 Deal D2 should be 60/40` records a dispute (`attain dispute`: period,
/// payee, line, text), `resolve: 1 the split is 60/40 on the order form` answers dispute 1 (`attain resolve`), and
/// `disputes: all` (or `disputes: open`) prints `attain disputes` (with `--all`). The ledger's history is printed after
/// the last step (with `--inputs` when the case imports).
///
/// An import case (`command: import`) runs `attain import --from PROFILE FILE… [--roster R]` (`from:`, `file:` once per
/// export, `roster:`); with `close:` steps it then closes the imported folder with the plans `plans:` names (see
/// `importCase`).
public struct GoldenRunner: Sendable {
    public let reader: InputReader

    public init(reader: InputReader) {
        self.reader = reader
    }

    public struct CaseResult: Sendable {
        public let path: String
        public let passed: Bool
        /// Why it failed: a diff per differing file.
        public let detail: String
    }

    public struct Report: Sendable {
        public let results: [CaseResult]
        public let text: String
        public let exitCode: Int32
    }

    struct Config {
        var command = "run"
        var period = ""
        var sets: [String] = []
        /// `compare` and `estimate` cases.
        var periods: [String] = []
        var candidates: [String] = []
        var whatIfs: [String] = []
        var scale: String?
        var lossThreshold = "10%"
        var payee = ""
        /// `targets` cases: the year, and last year's deals for the seasonality.
        var year = ""
        var shareFrom: String?
        /// `fiscal-year-starts: 2026-04-01`: a `targets` case on fiscal years.
        var fiscalYearStarts: String?
        var deals: [String] = []
        /// `strict: true`: every warning is an error.
        var strict = false
        /// `format: jsonl,json`: the outputs of a `run` case (every one but `jsonl` when not given).
        var formats = OutputFormat.allCases
        /// `locale: fa`: the `--locale` of a `run`, `close`, `compare` or `estimate` case (the language of pages and
        /// tables for payees roster.csv gives none).
        var locale = ReportLocale.english
        /// Steps of a `close` case, in order: (action, period, reason).
        var steps: [(action: String, period: String, reason: String)] = []
        /// An `import` case: the profile, the export files, the roster, and the plans its `close` steps run.
        var from = ""
        var files: [String] = []
        var roster: String?
        var planPaths: [String] = []
    }

    /// Every folder holding a `case.conf` under the given folders, sorted.
    public func cases(in folders: [String]) -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        for folder in folders {
            let base = reader.absolute(folder)
            if fm.fileExists(atPath: OutputWriter.joined(base, "case.conf")) { found.append(folder) }
            guard let walker = fm.enumerator(atPath: base) else { continue }
            while let rel = walker.nextObject() as? String {
                if OutputWriter.lastComponent(of: rel) == "case.conf" && !rel.contains("/expected/") {
                    found.append(OutputWriter.joined(folder, OutputWriter.parent(of: rel)))
                }
            }
        }
        return Array(Set(found)).sorted()
    }

    func config(_ dir: String) throws -> Config {
        var c = Config()
        let text = try reader.text(OutputWriter.joined(dir, "case.conf"))
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): expected `key: value`")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "command": c.command = value
            case "period":
                c.period = value
                c.periods.append(value)
            case "candidate": c.candidates.append(value)
            case "what-if": c.whatIfs.append(value)
            case "scale": c.scale = value
            case "loss-threshold": c.lossThreshold = value
            case "payee": c.payee = value
            case "year": c.year = value
            case "share-from": c.shareFrom = value
            case "fiscal-year-starts": c.fiscalYearStarts = value
            case "deal": c.deals.append(value)
            case "set": c.sets.append(value)
            case "strict": c.strict = value == "true"
            case "locale":
                guard let l = ReportLocale.parse(value) else { throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): no locale `\(value)` (en, zh-Hans or fa)") }
                c.locale = l
            case "format":
                switch OutputFormat.parse(value) {
                case .success(let f): c.formats = f
                case .failure(let e): throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): \(e.description)")
                }
            case "from": c.from = value
            case "file": c.files.append(value)
            case "roster": c.roster = value
            case "plans": c.planPaths.append(value)
            case "import":
                guard !value.isEmpty else { throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): `import` needs a file") }
                c.steps.append((key, value, ""))
            case "require-approval", "amortization":
                c.steps.append((key, value, ""))
            case "approve":
                let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): `approve` needs a period and a name") }
                c.steps.append((key, parts[0], parts[1]))
            case "dispute":
                let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[1].split(separator: " ", maxSplits: 2).count == 3 else {
                    throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): `dispute` needs a period, a payee, a line and the text")
                }
                c.steps.append((key, parts[0], parts[1]))
            case "resolve":
                let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): `resolve` needs a dispute id and the answer") }
                c.steps.append((key, parts[0], parts[1]))
            case "disputes":
                guard value == "all" || value == "open" else { throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): `disputes` is `all` or `open`") }
                c.steps.append((key, value, ""))
            case "hold":
                // `hold: payee R1 reason…`, `hold: deal D7 reason…`, `hold: release payee R1`, `hold: list`.
                let parts = value.split(separator: " ", maxSplits: 2).map(String.init)
                if parts == ["list"] {
                    c.steps.append((key, "list", ""))
                } else if parts.count == 3, parts[0] == "release", ["payee", "deal"].contains(parts[1]) {
                    c.steps.append((key, "release \(parts[1]) \(parts[2])", ""))
                } else if parts.count == 3, ["payee", "deal"].contains(parts[0]) {
                    c.steps.append((key, "\(parts[0]) \(parts[1])", parts[2]))
                } else {
                    throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): `hold` is `payee R reason`, `deal D reason`, `release payee R`, `release deal D` or `list`")
                }
            case "close", "dry-run", "reopen":
                let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
                guard let p = parts.first else { throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): `\(key)` needs a period") }
                c.steps.append((key, p, parts.count > 1 ? parts[1] : ""))
            default: throw InputReader.ReadError(description: "\(dir)/case.conf:\(n + 1): unknown key `\(key)` (expected command, period, set, strict, format, locale, close, dry-run, reopen, import, require-approval, approve, hold, dispute, resolve, disputes, amortization, candidate, what-if, scale, loss-threshold, payee, deal, year, share-from, fiscal-year-starts, from, file, roster or plans)")
            }
        }
        return c
    }

    /// Runs one case's command with the case folder as the working folder.
    public func outcome(_ dir: String) throws -> CommandOutcome {
        let c = try config(dir)
        let local = InputReader(root: reader.absolute(dir))
        let plans = ((try? FileManager.default.contentsOfDirectory(atPath: local.root)) ?? []).filter { $0.hasSuffix(".plan") }.sorted()
        switch c.command {
        case "run": return Commands.run(plans: plans, data: ".", period: c.period, set: c.sets, formats: c.formats, strict: c.strict, reader: local,
                                       locale: c.locale)
        case "check": return Commands.check(plans: plans, set: c.sets, reader: local)
        case "explain": return Commands.explain(plans: plans, set: c.sets, reader: local)
        case "close": return try closeSteps(dir, c)
        case "import": return try importCase(dir, c)
        case "compare":
            // Candidate files live in the case folder too; only the baseline's plans are listed as plans.
            let candidateFiles = Set(c.candidates.flatMap { spec in spec.split(separator: "=", maxSplits: 1).last.map { $0.split(separator: ",").map(String.init) } ?? [] })
            return Commands.compare(plans: plans.filter { !candidateFiles.contains($0) }, data: ".", periods: c.periods, candidates: c.candidates,
                                    whatIfs: c.whatIfs, scale: c.scale, lossThreshold: c.lossThreshold, set: c.sets, strict: c.strict, reader: local,
                                    locale: c.locale)
        case "estimate":
            return Commands.estimate(plans: plans, data: ".", period: c.period, payee: c.payee, deals: c.deals, set: c.sets, strict: c.strict, reader: local,
                                     locale: c.locale)
        case "targets":
            return Commands.targets(data: ".", year: c.year, out: "targets-\(c.year).csv", shareFrom: c.shareFrom, fiscalYearStarts: c.fiscalYearStarts,
                                    strict: c.strict, reader: local)
        default: throw InputReader.ReadError(description: "\(dir)/case.conf: unknown command `\(c.command)` (expected run, check, explain, close, compare, estimate, targets or import)")
        }
    }

    /// Runs a multi-period case's steps against a fresh ledger in a scratch folder; outputs, messages and exit codes
    /// of all steps are gathered into one outcome (exit codes as `step: code` lines).
    func closeSteps(_ dir: String, _ c: Config) throws -> CommandOutcome {
        let fm = FileManager.default
        let work = OutputWriter.joined(NSTemporaryDirectory(), "attain-golden-\(UUID().uuidString)")
        try fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: work) }
        let root = reader.absolute(dir)
        let base = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasSuffix(".plan") || $0.hasSuffix(".csv") }
        let workReader = InputReader(root: work)
        var total = CommandOutcome()
        var codes = ""
        for (n, step) in c.steps.enumerated() {
            let o: CommandOutcome
            let clock = "2000-01-01T" + (n + 1 < 10 ? "0" : "") + "\(n + 1):00:00Z"
            switch step.action {
            case "import":
                // The file is copied beside the ledger and named as the case names it.
                let target = OutputWriter.joined(work, step.period)
                try? fm.removeItem(atPath: target)
                try fm.copyItem(atPath: OutputWriter.joined(root, step.period), toPath: target)
                total.stdout += "$ attain ledger import \(step.period)\n"
                o = Commands.ledgerImport(file: step.period, ledgerPath: "attain.db", clock: clock, reader: workReader)
            case "require-approval":
                let on = step.period == "true"
                total.stdout += "$ attain ledger config --\(on ? "" : "no-")require-approval\n"
                o = Commands.configureLedger(requireApproval: on, ledgerPath: "attain.db", reader: workReader)
            case "approve":
                total.stdout += "$ attain approve --period \(step.period) --by \"\(step.reason)\"\n"
                o = Commands.approve(period: step.period, by: step.reason, ledgerPath: "attain.db", clock: clock, reader: workReader)
            case "dispute":
                let parts = step.reason.split(separator: " ", maxSplits: 2).map(String.init)
                total.stdout += "$ attain dispute --period \(step.period) --payee \(parts[0]) --line \(parts[1]) --text \"\(parts[2])\"\n"
                o = Commands.dispute(period: step.period, payee: parts[0], line: Int(parts[1]) ?? 0, text: parts[2], by: nil, ledgerPath: "attain.db",
                                     clock: clock, reader: workReader)
            case "resolve":
                total.stdout += "$ attain resolve --dispute \(step.period) --answer \"\(step.reason)\"\n"
                o = Commands.resolve(dispute: Int(step.period) ?? 0, answer: step.reason, by: nil, ledgerPath: "attain.db", clock: clock, reader: workReader)
            case "disputes":
                let all = step.period == "all"
                total.stdout += "$ attain disputes\(all ? " --all" : "")\n"
                o = Commands.disputes(all: all, period: nil, payee: nil, ledgerPath: "attain.db", reader: workReader, locale: c.locale)
            case "amortization":
                // The chart of accounts is the case's own, copied beside the ledger.
                let accounts = fm.fileExists(atPath: OutputWriter.joined(root, "accounts.csv")) ? "accounts.csv" : nil
                if let accounts {
                    try? fm.removeItem(atPath: OutputWriter.joined(work, accounts))
                    try fm.copyItem(atPath: OutputWriter.joined(root, accounts), toPath: OutputWriter.joined(work, accounts))
                }
                total.stdout += "$ attain amortization --as-of \(step.period)\(accounts.map { " --accounts \($0)" } ?? "")\n"
                o = Commands.amortization(ledgerPath: "attain.db", asOf: step.period, accounts: accounts, reader: workReader, locale: c.locale)
            case "hold":
                let words = step.period.split(separator: " ").map(String.init)
                let release = words.first == "release"
                let target = release ? Array(words.dropFirst()) : words
                let payee = target.first == "payee" ? target.last : nil, deal = target.first == "deal" ? target.last : nil
                if step.period == "list" {
                    total.stdout += "$ attain hold\n"
                } else {
                    total.stdout += "$ attain hold\(release ? " --release" : "") --\(target[0]) \(target[1])\(release ? "" : " --reason \"\(step.reason)\"")\n"
                }
                o = Commands.hold(payee: payee, deal: deal, reason: release || step.period == "list" ? nil : step.reason, by: nil, release: release,
                                  ledgerPath: "attain.db", clock: clock, reader: workReader, locale: c.locale)
            case "reopen":
                total.stdout += "$ attain reopen --period \(step.period) --reason \"\(step.reason)\"\n"
                o = Commands.reopen(period: step.period, reason: step.reason, ledgerPath: "attain.db", clock: clock, reader: workReader)
            default:
                // The step's folder: the case's files, overlaid with the period's own.
                let folder = "\(step.period)-step\(n + 1)"
                let stepPath = OutputWriter.joined(work, folder)
                try fm.createDirectory(atPath: stepPath, withIntermediateDirectories: true)
                var names = Set(base)
                // The period's folder, then the step's own (`step3/`: the same period closed again after a reopen).
                var from: [String: String] = [:]
                for overlay in [step.period, "step\(n + 1)"].map({ OutputWriter.joined(root, $0) }) {
                    let overlaid = ((try? fm.contentsOfDirectory(atPath: overlay)) ?? []).filter { $0.hasSuffix(".plan") || $0.hasSuffix(".csv") }
                    names.formUnion(overlaid)
                    for name in overlaid { from[name] = OutputWriter.joined(overlay, name) }
                }
                for name in names {
                    try fm.copyItem(atPath: from[name] ?? OutputWriter.joined(root, name), toPath: OutputWriter.joined(stepPath, name))
                }
                let plans = names.filter { $0.hasSuffix(".plan") }.sorted().map { "\(folder)/\($0)" }
                let commit = step.action == "close"
                // `by NAME` after the period names the preparer.
                let by = step.reason.hasPrefix("by ") ? String(step.reason.dropFirst(3)).trimmingCharacters(in: .whitespaces) : nil
                total.stdout += "$ attain close --period \(step.period)\(commit ? " --commit" : "")\(by.map { " --by \"\($0)\"" } ?? "")\n"
                o = Commands.close(plans: plans, data: folder, period: step.period, set: c.sets, ledgerPath: "attain.db", commit: commit,
                                   clock: clock, strict: c.strict, reader: workReader, locale: c.locale, by: by)
            }
            total.stdout += o.stdout
            if !o.stderr.isEmpty { total.stderr += "step \(n + 1) (\(step.action) \(step.period)):\n" + o.stderr + (o.stderr.hasSuffix("\n") ? "" : "\n") }
            // Each step's files keep their own period folder; a dry run's are shown under `dry-run/`.
            let folder = step.action == "close" ? "" : step.action == "amortization" ? "amortization/" : "dry-run/"
            total.files += o.files.map { (folder + $0.path, $0.text) }
            codes += "\(step.action) \(step.period): \(o.exitCode)\n"
        }
        // A case that imports opening balances shows each run's inputs: the import's file and its SHA-256.
        let inputs = c.steps.contains { $0.action == "import" }
        let h = Commands.history(ledgerPath: "attain.db", inputs: inputs, reader: workReader)
        total.stdout += "$ attain history\(inputs ? " --inputs" : "")\n" + h.stdout
        total.stderr += h.stderr
        total.exitCode = 0
        total.files.append(("steps", codes))
        return total
    }

    /// The expected files a case's outcome corresponds to, by path under `expected/`.
    public static func expectedFiles(_ o: CommandOutcome) -> [String: String] {
        var files: [String: String] = ["exit-code": "\(o.exitCode)\n", "stdout.txt": o.stdout, "stderr.txt": o.stderr]
        for f in o.files { files[f.path] = f.text }
        return files
    }

    func existingExpected(_ dir: String) -> [String: String] {
        let base = reader.absolute(OutputWriter.joined(dir, "expected"))
        var files: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: base) else { return files }
        while let rel = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            let p = OutputWriter.joined(base, rel)
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue {
                files[rel] = (FileManager.default.contents(atPath: p)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            }
        }
        return files
    }

    /// Runs one case and compares it with its expected files.
    public func check(_ dir: String) -> CaseResult {
        let produced: [String: String]
        do {
            produced = GoldenRunner.expectedFiles(try outcome(dir))
        } catch {
            return CaseResult(path: dir, passed: false, detail: "  \(error)\n")
        }
        let expected = existingExpected(dir)
        var detail = ""
        for path in Set(produced.keys).union(expected.keys).sorted() {
            switch (expected[path], produced[path]) {
            case (nil, .some):
                detail += "  expected/\(path) is missing (run `attain test --update` to record it)\n"
            case (.some, nil):
                detail += "  expected/\(path) is not produced by the run (an orphaned golden file)\n"
            case (.some(let e), .some(let p)) where e != p:
                detail += "  expected/\(path) differs:\n" + GoldenRunner.diff(expected: e, actual: p)
            default:
                break
            }
        }
        return CaseResult(path: dir, passed: detail.isEmpty, detail: detail)
    }

    /// Rewrites a case's expected folder from what the engine produces now.
    public func record(_ dir: String) throws {
        let files = GoldenRunner.expectedFiles(try outcome(dir))
        let base = reader.absolute(OutputWriter.joined(dir, "expected"))
        try? FileManager.default.removeItem(atPath: base)
        try OutputWriter.write(files.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }, to: base)
    }

    public func runAll(_ folders: [String], update: Bool) -> Report {
        // A folder that is not there is a missing input (exit 2), not a failed case.
        if let missing = folders.first(where: { !reader.isDirectory($0) }) {
            return Report(results: [], text: "error: no such folder: \(missing)\n", exitCode: ExitCode.ioFailure)
        }
        let all = cases(in: folders)
        var results: [CaseResult] = []
        var text = ""
        if all.isEmpty {
            return Report(results: [], text: "no golden cases (folders with a case.conf) under \(folders.joined(separator: ", "))\n", exitCode: ExitCode.testFailure)
        }
        for dir in all {
            if update {
                do {
                    try record(dir)
                } catch {
                    text += "FAIL \(dir)\n  \(error)\n"
                    results.append(CaseResult(path: dir, passed: false, detail: "\(error)"))
                    continue
                }
            }
            let r = check(dir)
            results.append(r)
            text += (r.passed ? (update ? "recorded \(dir)\n" : "pass \(dir)\n") : "FAIL \(dir)\n\(r.detail)")
        }
        let failed = results.filter { !$0.passed }.count
        text += "\(results.count - failed) passed, \(failed) failed\n"
        if update { text += "recorded; review the diff (git diff golden/) before committing\n" }
        return Report(results: results, text: text, exitCode: failed == 0 ? ExitCode.ok : ExitCode.testFailure)
    }

    /// A line diff: `-` expected, `+` actual, at most 60 lines shown.
    public static func diff(expected: String, actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let changes = b.difference(from: a)
        var removed: [Int: String] = [:]
        var inserted: [Int: String] = [:]
        for change in changes {
            switch change {
            case .remove(let offset, let element, _): removed[offset] = element
            case .insert(let offset, let element, _): inserted[offset] = element
            }
        }
        var out: [String] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, removed[i] != nil {
                out.append("    - \(a[i])")
                i += 1
            } else if j < b.count, inserted[j] != nil {
                out.append("    + \(b[j])")
                j += 1
            } else {
                i += 1
                j += 1
            }
        }
        let shown = out.prefix(60)
        return shown.joined(separator: "\n") + "\n" + (out.count > 60 ? "    … \(out.count - 60) more changed lines\n" : "")
    }
}
