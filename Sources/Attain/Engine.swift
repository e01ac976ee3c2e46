// The whole pipeline as pure functions: plan texts and input bytes in, statements or diagnostics out.

/// What a run needs: plans, the three input tables, the period, and parameter overrides.
public struct RunRequest: Sendable {
    public var plans: [SourceFile]
    public var deals: InputFile
    public var roster: InputFile
    public var assignments: InputFile
    /// fx.csv, when deals come in other currencies than their plan's.
    public var fx: InputFile?
    /// hierarchy.csv, when the manager tree is dated.
    public var hierarchy: InputFile?
    /// targets.csv and seasonality.csv, when plans take quotas from targets.
    public var targets: TargetFiles? = nil
    /// activities.csv, when plans measure what is not a deal.
    public var activities: InputFile? = nil
    /// adjustments.csv, when finance posts manual adjustments at a close (read by `attain close` into
    /// `LedgerHistory.manual`; the evaluation itself does not read it).
    public var adjustments: InputFile? = nil
    /// payments.csv, when components pay on collection; holds.csv, when payees or deals are held by hand.
    public var payments: InputFile? = nil
    public var holds: InputFile? = nil
    public var period: String
    /// `--set name=value` overrides, in the order given.
    public var overrides: [(name: String, text: String)]
    /// False when only amounts are needed (a payroll-only run): statement lines then carry no text.
    public var detail = true
    /// True for a shard's rows, which may hold only some rows of a split deal (`DataLoader.sharesMayBePartial`).
    public var sharesMayBePartial = false

    public init(plans: [SourceFile], deals: InputFile, roster: InputFile, assignments: InputFile, fx: InputFile? = nil,
                hierarchy: InputFile? = nil, period: String, overrides: [(name: String, text: String)] = []) {
        self.fx = fx
        self.hierarchy = hierarchy
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
    /// Where every deal row went; nil when the run was not asked to reconcile.
    public var reconciliation: Reconciliation? = nil
    /// Payees left to closes of another period kind (their plans pay by quarter in a monthly run), one entry per kind.
    public var leftToOtherKinds: [LeftToOtherKind] = []

    /// Output files by relative path: one JSON statement per payee and a summary.
    public func files() -> [(path: String, text: String)] {
        var out: [(String, String)] = []
        for s in statements {
            out.append(("\(period.label)/statements/\(Engine.fileName(s.payeeID)).json", StatementJSON.text(s)))
        }
        out.append(("\(period.label)/summary.json", StatementJSON.summaryText(self)))
        return out
    }
}

/// Plans checked and inputs loaded, ready to evaluate any number of periods.
public struct PreparedRun: Sendable {
    public let plans: [CompiledPlan]
    let planByName: [String: CompiledPlan]
    /// The deals, roster, assignments and columns.
    public let data: DataSet
    let fx: FXTable?
    let dealsPath: String
    /// Row numbers of `data.deals` grouped by rep in roster order, each rep's rows in credit order.
    let order: [Int32]
    /// Where each rep's rows start in `order`, by roster position, then the end.
    let repStarts: [Int]
    /// Each rep's roster position.
    let position: [String: Int]
    /// Each manager's direct reports: in the roster's tree, or with hierarchy.csv every rep under them on any date (a
    /// deal is then kept only when the manager is over its rep on its close date).
    let reports: [String: [String]]
    let assignmentsByRep: [String: [Assignment]]
    /// Each plan's conditions on texts, answered for the deal table's texts, by plan name.
    let textTests: [String: PlanTextTests]
    /// What each plan's measure filters read, by plan name, and every text value some filter of the plans names.
    let filterFacts: [String: FilterFacts]
    let namedValues: [String: Set<String>]
    /// Warnings for filter literals no row of the deal table has (R346), given with every reconciled run.
    let literalWarnings: [Diagnostic]
    /// The last day any plan is effective: deals closed later are named in a warning (R345).
    let lastPlanEnd: CivilDate?
    /// Warnings from checking and loading.
    public let warnings: Diagnostics
    /// Every text value some filter of a measure of activities names, by field (`ActivityTally.named`).
    var activityNames: [String: Set<String>] = [:]
    /// The payees a shard evaluates (`Shard.evaluate`), when it is not every payee of the roster: the deal table then
    /// also holds rows of other payees, credited to these as their managers.
    var only: Set<String>? = nil

    /// How many deal rows were read.
    public var dealCount: Int { data.deals.count }

