// What-if comparison: a baseline plan set and candidates run over the same data, read once, and compared payee by
// payee, in totals, in distribution, under scaled performance, and as payout curves. Every number comes from the
// same evaluator that pays statements, so a modelled number and a paid number cannot disagree.

/// One plan set to compare: the baseline, a candidate file set, or the baseline with parameters changed.
public struct Scenario: Sendable {
    public let name: String
    public let plans: [SourceFile]
    public let overrides: [(name: String, text: String)]

    public init(name: String, plans: [SourceFile], overrides: [(name: String, text: String)] = []) {
        self.name = name
        self.plans = plans
        self.overrides = overrides
    }
}

public struct ComparisonRequest: Sendable {
    /// The first scenario is the baseline.
    public var scenarios: [Scenario]
    public var deals: InputFile
    public var roster: InputFile
    public var assignments: InputFile
    public var fx: InputFile?
    /// hierarchy.csv, when the manager tree is dated.
    public var hierarchy: InputFile?
    /// targets.csv and seasonality.csv, when plans take quotas from targets.
    public var targets: TargetFiles? = nil
    /// activities.csv, when plans measure what is not a deal.
    public var activities: InputFile? = nil
    /// payments.csv and holds.csv, when plans pay on collection or pay is held by hand.
    public var payments: InputFile? = nil
    public var holds: InputFile? = nil
    public var periods: [String]
    /// Every deal amount multiplied by each of these, for the sensitivity table (1 is always included).
    public var scales: [ExactDecimal]
    /// A payee "loses" when a candidate pays them less than the baseline by more than this fraction.
    public var lossThreshold: Ratio
    /// What the ledger says was paid before the earliest compared period. With it, each scenario is settled period by
    /// period as `attain close` would settle it: the earliest against this history, each later one against this history
    /// with the scenario's own statements of the earlier compared periods posted after it. Without it, each period is
    /// paid as if nothing had been paid before.
    public var history: LedgerHistory?
    /// Said once per plan that needs the ledger when there is no `history`; from the caller, who knows the command.
    public var withoutLedger: (@Sendable (CompiledPlan) -> Diagnostic?)?
    /// Told what the comparison is doing, for a progress line (on any core, while it runs).
    public var progress: (@Sendable (ComparisonProgress) -> Void)?

    public init(scenarios: [Scenario], deals: InputFile, roster: InputFile, assignments: InputFile, fx: InputFile? = nil,
                hierarchy: InputFile? = nil, periods: [String], scales: [ExactDecimal] = [.one], lossThreshold: Ratio = try! Ratio(1, 10),
                history: LedgerHistory? = nil) {
        self.history = history
        self.hierarchy = hierarchy
        self.scenarios = scenarios
        self.deals = deals
        self.roster = roster
        self.assignments = assignments
        self.fx = fx
        self.periods = periods
        self.scales = scales
        self.lossThreshold = lossThreshold
    }
}

/// What a comparison is doing, for a progress line.
public enum ComparisonProgress: Sendable {
    /// The inputs are read: this many deal rows and payees.
    case read(deals: Int, payees: Int)
    /// Scenario `index` (of `count`) is being evaluated for a period, with deal amounts times `scale` (1 for the
    /// compared figures, others for the sensitivity table).
    case evaluating(scenario: String, index: Int, count: Int, period: Period, scale: ExactDecimal)
    /// One payee's statement of the scenario and period being evaluated is made.
    case payee
}

/// One payee across scenarios: paid in total over the compared periods.
public struct PayeeComparison: Sendable {
    public let payeeID: String
    public let name: String
    /// The baseline plan (the last one in force).
    public let plan: String
    /// Credited over quota across the periods, under the baseline; nil without a quota.
    public let attainment: Ratio?
    /// Target incentive over the periods, under the baseline.
    public let targetIncentive: ExactDecimal
    /// Paid per scenario, in the comparison currency.
    public let paid: [ExactDecimal]
}

/// What the payees on one plan are paid in one compared period, per scenario (in the comparison currency). A payee
/// whose statement is under this plan in the period counts here, whichever plan they were on in other periods.
public struct PlanPeriodCost: Sendable {
    public let plan: String
    public let period: Period
    /// Paid per scenario.
    public let cost: [ExactDecimal]
}

/// A scenario's cost and how its pay is spread.
public struct ScenarioSummary: Sendable {
    public let name: String
    public let cost: ExactDecimal
    /// Cost ÷ bookings credited in the periods.
    public let costOfSales: Ratio?
    /// Cost ÷ the payees' total target incentive.
    public let percentOfTarget: Ratio?
    public let median: ExactDecimal
    public let p10: ExactDecimal
    public let p90: ExactDecimal
    public let minimum: ExactDecimal
    public let maximum: ExactDecimal
}

