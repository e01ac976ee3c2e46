// Resolves names and checks types with units, then lowers the plan into the evaluation tree.

/// Checks a parsed plan and lowers it to a `CompiledPlan`. Collects every error it finds.
public struct Checker {
    let ast: PlanAST
    let file: SourceFile
    let overrides: [(name: String, text: String)]
    var diagnostics = Diagnostics()

    var currency = Currency(code: "USD")!
    var params: [String: (Value, SourceSpan)] = [:]
    /// Parameters whose definition had an error (already reported): a use of one says nothing more.
    var failedParams: Set<String> = []
    /// Uses of those parameters: failures that say nothing, but count as errors where a rule asks whether it had any.
    var quietFailures = 0
    /// The errors found so far, with the uses of failed parameters.
    var failures: Int { diagnostics.errors.count + quietFailures }
    var paramOrder: [(name: String, value: Value, overridden: Bool)] = []
    var fields: [ExtraField] = []
    var measureIndex: [String: Int] = [:]
    var measureUnits: [ValueType] = []
    var measureHasQuota: [Bool] = []
    var weighted = false
    /// `field activity.<name>` declarations, and which measures count activities (`Checker+Activities.swift`).
    var activityFields: [ExtraField] = []
    var activityMeasures: Set<Int> = []

    /// Where an expression is evaluated, which decides the names it may use.
    enum Context {
        /// Literals and parameters only: known when the plan is checked.
        case constant
        /// One credited deal: `deal.<field>` and constants.
        case deal
        /// One activity counted by a measure of activities: `activity.<field>` and constants.
        case activity
        /// The payee's period: measures, attainment, quota, target incentive.
        case period(measure: Int?, onTotal: Bool)
    }

    public init(ast: PlanAST, file: SourceFile, overrides: [(name: String, text: String)] = []) {
        self.ast = ast
        self.file = file
        self.overrides = overrides
    }

    /// Parses and checks plan text in one step.
    public static func compile(_ file: SourceFile, overrides: [(name: String, text: String)] = []) -> (CompiledPlan?, Diagnostics) {
        var parser = Parser(file: file)
        let ast = parser.parse()
        var checker = Checker(ast: ast, file: file, overrides: overrides)
        let plan = checker.check()
        var all = parser.diagnostics
        all.append(contentsOf: checker.diagnostics)
        return (all.hasErrors ? nil : plan, all)
    }

    func span(_ start: Int, _ end: Int) -> SourceSpan { file.span(from: start, to: end) }
    func span(_ e: Expr) -> SourceSpan { file.span(from: e.start, to: e.end) }
    func span<T>(_ l: Located<T>) -> SourceSpan { file.span(from: l.start, to: l.end) }
    func sourceText(_ e: Expr) -> String {
        String(decoding: file.utf8[e.start..<e.end], as: UTF8.self)
    }

    /// A checked expression as plan text with parameters replaced by their values, for statements.
    func shown(_ e: CheckedExpr) -> String {
        let names = ast.measures.map(\.name.value).filter { measureIndex[$0] != nil }
        return TreePrinter.expression(e, measures: names, fields: fields.map(\.name))
    }

