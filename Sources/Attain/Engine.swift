// The whole pipeline as one pure function: plan texts and input bytes in, statements or diagnostics out.

/// What a run needs: plans, the three input tables, the period, and parameter overrides.
public struct RunRequest: Sendable {
    public var plans: [SourceFile]
    public var deals: InputFile
    public var roster: InputFile
    public var assignments: InputFile
    /// fx.csv, when deals come in other currencies than their plan's.
    public var fx: InputFile?
    public var period: String
    /// `--set name=value` overrides, in the order given.
    public var overrides: [(name: String, text: String)]

    public init(plans: [SourceFile], deals: InputFile, roster: InputFile, assignments: InputFile, fx: InputFile? = nil, period: String,
                overrides: [(name: String, text: String)] = []) {
        self.fx = fx
        self.plans = plans
        self.deals = deals
        self.roster = roster
        self.assignments = assignments
        self.period = period
        self.overrides = overrides
    }
}

/// A successful run: statements sorted by payee id, and warnings.
public struct RunResult: Sendable {
    public let period: Period
    public let plans: [CompiledPlan]
    public let statements: [Statement]
    public let warnings: Diagnostics

    /// Output files by relative path: one JSON statement per payee and a summary.
    public func files() -> [(path: String, text: String)] {
        var out: [(String, String)] = []
        for s in statements {
            out.append(("\(period.label)/statements/\(Engine.fileName(s.payeeID)).json", StatementJSON.json(s).serialized()))
        }
        out.append(("\(period.label)/summary.json", StatementJSON.summary(self).serialized()))
        return out
    }
}

public enum Engine {
    /// Parses and checks plans. Overrides go to every plan that declares the parameter; one no plan declares is an error.
    public static func compile(_ files: [SourceFile], overrides: [(name: String, text: String)] = []) -> ([CompiledPlan], Diagnostics) {
        var diagnostics = Diagnostics()
        var parsed: [(SourceFile, PlanAST)] = []
        for file in files {
            var parser = Parser(file: file)
            let ast = parser.parse()
            diagnostics.append(contentsOf: parser.diagnostics)
            parsed.append((file, ast))
        }
        let declared = Set(parsed.flatMap { $0.1.params.map(\.name.value) })
        for o in overrides where !declared.contains(o.name) {
            diagnostics.append(.error("E115", "no plan has a parameter `\(o.name)` to set", at: nil, notes: Suggestion.help(for: o.name, in: Array(declared))))
        }
        var plans: [CompiledPlan] = []
        var names: [String: SourceSpan] = [:]
        for (file, ast) in parsed {
            let mine = overrides.filter { o in ast.params.contains { $0.name.value == o.name } }
            var checker = Checker(ast: ast, file: file, overrides: mine)
            let plan = checker.check()
            diagnostics.append(contentsOf: checker.diagnostics)
            if let plan, let n = ast.name {
                let span = file.span(from: n.start, to: n.end)
                if let first = names[plan.name] {
                    diagnostics.append(.error("E116", "two plans are named \"\(plan.name)\"", at: span, notes: [.note("the other one", at: first)]))
                }
                names[plan.name] = span
                plans.append(plan)
            }
        }
        return (plans, diagnostics)
    }

