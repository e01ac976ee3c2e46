// What-if: `attain compare` (plan sets over the same data) and `attain estimate` (what extra deals would pay a rep).
import Attain
import AttainLedger
import Foundation

extension Commands {
    static func usage(_ message: String) -> CommandOutcome {
        var o = CommandOutcome()
        o.stderr = "error: \(Diagnostics.visible(message))\n"
        o.exitCode = ExitCode.usage
        return o
    }

    /// The plan name a file declares, read without checking the rest.
    static func declaredName(_ file: SourceFile) -> String? {
        var parser = Parser(file: file)
        return parser.parse().name?.value
    }

    /// `0.9,1.0,1.1` → exact factors, each greater than zero.
    static func scales(_ text: String?) -> Result<[ExactDecimal], CommandOutcome> {
        guard let text else { return .success([.one]) }
        var out: [ExactDecimal] = []
        for part in text.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            guard case .success(let d) = ExactDecimal.parse(t), d > .zero else {
                return .failure(usage("--scale takes factors greater than zero, e.g. 0.9,1.0,1.1; found `\(t)`"))
            }
            out.append(d)
        }
        return out.isEmpty ? .failure(usage("--scale needs at least one factor")) : .success(out)
    }

    /// `10%` → 0.1.
    static func percentOption(_ text: String, _ option: String) -> Result<Ratio, CommandOutcome> {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasSuffix("%"), case .success(let d) = ExactDecimal.parse(String(t.dropLast())), d >= .zero,
              let r = try? Ratio(d).divided(by: Ratio(100, 1)) else {
            return .failure(usage("\(option) takes a percent such as 10%; found `\(t)`"))
        }
        return .success(r)
    }

    /// What an existing ledger says was paid before `period`, read without writing to it. A missing ledger is an error
    /// (exit 2), never a new file; a gap before the period is a warning, as in a dry run of `attain close`.
    /// The ledger's history before a period, and the opening balances the first close after an import checks.
    static func ledgerHistory(_ path: String, before period: Period, what: String, reader: InputReader,
                              outcome: inout CommandOutcome) -> (history: LedgerHistory, imported: ImportedFigures?)? {
        guard reader.ledgerExists(path) else {
            outcome.stderr += "error: no ledger at \(path); `attain close --commit` creates it\n"
            outcome.exitCode = ExitCode.ioFailure
            return nil
        }
        do {
            let ledger = try Ledger(readingOnly: reader.absolute(path))
            if let gap = try ledger.missing(before: period) {
                outcome.stderr += "warning: \(gap) is not closed yet; \(what) does not know what \(gap) will pay\n"
            }
            // Manual adjustments are paid once: a what-if recomputing a closed period leaves them out, as a close does;
            // it posts none and shows no queries.
            var history = try ledger.history(before: period)
            try ledger.manualInputs(before: period, into: &history)
            history.manual = ManualInputs()
            return (history, try ledger.importedFigures(before: period))
        } catch {
            ledgerError(error, ledgerPath: path, absolute: reader.absolute(path), into: &outcome)
            return nil
        }
    }

    /// `attain compare`: the baseline plans and each candidate over the same data and periods, read once.
    /// `candidates`: `name=file[,file…]`, files replacing the baseline plans of the same name.
    /// `whatIfs`: `name=param=value[,param=value…]`, the baseline with parameters changed.
    /// `ledgerPath`: an existing ledger each scenario is settled against, period by period, as `attain close` would; it is
    /// only read. `locale`: the language of report.html and of the terminal's tables.
    public static func compare(plans: [String], data: String, periods: [String], candidates: [String], whatIfs: [String],
                               scale: String?, lossThreshold: String, set: [String] = [], ledgerPath: String? = nil,
                               strict: Bool = false, reader: InputReader, progress: (@Sendable (String) -> Void)? = nil,
                               locale: ReportLocale = .english) -> CommandOutcome {
        var outcome = CommandOutcome()
        if periods.isEmpty { return usage("compare needs --period") }
        for period in periods { if let bad = unreadablePeriod(period) { return bad } }
        let basePlans: [SourceFile]
        do { basePlans = try reader.planFiles(plans) } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        for period in periods { if let bad = badPeriod(period, plans: basePlans) { return bad } }
        let calendar = (try? Engine.periodCalendar(of: Engine.compile(basePlans).0).get()) ?? .gregorian
        var history: LedgerHistory?
        var imported: ImportedFigures?
        if let ledgerPath {
            // The ledger's history before the earliest compared period; a bad period is reported with the others below.
            let parsed = periods.compactMap { try? Period.parse($0, in: calendar).get() }
            if let first = parsed.min(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
                guard let h = ledgerHistory(ledgerPath, before: first, what: "this comparison", reader: reader, outcome: &outcome) else { return outcome }
                history = h.history
                imported = h.imported
            }
        }
        let factors: [ExactDecimal]
        switch scales(scale) {
        case .failure(let o): return o
        case .success(let f): factors = f
        }
        let threshold: Ratio
        switch percentOption(lossThreshold, "--loss-threshold") {
        case .failure(let o): return o
        case .success(let t): threshold = t
        }
        let baseSets: [(name: String, text: String)]
        switch overrides(set) {
        case .failure(let e): return usage(e.description)
        case .success(let s): baseSets = s
        }
        var scenarios: [Scenario] = []
        let d: DataFiles
        do {
            let base = basePlans
            if let bad = badOverrides(base, baseSets) { return bad }
            d = try reader.dataFiles(data)
            scenarios.append(Scenario(name: "baseline", plans: base, overrides: baseSets))
            let baseNames = base.map(declaredName)
            for spec in candidates {
                guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
                    return usage("--candidate takes name=file[,file…], e.g. --candidate retro=candidates/ae-retro.plan; found `\(spec)`")
                }
                let name = String(spec[..<eq])
                let files = try reader.planFiles(spec[spec.index(after: eq)...].split(separator: ",").map(String.init))
                var set = base
                for f in files {
                    guard let planName = declaredName(f), let i = baseNames.firstIndex(of: planName) else {
                        return usage("candidate \(name): \(f.path) does not declare a plan named like one of the baseline's (\(baseNames.compactMap { $0 }.joined(separator: ", "))); a candidate keeps the plan's name so assignments.csv still points at it")
                    }
                    set[i] = f
                }
                scenarios.append(Scenario(name: name, plans: set, overrides: baseSets))
            }
            for spec in whatIfs {
                guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
                    return usage("--what-if takes name=param=value[,param=value…], e.g. --what-if accel12=accelerator=12%; found `\(spec)`")
                }
                switch overrides(spec[spec.index(after: eq)...].split(separator: ",").map(String.init)) {
                case .failure(let e): return usage("--what-if \(spec[..<eq]): \(e.description)")
                case .success(let o):
                    if let bad = badOverrides(base, baseSets + o) { return bad }
                    scenarios.append(Scenario(name: String(spec[..<eq]), plans: base, overrides: baseSets + o))
                }
            }
        } catch {
            outcome.stderr = "error: \(error)\n"
            outcome.exitCode = ExitCode.ioFailure
            return outcome
        }
        let names = scenarios.map(\.name)
        if Set(names).count != names.count { return usage("scenario names must differ; got \(names.joined(separator: ", "))") }
        var request = ComparisonRequest(scenarios: scenarios, deals: d.deals, roster: d.roster, assignments: d.assignments, fx: d.fx,
                                        hierarchy: d.hierarchy, periods: periods, scales: factors, lossThreshold: threshold, history: history)
        request.targets = d.targets
        request.activities = d.activities
        request.payments = d.payments
        request.holds = d.holds
        request.withoutLedger = { plan in
            Diagnostic.withoutLedger(plan, command: "`attain compare`", help: "pass `--ledger FILE` to settle each period against the ledger as `attain close` would")
        }
        let watch = progress.map { ComparisonWatch(scenarios: scenarios.count, periods: periods.count, scales: Set(factors + [.one]).count, say: $0) }
        watch?.reading(d.deals)
        if let watch { request.progress = { event in watch.note(event) } }
        let compared = Comparison.run(request)
        watch?.finish(compared)
        switch compared {
        case .failure(let diagnostics):
            outcome.stderr += DiagnosticRenderer.render(diagnostics, trailer: "; nothing was written")
            outcome.exitCode = ExitCode.invalidInput
        case .success(let result):
            var warnings = result.warnings
            // The first period after imported opening balances is checked against them as its close would be.
            if let first = result.firstBaselineRun, failsImportCheck(imported?.check(first), warnings: &warnings, into: &outcome) { return outcome }
            if refuse(warnings, reconciliation: result.reconciliation, strict: strict, into: &outcome, locale: locale) { return outcome }
            outcome.files = ComparisonOutput.files(result, locale: locale)
            outcome.stdout = ComparisonOutput.text(result, locale: locale)
        }
        return outcome
    }

    /// `attain estimate`: what extra deals would add to one payee's pay this period, line by line. Nothing is written;
    /// with `ledgerPath`, both the pay now and the pay with the deals are settled against what that ledger says was paid
    /// before the period, as `attain close` would pay them, and the ledger is only read.
    /// Each deal is `amount=50000,product=Widget[,type=new][,close_date=…][,currency=…][,split=…][,role=…][,<field>=…]`.
    /// Without a ledger only the payee's statements are made with every line (`Estimation.run`); `straight` makes
    /// every payee's, as a run does (for tests to check the two agree).
    public static func estimate(plans: [String], data: String, period: String, payee: String, deals: [String], set: [String],
                                ledgerPath: String? = nil, strict: Bool = false, reader: InputReader, straight: Bool = false,
                                locale: ReportLocale = .english) -> CommandOutcome {
        var outcome = CommandOutcome()
        if deals.isEmpty { return usage("estimate needs at least one --deal amount=…") }
        let loaded: Loaded
        switch load(plans: plans, data: data, period: period, set: set, earningCodes: nil, reader: reader, records: false) {
        case .failure(let o): return o
        case .success(let l): loaded = l
        }
        var history = LedgerHistory.empty
        var imported: ImportedFigures?
        if let ledgerPath, case .success(let p) = Engine.period(period, plans: Engine.compile(loaded.request.plans, overrides: loaded.request.overrides).0) {
            guard let h = ledgerHistory(ledgerPath, before: p, what: "this estimate", reader: reader, outcome: &outcome) else { return outcome }
            history = h.history
            imported = h.imported
        }
        // The period's run and the payee's statement in it.
        let settled = ledgerPath != nil
        func evaluate(_ request: RunRequest) -> Result<(run: RunResult, statement: Statement?), Diagnostics> {
            if !settled && !straight { return Estimation.run(request, payee: payee) }
            return Engine.run(request, history: history).map { r in (r, r.statements.first { $0.payeeID == payee }) }
        }
        let before: RunResult, mine: Statement?
        switch evaluate(loaded.request) {
        case .failure(let diagnostics):
            outcome.stderr = DiagnosticRenderer.render(diagnostics)
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        case .success(let r): (before, mine) = r
        }
        guard let now = mine else {
            return usage("`\(payee)` has no statement in \(period): no plan assignment covers them then")
        }
        var warnings = before.warnings
        // The first period after imported opening balances is checked against them as its close would be.
        if failsImportCheck(imported?.check(before), warnings: &warnings, into: &outcome, trailer: "; nothing was estimated") { return outcome }
        if ledgerPath == nil {
            let mine = Set(now.segments.isEmpty ? [now.planName] : now.segments.map(\.planName))
            for plan in before.plans where mine.contains(plan.name) {
                if let w = Diagnostic.withoutLedger(plan, command: "`attain estimate`", help: "pass `--ledger FILE` to settle the estimate against the ledger as `attain close` would") {
                    warnings.append(w)
                }
            }
        }
        // The period's rows as they are now, before the extra deals.
        if refuse(warnings, reconciliation: before.reconciliation, strict: strict, into: &outcome, locale: locale) { return outcome }
        // The extra rows, in deals.csv's own columns.
        // Only the header line is read as text: the rows go on as the bytes they are.
        let bytes = loaded.request.deals.bytes
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        let header = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r\u{FEFF}"))
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [String] = []
        for (n, spec) in deals.enumerated() {
            var values: [String: String] = ["deal_id": "WHATIF-\(n + 1)", "rep_id": payee, "close_date": before.period.end.description,
                                            "currency": now.currency.code, "type": "new", "product": ""]
            // In the first role the payee's plan credits (an SDR's deal is one they sourced), unless `role=` says otherwise.
            if columns.contains("role"), let plan = before.plans.first(where: { $0.name == now.planName }), plan.creditRoles[0] != Deal.owner {
                values["role"] = plan.creditRoles[0]
            }
            for pair in spec.split(separator: ",") {
                guard let eq = pair.firstIndex(of: "=") else { return usage("--deal takes key=value pairs, e.g. amount=50000,product=Widget; found `\(pair)`") }
                let key = pair[..<eq].trimmingCharacters(in: .whitespaces), value = pair[pair.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                guard columns.contains(key), !["deal_id", "rep_id", "status", "cancel_date"].contains(key) else {
                    return usage("--deal \(n + 1): `\(key)` is not a column a new deal can set; deals.csv has \(columns.filter { !["deal_id", "rep_id", "status", "cancel_date"].contains($0) }.joined(separator: ", "))")
                }
                if value.contains("\"") || value.contains("\n") { return usage("--deal \(n + 1): `\(key)` cannot hold quotes or line breaks") }
                values[key] = value
            }
            guard let amount = values["amount"], case .success = ExactDecimal.parse(amount) else { return usage("--deal \(n + 1) needs amount=<number>, e.g. amount=50000") }
            guard let date = values["close_date"], case .success(let d) = CivilDate.parse(Array(date.utf8)), before.period.contains(d) else {
                return usage("--deal \(n + 1): close_date must be a date in \(before.period) (\(before.period.start) to \(before.period.end))")
            }
            rows.append(columns.map { c in
                let v = values[c] ?? (c == "status" ? "won" : "")
                return v.contains(",") ? "\"\(v)\"" : v
            }.joined(separator: ","))
        }
        var request = loaded.request
        // The rows after the file's last line, which ends with a line feed of its own (a `\r\n` ending is given one more).
        var body = bytes
        if let last = body.last, last != UInt8(ascii: "\n") || (body.count > 1 && body[body.count - 2] == UInt8(ascii: "\r")) {
            body.append(UInt8(ascii: "\n"))
        }
        body += Array((rows.joined(separator: "\n") + "\n").utf8)
        request.deals = InputFile(path: request.deals.path, bytes: body)
        let after: Statement
        switch evaluate(request) {
        case .failure(let diagnostics):
            outcome.stderr = DiagnosticRenderer.render(diagnostics) + "(the rows after the last line of \(request.deals.path) are the --deal values)\n"
            outcome.exitCode = ExitCode.invalidInput
            return outcome
        case .success(let (r, statement)):
            guard let s = statement else { return usage("`\(payee)` has no statement with the extra deals") }
            after = s
            // What the extra deals bring that the data alone did not: a value no filter names, say.
            let added = r.warnings.items.filter { w in
                Reconciliation.codes.contains(w.code) && !before.warnings.items.contains { $0.code == w.code && $0.message == w.message }
            }
            if !added.isEmpty {
                outcome.stderr += "\nwith the --deal values:\n"
                if refuse(Diagnostics(added), reconciliation: nil, strict: strict, into: &outcome) { return outcome }
            }
        }
        outcome.stdout = estimateText(now: now, after: after, count: deals.count, ledger: ledgerPath, locale: locale)
        return outcome
    }

    /// The lines that change, by kind, component and deal; then the totals. `ledger`: what both were settled against.
    /// The words are in `locale` (`table.estimate.` keys, and each line worded as its statement page words it).
    static func estimateText(now: Statement, after: Statement, count: Int, ledger: String? = nil, locale: ReportLocale = .english) -> String {
        func t(_ key: String, _ args: String...) -> String { locale.text("table.estimate." + key, arguments: args) }
        let rtl = locale.isRightToLeft
        func iso(_ s: String) -> String { rtl ? isolated(s) : s }
        struct Key: Hashable { let kind: String, component: String, deal: String, period: String }
        func key(_ l: StatementLine) -> Key { Key(kind: l.kind.rawValue, component: l.component, deal: l.dealID ?? "", period: l.refPeriod ?? "") }
        var order: [Key] = []
        var a: [Key: ExactDecimal] = [:], b: [Key: ExactDecimal] = [:], words: [Key: String] = [:]
        for l in now.lines {
            let k = key(l)
            if a[k] == nil && b[k] == nil { order.append(k) }
            a[k] = (try? (a[k] ?? .zero).adding(l.amount.amount)) ?? a[k]
        }
        for l in after.lines {
            let k = key(l)
            if a[k] == nil && b[k] == nil { order.append(k) }
            b[k] = (try? (b[k] ?? .zero).adding(l.amount.amount)) ?? b[k]
            // English keeps the statement's exact wording; another language words the line as its page does.
            words[k] = locale == .english ? StatementHTML.describe(l) : StatementHTML.describe(l, locale: locale, currency: after.currency)
        }
        let c = now.currency
        var rows: [[String]] = [["", t("col.line"), t("col.now"), t("col.with"), t("col.change")]]
        var notes: [String?] = [nil]
        for k in order {
            let x = a[k] ?? .zero, y = b[k] ?? .zero
            guard let d = try? y.subtracting(x), !d.isZero else { continue }
            let kind = LineKind(rawValue: k.kind).map { locale.text("statement.kind.\($0.rawValue)") } ?? k.kind
            let label = "\(k.component)\(k.deal.isEmpty ? "" : " · \(k.deal)") (\(kind))"
            rows.append(["", label, a[k].map { Money($0, c).text } ?? "–", b[k].map { Money($0, c).text } ?? "–",
                         (d > .zero ? "+" : "") + Money(d, c).text])
            notes.append(words[k])
        }
        let diff = (try? after.paid.subtracting(now.paid)) ?? .zero(c)
        let v = Diagnostics.visible
        var out = t(count == 1 ? "title_one" : "title_many", v(after.payeeName), iso(v(after.payeeID)), iso(after.period.description), iso(v(after.planName)),
                    String(count)) + "\n"
        // The three totals under one another, their labels padded to the same width in terminal cells.
        let labels = [t("paid_now"), t("with_deals"), t("difference")]
        let width = labels.map(TextTable.cells).max() ?? 0
        let figures = [now.paid.text, after.paid.text, (diff.amount > .zero ? "+" : "") + diff.text]
        for (label, figure) in zip(labels, figures) {
            out += "  " + label + String(repeating: " ", count: width - TextTable.cells(label) + 2) + iso("\(figure) \(c.code)") + "\n"
        }
        if rows.count > 1 {
            // Each changed line, then the line as the statement would word it.
            let lines = TextTable.render(rows, numeric: { [2, 3, 4].contains($0) }, locale: locale, isolate: { $0 > 0 }).split(separator: "\n")
            out += "\n"
            for (line, note) in zip(lines, notes) {
                out += line + "\n"
                if let note { out += "      " + v(note) + "\n" }
            }
        } else {
            out += "\n" + t("no_change") + "\n"
        }
        let settled = ledger.map { t("settled", iso(v($0)), iso(after.period.description)) } ?? ""
        out += "\n" + t("footer", settled, iso(v(after.payeeID))) + "\n"
        return out
    }
}