/// A band of attainment or of pay (as a share of target incentive), with how many payees fall in it per scenario.
public struct Band2: Sendable {
    public let label: String
    public let counts: [Int]
}

/// Payout against attainment for a payee with a plan's typical quota and target incentive.
public struct PayoutCurve: Sendable {
    public let plan: String
    public let measure: String
    public let quota: ExactDecimal
    public let targetIncentive: ExactDecimal
    /// Attainment points (0, 0.05, … 2) and the payout at each, per scenario (nil where the scenario lacks the plan).
    public let points: [(attainment: Ratio, paid: [ExactDecimal?])]
    public let note: String?
    /// The plan's other measures with a quota, held at zero along the curve (what `note` names).
    public var otherMeasures: [String] = []
}

public struct ComparisonResult: Sendable {
    public let scenarios: [String]
    public let periods: [Period]
    public let currency: Currency
    public let payees: [PayeeComparison]
    public let summaries: [ScenarioSummary]
    /// Deals credited in the periods (cancelled ones excluded), whole amounts, in the comparison currency.
    public let bookings: ExactDecimal
    public let attainmentBands: [Band2]
    public let payBands: [Band2]
    public let lossThreshold: Ratio
    /// Per candidate (index ≥ 1): how many payees lose more than the threshold.
    public let losers: [Int]
    /// Scale → cost per scenario.
    public let sensitivity: [(scale: ExactDecimal, cost: [ExactDecimal])]
    public let curves: [PayoutCurve]
    /// What each plan costs in each compared period under each scenario: plans by name, then periods in the order given.
    /// Every scenario's costs here add up to its `summaries` cost.
    public var planCosts: [PlanPeriodCost] = []
    /// How many times the input tables were parsed (once, however many scenarios and scales).
    public let inputLoads: Int
    public let warnings: Diagnostics
    /// Where the baseline's deal rows went over the compared periods.
    public var reconciliation: Reconciliation? = nil
    /// The baseline's run of the earliest compared period (for checks a close of that period makes); only in a
    /// comparison settled against a ledger (`ComparisonRequest.history`).
    public var firstBaselineRun: RunResult? = nil

    /// Payees by the change a candidate brings, largest gain first; equal changes by payee id.
    public func ranked(candidate: Int) -> [(payee: PayeeComparison, change: ExactDecimal)] {
        let changes = payees.map { p in (try? p.paid[candidate].subtracting(p.paid[0])) ?? .zero }
        // Payees come in id order, so their places order equal changes as their ids do, without comparing texts.
        let byID = zip(payees, payees.dropFirst()).allSatisfy { $0.payeeID < $1.payeeID }
        let order = payees.indices.sorted { a, b in
            if changes[a] != changes[b] { return changes[b] < changes[a] }
            return byID ? a < b : payees[a].payeeID < payees[b].payeeID
        }
        return order.map { (payees[$0], changes[$0]) }
    }
}

/// What the comparison keeps of one payee's statement for one period: the figures its tables need, never the lines.
struct PaidFigures: Sendable {
    let payeeID: String
    let planName: String
    let paid: ExactDecimal
    /// The compared period the statement is of (its place in `ComparisonRequest.periods`).
    var period = 0
    /// The target incentive, where it reads as a number.
    let targetIncentive: ExactDecimal?
    /// The first measure with a quota: its value and quota, where both read as numbers.
    let measured: (value: Ratio, quota: Ratio)?

    init(_ s: Statement) {
        payeeID = s.payeeID
        planName = s.planName
        paid = s.paid.amount
        if case .success(let t) = ExactDecimal.parse(s.targetIncentive) { targetIncentive = t } else { targetIncentive = nil }
        if let m = s.measures.first(where: { $0.quota != nil }), let v = Comparison.number(m.value), let q = Comparison.number(m.quota!) {
            measured = (v, q)
        } else {
            measured = nil
        }
    }
}

public enum Comparison {
    /// Runs every scenario over the same data for every period and scale.
    ///
    /// Without a ledger history, the deals are grouped by rep once for every scenario and scale, each scenario is
    /// evaluated for totals only (`Engine.evaluate(…, detail: false)`, payees in parallel), and only each payee's
    /// figures (`PaidFigures`) are kept. Settled against a ledger, each scenario's statements are kept whole as the
    /// next period's settlement needs them (`runStraight`).
    public static func run(_ request: ComparisonRequest) -> Result<ComparisonResult, Diagnostics> {
        compare(request, fast: request.history == nil)
    }