    /// The rep with this id.
    func rep(_ id: String) -> Rep? { position[id].map { data.reps[$0] } }

    /// A rep's deals in credit order.
    func deals(of rep: String) -> [Deal] {
        data.deals.deals(at: rows(of: rep))
    }

    /// The numbers of a rep's rows in the deal table, in credit order.
    func rows(of rep: String) -> ArraySlice<Int32> {
        guard let p = position[rep] else { return [] }
        return order[repStarts[p]..<repStarts[p + 1]]
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
            if let plan { diagnostics.append(contentsOf: Diagnostics(Extremes.rates(plan))) }
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
        var loader = DataLoader(declaredFields: declared, planNames: plans.map(\.name))
        loader.sharesMayBePartial = request.sharesMayBePartial
        let (loaded, dataDiagnostics) = loader.load(deals: request.deals, roster: request.roster, assignments: request.assignments)
        diagnostics.append(contentsOf: dataDiagnostics)
        var fx: FXTable?
        if let f = request.fx {
            let (table, fxDiagnostics) = FXTable.load(f)
            diagnostics.append(contentsOf: fxDiagnostics)
            fx = table
        }
        guard var data = loaded, !diagnostics.hasErrors else { return .failure(diagnostics) }
        if let h = request.hierarchy {
            let (hierarchy, hierarchyDiagnostics) = Hierarchy.load(h, reps: data.reps)
            diagnostics.append(contentsOf: hierarchyDiagnostics)
            if diagnostics.hasErrors { return .failure(diagnostics) }
            data.hierarchy = hierarchy
        }
        if request.targets == nil, let missing = TargetBook.missingFile(for: plans) { return .failure(Diagnostics(diagnostics.items + [missing])) }
        if let t = request.targets {
            // Years are read with the plans' calendar: `FY2027` when their year is fiscal (a calendar the plans
            // disagree on is reported with the period).
            let calendar = (try? periodCalendar(of: plans).get()) ?? .gregorian
            let (book, targetDiagnostics) = TargetBook.load(t, calendar: calendar)
            diagnostics.append(contentsOf: targetDiagnostics)
            guard let book, !diagnostics.hasErrors else { return .failure(diagnostics) }
            diagnostics.append(contentsOf: Diagnostics(book.unread(reps: Set(data.reps.map(\.id)), keys: TargetBook.keys(read: plans))))
            data.targets = book
        }
        if let a = request.activities {
            let (table, activityDiagnostics) = loadActivities(a, for: plans, reps: data.reps)
            diagnostics.append(contentsOf: activityDiagnostics)
            if diagnostics.hasErrors { return .failure(diagnostics) }
            data.activities = table
        }
        if let p = request.payments {
            let (payments, paymentDiagnostics) = Payments.load(p, deals: data.deals)
            diagnostics.append(contentsOf: paymentDiagnostics)
            if diagnostics.hasErrors { return .failure(diagnostics) }
            data.payments = payments
        }
        if let h = request.holds {
            let (holds, holdDiagnostics) = HandHold.load(h, reps: data.reps, deals: data.deals)
            diagnostics.append(contentsOf: holdDiagnostics)
            if diagnostics.hasErrors { return .failure(diagnostics) }
            data.holds = holds
        }
        if data.payments == nil, let plan = plans.first(where: { $0.components.contains { $0.collection != nil } }),
           let c = plan.components.first(where: { $0.collection != nil }) {
            diagnostics.append(.warning("D308", "component \"\(c.name)\" pays on collection, but the data folder has no payments.csv: nothing counts as collected, and all of it is held", at: c.collection!.trace,
                                        notes: [.help("add payments.csv (`deal_id,date,amount,currency`) with what customers paid")]))
        }
        return .success((data, fx, diagnostics))
    }