    mutating func error(_ code: String, _ message: String, at span: SourceSpan?, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(code, message, at: span, notes: notes))
    }

    // MARK: Plan

    public mutating func check() -> CompiledPlan? {
        let top = span(0, 0)
        let name = ast.name?.value ?? ""
        if ast.name == nil && !ast.brokenHeaderLines.contains("plan") { error("E100", "the plan has no `plan \"name\" version \"1\"` line", at: top) }
        if let c = ast.currency {
            if let cur = Currency(code: c.value) { currency = cur } else {
                error("E101", "unknown currency `\(c.value)`", at: span(c), notes: Currency.help(for: c.value))
            }
        } else if !ast.brokenHeaderLines.contains("currency") {
            error("E100", "the plan has no `currency` line", at: top, notes: [.help("add a line such as `currency USD`")])
        }
        var periodKind = PeriodKind.quarter
        if let p = ast.period {
            if let k = PeriodKind(rawValue: p.value) { periodKind = k } else {
                error("E102", "unknown payout period `\(p.value)`", at: span(p),
                      notes: Suggestion.help(for: p.value, in: PeriodKind.allCases.map(\.rawValue)) + [.help("use `month`, `quarter`, `half`, `year`, `semi-monthly` or `biweekly from 2026-01-05`")])
            }
        } else if !ast.brokenHeaderLines.contains("period") {
            error("E100", "the plan has no `period` line", at: top, notes: [.help("add a line such as `period quarter`")])
        }
        let calendar = checkCalendar(periodKind)
        var rounding = RoundingRule(mode: .halfUp, scale: 2)
        if let m = ast.roundingMode, let p = ast.roundingPrecision {
            if let mode = RoundingMode(rawValue: m.value) { rounding.mode = mode } else {
                error("E103", "unknown rounding mode `\(m.value)`", at: span(m),
                      notes: Suggestion.help(for: m.value, in: RoundingMode.allCases.map(\.rawValue)) + [.help("use `half-up`, `half-even`, `down` or `up`")])
            }
            let n = p.value.normalized
            if n.coefficient != 1 {
                error("E104", "a rounding precision is 1, 0.1, 0.01 and so on; found `\(p.value)`", at: span(p))
            } else if n.scale > currency.minorUnits {
                error("E104", "rounding to \(p.value) is finer than \(currency.code) amounts allow (\(currency.minorUnits) decimal places)", at: span(p))
            } else {
                rounding.scale = n.scale
            }
        } else if !ast.brokenHeaderLines.contains("rounding") {
            error("E100", "the plan has no `rounding` line", at: top, notes: [.help("add a line such as `rounding half-up to 0.01`")])
        }
        var effective = (from: CivilDate(year: 1, month: 1, day: 1)!, to: CivilDate(year: 9999, month: 12, day: 31)!)
        if let f = ast.effectiveFrom, let t = ast.effectiveTo {
            let from = constantDate(f)
            let to = constantDate(t)
            if let from, let to {
                if to < from { error("E105", "the plan's effective dates end before they start", at: span(ast.effectiveStart, t.end)) }
                effective = (from, to)
            }
        }
        // Without an `effective` line a plan applies to any period its assignments cover.

        var fxDate = FXDate.closeDate
        if let words = ast.fxDate {
            if let d = FXDate(rawValue: words.value) { fxDate = d } else {
                error("E106", "exchange rates are taken `at close date` or `at period start`, not `at \(words.value)`", at: span(words))
            }
        }
        var clawback: (days: Int, trace: SourceSpan)?
        if let d = ast.clawbackDays {
            let n = d.value.normalized
            if n.scale != 0 || n.coefficient < 0 || n.coefficient > 36_600 {
                error("E107", "a clawback window is a whole number of days (0 to 36600); found `\(d.value)`", at: span(d))
            } else {
                clawback = (Int(n.coefficient), span(d.start, d.end))
            }
        }
        if let y = ast.yearToDate, ast.period?.value == "year" {
            error("E108", "a plan paid by year already pays the whole year; `true-up year to date` is for plans paid by month, quarter or half", at: span(y))
        }
        let credit = checkCredit()
        let sharing = checkSharing()
        checkFields()
        let shown = checkShow()
        checkParams()
        var measures = checkMeasures()
        var components: [CompiledComponent] = []
        var draw: CompiledDraw?
        var componentNames: [String: SourceSpan] = [:]
        for decl in ast.components {
            if let first = componentNames[decl.name.value] {
                error("E110", "a component named \"\(decl.name.value)\" is already defined", at: span(decl.name), notes: [.note("first defined here", at: first)])
            }
            componentNames[decl.name.value] = span(decl.name)
            if decl.kind == .draw {
                if let d = checkDraw(decl) {
                    if let first = draw {
                        error("E184", "a plan has at most one draw", at: span(decl.name), notes: [.note("the first one", at: first.trace)])
                    }
                    draw = d
                }
                continue
            }
            if let c = checkComponent(decl) { components.append(c) }
        }
        if ast.components.allSatisfy({ $0.kind == .draw }) && ast.name != nil {
            error("E111", "the plan pays nothing: it has no `commission`, `bonus` or `spif`", at: top)
        }
        checkActivityComponents(components)
        if diagnostics.hasErrors { return nil }
        // A measure without a scope of its own that only overrides of one scope are on is their roll-up. One that a
        // commission, bonus or spif is also on, or overrides of both scopes, stays the payee's own deals.
        for i in measures.indices where measures[i].reports == nil {
            let uses = components.filter { $0.measure == i }
            var scopes: Set<OverrideScope> = []
            for c in uses {
                if case .override(_, let scope, _) = c.rule { scopes.insert(scope) } else { scopes = []; break }
            }
            if scopes.count == 1 { measures[i].rollUp = scopes.first }
        }
        checkTeamTargets(measures)
        if diagnostics.hasErrors { return nil }
        var plan = CompiledPlan(name: name, version: ast.version?.value ?? "", path: file.path, effective: effective,
                                currency: currency, periodKind: periodKind, rounding: rounding, fxDate: fxDate, fields: fields,
                                params: paramOrder, measures: measures, components: components, clawback: clawback,
                                yearToDate: ast.yearToDate.map { span($0) }, draw: draw, trace: top, activityFields: activityFields,
                                creditRoles: credit.roles, creditLine: credit.line, creditsOwner: credit.roles.contains(Deal.owner))
        plan.calendar = calendar.calendar
        plan.fiscalTrace = calendar.trace
        plan.sharing = sharing
        plan.shown = shown
        return plan
    }

    mutating func constantDate(_ e: Expr) -> CivilDate? {
        guard let v = constantValue(e, expecting: .date) else { return nil }
        if case .date(let d) = v { return d }
        return nil
    }

    /// `field` lines: extra columns of activities.csv (`field activity.outcome`), then of deals.csv.
    mutating func checkFields() {
        activityFields = declaredFields(activity: true, standard: ActivityField.standard.map(\.0), code: "E178", of: "activity")
        fields = declaredFields(activity: false, standard: DealField.standard.map(\.0), code: "E112", of: "deal")
    }

    /// The `field` lines of one file's columns, each once: a standard column (`code`) or a name declared twice (E110)
    /// is an error and left out.
    mutating func declaredFields(activity: Bool, standard: [String], code: String, of what: String) -> [ExtraField] {
        var out: [ExtraField] = []
        for f in ast.fields where f.activity == activity {
            let written = (activity ? "activity." : "") + f.name.value
            if standard.contains(f.name.value) {
                error(code, "`\(written)` is a standard \(what) column; only extra columns need a `field` line", at: span(f.name))
                continue
            }
            if let first = out.first(where: { $0.name == f.name.value }) {
                error("E110", "field `\(written)` is already declared", at: span(f.name), notes: [.note("first declared here", at: first.trace)])
                continue
            }
            out.append(ExtraField(name: f.name.value, type: fieldType(f.type), trace: span(f.name)))
        }
        return out
    }

    /// The type a `field` line declares (`text` when it names none); an unknown type is E113 and reads as text.
    mutating func fieldType(_ t: Located<String>?) -> ValueType {
        guard let t else { return .text }
        switch t.value {
        case "text": return .text
        case "money": return .money(currency)
        case "percent": return .percent
        case "number": return .number
        case "date": return .date
        default:
            error("E113", "unknown field type `\(t.value)`", at: span(t),
                  notes: Suggestion.help(for: t.value, in: ["text", "money", "percent", "number", "date"]) + [.help("use `text`, `money`, `percent`, `number` or `date`")])
            return .text
        }
    }

    mutating func checkParams() {
        for p in ast.params {
            if Parser.reservedWords.contains(p.name.value) {
                error("E114", "`\(p.name.value)` is a reserved word and cannot name a parameter", at: span(p.name))
                continue
            }
            if let first = params[p.name.value] {
                error("E110", "parameter `\(p.name.value)` is already defined", at: span(p.name), notes: [.note("first defined here", at: first.1)])
                continue
            }
            guard let value = constantValue(p.value, expecting: nil) else {
                failedParams.insert(p.name.value)
                continue
            }
            params[p.name.value] = (value, span(p.name))
            paramOrder.append((p.name.value, value, false))
        }
        // Overrides from outside the file (a what-if): `--set name=value`.
        for o in overrides {
            let source = SourceFile(path: "--set \(o.name)", text: o.text)
            guard let (current, _) = params[o.name] else {
                error("E115", "the plan has no parameter `\(o.name)` to set", at: nil,
                      notes: Suggestion.help(for: o.name, in: Array(params.keys)))
                continue
            }
            var lexer = Lexer(file: source)
            let lines = lexer.tokenize()
            if !lexer.diagnostics.items.isEmpty {
                diagnostics.append(contentsOf: lexer.diagnostics)
                continue
            }
            guard lines.count == 1 else {
                error("E115", "`--set \(o.name)=\(o.text)` is not a single value", at: nil)
                continue
            }
            var cursor = Cursor(line: lines[0], file: source)
            guard let e = try? cursor.expression(), cursor.peek == nil else {
                error("E115", "`--set \(o.name)=\(o.text)` is not a value the plan language can read", at: nil)
                continue
            }
            var sub = Checker(ast: PlanAST(), file: source)
            sub.currency = currency
            sub.params = params
            guard let value = sub.constantValue(e, expecting: nil) else {
                diagnostics.append(contentsOf: sub.diagnostics)
                continue
            }
            guard Checker.typeOf(value) == Checker.typeOf(current) else {
                error("E115", "`\(o.name)` is \(Checker.typeOf(current)), but `--set` gave \(Checker.typeOf(value))", at: nil)
                continue
            }
            params[o.name]!.0 = value
            if let i = paramOrder.firstIndex(where: { $0.name == o.name }) { paramOrder[i] = (o.name, value, true) }
        }
    }

    static func typeOf(_ v: Value) -> ValueType {
        switch v {
        case .money(_, let c): return .money(c)
        case .percent: return .percent
        case .number: return .number
        case .date: return .date
        case .text: return .text
        case .bool: return .bool
        }
    }

    mutating func checkMeasures() -> [CompiledMeasure] {
        var result: [CompiledMeasure] = []
        // Names first, so a measure's unit is known to every rule.
        for m in ast.measures {
            if Parser.reservedWords.contains(m.name.value) || params[m.name.value] != nil {
                error("E114", "`\(m.name.value)` cannot name a measure: it is \(params[m.name.value] != nil ? "a parameter" : "a reserved word")", at: span(m.name))
            }
            if let first = measureIndex[m.name.value] {
                error("E110", "measure `\(m.name.value)` is already defined", at: span(m.name), notes: [.note("first defined here", at: ast.measures[first].name.start == 0 ? nil : span(ast.measures[first].name))])
                continue
            }
            measureIndex[m.name.value] = measureUnits.count
            if Checker.countsActivities(m) { activityMeasures.insert(measureUnits.count) }
            switch m.aggregate {
            case .sum: measureUnits.append(activityMeasures.contains(measureUnits.count) ? .number : .money(currency))
            case .count: measureUnits.append(.number)
            }
            measureHasQuota.append(m.quota != nil)
        }
        weighted = ast.measures.contains { $0.weight != nil }
        var totalWeight = Ratio.zero
        for (i, m) in ast.measures.enumerated() where measureIndex[m.name.value] == i || result.count == i {
            guard measureIndex[m.name.value] == result.count else { continue }
            let unit = measureUnits[result.count]
            let ofActivities = activityMeasures.contains(result.count)
            let rowContext: Context = ofActivities ? .activity : .deal
            var aggregate = CompiledMeasure.Aggregate.count
            if case .sum(let e) = m.aggregate {
                if let checked = typed(e, in: rowContext) {
                    if ofActivities && checked.1 != unit {
                        error("E120", "a measure of activities sums numbers (`sum of activity.count`); `\(sourceText(e))` is \(checked.1)", at: span(e))
                    } else if checked.1 != unit {
                        error("E120", "a measure sums money; `\(sourceText(e))` is \(checked.1)", at: span(e))
                    }
                    aggregate = .sum(checked.0)
                }
            }
            var reports: OverrideScope?
            if let r = m.reports {
                if let s = OverrideScope(rawValue: r.value) { reports = s } else {
                    error("E148", "a team measure is `for direct reports` or `for all reports`, not `for \(r.value) reports`", at: span(r),
                          notes: Suggestion.help(for: r.value, in: ["direct", "all"]))
                }
            }
            var filter: CheckedExpr?
            if let f = m.filter { filter = condition(f, in: rowContext) }
            var quota: CompiledMeasure.QuotaSource?
            if let q = m.quota {
                switch q.value {
                case .assignment(let column):
                    quota = .assignmentColumn(column.value, trace: span(column))
                case .value(let e):
                    if let v = constantValue(e, expecting: unit), let r = v.numeric {
                        if r.signum <= 0 { error("E121", "a quota must be greater than zero", at: span(e)) }
                        quota = .constant(r)
                    }
                case .target(let key, let team):
                    quota = targetQuota(m, key: key, team: team, at: q)
                }
            }
            var weight: Ratio?
            if let w = m.weight {
                if let v = constantValue(w, expecting: .percent), let r = v.numeric {
                    weight = r
                    totalWeight = (try? totalWeight.adding(r)) ?? totalWeight
                }
                if m.quota == nil {
                    error("E122", "measure `\(m.name.value)` has a weight but no quota", at: span(w),
                          notes: [.help("a weight applies to attainment; add `quota from assignment` or `quota <amount>`")])
                }
            } else if weighted {
                error("E122", "measure `\(m.name.value)` has no weight, but other measures do", at: span(m.name),
                      notes: [.help("give every measure a `weight`, and make the weights total 100%")])
            }
            var compiled = CompiledMeasure(name: m.name.value, aggregate: aggregate, reports: reports, filter: filter,
                                           filterText: m.filter.map(sourceText), quota: quota, weight: weight,
                                           unit: unit, trace: span(m.name), quotaSpan: m.quotaSpan?.value)
            compiled.readsActivities = ofActivities
            result.append(compiled)
        }
        if weighted, let first = ast.measures.first, totalWeight != Ratio(ExactDecimal.one),
           !ast.measures.contains(where: { $0.weight == nil }) {
            error("E123", "measure weights total \(Value.percent(totalWeight).text); they must total 100%", at: span(first.name))
        }
        return result
    }

    // MARK: Components

    mutating func checkComponent(_ decl: ComponentDecl) -> CompiledComponent? {
        let errorsBefore = failures
        var measure: Int?
        if let m = decl.measure, !decl.onTotal {
            if let i = measureIndex[m.value] { measure = i } else {
                error("E130", "unknown measure `\(m.value)`", at: span(m), notes: Suggestion.help(for: m.value, in: Array(measureIndex.keys)))
                return nil
            }
        }
        if decl.onTotal && !weighted {
            error("E131", "`on total attainment` needs measure weights", at: span(decl.measure!),
                  notes: [.help("give each measure a `weight`, or name one measure: `on bookings`")])
            return nil
        }
        let periodContext = Context.period(measure: measure, onTotal: decl.onTotal)
        var caps: [Cap] = []
        var gates: [Gate] = []
        var rate: (RateSpec, SourceSpan)?
        var tiersLine: (TierMode, TierBasis, SourceSpan)?
        var tierLines: [(from: Expr, to: Expr?, rate: Expr, perDeal: Bool, span: SourceSpan)] = []
        var steps: [BonusStep] = []
        var stepExprs: [Expr] = []
        var window: (from: CivilDate, to: CivilDate)?
        var spifFilter: CheckedExpr?
        var pay: (SpifPay, String?, SourceSpan)?
        var overrideScope: OverrideScope?
        var collection: PayOnCollection?

        func misplaced(_ checker: inout Checker, _ what: String, _ clause: Located<Clause>) {
            checker.error("E132", "`\(what)` does not belong in a \(decl.kind.rawValue)", at: checker.span(clause.start, clause.end))
        }

        for clause in decl.clauses {
            let clauseSpan = span(clause.start, clause.end)
            switch clause.value {
            case .cap(let e, let per):
                guard let scope = Cap.Scope(rawValue: per.value) else {
                    error("E133", "a cap is `per period` or `per deal`, not `per \(per.value)`", at: span(per))
                    continue
                }
                if let amount = typed(e, in: periodContext, expecting: .money(currency)) {
                    caps.append(Cap(amount: amount, scope: scope, text: shown(amount), trace: clauseSpan))
                }
            case .collection(let mode):
                if let first = collection {
                    error("E221", "a \(decl.kind.rawValue) says once how it is paid on collection", at: clauseSpan, notes: [.note("first said here", at: first.trace)])
                    continue
                }
                guard decl.kind != .bonus else {
                    error("E220", "a bonus has no deal lines to hold until collection: `pay on collection` goes in a commission, spif or override", at: clauseSpan,
                          notes: [.help("remove the line, or hold the payee by hand (holds.csv, `attain hold`)")])
                    continue
                }
                if ast.yearToDate != nil {
                    error("E222", "a plan with `true-up year to date` cannot pay on collection: its deal lines hold the year so far, not what each deal earned", at: clauseSpan)
                    continue
                }
                if let m = measure, ast.measures.first(where: { measureIndex[$0.name.value] == m })?.ofActivities == true {
                    error("E223", "a measure of activities has no deals to collect on; `pay on collection` goes with a measure of deals", at: clauseSpan)
                    continue
                }
                collection = PayOnCollection(mode: mode.value == "in full" ? .inFull : .proportionally, trace: clauseSpan)
            case .gate(let e):
                if let c = condition(e, in: periodContext) {
                    gates.append(Gate(condition: c, text: shown(c), trace: clauseSpan))
                }
            case .drawAmount:
                misplaced(&self, "amount … per …", clause)
            case .recoverable(let yes):
                misplaced(&self, yes ? "recoverable" : "non-recoverable", clause)
            case .reports(let scope):
                guard decl.kind == .override else { misplaced(&self, "for … reports", clause); continue }
                guard let s = OverrideScope(rawValue: scope.value) else {
                    error("E148", "an override is `for direct reports` or `for all reports`, not `for \(scope.value) reports`", at: span(scope),
                          notes: Suggestion.help(for: scope.value, in: ["direct", "all"]))
                    continue
                }
                if overrideScope != nil { error("E148", "an override has one `for … reports` line", at: clauseSpan); continue }
                overrideScope = s
            case .rate(let e, let perDeal):
                guard decl.kind == .commission || decl.kind == .override else { misplaced(&self, "rate", clause); continue }
                if rate != nil || tiersLine != nil {
                    error("E134", "a commission has one `rate` line or one set of tiers", at: clauseSpan)
                    continue
                }
                guard let measure else { continue }
                if let r = rateSpec(e, perDeal: perDeal, measure: measure) { rate = (r, clauseSpan) }
            case .tiers(let mode, let over):
                guard decl.kind == .commission else { misplaced(&self, "tiers", clause); continue }
                if rate != nil || tiersLine != nil {
                    error("E134", "a commission has one `rate` line or one set of tiers", at: clauseSpan)
                    continue
                }
                guard let m = TierMode(rawValue: mode.value) else {
                    error("E135", "tiers are `marginal` or `retroactive`, not `\(mode.value)`", at: span(mode),
                          notes: Suggestion.help(for: mode.value, in: ["marginal", "retroactive"]))
                    continue
                }
                guard let measure else { continue }
                let measureName = ast.measures[ast.measures.firstIndex { measureIndex[$0.name.value] == measure }!].name.value
                let basis: TierBasis
                if over.value == "attainment" {
                    basis = .attainment
                    if !measureHasQuota[measure] {
                        error("E136", "tiers over attainment need a quota, and measure `\(measureName)` has none", at: span(over),
                              notes: [.help("add `quota from assignment` under `measure \(measureName)`, or tier over `\(measureName)` itself")])
                        continue
                    }
                } else if over.value == measureName {
                    basis = .value
                } else {
                    error("E135", "tiers are over `attainment` or over `\(measureName)`, not `\(over.value)`", at: span(over),
                          notes: Suggestion.help(for: over.value, in: ["attainment", measureName]))
                    continue
                }
                tiersLine = (m, basis, clauseSpan)
            case .tier(let from, let to, let r, let perDeal):
                guard decl.kind == .commission else { misplaced(&self, "tier", clause); continue }
                if rate != nil {
                    error("E134", "a commission has one `rate` line or one set of tiers", at: clauseSpan)
                    continue
                }
                tierLines.append((from, to, r, perDeal, clauseSpan))
            case .step(let at, let payExpr):
                guard decl.kind == .bonus else { misplaced(&self, "at … pay", clause); continue }
                let thresholdType: ValueType? = {
                    if case .percent = exprLiteralType(at) { return .percent }
                    return nil
                }()
                guard let threshold = constantValue(at, expecting: thresholdType) else { continue }
                let tType = Checker.typeOf(threshold)
                if tType == .percent {
                    if let measure, !measureHasQuota[measure] {
                        error("E136", "a bonus step at a percent needs the measure to have a quota", at: span(at))
                        continue
                    }
                } else if decl.onTotal || measure == nil || tType != measureUnits[measure!] {
                    let expected = decl.onTotal || measure == nil ? "a percent of attainment" : "a percent of attainment or \(measureUnits[measure!])"
                    error("E137", "a bonus step is at \(expected); found \(tType)", at: span(at))
                    continue
                }
                if let payChecked = typed(payExpr, in: periodContext, expecting: .money(currency)) {
                    steps.append(BonusStep(threshold: threshold, pay: payChecked, trace: clauseSpan))
                    stepExprs.append(at)
                }
            case .window(let f, let t):
                guard decl.kind == .spif else { misplaced(&self, "from … to", clause); continue }
                if window != nil { error("E139", "a spif has one `from … to …` window", at: clauseSpan); continue }
                if let a = constantDate(f), let b = constantDate(t) {
                    if b < a { error("E138", "the window ends before it starts", at: clauseSpan) }
                    window = (a, b)
                }
            case .filter(let e):
                guard decl.kind == .spif else { misplaced(&self, "where", clause); continue }
                if spifFilter != nil { error("E139", "a spif has one `where` line; join conditions with `and`", at: clauseSpan); continue }
                spifFilter = condition(e, in: .deal)
            case .pay(let e, let perDeal):
                guard decl.kind == .spif else { misplaced(&self, "pay", clause); continue }
                if pay != nil { error("E139", "a spif has one `pay` line", at: clauseSpan); continue }
                guard let (checked, type) = typed(e, in: .deal) else { continue }
                guard type == .money(currency) else {
                    error("E140", "a spif pays money (\(currency.code)); `\(sourceText(e))` is \(type)", at: span(e),
                          notes: [.help("write `pay 250.00 \(currency.code) per deal` or `pay 2% of deal.amount`")])
                    continue
                }
                if perDeal {
                    if checked.readsDeal {
                        error("E141", "`per deal` goes with a fixed amount; `\(sourceText(e))` already depends on the deal", at: clauseSpan)
                        continue
                    }
                    pay = (.perDeal(checked), "\(shown(checked)) per deal", clauseSpan)
                } else {
                    if !checked.readsDeal {
                        error("E141", "a fixed spif amount is paid `per deal`", at: span(e),
                              notes: [.help("write `pay \(sourceText(e)) per deal`")])
                        continue
                    }
                    pay = (.expression(checked), shown(checked), clauseSpan)
                }
            }
        }

        // A line of this component did not parse or check: whole-component checks would only report its absence.
        if decl.hasSyntaxErrors || failures > errorsBefore { return nil }
        let header = span(decl.start, decl.end)
        let rule: CompiledComponent.Rule
        switch decl.kind {
        case .commission:
            guard let measure else {
                error("E142", "a commission needs a measure: `commission \"\(decl.name.value)\" on <measure>`", at: header)
                return nil
            }
            if let (r, s) = rate {
                rule = .commission(.flat(r, trace: s))
            } else if let (mode, basis, s) = tiersLine {
                guard let bands = checkBands(tierLines, basis: basis, measure: measure, header: s) else { return nil }
                rule = .commission(.tiers(mode, basis, bands, trace: s))
            } else {
                if !tierLines.isEmpty {
                    error("E143", "tier lines need a `tiers marginal over attainment` (or `retroactive`) line before them", at: tierLines[0].span)
                } else {
                    error("E143", "commission \"\(decl.name.value)\" has no `rate` or `tiers`", at: header,
                          notes: [.help("add a line such as `  rate 5%`")])
                }
                return nil
            }
        case .override:
            guard measure != nil else {
                error("E149", "an override needs a measure: `override \"\(decl.name.value)\" on <measure>`", at: header)
                return nil
            }
            guard let scope = overrideScope else {
                error("E149", "override \"\(decl.name.value)\" does not say whose deals it pays on", at: header,
                      notes: [.help("add `  for direct reports` or `  for all reports`")])
                return nil
            }
            guard let (r, s) = rate else {
                error("E149", "override \"\(decl.name.value)\" has no `rate` line", at: header, notes: [.help("add a line such as `  rate 2%`")])
                return nil
            }
            rule = .override(r, scope, trace: s)
        case .bonus:
            if decl.measure == nil {
                error("E144", "a bonus needs `on <measure>` or `on total attainment`", at: header)
                return nil
            }
            if steps.isEmpty {
                if failures == errorsBefore {
                    error("E144", "bonus \"\(decl.name.value)\" has no steps", at: header, notes: [.help("add lines such as `  at 100% pay 5000.00 \(currency.code)`")])
                }
                return nil
            }
            for i in 1..<max(1, steps.count) {
                let a = steps[i - 1].threshold.numeric!
                let b = steps[i].threshold.numeric!
                if (try? Ratio.compare(a, b)) ?? 0 >= 0 {
                    error("E145", "bonus steps must rise: \(steps[i].threshold.text) does not exceed \(steps[i - 1].threshold.text)",
                          at: span(stepExprs[i]), notes: [.note("previous step", at: steps[i - 1].trace)])
                }
            }
            rule = .bonus(steps, onTotal: decl.onTotal)
        case .spif:
            guard let (p, text, s) = pay else {
                if failures == errorsBefore {
                    error("E146", "spif \"\(decl.name.value)\" has no `pay` line", at: header, notes: [.help("add a line such as `  pay 250.00 \(currency.code) per deal`")])
                }
                return nil
            }
            rule = .spif(SpifRule(window: window, filter: spifFilter, pay: p, rateText: text, trace: s))
        case .draw:
            return nil
        }
        if failures > errorsBefore { return nil }
        var compiled = CompiledComponent(kind: decl.kind, name: decl.name.value, measure: measure, rule: rule, caps: caps, gates: gates, trace: header)
        compiled.collection = collection
        return compiled
    }

    /// A draw block: `amount … per month|period`, `recoverable` or `non-recoverable`, and an optional `from … to …`.
    mutating func checkDraw(_ decl: ComponentDecl) -> CompiledDraw? {
        let errorsBefore = failures
        let header = span(decl.start, decl.end)
        if let m = decl.measure {
            error("E185", "a draw is not paid `on` a measure; it is set against everything the plan pays", at: span(m))
        }
        var amount: (Ratio, CompiledDraw.Per, SourceSpan)?
        var recoverable: Bool?
        var window: (from: CivilDate, to: CivilDate)?
        for clause in decl.clauses {
            let clauseSpan = span(clause.start, clause.end)
            switch clause.value {
            case .drawAmount(let e, let per):
                if amount != nil { error("E182", "a draw has one `amount` line", at: clauseSpan); continue }
                guard let p = CompiledDraw.Per(rawValue: per.value) else {
                    error("E183", "a draw is paid `per month` or `per period`, not `per \(per.value)`", at: span(per),
                          notes: Suggestion.help(for: per.value, in: ["month", "period"]))
                    continue
                }
                guard let v = constantValue(e, expecting: .money(currency)), let r = v.numeric else { continue }
                if r.signum <= 0 { error("E182", "a draw amount must be greater than zero", at: span(e)); continue }
                amount = (r, p, clauseSpan)
            case .recoverable(let yes):
                if recoverable != nil { error("E181", "a draw says once whether it is recoverable", at: clauseSpan); continue }
                recoverable = yes
            case .window(let f, let t):
                if window != nil { error("E139", "a draw has one `from … to …` window", at: clauseSpan); continue }
                if let a = constantDate(f), let b = constantDate(t) {
                    if b < a { error("E138", "the window ends before it starts", at: clauseSpan) }
                    window = (a, b)
                }
            case .collection:
                error("E220", "a draw has no deal lines to hold until collection", at: clauseSpan)
            default:
                error("E132", "this line does not belong in a draw", at: clauseSpan,
                      notes: [.help("a draw holds `amount 3000.00 \(currency.code) per month`, `recoverable` or `non-recoverable`, and `from … to …`")])
            }
        }
        if decl.hasSyntaxErrors || failures > errorsBefore { return nil }
        guard let (r, per, s) = amount else {
            error("E180", "draw \"\(decl.name.value)\" has no `amount` line", at: header, notes: [.help("add a line such as `  amount 3000.00 \(currency.code) per month`")])
            return nil
        }
        guard let recoverable else {
            error("E181", "draw \"\(decl.name.value)\" does not say whether it is recoverable", at: header,
                  notes: [.help("add `  recoverable` (repaid from later earnings) or `  non-recoverable` (a guarantee)")])
            return nil
        }
        return CompiledDraw(name: decl.name.value, amount: r, per: per, recoverable: recoverable, window: window, trace: s)
    }

    func exprLiteralType(_ e: Expr) -> ValueType? {
        if case .percent = e.kind { return .percent }
        return nil
    }

    /// A commission rate: a percent for a money measure, money `per deal` for a count.
    mutating func rateSpec(_ e: Expr, perDeal: Bool, measure: Int) -> RateSpec? {
        let unit = measureUnits[measure]
        guard let v = constantValue(e, expecting: nil) else { return nil }
        switch (v, unit) {
        case (.percent(let r), .money):
            if perDeal {
                error("E147", "a percent rate applies to money, not `per deal`", at: span(e), notes: [.help("remove `per deal`")])
                return nil
            }
            return .percent(r)
        case (.money(let r, let c), .number):
            if !perDeal {
                error("E147", "a count measure pays money per deal", at: span(e), notes: [.help("write `\(sourceText(e)) per deal`")])
                return nil
            }
            return .perUnit(r, c)
        case (_, .money):
            error("E147", "a rate on a money measure is a percent; found \(Checker.typeOf(v))", at: span(e))
        default:
            error("E147", "a rate on a count of deals is money per deal (e.g. `300.00 \(currency.code) per deal`); found \(Checker.typeOf(v))", at: span(e))
        }
        return nil
    }

    mutating func checkBands(_ lines: [(from: Expr, to: Expr?, rate: Expr, perDeal: Bool, span: SourceSpan)], basis: TierBasis, measure: Int, header: SourceSpan) -> [Band]? {
        if lines.isEmpty {
            error("E150", "a `tiers` line needs `tier from … rate …` lines after it", at: header)
            return nil
        }
        let thresholdType: ValueType = basis == .attainment ? .percent : measureUnits[measure]
        var bands: [Band] = []
        var ok = true
        for (i, line) in lines.enumerated() {
            guard let fromValue = constantValue(line.from, expecting: thresholdType)?.numeric else { ok = false; continue }
            var toValue: Ratio?
            if let to = line.to {
                guard let t = constantValue(to, expecting: thresholdType)?.numeric else { ok = false; continue }
                if (try? Ratio.compare(t, fromValue)) ?? 0 <= 0 {
                    error("E151", "a tier must end above where it starts", at: span(to))
                    ok = false
                }
                toValue = t
            } else if i < lines.count - 1 {
                error("E152", "only the last tier may be open-ended; this one has no `to`", at: line.span)
                ok = false
            }
            guard let rate = rateSpec(line.rate, perDeal: line.perDeal, measure: measure) else { ok = false; continue }
            if i == 0 && !fromValue.isZero {
                error("E153", "the first tier must start at \(basis == .attainment ? "0%" : "0"); this leaves a gap below it", at: span(line.from),
                      notes: [.help("start the first tier at zero, with rate 0% if nothing is paid there")])
                ok = false
            }
            if let previous = bands.last, let previousTo = previous.to {
                let c = (try? Ratio.compare(fromValue, previousTo)) ?? 0
                if c > 0 {
                    error("E154", "gap between tiers: the tier above ends at \(Value.threshold(previousTo, thresholdType)), this one starts at \(Value.threshold(fromValue, thresholdType))",
                          at: span(line.from), notes: [.note("the tier above", at: previous.trace)])
                    ok = false
                } else if c < 0 {
                    error("E155", "overlapping tiers: the tier above ends at \(Value.threshold(previousTo, thresholdType)), this one starts at \(Value.threshold(fromValue, thresholdType))",
                          at: span(line.from), notes: [.note("the tier above", at: previous.trace)])
                    ok = false
                }
            }
            bands.append(Band(from: fromValue, to: toValue, rate: rate, trace: line.span))
        }
        if ok, let last = bands.last, last.to != nil {
            error("E156", "the last tier must be open-ended so every result has a rate", at: last.trace,
                  notes: [.help("drop its `to …`; to stop paying above a level, add a tier with rate 0%, or a cap")])
            ok = false
        }
        return ok ? bands : nil
    }

    // MARK: Expressions

    /// Checks an expression that must be true or false.
    mutating func condition(_ e: Expr, in context: Context) -> CheckedExpr? {
        guard let (c, t) = typed(e, in: context) else { return nil }
        if t != .bool {
            error("E160", "expected a condition (true or false), found \(t)", at: span(e),
                  notes: [.help("compare it with something, e.g. `attainment >= 50%`")])
            return nil
        }
        return c
    }

    mutating func typed(_ e: Expr, in context: Context, expecting expected: ValueType) -> CheckedExpr? {
        guard let (c, t) = typed(e, in: context) else { return nil }
        if t != expected {
            error("E161", "expected \(expected), found \(t)", at: span(e))
            return nil
        }
        return c
    }

    /// Folds an expression of literals and parameters to its value.
    mutating func constantValue(_ e: Expr, expecting expected: ValueType?) -> Value? {
        guard let (c, t) = typed(e, in: .constant) else { return nil }
        if let expected, t != expected {
            error("E161", "expected \(expected), found \(t)", at: span(e))
            return nil
        }
        do {
            return try ExpressionEvaluator.evaluate(c, in: ConstantEnvironment())
        } catch {
            self.error("E162", "this value cannot be computed exactly: \(error)", at: span(e))
            return nil
        }
    }

    mutating func typed(_ e: Expr, in context: Context) -> (CheckedExpr, ValueType)? {
        switch e.kind {
        case .number(let d): return (.constant(.number(Ratio(d))), .number)
        case .percent(let d):
            guard let r = try? Rate(percent: d) else { error("E162", "percent too precise", at: span(e)); return nil }
            return (.constant(.percent(Ratio(r.fraction))), .percent)
        case .money(let d, let code):
            guard let c = Currency(code: code) else {
                error("E101", "unknown currency `\(code)`", at: span(e), notes: Currency.help(for: code))
                return nil
            }
            if c != currency {
                error("E163", "this amount is in \(code), but the plan pays in \(currency.code)", at: span(e),
                      notes: [.help("write amounts in \(currency.code)")])
                return nil
            }
            if d.normalized.scale > c.minorUnits {
                error("E164", "\(code) amounts have at most \(c.minorUnits) decimal places", at: span(e))
                return nil
            }
            return (.constant(.money(Ratio(d), c)), .money(c))
        case .date(let d): return (.constant(.date(d)), .date)
        case .text(let s): return (.constant(.text(s)), .text)
        case .bool(let b): return (.constant(.bool(b)), .bool)
        case .name(let parts): return resolve(parts, e, in: context)
        case .negate(let inner):
            guard let (c, t) = typed(inner, in: context) else { return nil }
            switch t {
            case .money, .percent, .number: return (.negate(c), t)
            default:
                error("E165", "cannot negate \(t)", at: span(e))
                return nil
            }
        case .not(let inner):
            guard let c = condition(inner, in: context) else { return nil }
            return (.not(c), .bool)
        case .binary(let op, let a, let b):
            if op == .and || op == .or {
                guard let ca = condition(a, in: context), let cb = condition(b, in: context) else { return nil }
                return (.logical(op, ca, cb), .bool)
            }
            guard let (ca, ta) = typed(a, in: context), let (cb, tb) = typed(b, in: context) else { return nil }
            if op.isComparison { return compare(op, ca, ta, cb, tb, e) }
            return arithmetic(op, ca, ta, cb, tb, e)
        case .member(let subject, let items, let negated):
            guard let (cs, ts) = typed(subject, in: context) else { return nil }
            var values: [Value] = []
            for item in items {
                guard let v = constantValue(item, expecting: ts) else { return nil }
                values.append(v)
            }
            return (.member(cs, values, negated: negated), .bool)
        }
    }

    mutating func compare(_ op: BinaryOperator, _ a: CheckedExpr, _ ta: ValueType, _ b: CheckedExpr, _ tb: ValueType, _ e: Expr) -> (CheckedExpr, ValueType)? {
        guard ta == tb else {
            var notes: [Diagnostic.Note] = []
            if ta == .percent || tb == .percent {
                notes.append(.help("compare attainment with a percent (`attainment >= 50%`), and a measure with an amount"))
            }
            error("E166", "cannot compare \(ta) with \(tb)", at: span(e), notes: notes)
            return nil
        }
        if (ta == .text || ta == .bool) && op != .equal && op != .notEqual {
            error("E167", "\(ta) can only be compared with `=` or `!=`", at: span(e))
            return nil
        }
        return (.compare(op, a, b), .bool)
    }

    mutating func arithmetic(_ op: BinaryOperator, _ a: CheckedExpr, _ ta: ValueType, _ b: CheckedExpr, _ tb: ValueType, _ e: Expr) -> (CheckedExpr, ValueType)? {
        let numeric: (ValueType) -> Bool = { t in
            switch t { case .money, .percent, .number: return true; default: return false }
        }
        switch op {
        case .add, .subtract:
            guard numeric(ta), numeric(tb), ta == tb else {
                let verb = op == .add ? "add \(tb) to \(ta)" : "subtract \(tb) from \(ta)"
                error("E168", "cannot \(verb)", at: span(e))
                return nil
            }
            return (.arithmetic(op, a, b), ta)
        case .multiply, .of:
            if op == .of && ta != .percent {
                error("E169", "`of` takes a percent on its left, e.g. `10% of target_incentive`; found \(ta)", at: span(e))
                return nil
            }
            guard numeric(ta), numeric(tb) else {
                error("E170", "cannot multiply \(ta) by \(tb)", at: span(e))
                return nil
            }
            switch (ta, tb) {
            case (.money, .money):
                error("E170", "cannot multiply money by money", at: span(e), notes: [.help("one side should be a percent or a number")])
                return nil
            case (.money, _): return (.arithmetic(.multiply, a, b), ta)
            case (_, .money): return (.arithmetic(.multiply, a, b), tb)
            case (.percent, _), (_, .percent): return (.arithmetic(.multiply, a, b), .percent)
            default: return (.arithmetic(.multiply, a, b), .number)
            }
        default:
            return nil
        }
    }

    mutating func resolve(_ parts: [String], _ e: Expr, in context: Context) -> (CheckedExpr, ValueType)? {
        let head = parts[0]
        if head == "activity" { return resolveActivity(parts, e, in: context) }
        if head == "deal" {
            if case .activity = context {
                error("E157", "`\(parts.joined(separator: "."))` names a deal column, but this measure counts activities, not deals", at: span(e),
                      notes: [.help("a measure of activities reads `activity.<column>`: \(ActivityField.standard.map { "`activity.\($0.0)`" }.joined(separator: ", "))")])
                return nil
            }
            guard parts.count == 2 else {
                error("E171", "write a deal column as `deal.<column>`", at: span(e))
                return nil
            }
            guard case .deal = context else {
                error("E172", "`\(parts.joined(separator: "."))` names a deal column, but this rule is about the whole period, not one deal", at: span(e),
                      notes: [.help("deal columns are read in `where` conditions and spif `pay` lines")])
                return nil
            }
            let name = parts[1]
            if let (_, f) = DealField.standard.first(where: { $0.0 == name }) {
                let t: ValueType
                switch f {
                case .closeDate: t = .date
                case .amount: t = .money(currency)
                case .split: t = .percent
                default: t = .text
                }
                return (.dealField(f), t)
            }
            if let i = fields.firstIndex(where: { $0.name == name }) {
                return (.dealField(.extra(i)), fields[i].type)
            }
            let candidates = DealField.standard.map(\.0) + fields.map(\.name)
            var notes = Suggestion.help(for: name, in: candidates)
            if notes.isEmpty { notes = [.help("an extra column of deals.csv is declared with `field \(name)`")] }
            error("E173", "unknown deal field `\(name)`", at: span(e), notes: notes)
            return nil
        }
        if parts.count == 1, let (v, _) = params[head] {
            return (.constant(v), Checker.typeOf(v))
        }
        guard case .period(let measure, let onTotal) = context else {
            if ["attainment", "total_attainment", "target_incentive", "quota"].contains(head) || measureIndex[head] != nil {
                let place = { if case .constant = context { return "a fixed value" } else { return "a deal condition" } }()
                error("E174", "`\(parts.joined(separator: "."))` is known only for the whole period, so it cannot be used in \(place)", at: span(e))
                return nil
            }
            return unknownName(parts, e, context: context)
        }
        if parts.count == 1 {
            switch head {
            case "attainment":
                if onTotal { return (.totalAttainment, .percent) }
                guard let m = measure else {
                    error("E175", "`attainment` needs a measure: write `<measure>.attainment` or put the rule `on` a measure", at: span(e))
                    return nil
                }
                guard measureHasQuota[m] else {
                    error("E136", "`attainment` needs a quota, and this measure has none", at: span(e))
                    return nil
                }
                return (.measureAttainment(m), .percent)
            case "total_attainment":
                guard weighted else {
                    error("E131", "`total_attainment` needs measure weights", at: span(e))
                    return nil
                }
                return (.totalAttainment, .percent)
            case "target_incentive":
                return (.targetIncentive, .money(currency))
            case "quota":
                guard let m = measure, measureHasQuota[m] else {
                    error("E175", "`quota` needs a measure with a quota: write `<measure>.quota`", at: span(e))
                    return nil
                }
                return (.measureQuota(m), measureUnits[m])
            default:
                if let m = measureIndex[head] { return (.measureValue(m), measureUnits[m]) }
            }
        } else if parts.count == 2, let m = measureIndex[head] {
            switch parts[1] {
            case "attainment":
                guard measureHasQuota[m] else {
                    error("E136", "measure `\(head)` has no quota, so it has no attainment", at: span(e))
                    return nil
                }
                return (.measureAttainment(m), .percent)
            case "quota":
                guard measureHasQuota[m] else {
                    error("E136", "measure `\(head)` has no quota", at: span(e))
                    return nil
                }
                return (.measureQuota(m), measureUnits[m])
            default:
                error("E176", "a measure has `.attainment` and `.quota`; found `.\(parts[1])`", at: span(e),
                      notes: Suggestion.help(for: parts[1], in: ["attainment", "quota"]))
                return nil
            }
        }
        return unknownName(parts, e, context: context)
    }

    mutating func unknownName(_ parts: [String], _ e: Expr, context: Context) -> (CheckedExpr, ValueType)? {
        // The name exists but its definition failed, and that error is reported already.
        if parts.count == 1, failedParams.contains(parts[0]) {
            quietFailures += 1
            return nil
        }
        var candidates = Array(params.keys)
        if case .period = context {
            candidates += Array(measureIndex.keys) + ["attainment", "target_incentive", "quota"]
            if weighted { candidates.append("total_attainment") }
        }
        let name = parts.joined(separator: ".")
        var notes = Suggestion.help(for: name, in: candidates)
        if notes.isEmpty, case .deal = context, parts.count == 1,
           DealField.standard.contains(where: { $0.0 == name }) || fields.contains(where: { $0.name == name }) {
            notes = [.help("did you mean `deal.\(name)`?")]
        }
        if notes.isEmpty, parts.count == 1 {
            notes = [.help("if you meant the text \"\(name)\", put it in quotes")]
        }
        error("E177", "unknown name `\(name)`", at: span(e), notes: notes)
        return nil
    }
}

extension Value {
    /// A tier threshold as the plan writes it.
    static func threshold(_ r: Ratio, _ type: ValueType) -> String {
        switch type {
        case .percent: return Value.percent(r).text
        case .money(let c): return Value.money(r, c).text
        default: return Value.number(r).text
        }
    }
}

/// The environment for constant folding: nothing but literals and parameters is known.
struct ConstantEnvironment: ExpressionEnvironment {
    struct NotConstant: Error {}
    func dealField(_ field: DealField) throws -> Value { throw NotConstant() }
    func measureValue(_ i: Int) throws -> Value { throw NotConstant() }
    func measureQuota(_ i: Int) throws -> Value { throw NotConstant() }
    func measureAttainment(_ i: Int) throws -> Value { throw NotConstant() }
    func totalAttainment() throws -> Value { throw NotConstant() }
    func targetIncentive() throws -> Value { throw NotConstant() }
    func activityField(_ field: ActivityField) throws -> Value { throw NotConstant() }
}