    /// The straightforward comparison: each scenario's inputs prepared on their own, every statement made with all of
    /// its lines, the deal data copied for each sensitivity scale. What the fast one must equal to the cent.
    static func runStraight(_ request: ComparisonRequest) -> Result<ComparisonResult, Diagnostics> {
        compare(request, fast: false)
    }

    static func compare(_ request: ComparisonRequest, fast: Bool) -> Result<ComparisonResult, Diagnostics> {
        var diagnostics = Diagnostics()
        guard !request.scenarios.isEmpty else { return .failure(Diagnostics([.error("C400", "nothing to compare", at: nil)])) }
        var periods: [Period] = []
        // Periods are read with the baseline plans' calendar (their fiscal year, their biweekly anchor).
        let baseline = Engine.compile(request.scenarios[0].plans, overrides: request.scenarios[0].overrides).0
        for text in request.periods {
            switch Engine.period(text, plans: baseline) {
            case .success(let p): periods.append(p)
            case .failure(let d): diagnostics.append(contentsOf: d)
            }
        }
        if periods.isEmpty { diagnostics.append(.error("R300", "compare needs at least one --period", at: nil)) }
        // Periods that share a day would count its deals twice.
        for (i, a) in periods.enumerated() {
            if let b = periods[..<i].first(where: { $0.start <= a.end && a.start <= $0.end }) {
                diagnostics.append(.error("C403", "periods \(b) and \(a) overlap, so their deals would be counted twice", at: nil,
                                          notes: [.help("give each period once, and periods that do not overlap (e.g. --period 2026-Q1 --period 2026-Q2)")]))
                break
            }
        }
        // Each scenario's plans, checked.
        var planSets: [[CompiledPlan]] = []
        for s in request.scenarios {
            let (plans, d) = Engine.compile(s.plans, overrides: s.overrides)
            for item in d.items { diagnostics.append(item.severity == .error ? annotated(item, s.name) : item) }
            planSets.append(plans)
        }
        if diagnostics.hasErrors { return .failure(diagnostics) }
        let currencies = Set(planSets.joined().map(\.currency.code))
        guard currencies.count == 1, let currency = planSets.joined().first?.currency else {
            return .failure(Diagnostics([.error("C401", "compare needs every plan in one currency; these pay in \(currencies.sorted().joined(separator: ", "))", at: nil)]))
        }
        // The input tables, read once for all scenarios: fields and plan names are the union of theirs.
        var byName: [String: CompiledPlan] = [:]
        for p in planSets.joined() where byName[p.name] == nil { byName[p.name] = p }
        var dataRequest = RunRequest(plans: [], deals: request.deals, roster: request.roster, assignments: request.assignments, fx: request.fx,
                                     hierarchy: request.hierarchy, period: "")
        dataRequest.targets = request.targets
        dataRequest.activities = request.activities
        // What customers paid and holds by hand: a plan that pays on collection costs in a scenario what a close pays.
        dataRequest.payments = request.payments
        dataRequest.holds = request.holds
        let loaded: (data: DataSet, fx: FXTable?, warnings: Diagnostics)
        switch Engine.loadData(dataRequest, for: byName.keys.sorted().map { byName[$0]! }) {
        case .failure(let d): return .failure(d)
        case .success(let l): loaded = l
        }
        diagnostics.append(contentsOf: loaded.warnings)
        let progress = request.progress
        progress?(.read(deals: loaded.data.deals.count, payees: loaded.data.reps.count))

        // Every scenario × period at scale 1, then the sensitivity scales. With a ledger, periods are settled in order,
        // each scenario against its own simulated ledger.
        let order = request.history == nil ? periods : periods.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        if request.history != nil {
            for (a, b) in zip(order, order.dropFirst()) where a.kind == b.kind && a.end.dayNumber + 1 < b.start.dayNumber {
                diagnostics.append(.warning("C402", "the compared periods skip from \(a) to \(b); what the periods between would pay is not in the ledger \(b) is settled against", at: nil,
                                            notes: [.help("compare every period from \(order[0]) on, or each period alone")]))
            }
        }
        var used: [[CompiledPlan]] = Array(repeating: [], count: planSets.count)
        // At scale 1, each scenario's rows are reconciled: the baseline's figures go to the result, and each scenario's
        // warnings (a candidate's only where they differ from the baseline's) to the comparison's.
        var reconciled: [[Reconciliation]] = Array(repeating: [], count: planSets.count)
        var firstRun: RunResult?
        var evaluationWarnings: [[Diagnostic]] = Array(repeating: [], count: planSets.count)
        // The fast way groups the deals by rep once: every scenario and scale shares the baseline's grouping.
        let grouping = fast ? Engine.assemble(plans: planSets[0], data: loaded.data, fx: loaded.fx, dealsPath: request.deals.path, warnings: Diagnostics()) : nil
        var tick: (@Sendable (inout Statement) -> Void)?
        if let progress { tick = { _ in progress(.payee) } }
        func cost(_ data: DataSet, scale: ExactDecimal = .one, reconcile: Bool = false) -> Result<[[PaidFigures]], Diagnostics> {
            var all: [[PaidFigures]] = []
            for (i, plans) in planSets.enumerated() {
                // The fast way's baseline at scale 1 is the grouping itself; every other plan set and scale shares it.
                let prepared: PreparedRun
                if let grouping, i == 0 && scale == .one {
                    prepared = grouping
                } else {
                    prepared = Engine.assemble(plans: plans, data: data, fx: loaded.fx, dealsPath: request.deals.path, warnings: Diagnostics(),
                                               sharing: grouping)
                }
                var figures: [PaidFigures] = []
                var history = request.history ?? .empty
                for p in order {
                    progress?(.evaluating(scenario: request.scenarios[i].name, index: i, count: planSets.count, period: p, scale: scale))
                    switch Engine.evaluate(prepared, period: p, history: history, detail: !fast, reconcile: reconcile, each: tick) {
                    case .success(let r):
                        let at = periods.firstIndex { $0.start == p.start && $0.end == p.end } ?? 0
                        figures += (try? Parallel.each(r.statements) { s -> PaidFigures in
                            var f = PaidFigures(s)
                            f.period = at
                            return f
                        }) ?? []
                        if reconcile {
                            // The reconciliation's own warnings are given once, over all the periods, below.
                            if let rec = r.reconciliation { reconciled[i].append(rec) }
                            if i == 0 && firstRun == nil && !fast { firstRun = r }
                            for w in r.warnings.items where !Reconciliation.codes.contains(w.code) && !evaluationWarnings[i].contains(w) { evaluationWarnings[i].append(w) }
                        }
                        if request.history != nil { history = history.posting(r) }
                        for plan in r.plans where !used[i].contains(where: { $0.name == plan.name }) { used[i].append(plan) }
                    case .failure(let d): return .failure(Diagnostics(d.items.map { $0.severity == .error ? annotated($0, request.scenarios[i].name) : $0 }))
                    }
                }
                all.append(figures)
            }
            return .success(all)
        }
        let base: [[PaidFigures]]
        switch cost(loaded.data, reconcile: true) {
        case .failure(let d): return .failure(d)
        case .success(let s): base = s
        }
        for i in evaluationWarnings.indices { evaluationWarnings[i] += Reconciliation.combined(reconciled[i])?.warnings() ?? [] }
        for (i, items) in evaluationWarnings.enumerated() {
            for w in items where i == 0 || !evaluationWarnings[0].contains(where: { $0.code == w.code && $0.message == w.message }) {
                diagnostics.append(i == 0 ? w : Diagnostic(w.severity, code: w.code, "\(w.message) (scenario \(request.scenarios[i].name))", at: w.span, notes: w.notes))
            }
        }
        if request.history == nil, let say = request.withoutLedger {
            // Each plan whose pay depends on the ledger, once; a candidate's plan only where it differs from the baseline's.
            var said: [String] = []
            for (i, plans) in used.enumerated() {
                for plan in plans.sorted(by: { $0.name < $1.name }) {
                    guard let w = say(plan) else { continue }
                    if said.contains(w.message) { continue }
                    said.append(w.message)
                    diagnostics.append(i == 0 ? w : Diagnostic(w.severity, code: w.code, "\(w.message) (scenario \(request.scenarios[i].name))",
                                                               at: w.span, notes: w.notes))
                }
            }
        }
        var sensitivity: [(scale: ExactDecimal, cost: [ExactDecimal])] = []
        for scale in Set(request.scales + [.one]).sorted() {
            if scale == .one {
                sensitivity.append((scale, base.map { ExactDecimal.total($0.map(\.paid)) }))
                continue
            }
            // The fast way scales the amounts of the same rows, so the grouping still holds; the straightforward way
            // makes every deal again.
            let scaled = fast ? loaded.data.scaledRows(by: scale) : loaded.data.scaled(by: scale)
            switch cost(scaled, scale: scale) {
            case .failure(let d): return .failure(d)
            case .success(let s): sensitivity.append((scale, s.map { ExactDecimal.total($0.map(\.paid)) }))
            }
        }

        let payees = comparePayees(base, data: loaded.data)
        let bookings = fast ? creditedBookings(rowsOf: loaded.data, periods: periods, currency: currency)
            : creditedBookings(loaded.data, periods: periods, currency: currency)
        let summaries = request.scenarios.indices.map { i in summarize(request.scenarios[i].name, payees.map { $0.paid[i] }, payees: payees, bookings: bookings) }
        var losers: [Int] = [0]
        for c in request.scenarios.indices.dropFirst() {
            losers.append(payees.filter { p in
                guard let loss = try? p.paid[0].subtracting(p.paid[c]), loss > .zero else { return false }
                guard p.paid[0] > .zero else { return true }
                return (try? Ratio.compare(Ratio(loss).divided(by: Ratio(p.paid[0])), request.lossThreshold)) ?? 0 > 0
            }.count)
        }
        let curves = payoutCurves(planSets: planSets, data: loaded.data, period: periods[0], fx: loaded.fx, dealsPath: request.deals.path, grouped: grouping)
        var result = ComparisonResult(scenarios: request.scenarios.map(\.name), periods: periods, currency: currency, payees: payees,
                                         summaries: summaries, bookings: bookings, attainmentBands: attainmentBands(payees, count: planSets.count),
                                         payBands: payBands(payees, count: planSets.count), lossThreshold: request.lossThreshold, losers: losers,
                                         sensitivity: sensitivity, curves: curves, inputLoads: 1, warnings: diagnostics,
                                         reconciliation: Reconciliation.combined(reconciled[0]))
        result.firstBaselineRun = firstRun
        result.planCosts = planCosts(base, periods: periods)
        return .success(result)
    }