    /// Plans and loaded data, indexed for evaluation. `sharing`: inputs already grouped whose deal rows are these rows in
    /// the same order (the same table, or one with other amounts): their grouping by rep is reused, not worked out again.
    public static func assemble(plans: [CompiledPlan], data: DataSet, fx: FXTable?, dealsPath: String, warnings: Diagnostics,
                                sharing other: PreparedRun? = nil) -> PreparedRun {
        let (order, starts) = other.map { ($0.order, $0.repStarts) } ?? grouped(data.deals, repCount: data.reps.count)
        var reports: [String: [String]] = [:]
        if let h = data.hierarchy {
            for (m, list) in h.everReports.enumerated() where !list.isEmpty { reports[h.ids[m]] = list.map { h.ids[Int($0)] } }
        } else {
            for rep in data.reps { if let m = rep.managerID { reports[m, default: []].append(rep.id) } }
        }
        let planByName = Dictionary(plans.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let named = FilterFacts.named(in: plans)
        var prepared = PreparedRun(plans: plans, planByName: planByName, data: data,
                           fx: fx, dealsPath: dealsPath, order: order, repStarts: starts, position: Rep.positions(data.reps), reports: reports,
                           assignmentsByRep: Dictionary(grouping: data.assignments, by: \.repID),
                           textTests: planByName.mapValues { PlanTextTests($0, pools: data.deals.pools) },
                           filterFacts: planByName.mapValues { FilterFacts($0, named: named, pools: data.deals.pools) }, namedValues: named,
                           literalWarnings: FilterFacts.unknownLiterals(plans, table: data.deals, path: dealsPath)
                               + Reconciliation.nearRoleWarnings(plans, table: data.deals, path: dealsPath),
                           lastPlanEnd: plans.map(\.effective.to).max(),
                           warnings: warnings)
        if data.activities != nil { prepared.activityNames = ActivityTally.named(in: plans) }
        return prepared
    }

    /// The deal rows grouped by rep in roster order and sorted into credit order within each rep: their row numbers,
    /// and where each rep's start.
    ///
    /// A counting sort by rep (no comparisons across reps), in two steps so that writes stay near each other: each core
    /// writes its part of the rows' sort keys into the places of runs of neighbouring reps (buckets of a few thousand
    /// rows), then each bucket is put in rep order in the cache, and each rep's few keys are sorted on their own. (Writing
    /// each key straight into its rep's place scatters the writes over the whole array, and each waits for memory.) A key
    /// holds the close date and the deal id's bytes when the id is ASCII of at most 16 bytes, so sorting does not wander
    /// through the table.
    static func grouped(_ table: DealTable, repCount: Int) -> (order: [Int32], starts: [Int]) {
        let n = table.count
        let pieces = n < 1 << 16 ? 1 : 16
        return table.rows.withUnsafeBufferPointer { r in
            table.bytes.withUnsafeBufferPointer { b in
                let (rows, bytes) = (Shared(r), Shared(b))
                // How many rows of each rep every piece holds, and where each rep's rows start.
                let counts = Parallel.map(pieces) { c -> [Int32] in
                    var k = [Int32](repeating: 0, count: repCount)
                    for i in Parallel.piece(c, of: pieces, over: n) { k[Int(rows.value[i].rep)] += 1 }
                    return k
                }.map { $0! }
                var starts = [Int](repeating: 0, count: repCount + 1)
                for r in 0..<repCount {
                    var at = starts[r]
                    for c in 0..<pieces { at += Int(counts[c][r]) }
                    starts[r + 1] = at
                }
                // Buckets: runs of reps in roster order with at most `most` rows together, or one rep with more. Then
                // where each piece writes its rows of each bucket.
                let most = 1 << 13
                var bucketOf = [Int32](repeating: 0, count: repCount)
                var firstReps = [0]
                for r in 0..<repCount {
                    if r > firstReps.last! && starts[r + 1] - starts[firstReps.last!] > most { firstReps.append(r) }
                    bucketOf[r] = Int32(firstReps.count - 1)
                }
                firstReps.append(repCount)
                let buckets = firstReps.count - 1
                var cursors = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: pieces)
                for k in 0..<buckets {
                    var at = starts[firstReps[k]]
                    for c in 0..<pieces {
                        cursors[c][k] = at
                        for r in firstReps[k]..<firstReps[k + 1] { at += Int(counts[c][r]) }
                    }
                }
                let places = cursors, bucketOfRep = bucketOf
                var exact = true
                // Beside each key, its row's rep.
                var repOfKey: [Int32] = []
                var keys = [OrderKey](unsafeUninitializedCapacity: n) { buffer, count in
                    repOfKey = [Int32](unsafeUninitializedCapacity: n) { repBuffer, repCount in
                        let (target, repTarget) = (Shared(buffer), Shared(repBuffer))
                        exact = Parallel.map(pieces) { c -> Bool in
                            var next = places[c], exact = true
                            for i in Parallel.piece(c, of: pieces, over: n) {
                                let row = rows.value[i]
                                let key = OrderKey(row, id: row.id(in: bytes.value), at: i)
                                exact = exact && key.exact
                                let k = Int(bucketOfRep[Int(row.rep)])
                                (target.value.baseAddress! + next[k]).initialize(to: key)
                                repTarget.value[next[k]] = row.rep
                                next[k] += 1
                            }
                            return exact
                        }.allSatisfy { $0! }
                        repCount = n
                    }
                    count = n
                }
                // Each bucket into rep order through a copy, then each rep's rows into credit order; groups of buckets on
                // all cores.
                let bounds = starts, byKey = exact, reps = firstReps
                keys.withUnsafeMutableBufferPointer { k in
                    repOfKey.withUnsafeBufferPointer { repOf in
                    let (slots, repOfKey) = (Shared(k), Shared(repOf))
                    _ = Parallel.map(pieces) { c in
                        var copy: [OrderKey] = []
                        for bucket in Parallel.piece(c, of: pieces, over: buckets) {
                            let first = reps[bucket], end = reps[bucket + 1]
                            if end - first > 1 {
                                let region = bounds[first]..<bounds[end]
                                copy.removeAll(keepingCapacity: true)
                                copy.append(contentsOf: slots.value[region])
                                var next = Array(bounds[first..<end])
                                for (j, key) in copy.enumerated() {
                                    let r = Int(repOfKey.value[region.lowerBound + j]) - first
                                    slots.value[next[r]] = key
                                    next[r] += 1
                                }
                            }
                            for r in first..<end where bounds[r + 1] - bounds[r] > 1 {
                                var group = UnsafeMutableBufferPointer(rebasing: slots.value[bounds[r]..<bounds[r + 1]])
                                if byKey {
                                    group.sort(by: OrderKey.precedes)
                                } else {
                                    group.sort { a, b in
                                        let x = table[Int(a.row)], y = table[Int(b.row)]
                                        return creditOrder(x, y) || (!creditOrder(y, x) && a.row < b.row)
                                    }
                                }
                            }
                        }
                    }
                    }
                }
                repOfKey = []
                return (keys.map(\.row), starts)
            }
        }
    }

