// The whole pipeline as pure functions: plan texts and input bytes in, statements or diagnostics out.

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
    /// False when only amounts are needed (a payroll-only run): statement lines then carry no text.
    public var detail = true

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

/// Plans checked and inputs loaded, ready to evaluate any number of periods.
public struct PreparedRun: Sendable {
    public let plans: [CompiledPlan]
    let planByName: [String: CompiledPlan]
    /// The roster, assignments and columns; the deals themselves are kept once, in `dealsByRep`.
    public let data: DataSet
    /// How many deal rows were read.
    public let dealCount: Int
    let fx: FXTable?
    let dealsPath: String
    /// Every deal row once: grouped by rep in roster order, each rep's rows in credit order.
    let deals: [Deal]
    /// Each rep's rows in `deals`.
    let dealRanges: [String: Range<Int>]
    /// The roster's manager tree: each manager's direct reports.
    let reports: [String: [String]]
    let repByID: [String: Rep]
    let assignmentsByRep: [String: [Assignment]]
    /// Warnings from checking and loading.
    public let warnings: Diagnostics

    /// A rep's deal rows in credit order (no copy).
    func deals(of rep: String) -> ArraySlice<Deal> {
        guard let r = dealRanges[rep] else { return [] }
        return deals[r]
    }
}

public enum Engine {
    /// This engine's version, recorded with every close in the ledger.
    public static let version = "0.4.0"

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