    /// Each scenario's pay summed by plan and period: plans by name, periods in the order given; a plan and period no
    /// scenario pays anyone in is left out.
    static func planCosts(_ byScenario: [[PaidFigures]], periods: [Period]) -> [PlanPeriodCost] {
        struct Key: Hashable { let plan: String, period: Int }
        var sums: [Key: [ExactDecimal]] = [:]
        for (i, list) in byScenario.enumerated() {
            for f in list {
                let k = Key(plan: f.planName, period: f.period)
                var row = sums[k] ?? Array(repeating: .zero, count: byScenario.count)
                row[i] = (try? row[i].adding(f.paid)) ?? row[i]
                sums[k] = row
            }
        }
        return sums.keys.sorted { $0.plan != $1.plan ? $0.plan.utf8.lexicographicallyPrecedes($1.plan.utf8) : $0.period < $1.period }
            .map { PlanPeriodCost(plan: $0.plan, period: periods[$0.period], cost: sums[$0]!) }
    }

    static func annotated(_ d: Diagnostic, _ scenario: String) -> Diagnostic {
        Diagnostic.error(d.code, "\(d.message) (scenario \(scenario))", at: d.span, notes: d.notes)
    }

    static func number(_ text: String) -> Ratio? {
        if case .success(let d) = ExactDecimal.parse(text) { return Ratio(d) }
        return nil
    }