    /// A deal row's place in credit order within one rep: close date, then deal id. The id's bytes, big-endian and
    /// zero-padded, order like the id itself when it is ASCII of at most 16 bytes (`exact`).
    struct OrderKey {
        var date: Int32 = 0
        var row: Int32 = 0
        var high: UInt64 = 0
        var low: UInt64 = 0

        init(_ deal: DealTable.Row, id: UnsafeBufferPointer<UInt8>, at row: Int) {
            date = deal.closeDate
            self.row = Int32(truncatingIfNeeded: row)
            var k = 0
            for byte in id {
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
    public static func run(_ request: RunRequest, history: LedgerHistory = .empty,
                           each: (@Sendable (inout Statement) -> Void)? = nil) -> Result<RunResult, Diagnostics> {
        switch prepare(request) {
        case .failure(let d): return .failure(d)
        case .success(let prepared):
            switch period(request.period, plans: prepared.plans) {
            case .failure(let d): return .failure(d)
            case .success(let p): return evaluate(prepared, period: p, history: history, detail: request.detail, each: each)
            }
        }
    }

    /// Evaluates one period of prepared inputs: each payee's statement from the plan, then the ledger's settlements
    /// (prior-period adjustments, clawbacks, year-to-date true-ups, draws).
    ///
    /// `each` is called with every settled statement, in no particular order and on any core; the run's result holds
    /// the statements as `each` left them. When each payee can be settled alone, it is called as soon as the payee's
    /// statement is made, so a caller that writes the statement and keeps only its totals never holds every line; it
    /// may then have been called for some statements of a run that ends in errors, so what it wrote must be discarded
    /// when the result is a failure.
    /// `reconcile`: whether to work out where every deal row went (`RunResult.reconciliation`) and warn of rows no
    /// measure counts.
    /// `inChunks`: a run settled against closed periods settles each chunk of payees on the core that made it, with
    /// its reps' closed periods recomputed alone (`ChunkSettling`), rather than all payees together once every
    /// statement is made; the statements and messages are the same.
    public static func evaluate(_ prepared: PreparedRun, period: Period, history: LedgerHistory = .empty, detail: Bool = true,
                                reconcile: Bool = true, inChunks: Bool = true,
                                each: (@Sendable (inout Statement) -> Void)? = nil) -> Result<RunResult, Diagnostics> {
        var diagnostics = prepared.warnings
        diagnostics.append(contentsOf: Diagnostics(unreadClosedPeriods(history, calendar: period.calendar)))
        // Manual adjustments and queries go on each statement once it is settled, before anyone else sees it.
        var each = each
        let manual = ManualPosting.of(history, prepared: prepared, period: period)
        if let m = manual {
            diagnostics.append(contentsOf: m.checked)
            if diagnostics.hasErrors { return .failure(diagnostics) }
            let inner = each
            each = { s in
                m.apply(&s)
                inner?(&s)
            }
        }
        // Holds (pay on collection, holds by hand, held money posted) are settled with every payee's lines at hand and
        // their deal ids, so they take the settlement of all payees together, with detail.
        let holding = Settlement.holding(prepared, history)
        let detail = detail || holding
        let (made, alone, chunked) = settling(prepared, period: period, history: history, detail: detail, holding: holding, inChunks: inChunks,
                                              reconcile: reconcile, each: each)
        var crediting = made
        var payees = crediting.statements()
        diagnostics.append(contentsOf: crediting.diagnostics)
        if diagnostics.hasErrors { return .failure(diagnostics) }
        crediting.tally?.add(unrostered: prepared.data.unrostered, period: period, lastPlanEnd: prepared.lastPlanEnd)
        var reconciliation = crediting.tally?.finished(period: period, dealsPath: prepared.dealsPath, lastPlanEnd: prepared.lastPlanEnd)
        reconciliation?.activityOnlyPlans = Set(prepared.plans.filter { p in p.readsActivities && !p.measures.contains { !$0.readsActivities } }.map(\.name))
        if let table = prepared.data.activities, var t = crediting.activityTally {
            t.add(unrostered: table.unrostered, period: period)
            reconciliation?.activities = t.finished(period: period, path: table.path)
        }
        if let reconciliation { diagnostics.append(contentsOf: Diagnostics(prepared.literalWarnings + reconciliation.warnings())) }
        diagnostics.append(contentsOf: crediting.settlementDiagnostics)
        if chunked { diagnostics.append(contentsOf: Settlement.joined(crediting.chunkSettlements, history: history, dealsPath: prepared.dealsPath, calendar: period.calendar)) }
        if diagnostics.hasErrors { return .failure(diagnostics) }
        if !alone && !chunked {
            var settlement = Settlement(prepared: prepared, period: period, history: history)
            settlement.detail = detail
            settlement.settle(&payees)
            diagnostics.append(contentsOf: settlement.diagnostics)
            if diagnostics.hasErrors { return .failure(diagnostics) }
            if let each { for i in payees.indices { each(&payees[i].statement) } }
        }
        let statements = payees.map(\.statement)
        if let manual {
            diagnostics.append(contentsOf: manual.finished())
            if diagnostics.hasErrors { return .failure(diagnostics) }
        }
        if reconcile { diagnostics.append(contentsOf: Diagnostics(Extremes.negativePay(statements))) }
        let used = Set(statements.flatMap { s in s.segments.isEmpty ? [s.planName] : s.segments.map(\.planName) })
        var result = RunResult(period: period, plans: prepared.plans.filter { used.contains($0.name) }.sorted { $0.name < $1.name },
                               statements: statements, warnings: diagnostics)
        result.reconciliation = reconciliation
        if !crediting.otherKinds.isEmpty { result.leftToOtherKinds = crediting.leftToOtherKinds() }
        return .success(result)
    }

    /// How a period's payees are credited and settled against `history`: each alone as it is made (nothing closed to
    /// adjust, no posted line to claw back), chunk by chunk on the cores that made them (`inChunks`), or all together
    /// once every statement is made (`holding`: holds read every payee's lines).
    static func settling(_ prepared: PreparedRun, period: Period, history: LedgerHistory, detail: Bool, holding: Bool, inChunks: Bool,
                         reconcile: Bool, each: (@Sendable (inout Statement) -> Void)?) -> (crediting: Crediting, alone: Bool, chunked: Bool) {
        let alone = history.settlesAlone && !holding
        let chunked = !alone && inChunks && !holding
        // Without detail and without a ledger to settle against, statements need their totals only.
        let lean = !detail && alone && history.drawBalances.isEmpty
        let crediting = Crediting(prepared: prepared, period: period, detail: detail, lean: lean, settleAlone: alone ? history : nil,
                                  chunkSettling: chunked ? ChunkSettling(prepared: prepared, history: history) : nil, reconcile: reconcile, each: each)
        return (crediting, alone, chunked)
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