    /// Checks the plans and loads the inputs once. Any error means nothing can be evaluated.
    public static func prepare(_ request: RunRequest) -> Result<PreparedRun, Diagnostics> {
        var diagnostics = Diagnostics()
        let (plans, planDiagnostics) = compile(request.plans, overrides: request.overrides)
        diagnostics.append(contentsOf: planDiagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        switch loadData(request, for: plans) {
        case .failure(let d):
            diagnostics.append(contentsOf: d)
            return .failure(diagnostics)
        case .success(let loaded):
            diagnostics.append(contentsOf: loaded.warnings)
            return .success(assemble(plans: plans, data: loaded.data, fx: loaded.fx, dealsPath: request.deals.path, warnings: diagnostics))
        }
    }

    /// Reads and validates the input tables for a set of plans (their extra fields and names).
    public static func loadData(_ request: RunRequest, for plans: [CompiledPlan]) -> Result<(data: DataSet, fx: FXTable?, warnings: Diagnostics), Diagnostics> {
        var diagnostics = Diagnostics()
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
        return .success((data, fx, diagnostics))
    }

    /// Plans and loaded data, indexed for evaluation.
    public static func assemble(plans: [CompiledPlan], data: DataSet, fx: FXTable?, dealsPath: String, warnings: Diagnostics) -> PreparedRun {
        let (deals, ranges) = grouped(data.deals, reps: data.reps)
        var reports: [String: [String]] = [:]
        for rep in data.reps { if let m = rep.managerID { reports[m, default: []].append(rep.id) } }
        let slim = DataSet(deals: [], reps: data.reps, assignments: data.assignments, assignmentsPath: data.assignmentsPath, dealColumns: data.dealColumns)
        return PreparedRun(plans: plans, planByName: Dictionary(plans.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }), data: slim,
                           dealCount: data.deals.count, fx: fx,
                           dealsPath: dealsPath, deals: deals, dealRanges: ranges, reports: reports,
                           repByID: Dictionary(data.reps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                           assignmentsByRep: Dictionary(grouping: data.assignments, by: \.repID), warnings: warnings)
    }

    /// The deal rows grouped by rep in roster order and sorted into credit order within each rep, with each rep's range.
    ///
    /// A counting sort by rep (no comparisons across reps), then each rep's few rows sorted on their own, then every row
    /// copied once into place; the per-row work runs on all cores. Rows are sorted through small keys made in one pass
    /// (close date, and the deal id's bytes when it is ASCII of at most 16 bytes), so sorting does not wander through
    /// the whole table. Rows of reps not in the roster are left out (the loader has already refused them).
    static func grouped(_ deals: [Deal], reps: [Rep]) -> ([Deal], [String: Range<Int>]) {
        var position: [String: Int32] = [:]
        position.reserveCapacity(reps.count)
        for (i, rep) in reps.enumerated() where position[rep.id] == nil { position[rep.id] = Int32(i) }
        let n = deals.count
        let pieces = n < 1 << 16 ? 1 : 16
        let lookup = position
        // Each row's rep (by roster position, -1 when not in the roster) and sort key.
        let made = Parallel.map(pieces) { c -> (reps: [Int32], keys: [OrderKey], exact: Bool) in
            var repOf: [Int32] = [], keys: [OrderKey] = [], exact = true
            let range = Parallel.piece(c, of: pieces, over: n)
            repOf.reserveCapacity(range.count)
            keys.reserveCapacity(range.count)
            for row in range {
                let d = deals[row]
                repOf.append(lookup[d.repID] ?? -1)
                let key = OrderKey(d, row: row)
                exact = exact && key.exact
                keys.append(key)
            }
            return (repOf, keys, exact)
        }
        let exact = made.allSatisfy { $0!.exact }
        // Where each rep's rows start, then the keys in rep order.
        var start = [Int](repeating: 0, count: reps.count + 1)
        for m in made { for r in m!.reps where r >= 0 { start[Int(r) + 1] += 1 } }
        for i in 0..<reps.count { start[i + 1] += start[i] }
        var next = start
        var order = [OrderKey](repeating: OrderKey(), count: start[reps.count])
        for m in made {
            let (repOf, keys, _) = m!
            for (k, r) in repOf.enumerated() where r >= 0 {
                order[next[Int(r)]] = keys[k]
                next[Int(r)] += 1
            }
        }
        let bounds = start
        let sorted: [Deal] = deals.withUnsafeBufferPointer { d in
            let rows = Shared(d)
            // Each rep's rows into credit order, groups of reps on all cores.
            order.withUnsafeMutableBufferPointer { o in
                let slots = Shared(o)
                _ = Parallel.map(pieces) { c in
                    for r in Parallel.piece(c, of: pieces, over: reps.count) where bounds[r + 1] - bounds[r] > 1 {
                        var group = UnsafeMutableBufferPointer(rebasing: slots.value[bounds[r]..<bounds[r + 1]])
                        if exact {
                            group.sort(by: OrderKey.precedes)
                        } else {
                            group.sort { creditOrder(rows.value[Int($0.row)], rows.value[Int($1.row)]) }
                        }
                    }
                }
            }
            // Every row copied once into its place.
            let m = order.count
            return [Deal](unsafeUninitializedCapacity: m) { buffer, count in
                let target = Shared(buffer)
                _ = order.withUnsafeBufferPointer { o in
                    let slots = Shared(o)
                    return Parallel.map(pieces) { c in
                        for k in Parallel.piece(c, of: pieces, over: m) {
                            (target.value.baseAddress! + k).initialize(to: rows.value[Int(slots.value[k].row)])
                        }
                    }
                }
                count = m
            }
        }
        var ranges: [String: Range<Int>] = [:]
        ranges.reserveCapacity(reps.count)
        for (i, rep) in reps.enumerated() where bounds[i + 1] > bounds[i] { ranges[rep.id] = bounds[i]..<bounds[i + 1] }
        return (sorted, ranges)
    }

    /// A deal row's place in credit order within one rep: close date, then deal id. The id's bytes, big-endian and
    /// zero-padded, order like the id itself when it is ASCII of at most 16 bytes (`exact`).
    struct OrderKey {
        var date: Int32 = 0
        var row: Int32 = 0
        var high: UInt64 = 0
        var low: UInt64 = 0

        init() {}

        init(_ d: Deal, row: Int) {
            date = d.closeDate.packed
            self.row = Int32(truncatingIfNeeded: row)
            var k = 0
            for byte in d.dealID.utf8 {
                guard byte < 0x80, k < 16 else { k = 17; break }
                if k < 8 { high |= UInt64(byte) << (56 - 8 * k) } else { low |= UInt64(byte) << (56 - 8 * (k - 8)) }
                k += 1
            }
            if k > 16 { date = -1 }
        }

        /// The id's bytes stood for it exactly.
        var exact: Bool { date >= 0 }

        static func precedes(_ a: OrderKey, _ b: OrderKey) -> Bool {
            if a.date != b.date { return a.date < b.date }
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return a.row < b.row
        }
    }

    /// Runs plans over the inputs for one period, settling it against what the ledger says was paid before.
    /// Any error means no statements at all.
    public static func run(_ request: RunRequest, history: LedgerHistory = .empty) -> Result<RunResult, Diagnostics> {
        let period: Period
        switch Period.parse(request.period) {
        case .success(let p): period = p
        case .failure(let e): return .failure(Diagnostics([.error("R300", e.reason, at: nil)]))
        }
        switch prepare(request) {
        case .failure(let d): return .failure(d)
        case .success(let prepared): return evaluate(prepared, period: period, history: history, detail: request.detail)
        }
    }

    /// Evaluates one period of prepared inputs: each payee's statement from the plan, then the ledger's settlements
    /// (prior-period adjustments, clawbacks, year-to-date true-ups, draws).
    public static func evaluate(_ prepared: PreparedRun, period: Period, history: LedgerHistory = .empty, detail: Bool = true) -> Result<RunResult, Diagnostics> {
        var diagnostics = prepared.warnings
        // Without detail and without a ledger to settle against, statements need their totals only.
        let lean = !detail && history.lines.isEmpty && history.closedPeriods.isEmpty && history.drawBalances.isEmpty
        var crediting = Crediting(prepared: prepared, period: period, detail: detail, lean: lean)
        var payees = crediting.statements()
        diagnostics.append(contentsOf: crediting.diagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        var settlement = Settlement(prepared: prepared, period: period, history: history)
        settlement.settle(&payees)
        diagnostics.append(contentsOf: settlement.diagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        let statements = payees.map(\.statement)
        let used = Set(statements.flatMap { s in s.segments.isEmpty ? [s.planName] : s.segments.map(\.planName) })
        return .success(RunResult(period: period, plans: prepared.plans.filter { used.contains($0.name) }.sorted { $0.name < $1.name },
                                  statements: statements, warnings: diagnostics))
    }

    /// The order credits are evaluated in: close date, then deal id, then rep id.
    static func creditOrder(_ a: Deal, _ b: Deal) -> Bool {
        if a.closeDate != b.closeDate { return a.closeDate < b.closeDate }
        if a.dealID != b.dealID { return a.dealID < b.dealID }
        return a.repID < b.repID
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