    /// Each payee's pay per scenario over all periods; attainment and target incentive from the baseline.
    static func comparePayees(_ byScenario: [[PaidFigures]], data: DataSet) -> [PayeeComparison] {
        var ids: [String] = []
        var seen: Set<String> = []
        for list in byScenario { for s in list where seen.insert(s.payeeID).inserted { ids.append(s.payeeID) } }
        ids.sort()
        let names = Dictionary(data.reps.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        // Each scenario's figures by payee, grouped once.
        let grouped = byScenario.map { Dictionary(grouping: $0, by: \.payeeID) }
        return ids.map { id in
            let baseline = grouped[0][id] ?? []
            var value = Ratio.zero, quota = Ratio.zero, hasQuota = false
            var target = ExactDecimal.zero
            for s in baseline {
                if let m = s.measured {
                    value = (try? value.adding(m.value)) ?? value
                    quota = (try? quota.adding(m.quota)) ?? quota
                    hasQuota = true
                }
                if let t = s.targetIncentive, let sum = try? target.adding(t) { target = sum }
            }
            let attainment = hasQuota && quota.signum > 0 ? try? value.divided(by: quota) : nil
            let plan = (baseline.last ?? grouped.lazy.compactMap { $0[id]?.last }.first)?.planName ?? ""
            let paid = grouped.map { ExactDecimal.total(($0[id] ?? []).map(\.paid)) }
            return PayeeComparison(payeeID: id, name: names[id] ?? id, plan: plan, attainment: attainment, targetIncentive: target, paid: paid)
        }
    }

    /// Whole deal amounts (each split row's share, owner rows only) closed in the periods and not cancelled by their end, in the currency.
    static func creditedBookings(_ data: DataSet, periods: [Period], currency: Currency) -> ExactDecimal {
        var sum = ExactDecimal.zero
        for d in data.deals where d.currency == currency && d.role == Deal.owner {
            guard let p = periods.first(where: { $0.contains(d.closeDate) }), Crediting.counts(d.dates, clawbackDays: nil, asOf: p.end) else { continue }
            if let share = try? d.amount.multiplied(by: d.share), let s = try? sum.adding(share) { sum = s }
        }
        return sum
    }

    /// The value at a percentile of the sorted list (nearest rank, halves rounded up).
    static func rank(_ sorted: [ExactDecimal], percent: Int) -> ExactDecimal {
        guard !sorted.isEmpty else { return .zero }
        let i = ((sorted.count - 1) * percent + 50) / 100
        return sorted[min(max(i, 0), sorted.count - 1)]
    }

    static func summarize(_ name: String, _ paid: [ExactDecimal], payees: [PayeeComparison], bookings: ExactDecimal) -> ScenarioSummary {
        let sorted = paid.sorted()
        let cost = ExactDecimal.total(paid)
        let target = ExactDecimal.total(payees.map(\.targetIncentive))
        let median: ExactDecimal
        if sorted.isEmpty {
            median = .zero
        } else if sorted.count % 2 == 1 {
            median = sorted[sorted.count / 2]
        } else {
            let mid = (try? sorted[sorted.count / 2 - 1].adding(sorted[sorted.count / 2])) ?? .zero
            median = (try? mid.divided(by: ExactDecimal(2), scale: max(2, mid.scale), mode: .halfEven)) ?? .zero
        }
        return ScenarioSummary(name: name, cost: cost,
                               costOfSales: bookings.isZero ? nil : try? Ratio(cost).divided(by: Ratio(bookings)),
                               percentOfTarget: target.isZero ? nil : try? Ratio(cost).divided(by: Ratio(target)),
                               median: median, p10: rank(sorted, percent: 10), p90: rank(sorted, percent: 90),
                               minimum: sorted.first ?? .zero, maximum: sorted.last ?? .zero)
    }

    /// Lower bounds of the bands (fractions), labels from them; the last band is open.
    static let bandEdges: [Int] = [0, 50, 80, 100, 120, 150, 200]

    static func bandIndex(_ r: Ratio) -> Int {
        var k = 0
        for (i, edge) in bandEdges.enumerated() where i > 0 {
            if (try? Ratio.compare(r, try Ratio(Int128(edge), 100))) ?? -1 >= 0 { k = i }
        }
        return k
    }

    static func bandLabels() -> [String] {
        bandEdges.indices.map { i in i + 1 < bandEdges.count ? "\(bandEdges[i])–\(bandEdges[i + 1])%" : "\(bandEdges[i])% and above" }
    }

    static func attainmentBands(_ payees: [PayeeComparison], count: Int) -> [Band2] {
        // Attainment is the baseline's for every scenario when the candidates keep the quota; each scenario counts the same payees.
        var counts = Array(repeating: 0, count: bandEdges.count)
        var none = 0
        for p in payees {
            if let a = p.attainment { counts[bandIndex(a)] += 1 } else { none += 1 }
        }
        var bands = zip(bandLabels(), counts).map { Band2(label: $0, counts: Array(repeating: $1, count: count)) }
        if none > 0 { bands.append(Band2(label: "no quota", counts: Array(repeating: none, count: count))) }
        return bands
    }

    static func payBands(_ payees: [PayeeComparison], count: Int) -> [Band2] {
        var counts = Array(repeating: Array(repeating: 0, count: count), count: bandEdges.count + 1)
        for p in payees {
            for s in 0..<count {
                if p.targetIncentive.isZero { counts[bandEdges.count][s] += 1; continue }
                let r = (try? Ratio(p.paid[s]).divided(by: Ratio(p.targetIncentive))) ?? .zero
                counts[r.signum < 0 ? 0 : bandIndex(r)][s] += 1
            }
        }
        var bands = zip(bandLabels(), counts).map { Band2(label: "\($0) of TI", counts: $1) }
        if counts[bandEdges.count].contains(where: { $0 > 0 }) { bands.append(Band2(label: "no target incentive", counts: counts[bandEdges.count])) }
        return bands
    }

    // MARK: Payout curves

    /// For each baseline plan with a money measure that has a quota: payout from 0% to 200% of that quota, in steps of
    /// 5%, for a payee with the plan's median quota and target incentive and one deal shaped like the plan's typical deal.
    /// `grouped`: the deals grouped by rep (`Engine.assemble`), to find the template among the plan's reps' rows
    /// without sorting every deal.
    static func payoutCurves(planSets: [[CompiledPlan]], data: DataSet, period: Period, fx: FXTable?, dealsPath: String,
                             grouped: PreparedRun? = nil) -> [PayoutCurve] {
        var curves: [PayoutCurve] = []
        for plan in planSets[0] {
            // A quota from targets.csv is each payee's own, month by month: there is no typical row to draw a curve for.
            guard let mi = plan.measures.firstIndex(where: { m in
                if case .target? = m.quota { return false }
                if case .money = m.unit { return m.quota != nil && m.creditScope == nil }
                return false
            }) else { continue }
            let measure = plan.measures[mi]
            let assignments = data.assignments.filter { $0.plan == plan.name && $0.start <= period.end && ($0.end ?? period.end) >= period.start }
            guard !assignments.isEmpty else { continue }
            let quotas = assignments.map(\.quota).sorted(), targets = assignments.map(\.targetIncentive).sorted()
            let quota = quotas[quotas.count / 2], target = targets[targets.count / 2]
            guard quota > .zero else { continue }
            // A deal the measure counts, as a template (product, type, extra fields).
            let reps = Set(assignments.map(\.repID))
            func fits(_ d: Deal) -> Bool {
                guard reps.contains(d.repID), d.currency == plan.currency, plan.credits(role: d.role) else { return false }
                guard let f = measure.filter else { return true }
                let env = DealEnvironment(credit: Credit(deal: d, amount: Ratio(d.amount)), plan: plan)
                return (try? ExpressionEvaluator.truth(f, in: env)) ?? false
            }
            let template: Deal?
            if let grouped {
                // Each rep's rows are in credit order (rows of equal date and id in table order, as a stable sort leaves
                // them): the first that fits of each rep, then the earliest of those.
                template = reps.compactMap { rep in grouped.rows(of: rep).lazy.map { data.deals[Int($0)] }.first(where: fits) }
                    .min(by: Engine.creditOrder)
            } else {
                template = data.deals.sorted(by: Engine.creditOrder).first(where: fits)
            }
            guard let template else { continue }
            let rep = Rep(id: "typical", name: "Typical payee", managerID: nil, hireDate: CivilDate(year: 1, month: 1, day: 1)!, endDate: nil, line: 0)
            // Attainment on the curve is of the quota measured against, which a stated span (`per year`) makes differ from the row's.
            let measured = measuredQuota(plan, measure: mi, rep: rep, quota: quota, period: period)
            // The 15th of the period's middle month; the period's middle day when that is outside it (a fiscal half
            // across the new year, half a month, two weeks).
            let fifteenth = CivilDate(year: period.start.year, month: (period.start.month + period.end.month) / 2, day: 15)!
            let middle = period.contains(fifteenth) ? fifteenth : period.start.adding(days: period.dayCount / 2)!
            var points: [(attainment: Ratio, paid: [ExactDecimal?])] = []
            for step in 0...40 {
                let attainment = try! Ratio(Int128(step * 5), 100)
                guard let amount = try? Ratio(measured).multiplied(by: attainment).rounded(scale: plan.currency.minorUnits, mode: .halfUp) else { continue }
                var paid: [ExactDecimal?] = []
                for plans in planSets {
                    guard let p = plans.first(where: { $0.name == plan.name }) else { paid.append(nil); continue }
                    // A year-to-date plan's row covers the year, as its quota does; the deal closes in the period.
                    let span = p.yearToDate != nil ? period.year : period
                    let a = Assignment(repID: rep.id, plan: p.name, start: span.start, end: span.end, quota: quota, targetIncentive: target,
                                       extras: ["quota": (quota.description, 5), "target_incentive": (target.description, 6)], line: 0, lineText: "")
                    let deal = Deal(dealID: "typical", repID: rep.id, closeDate: middle, amount: amount, currency: p.currency, product: template.product,
                                    type: template.type, share: .one, status: .won, cancelDate: nil, extras: template.extras, line: 0,
                                    role: p.credits(role: template.role) ? template.role : p.creditRoles[0])
                    let credits = amount.isZero ? [] : [Credit(deal: deal, amount: Ratio(amount))]
                    var input = PayeeInput(rep: rep, assignment: a, credits: credits, period: period, assignmentsPath: "assignments.csv")
                    if p.yearToDate != nil { input.prorationPeriod = period.year }
                    if case .success(let s) = Evaluator.statement(plan: p, input: input) { paid.append(s.paid.amount) } else { paid.append(nil) }
                }
                points.append((attainment, paid))
            }
            let others = plan.measures.indices.filter { $0 != mi && plan.measures[$0].quota != nil }
            let note = others.isEmpty ? nil : "other measures (\(others.map { plan.measures[$0].name }.joined(separator: ", "))) at zero"
            curves.append(PayoutCurve(plan: plan.name, measure: measure.name, quota: measured, targetIncentive: target, points: points, note: note,
                                      otherMeasures: others.map { plan.measures[$0].name }))
        }
        return curves
    }
}

extension Comparison {
    /// The quota a payee on one whole-period row is measured against: the row's quota itself, or, where the quota line
    /// states a span (`per year`), what the evaluator makes of it for the period.
    static func measuredQuota(_ plan: CompiledPlan, measure mi: Int, rep: Rep, quota: ExactDecimal, period: Period) -> ExactDecimal {
        guard plan.measures[mi].quotaSpan != nil else { return quota }
        let a = Assignment(repID: rep.id, plan: plan.name, start: period.start, end: period.end, quota: quota, targetIncentive: .zero,
                           extras: ["quota": (quota.description, 5), "target_incentive": ("0", 6)], line: 0, lineText: "")
        let input = PayeeInput(rep: rep, assignment: a, credits: [], period: period, assignmentsPath: "assignments.csv")
        guard case .success(let s) = Evaluator.statement(plan: plan, input: input), let text = s.measures[mi].quota,
              case .success(let d) = ExactDecimal.parse(text), d > .zero else { return quota }
        return d
    }
}

extension Comparison {
    /// The same sum as `creditedBookings(_:periods:currency:)`, read from the table's rows without making their deals,
    /// in pieces on all cores. Exact sums add up the same in any order; only where one overflows (and the row is left
    /// out, as the plain loop leaves it) are the rows added again in order.
    static func creditedBookings(rowsOf data: DataSet, periods: [Period], currency: Currency) -> ExactDecimal {
        let table = data.deals
        @Sendable func sum(_ range: Range<Int>) -> (sum: ExactDecimal, overflowed: Bool) {
            var sum = ExactDecimal.zero, overflowed = false
            for i in range {
                let row = table.rows[i]
                guard row.currency == currency.index, row.role == 0 else { continue }
                let dates = row.dates
                guard let p = periods.first(where: { $0.contains(dates.close) }), Crediting.counts(dates, clawbackDays: nil, asOf: p.end) else { continue }
                if let share = try? table.amount(row, at: i).multiplied(by: table.share(row, at: i)), let s = try? sum.adding(share) {
                    sum = s
                } else {
                    overflowed = true
                }
            }
            return (sum, overflowed)
        }
        let pieces = table.count < 1 << 16 ? 1 : 16
        let parts = Parallel.map(pieces) { sum(Parallel.piece($0, of: pieces, over: table.count)) }.map { $0! }
        var total = ExactDecimal.zero
        for part in parts {
            guard !part.overflowed, let t = try? total.adding(part.sum) else { return sum(0..<table.count).sum }
            total = t
        }
        return total
    }
}

extension DataSet {
    /// The same data with every deal amount multiplied by `factor`, exactly, in the same rows: only the amounts are
    /// made again, so the rows' grouping by rep still holds.
    func scaledRows(by factor: ExactDecimal) -> DataSet {
        var rows = deals.rows, pools = deals.pools
        for p in pools.indices {
            let end = p + 1 < deals.poolStarts.count ? deals.poolStarts[p + 1] : rows.count
            for i in deals.poolStarts[p]..<end {
                let amount = deals.amount(rows[i], at: i)
                (rows[i].amount, rows[i].amountScale) = pools[p].number((try? amount.multiplied(by: factor)) ?? amount)
            }
        }
        let table = DealTable(bytes: deals.bytes, rows: rows, pools: pools, poolStarts: deals.poolStarts, repIDs: deals.repIDs)
        var data = DataSet(deals: table, reps: reps, assignments: assignments, assignmentsPath: assignmentsPath, dealColumns: dealColumns,
                           hierarchy: hierarchy, activities: activities)
        data.targets = targets
        return data
    }

    /// The same data with every deal amount multiplied by `factor`, exactly.
    func scaled(by factor: ExactDecimal) -> DataSet {
        let deals = self.deals.map { d in
            Deal(dealID: d.dealID, repID: d.repID, closeDate: d.closeDate, amount: (try? d.amount.multiplied(by: factor)) ?? d.amount,
                 currency: d.currency, product: d.product, type: d.type, share: d.share, status: d.status, cancelDate: d.cancelDate,
                 extras: d.extras, line: d.line, role: d.role)
        }
        var data = DataSet(deals: DealTable(deals, reps: reps), reps: reps, assignments: assignments, assignmentsPath: assignmentsPath, dealColumns: dealColumns,
                           hierarchy: hierarchy, activities: activities)
        data.targets = targets
        return data
    }
}