    /// Runs plans over the inputs for one period. Any error means no statements at all.
    public static func run(_ request: RunRequest) -> Result<RunResult, Diagnostics> {
        var diagnostics = Diagnostics()
        let period: Period
        switch Period.parse(request.period) {
        case .success(let p): period = p
        case .failure(let e): return .failure(Diagnostics([.error("R300", e.reason, at: nil)]))
        }
        let (plans, planDiagnostics) = compile(request.plans, overrides: request.overrides)
        diagnostics.append(contentsOf: planDiagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }

        var declared: [String: ValueType] = [:]
        for plan in plans {
            for f in plan.fields {
                if let t = declared[f.name], t != f.type {
                    diagnostics.append(.error("E117", "plans declare `field \(f.name)` with different types (\(t) and \(f.type))", at: f.trace))
                }
                declared[f.name] = f.type
            }
        }
        if diagnostics.hasErrors { return .failure(diagnostics) }
        let loader = DataLoader(declaredFields: declared, planNames: plans.map(\.name))
        let (loaded, dataDiagnostics) = loader.load(deals: request.deals, roster: request.roster, assignments: request.assignments)
        diagnostics.append(contentsOf: dataDiagnostics)
        var fx: FXTable?
        if let f = request.fx {
            let (table, fxDiagnostics) = FXTable.load(f)
            diagnostics.append(contentsOf: fxDiagnostics)
            fx = table
        }
        guard let data = loaded, !diagnostics.hasErrors else { return .failure(diagnostics) }

        let planByName = Dictionary(uniqueKeysWithValues: plans.map { ($0.name, $0) })
        // Which assignment applies to each rep in this period.
        var assignmentByRep: [String: Assignment] = [:]
        var reportedPlans: Set<String> = []
        for a in data.assignments where a.start <= period.end && (a.end ?? period.end) >= period.start {
            let span = SourceSpan(path: data.assignmentsPath, line: a.line, column: 1, width: max(1, a.lineText.count), lineText: a.lineText)
            if let other = assignmentByRep[a.repID] {
                diagnostics.append(.error("R303", "rep `\(a.repID)` has two assignments that overlap \(period)", at: span,
                                          notes: [.note("the other is on line \(other.line)"),
                                                  .help("end one assignment before the other starts; a plan change inside one period is not supported yet")]))
                continue
            }
            let plan = planByName[a.plan]!
            if plan.periodKind != period.kind {
                if reportedPlans.insert(plan.name).inserted {
                    diagnostics.append(.error("R304", "plan \"\(plan.name)\" pays by \(plan.periodKind.rawValue), but the run is for \(period.kind.rawValue) \(period)", at: nil,
                                              notes: [.help("run it with a period such as --period \(Period.example(plan.periodKind))")]))
                }
                continue
            }
            if period.start < plan.effective.from || period.end > plan.effective.to {
                if reportedPlans.insert(plan.name).inserted {
                    diagnostics.append(.error("R305", "plan \"\(plan.name)\" is effective \(plan.effective.from) to \(plan.effective.to), which does not cover all of \(period)", at: nil))
                }
                continue
            }
            assignmentByRep[a.repID] = a
        }
        // Credits per rep, in close-date order, ties by deal id.
        var creditsByRep: [String: [Credit]] = [:]
        var unassigned: [String: Int] = [:]
        let dealsInPeriod = data.deals.filter { d in
            period.contains(d.closeDate) && !(d.status == .cancelled && d.cancelDate.map { $0 <= period.end } ?? false)
        }.sorted(by: Engine.creditOrder)
        for deal in dealsInPeriod {
            guard let a = assignmentByRep[deal.repID], let plan = planByName[a.plan] else {
                unassigned[deal.repID, default: 0] += 1
                continue
            }
            var amount = deal.amount
            var conversion: Conversion?
            if deal.currency != plan.currency {
                let date = plan.fxDate == .closeDate ? deal.closeDate : period.start
                guard let rate = fx?.rate(on: date, from: deal.currency, to: plan.currency) else {
                    let pair = "\(deal.currency.code)→\(plan.currency.code)"
                    diagnostics.append(.error("R306", "no \(pair) exchange rate for \(date) (deal `\(deal.dealID)`, plan \"\(plan.name)\" pays in \(plan.currency.code))",
                                              at: SourceSpan(path: request.deals.path, line: deal.line, column: 1, width: 1, lineText: ""),
                                              notes: [.help(fx == nil ? "add fx.csv (date,from,to,rate) to the data folder" : "add a row `\(date),\(deal.currency.code),\(plan.currency.code),<rate>` to \(fx!.path)")]))
                    continue
                }
                // The converted amount is rounded to the plan currency's minor units by the plan's rounding mode.
                guard let converted = try? deal.amount.multiplied(by: rate).rounded(scale: plan.currency.minorUnits, mode: plan.rounding.mode) else {
                    diagnostics.append(.error("R390", "deal `\(deal.dealID)` is too large to convert exactly", at: nil))
                    continue
                }
                amount = converted
                conversion = Conversion(original: Money(deal.amount, deal.currency), rate: rate, date: date)
            }
            let credited = (try? Ratio(amount).multiplied(by: Ratio(deal.share))) ?? .zero
            creditsByRep[deal.repID, default: []].append(Credit(deal: deal, amount: credited, conversion: conversion))
        }
        for (rep, count) in unassigned.sorted(by: { $0.key < $1.key }) where !diagnostics.hasErrors {
            diagnostics.append(.warning("R310", "rep `\(rep)` has \(count) deal\(count == 1 ? "" : "s") closed in \(period) but no plan assignment covering it; they are not paid", at: nil))
        }
        if diagnostics.hasErrors { return .failure(diagnostics) }

        // Each rep's credits, limited to the days they were employed and on their assignment: only
        // deals closed then are credited, to the rep and to the managers above them. Others are warned about.
        var windowed: [String: [Credit]] = [:]
        for rep in data.reps {
            guard let a = assignmentByRep[rep.id] else { continue }
            let all = creditsByRep[rep.id] ?? []
            guard let w = Evaluator.activeWindow(rep: rep, assignment: a, period: period) else {
                if !all.isEmpty {
                    diagnostics.append(.warning("R311", "rep `\(rep.id)` was not employed on plan \"\(a.plan)\" during \(period) but has \(all.count) deal\(all.count == 1 ? "" : "s") closed in it; they are not paid", at: nil))
                }
                continue
            }
            let (inside, outside) = all.reduce(into: ([Credit](), [Credit]())) { parts, credit in
                if w.start <= credit.deal.closeDate && credit.deal.closeDate <= w.end { parts.0.append(credit) } else { parts.1.append(credit) }
            }
            if !outside.isEmpty {
                let ids = outside.map { "`\($0.deal.dealID)`" }
                diagnostics.append(.warning("R312", "rep `\(rep.id)` is on plan \"\(a.plan)\" from \(w.start) to \(w.end) in \(period); deal\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) closed outside that and \(ids.count == 1 ? "is" : "are") not paid", at: nil))
            }
            windowed[rep.id] = inside
        }
        // The roster's manager tree, for overrides.
        var reports: [String: [String]] = [:]
        for rep in data.reps { if let m = rep.managerID { reports[m, default: []].append(rep.id) } }
        func ordered(_ credits: [Credit]) -> [Credit] {
            credits.sorted { Engine.creditOrder($0.deal, $1.deal) }
        }
        func subtree(_ id: String) -> [String] {
            var out: [String] = []
            var stack = reports[id] ?? []
            while let next = stack.popLast() {
                out.append(next)
                stack += reports[next] ?? []
            }
            return out
        }

        var statements: [Statement] = []
        for rep in data.reps {
            // A rep with no active day in the period gets no statement (warned about above).
            guard let a = assignmentByRep[rep.id], let credits = windowed[rep.id] else { continue }
            var input = PayeeInput(rep: rep, assignment: a, credits: credits, period: period, assignmentsPath: data.assignmentsPath)
            let plan = planByName[a.plan]!
            if plan.components.contains(where: { if case .override = $0.rule { return true } else { return false } }) {
                let direct = reports[rep.id] ?? []
                let all = subtree(rep.id)
                for id in all {
                    if let other = assignmentByRep[id].flatMap({ planByName[$0.plan] }), other.currency != plan.currency {
                        diagnostics.append(.error("R307", "rep `\(rep.id)` has an override in \(plan.currency.code), but report `\(id)` is paid in \(other.currency.code)", at: nil))
                    }
                }
                input.directReportCredits = ordered(direct.flatMap { windowed[$0] ?? [] })
                input.allReportCredits = ordered(all.flatMap { windowed[$0] ?? [] })
            }
            switch Evaluator.statement(plan: plan, input: input) {
            case .success(let s): statements.append(s)
            case .failure(let d): diagnostics.append(contentsOf: d)
            }
        }
        if diagnostics.hasErrors { return .failure(diagnostics) }
        let used = Set(statements.map(\.planName))
        return .success(RunResult(period: period, plans: plans.filter { used.contains($0.name) }.sorted { $0.name < $1.name },
                                  statements: statements, warnings: diagnostics))
    }

    /// The order credits are evaluated in: close date, then deal id, then rep id.
    static func creditOrder(_ a: Deal, _ b: Deal) -> Bool {
        (a.closeDate, a.dealID, a.repID) < (b.closeDate, b.dealID, b.repID)
    }

    /// A payee id made safe as a file name: letters, digits, `.`, `_` and `-` stay; other bytes become `%XX`.
    public static func fileName(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            let c = Character(UnicodeScalar(byte))
            if (c.isASCII && (c.isLetter || c.isNumber)) || c == "_" || c == "-" || (c == "." && !out.isEmpty) {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
