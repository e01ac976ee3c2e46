// Evaluates one payee for one period: a pure function of the plan, the payee's credits and assignment.

/// One payee's share of one deal, in the plan's currency.
///
/// A credit is copied into each measure's list and each deal environment; the deal and its conversion are held by
/// reference, so a copy is one pointer and the amount rather than every field of the deal.
public struct Credit: Sendable {
    final class Held: Sendable {
        let deal: Deal
        let conversion: Conversion?

        init(deal: Deal, conversion: Conversion?) {
            self.deal = deal
            self.conversion = conversion
        }
    }

    let held: Held
    /// The credited amount in the plan's currency: the (converted) deal amount times the share, exact.
    public let amount: Ratio

    public init(deal: Deal, amount: Ratio, conversion: Conversion? = nil) {
        held = Held(deal: deal, conversion: conversion)
        self.amount = amount
    }

    public var deal: Deal {
        _read { yield held.deal }
    }

    /// How a deal in another currency was converted, or nil.
    public var conversion: Conversion? {
        _read { yield held.conversion }
    }
}

/// A deal amount converted into the plan's currency.
public struct Conversion: Sendable {
    public let original: Money
    /// Units of plan currency per unit of the deal's currency.
    public let rate: ExactDecimal
    /// The date whose rate was used.
    public let date: CivilDate

    /// "1000.00 EUR at 1.085 (2026-02-03)".
    public var text: String { "\(original.text) \(original.currency.code) at \(rate.normalized) (\(date))" }
}

/// Everything the evaluation of one payee for one period reads.
public struct PayeeInput: Sendable {
    public let rep: Rep
    public let assignment: Assignment
    /// Credits in close-date order, ties by deal id.
    public let credits: [Credit]
    /// Credits of the reps who report to this payee directly, and of everyone below them, in the same order.
    public var directReportCredits: [Credit] = []
    public var allReportCredits: [Credit] = []
    /// The names of the reps in those credits, by rep id, for the statement's roll-ups.
    public var reportNames: [String: String] = [:]
    public let period: Period
    public let assignmentsPath: String
    /// The span quota and target incentive are prorated over: the period, or the year for a year-to-date plan.
    public var prorationPeriod: Period? = nil
    /// The rows whose quotas make up the measured span's quota, in date order and ending with `assignment`: for a
    /// year-to-date plan, the rows of the same plan that lead up to it in the year. Empty: `assignment` alone.
    public var quotaRows: [Assignment] = []
    /// targets.csv broken down to months, and the reports a team target sums, when the plan reads targets.
    public var targets: TargetReading? = nil
    /// False when only amounts are needed (a payroll-only run): lines then carry no base, tier or source text.
    public var detail = true
    /// With `detail` false: lines still name their plan source (what a closed period's recompute compares and quotes).
    public var sources = false
    /// True when only each component's total is needed: a component's deal lines (when it has no per-deal cap) become
    /// one line with their sum. Each deal's amount is still rounded on its own before it is added.
    public var summed = false
    /// The payee's own credits as table rows, in place of `credits` (a run that needs amounts only).
    var rowCredits: RowCredits?
    /// True when the run reconciles its deals: the evaluation then says which credits each measure counted.
    var reconcile = false
    /// The payee's activities in the part's window, and their reports', as credits (`Crediting+Activities.swift`).
    var activities: [Credit] = []
    var directReportActivities: [Credit] = []
    var allReportActivities: [Credit] = []

    /// The credits a measure or override reads: the payee's own, or their reports'.
    func credits(for scope: OverrideScope?) -> CreditList {
        switch scope {
        case nil: return rowCredits.map { .rows($0) } ?? .values(credits)
        case .direct?: return .values(directReportCredits)
        case .all?: return .values(allReportCredits)
        }
    }
}

/// What a payee's measures counted, for the run's reconciliation.
struct MeasureCounts: Sendable {
    /// Per measure of the plan: how many credits closed in the payout period it counted, and what they added.
    var measures: [(deals: Int, value: Ratio)]
    /// For each of the payee's own credits (in `PayeeInput.credits` or its rows): whether a measure of own deals counted it
    /// (in a plan with no such measure, whether a spif with no measure paid on it).
    var ownCounted: [Bool]
    /// For each of the payee's own activities (`PayeeInput.activities`): whether a measure of own activities counted it.
    var activityCounted: [Bool] = []
}

/// Evaluates the plan for one payee.
public struct Evaluator {
    let plan: CompiledPlan
    let input: PayeeInput
    let rule: RoundingRule
    let currency: Currency

    // Per-period figures, computed once.
    var quotas: [Ratio?] = []
    var values: [Ratio] = []
    /// Each measure's counted credits: their positions in the measure's credit list, and what each adds.
    var contributions: [[(credit: Int, value: Ratio)]] = []
    var targetIncentive = Ratio.zero
    var prorationFactor: Ratio = try! Ratio(1, 1)
    var activeDays = 0
    /// In a plan with no measure of own deals: which own credits a spif with no measure paid on.
    var paidBySpif: [Bool] = []

    public init(plan: CompiledPlan, input: PayeeInput) {
        self.plan = plan
        self.input = input
        self.rule = plan.rounding
        self.currency = plan.currency
    }

    /// The payee's statement, or the diagnostics that stopped it.
    public static func statement(plan: CompiledPlan, input: PayeeInput) -> Result<Statement, Diagnostics> {
        evaluated(plan: plan, input: input).map(\.statement)
    }

    /// The payee's statement and, when the input asks to reconcile, what each measure counted.
    static func evaluated(plan: CompiledPlan, input: PayeeInput) -> Result<(statement: Statement, counts: MeasureCounts?), Diagnostics> {
        var e = Evaluator(plan: plan, input: input)
        do {
            let statement = try e.run()
            return .success((statement, input.reconcile ? try e.measureCounts() : nil))
        } catch let d as Diagnostics {
            return .failure(d)
        } catch {
            return .failure(Diagnostics([.error("R399", "could not evaluate rep `\(input.rep.id)`: \(error)", at: nil)]))
        }
    }

    func assignmentSpan(column: String) -> SourceSpan {
        assignmentSpan(column: column, row: input.assignment)
    }

    /// Where a column of one assignment row was written.
    func assignmentSpan(column: String, row: Assignment) -> SourceSpan {
        let col = row.extras[column]?.column ?? 1
        let width = max(1, row.extras[column]?.text.count ?? 1)
        return SourceSpan(path: input.assignmentsPath, line: row.line, column: col, width: width, lineText: row.lineText)
    }

    func fail(_ code: String, _ message: String, at span: SourceSpan?, notes: [Diagnostic.Note] = []) -> Diagnostics {
        Diagnostics([.error(code, message, at: span, notes: notes)])
    }

    func overflow(_ what: String) -> Diagnostics {
        fail("R390", "an amount in \(what) for rep `\(input.rep.id)` is too large to compute exactly", at: nil)
    }

    func round(_ r: Ratio) throws -> Money {
        do {
            return Money(try r.rounded(scale: rule.scale, mode: rule.mode), currency)
        } catch {
            throw overflow("rounding")
        }
    }

    // MARK: Period figures

    /// The days of the period the rep was both employed and on the assignment, or nil if none.
    public static func activeWindow(rep: Rep, assignment: Assignment, period p: Period) -> (start: CivilDate, end: CivilDate)? {
        let start = max(p.start, rep.hireDate, assignment.start)
        var end = p.end
        if let e = rep.endDate { end = min(end, e) }
        if let e = assignment.end { end = min(end, e) }
        return end < start ? nil : (start, end)
    }

    mutating func prepare() throws {
        let p = input.prorationPeriod ?? input.period
        if let w = Evaluator.activeWindow(rep: input.rep, assignment: input.assignment, period: p) {
            activeDays = w.end.dayNumber - w.start.dayNumber + 1
        }
        prorationFactor = try Ratio(Int128(activeDays), Int128(p.dayCount))
        targetIncentive = try Ratio(input.assignment.targetIncentive).multiplied(by: prorationFactor)

        for (i, m) in plan.measures.enumerated() {
            let scope = m.creditScope
            let list = try contributions(of: input.credits(for: m), to: m, test: scope == nil && !m.readsActivities ? input.rowCredits?.tests?.measures[i] : nil)
            var total = Ratio.zero
            for (_, v) in list { total = try total.adding(v) }
            contributions.append(list)
            values.append(total)
            switch m.quota {
            case nil:
                quotas.append(nil)
            case .constant(let q):
                quotas.append(try spanQuota(m) { _ in q })
            case .assignmentColumn(let column, let trace):
                quotas.append(try spanQuota(m) { row in
                    guard let cell = row.extras[column] else {
                        throw fail("R301", "\(input.assignmentsPath) has no column `\(column)` for the quota of measure `\(m.name)`", at: trace,
                                   notes: Suggestion.help(for: column, in: Array(row.extras.keys)))
                    }
                    switch ExactDecimal.parse(cell.text) {
                    case .success(let d): return Ratio(d)
                    case .failure(let e):
                        throw fail("D244", "`\(column)` is `\(cell.text)`: \(e.reason)", at: assignmentSpan(column: column, row: row),
                                   notes: [.note("read as the quota of measure `\(m.name)`", at: trace)])
                    }
                })
                _ = i
            case .target(let key, let team, let trace):
                quotas.append(try targetQuota(m, key: key, team: team, trace: trace))
            }
        }
    }

    /// The credits a measure counts (its `where` holds) and what each adds to it. `test` answers the `where` for table
    /// rows when it reads texts only.
    func contributions(of credits: CreditList, to m: CompiledMeasure, test: TextTest? = nil) throws -> [(credit: Int, value: Ratio)] {
        if case .rows(let rows) = credits { return try contributions(of: rows, to: m, test: test) }
        var list: [(credit: Int, value: Ratio)] = []
        for i in 0..<credits.count {
            if let f = m.filter, !(try credits.truth(f, i, plan: plan)) { continue }
            switch m.aggregate {
            case .count: list.append((i, Ratio(credits.share(i))))
            case .sum(let e):
                guard let r = try credits.evaluate(e, i, plan: plan).numeric else { throw UnexpectedValue(description: "sum of a non-number") }
                list.append((i, r))
            }
        }
        return list
    }

    /// The same for table rows: a sum of amounts reads each row's credited amount as it is, and a condition on texts
    /// is answered by its test.
    func contributions(of rows: RowCredits, to m: CompiledMeasure, test: TextTest?) throws -> [(credit: Int, value: Ratio)] {
        var list: [(credit: Int, value: Ratio)] = []
        list.reserveCapacity(rows.count)
        var summed: CheckedExpr?
        var amounts = false
        if case .sum(let e) = m.aggregate {
            summed = e
            if case .dealField(.amount) = e { amounts = true }
        }
        // The lists read in the loop, taken out of the object once.
        let rowList = rows.rows, numbers = rows.numbers, credited = rows.amounts, starts = rows.table.poolStarts
        for i in 0..<rowList.count {
            if let test {
                if !test.holds(rowList[i], pool: DealTable.pool(of: Int(numbers[i]), in: starts)) { continue }
            } else if let f = m.filter, !(try ExpressionEvaluator.truth(f, in: RowEnvironment(credits: rows, at: i))) {
                continue
            }
            if amounts {
                list.append((i, credited[i]))
            } else if let summed {
                guard let r = try ExpressionEvaluator.evaluate(summed, in: RowEnvironment(credits: rows, at: i)).numeric else {
                    throw UnexpectedValue(description: "sum of a non-number")
                }
                list.append((i, r))
            } else {
                list.append((i, Ratio(rows.share(i))))
            }
        }
        return list
    }

    /// What each measure counted among credits closed in the payout period (a year-to-date measure also counts the
    /// year's earlier deals, which are not this period's), and which of the payee's own credits some measure counted.
    func measureCounts() throws -> MeasureCounts {
        let own = input.credits(for: nil)
        var counted = [Bool](repeating: false, count: own.count)
        var measures: [(deals: Int, value: Ratio)] = []
        let wholeWindow = plan.yearToDate == nil
        let (start, end) = (input.period.start, input.period.end)
        var activityCounted = [Bool](repeating: false, count: input.activities.count)
        for (i, list) in contributions.enumerated() {
            let scope = plan.measures[i].creditScope
            if scope == nil && !plan.measures[i].readsActivities { for (c, _) in list { counted[c] = true } }
            if scope == nil && plan.measures[i].readsActivities { for (c, _) in list { activityCounted[c] = true } }
            if wholeWindow {
                measures.append((list.count, values[i]))
                continue
            }
            let credits = input.credits(for: plan.measures[i])
            var n = 0, total = Ratio.zero
            for (c, v) in list {
                let d = credits.closeDate(c)
                if d < start || d > end { continue }
                n += 1
                total = try total.adding(v)
            }
            measures.append((n, total))
        }
        if !plan.measures.contains(where: { $0.creditScope == nil && !$0.readsActivities }) && paidBySpif.count == counted.count { counted = paidBySpif }
        return MeasureCounts(measures: measures, ownCounted: counted, activityCounted: activityCounted)
    }

    func quota(_ i: Int) throws -> Ratio {
        guard let q = quotas[i] else { throw UnexpectedValue(description: "measure without quota") }
        guard q.signum > 0 else {
            let column: String
            if case .assignmentColumn(let c, _) = plan.measures[i].quota { column = c } else { column = "quota" }
            var at = assignmentSpan(column: column)
            if case .target(_, _, let trace) = plan.measures[i].quota { at = trace }
            throw fail("R302", "rep `\(input.rep.id)` has a quota of zero for measure `\(plan.measures[i].name)`, so attainment cannot be computed",
                       at: at, notes: activeDays == 0 ? [.note("the rep was not active in \(input.period)")] : [])
        }
        return q
    }

    func attainment(_ i: Int) throws -> Ratio {
        try values[i].divided(by: try quota(i))
    }

    func totalAttainment() throws -> Ratio {
        var t = Ratio.zero
        for (i, m) in plan.measures.enumerated() {
            if let w = m.weight { t = try t.adding(try attainment(i).multiplied(by: w)) }
        }
        return t
    }

    static func percentText(_ r: Ratio) -> String {
        let p = (try? r.multiplied(by: Ratio(100, 1)).floored(scale: 2)) ?? .zero
        return p.description + "%"
    }

    func unitText(_ r: Ratio, measure: Int) -> String {
        if case .money = plan.measures[measure].unit { return Value.decimalText(r, minimumScale: currency.minorUnits) }
        return Value.decimalText(r, minimumScale: 0)
    }

    // MARK: Statement

    mutating func run() throws -> Statement {
        do {
            try prepare()
        } catch let e as ArithmeticError {
            throw overflow("a measure (\(e))")
        }
        var lines: [StatementLine] = []
        for (k, component) in plan.components.enumerated() {
            do {
                lines += try evaluate(component, at: k)
            } catch let e as ArithmeticError {
                throw overflow("\"\(component.name)\" (\(e))")
            }
        }
        var measures: [MeasureResult] = []
        for (i, m) in plan.measures.enumerated() {
            let q = quotas[i]
            var att: String?
            if let q, q.signum > 0 { att = Evaluator.percentText(try values[i].divided(by: q)) }
            var result = MeasureResult(name: m.name, value: unitText(values[i], measure: i), quota: q.map { unitText($0, measure: i) },
                                       attainment: att, weight: m.weight.map { Value.percent($0).text })
            if input.detail, let scope = m.creditScope { result.from = try rollUp(i, scope: scope) }
            if input.detail, m.readsActivities { result.activities = activityEntries(i) }
            measures.append(result)
        }
        var total: String?
        if plan.measures.contains(where: { $0.weight != nil }), quotas.allSatisfy({ $0 == nil || $0!.signum > 0 }) {
            total = Evaluator.percentText(try totalAttainment())
        }
        let days = (input.prorationPeriod ?? input.period).dayCount
        let proration = activeDays == days ? nil : "\(activeDays)/\(days)"
        do {
            var s = try Statement(payeeID: input.rep.id, payeeName: input.rep.name, planName: plan.name, planVersion: plan.version,
                                  planPath: plan.path, period: input.period, currency: currency, measures: measures, totalAttainment: total,
                                  targetIncentive: Value.decimalText(targetIncentive, minimumScale: currency.minorUnits), proration: proration,
                                  lines: lines)
            if input.detail { s.shownFields = plan.shown.map(\.name) }
            return s
        } catch {
            throw overflow("the totals")
        }
    }

    func periodEnvironment() -> PeriodEnvironment { PeriodEnvironment(evaluator: self) }

    /// What each report added to a team measure: their counted deals and the sum, by rep id.
    func rollUp(_ i: Int, scope: OverrideScope) throws -> [MeasureContribution] {
        let credits = input.credits(for: plan.measures[i])
        var by: [String: (sum: Ratio, deals: Int)] = [:]
        for (c, value) in contributions[i] {
            let id = credits.credit(c).deal.repID
            let before = by[id] ?? (.zero, 0)
            by[id] = (try before.sum.adding(value), before.deals + 1)
        }
        return by.sorted { $0.key < $1.key }.map { id, x in
            MeasureContribution(repID: id, repName: input.reportNames[id] ?? "", amount: unitText(x.sum, measure: i), deals: x.deals)
        }
    }

    /// The lines of the plan's `k`th component.
    mutating func evaluate(_ component: CompiledComponent, at k: Int) throws -> [StatementLine] {
        var lines: [StatementLine] = []
        switch component.rule {
        case .commission(let rule):
            lines = try commissionLines(component, rule)
            if let m = component.measure, plan.measures[m].readsActivities { lines = lines.map(Evaluator.activityLine) }
        case .bonus(let steps, let onTotal):
            lines = try bonusLines(component, steps, onTotal: onTotal)
        case .spif(let rule):
            lines = try spifLines(component, rule, test: input.rowCredits?.tests?.components[k])
        case .override(let rate, let scope, let trace):
            lines = try overrideLines(component, rate: rate, scope: scope, trace: trace)
        }
        return try applyLimits(component, lines)
    }

    func shareText(_ credit: Credit) -> String? {
        credit.deal.share == .one ? nil : Rate(fraction: credit.deal.share).text
    }

    func times(_ base: Ratio, _ rate: RateSpec) throws -> Ratio {
        switch rate {
        case .percent(let r), .perUnit(let r, _): return try base.multiplied(by: r)
        }
    }

    func bandLabel(_ band: Band, basis: TierBasis, measure: Int) -> String {
        let type: ValueType = basis == .attainment ? .percent : plan.measures[measure].unit
        let from = Value.threshold(band.from, type)
        if let to = band.to { return "\(from) to \(Value.threshold(to, type))" }
        return "\(from) and above"
    }

    mutating func commissionLines(_ component: CompiledComponent, _ rule: CommissionRule) throws -> [StatementLine] {
        let m = component.measure!
        var lines = dealLines(component, kind: .commission)
        let activities = plan.measures[m].readsActivities
        let credits = activities ? input.credits(for: plan.measures[m]) : input.credits(for: plan.measures[m].reports)
        // Each line's running measure and attainment, in the order the measure counted its deals.
        let runs = try running(m)
        // A line's source and its rate's words are the same for every deal: made once.
        func line(_ j: Int, _ i: Int, _ value: Ratio, amount: Money, source: String) -> StatementLine {
            let credit = credits.credit(i)
            var l = StatementLine(kind: .commission, component: component.name, dealID: credit.deal.dealID, closeDate: credit.deal.closeDate,
                          base: input.detail ? unitText(value, measure: m) : nil, share: shareText(credit), rate: nil, tier: nil,
                          amount: amount, reason: nil, source: source, conversion: credit.conversion,
                          creditedTo: credit.deal.repID == input.rep.id ? nil : credit.deal.repID).inRole(of: credit.deal)
            if !runs.isEmpty { l.running = runs[j] }
            if !activities { l.shown = shownValues(credit) }
            return l
        }
        switch rule {
        case .flat(let rate, let trace):
            let rateText = rate.text, lineSource = sourceText(trace)
            for (j, (i, value)) in contributions[m].enumerated() {
                let amount = try round(try times(value, rate))
                try lines.add(amount) {
                    var l = line(j, i, value, amount: amount, source: lineSource)
                    l.rate = rateText
                    return l
                }
            }
        case .tiers(let mode, let basis, let bands, let trace):
            let scale: Ratio = basis == .attainment ? try quota(m) : try Ratio(1, 1)
            let lowers: [Ratio?] = try bands.enumerated().map { i, b in i == 0 ? nil : try b.from.multiplied(by: scale) }
            let uppers: [Ratio?] = try bands.map { b in try b.to.map { try $0.multiplied(by: scale) } }
            switch mode {
            case .retroactive:
                let total = values[m]
                var k = 0
                for i in bands.indices where i > 0 {
                    if try Ratio.compare(total, lowers[i]!) >= 0 { k = i }
                }
                let band = bands[k]
                let rateText = band.rate.text, lineSource = sourceText(band.trace)
                let label = input.detail ? bandLabel(band, basis: basis, measure: m) : nil
                for (j, (i, value)) in contributions[m].enumerated() {
                    let amount = try round(try times(value, band.rate))
                    try lines.add(amount) {
                        var l = line(j, i, value, amount: amount, source: lineSource)
                        l.rate = rateText
                        l.tier = label
                        return l
                    }
                }
            case .marginal:
                var cumulative = Ratio.zero
                let rates = bands.map(\.rate)
                let rateTexts = input.detail ? rates.map(\.text) : []
                let labels = input.detail ? bands.map { bandLabel($0, basis: basis, measure: m) } : []
                let sources = bands.map { sourceText($0.trace) }, lineSource = sourceText(trace)
                // A line without words needs its amount only: walked in whole numbers when every figure allows.
                if !input.detail, let walk = Evaluator.scaledWalk(contributions[m].map(\.value), lowers: lowers, uppers: uppers, rates: rates) {
                    for (j, (i, value)) in contributions[m].enumerated() {
                        let step = walk[j]
                        let amount = try round(scaled: step.exact)
                        try lines.add(amount) { line(j, i, value, amount: amount, source: step.bands == 1 ? sources[step.first] : lineSource) }
                    }
                    return lines.finished
                }
                // The band the running total is in. Bands are contiguous and in order, so a deal that adds to the total
                // and ends in that same band is paid at that band's rate alone: the walk over every band would find
                // nothing in the others.
                var k = 0
                for (j, (i, value)) in contributions[m].enumerated() {
                    let next = try cumulative.adding(value)
                    let forward = value.signum >= 0
                    let lo = forward ? cumulative : next
                    let hi = forward ? next : cumulative
                    var exact = Ratio.zero
                    var portions: [TierPortion] = []
                    // How many bands the deal fell in, and the first.
                    var used = 0, firstUsed = 0
                    func paid(_ band: Int, _ portion: Ratio) throws {
                        let amount = try times(portion, rates[band])
                        exact = try exact.adding(amount)
                        if used == 0 { firstUsed = band }
                        used += 1
                        if input.detail {
                            portions.append(TierPortion(band: labels[band], base: unitText(portion, measure: m), rate: rateTexts[band],
                                                        amount: Value.decimalText(amount, minimumScale: currency.minorUnits), source: sources[band]))
                        }
                    }
                    while let upper = uppers[k], try Ratio.compare(cumulative, upper) >= 0 { k += 1 }
                    while k > 0, try Ratio.compare(cumulative, lowers[k]!) < 0 { k -= 1 }
                    if value.signum > 0, try uppers[k].map({ u throws(ArithmeticError) in try Ratio.compare(next, u) <= 0 }) ?? true {
                        try paid(k, value)
                    } else {
                        for band in rates.indices {
                            var a = lo
                            if let lower = lowers[band], try Ratio.compare(lower, a) > 0 { a = lower }
                            var b = hi
                            if let upper = uppers[band], try Ratio.compare(upper, b) < 0 { b = upper }
                            guard try Ratio.compare(b, a) > 0 else { continue }
                            let portion = try b.subtracting(a)
                            try paid(band, forward ? portion : portion.negated())
                        }
                    }
                    cumulative = next
                    let amount = try round(exact)
                    try lines.add(amount) {
                        var l = line(j, i, value, amount: amount, source: used == 1 ? sources[firstUsed] : lineSource)
                        if used == 1 && input.detail {
                            l.rate = rateTexts[firstUsed]
                            l.tier = portions[0].band
                        }
                        l.tiers = portions
                        return l
                    }
                }
            }
        }
        return lines.finished
    }

    /// A value times `ScaledWalk.unit²` rounded by the plan's rule, as `round` rounds the same value.
    func round(scaled exact: Int128) throws -> Money {
        guard let d = ScaledWalk.rounded(exact, rule: rule) else { return try round(try Ratio(exact, ScaledWalk.unit * ScaledWalk.unit)) }
        return Money(d, currency)
    }

    /// Marginal tiers walked over `values` in whole numbers: every figure times `ScaledWalk.unit`, so each deal's exact pay
    /// comes out times `unit²`. Nil unless every value, band edge and rate is a decimal of at most `ScaledWalk.digits`
    /// places and nothing comes near overflowing; the walk over `Ratio`s is then taken. For each value: its exact pay,
    /// how many bands it fell in, and the first of them.
    static func scaledWalk(_ values: [Ratio], lowers: [Ratio?], uppers: [Ratio?], rates: [RateSpec]) -> [ScaledWalk.Step]? {
        let unit = ScaledWalk.unit
        guard rates.count <= 40 else { return nil }
        // Figures kept below 10^24 (times unit) and rates below 10^12 (times unit), so a portion times a rate stays
        // below 2·10^36 and the sum over up to 40 bands within 128 bits.
        let limit = ExactDecimal.powerOfTen(24)
        func scaled(_ r: Ratio) -> Int128? {
            guard r.denominator <= unit, unit % r.denominator == 0 else { return nil }
            let (v, o) = r.numerator.multipliedReportingOverflow(by: unit / r.denominator)
            return o || v.magnitude >= limit.magnitude ? nil : v
        }
        // Band edges: none where a band is open, nil when one cannot be scaled.
        func edges(_ list: [Ratio?]) -> [Int128?]? {
            var out: [Int128?] = []
            for edge in list {
                guard let edge else { out.append(nil); continue }
                guard let v = scaled(edge) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let low = edges(lowers), let high = edges(uppers) else { return nil }
        var rate: [Int128] = []
        for r in rates {
            switch r {
            case .percent(let x), .perUnit(let x, _):
                guard let v = scaled(x), v.magnitude < unit * 1_000_000 else { return nil }
                rate.append(v)
            }
        }
        var steps: [ScaledWalk.Step] = []
        steps.reserveCapacity(values.count)
        var cumulative: Int128 = 0
        for value in values {
            guard let v = scaled(value) else { return nil }
            let next = cumulative + v
            guard next.magnitude < limit.magnitude else { return nil }
            let forward = v >= 0
            let lo = forward ? cumulative : next, hi = forward ? next : cumulative
            var step = ScaledWalk.Step(exact: 0, bands: 0, first: 0)
            for band in rate.indices {
                var a = lo
                if let l = low[band], l > a { a = l }
                var b = hi
                if let u = high[band], u < b { b = u }
                guard b > a else { continue }
                step.exact += (forward ? b - a : a - b) * rate[band]
                if step.bands == 0 { step.first = band }
                step.bands += 1
            }
            steps.append(step)
            cumulative = next
        }
        return steps
    }

    /// A deal line's source ("plan.plan:14"), or nothing when lines carry no words.
    func sourceText(_ trace: SourceSpan) -> String { input.detail || input.sources ? trace.trace : "" }

    /// Where a component's deal lines go: summed in a summed run, unless a per-deal cap needs each line.
    func dealLines(_ component: CompiledComponent, kind: LineKind) -> DealLines {
        DealLines(summed: input.summed && !component.caps.contains { $0.scope == .deal }, kind: kind, component: component.name)
    }

    mutating func bonusLines(_ component: CompiledComponent, _ steps: [BonusStep], onTotal: Bool) throws -> [StatementLine] {
        var met: BonusStep?
        var reached = ""
        var metAt = ""
        for step in steps {
            let threshold = step.threshold.numeric!
            let actual: Ratio
            if case .percent = step.threshold {
                actual = onTotal ? try totalAttainment() : try attainment(component.measure!)
                reached = (onTotal ? "total attainment " : "attainment ") + Evaluator.percentText(actual)
            } else {
                actual = values[component.measure!]
                reached = "\(plan.measures[component.measure!].name) " + unitText(actual, measure: component.measure!)
            }
            if try Ratio.compare(actual, threshold) >= 0 {
                met = step
                if input.detail {
                    if case .percent = step.threshold { metAt = Evaluator.percentText(actual) } else { metAt = unitText(actual, measure: component.measure!) }
                }
            }
        }
        guard let step = met else { return [] }
        guard let pay = try ExpressionEvaluator.evaluate(step.pay, in: periodEnvironment()).numeric else { return [] }
        var line = StatementLine(kind: .bonus, component: component.name, dealID: nil, closeDate: nil, base: nil, share: nil, rate: nil,
                                 tier: "at \(step.threshold.text)", amount: try round(pay),
                                 reason: "\(reached) reached the \(step.threshold.text) step", source: step.trace.trace)
        if input.detail {
            var w = LineWorking(rule: .bonus)
            w.threshold = step.threshold.text
            w.attainment = metAt
            line.working = w
        }
        return [line]
    }

    /// A manager's override: a rate on each deal the measure counts among the reports' credits.
    mutating func overrideLines(_ component: CompiledComponent, rate: RateSpec, scope: OverrideScope, trace: SourceSpan) throws -> [StatementLine] {
        let m = component.measure!
        let credits = input.credits(for: scope)
        var lines: [StatementLine] = []
        let rateText = rate.text, source = trace.trace
        // A measure over the same credits has counted them already.
        let own = plan.measures[m].creditScope == scope
        let counted = own ? contributions[m] : try contributions(of: credits, to: plan.measures[m])
        // The measure's running figures, when it is the one over these credits.
        let runs = own ? try running(m) : []
        for (j, (i, value)) in counted.enumerated() {
            let credit = credits.credit(i)
            var line = StatementLine(kind: .override, component: component.name, dealID: credit.deal.dealID, closeDate: credit.deal.closeDate,
                                     base: unitText(value, measure: m), share: shareText(credit), rate: rateText, tier: nil,
                                     amount: try round(try times(value, rate)), reason: nil, source: source,
                                     conversion: credit.conversion, creditedTo: credit.deal.repID).inRole(of: credit.deal)
            if !runs.isEmpty { line.running = runs[j] }
            line.shown = shownValues(credit)
            lines.append(line)
        }
        return lines
    }

    mutating func spifLines(_ component: CompiledComponent, _ rule: SpifRule, test: TextTest?) throws -> [StatementLine] {
        // The measure's counted credits, or all the payee's own.
        let credits = input.credits(for: component.measure.flatMap { plan.measures[$0].creditScope })
        let picks = component.measure.map { contributions[$0].map(\.credit) } ?? Array(0..<credits.count)
        // A spif on a measure: each deal it pays on is one the measure counted, with the measure's running figures.
        let runs = try component.measure.map { try running($0) } ?? []
        var lines = dealLines(component, kind: .spif)
        let source = sourceText(rule.trace)
        let rows = credits.rowCredits
        // The lists read in the loop, taken out of the object once.
        let rowList = rows?.rows ?? [], numbers = rows?.numbers ?? [], starts = rows?.table.poolStarts ?? []
        // A pay per deal that reads nothing of the deal is the same for every deal: worked out at the first.
        var perDeal: CheckedExpr?, expression: CheckedExpr?
        switch rule.pay {
        case .perDeal(let e): perDeal = e
        case .expression(let e): expression = e
        }
        let fixed = perDeal.map { !$0.readsDeal } ?? false
        var fixedPay: Ratio?, fixedRounded: Money?
        for (j, i) in picks.enumerated() {
            if let w = rule.window {
                let closed = rows != nil ? CivilDate(packed: rowList[i].closeDate) : credits.closeDate(i)
                if closed < w.from || closed > w.to { continue }
            }
            if rows != nil, let test {
                if !test.holds(rowList[i], pool: DealTable.pool(of: Int(numbers[i]), in: starts)) { continue }
            } else if let f = rule.filter, !(try credits.truth(f, i, plan: plan)) {
                continue
            }
            let amount: Ratio
            var whole = false
            if let e = perDeal {
                if fixed && fixedPay == nil { fixedPay = try credits.evaluate(e, i, plan: plan).numeric }
                guard let v = fixed ? fixedPay : try credits.evaluate(e, i, plan: plan).numeric else { continue }
                let share = rows?.share(i) ?? credits.share(i)
                whole = share == .one
                amount = whole ? v : try v.multiplied(by: Ratio(share))
            } else {
                guard let v = try credits.evaluate(expression!, i, plan: plan).numeric else { continue }
                amount = v
            }
            if component.measure == nil && input.reconcile {
                if paidBySpif.isEmpty { paidBySpif = [Bool](repeating: false, count: credits.count) }
                paidBySpif[i] = true
            }
            let rounded: Money
            if fixed && whole {
                if fixedRounded == nil { fixedRounded = try round(amount) }
                rounded = fixedRounded!
            } else {
                rounded = try round(amount)
            }
            try lines.add(rounded) {
                let credit = credits.credit(i)
                var line = StatementLine(kind: .spif, component: component.name, dealID: credit.deal.dealID, closeDate: credit.deal.closeDate,
                              base: input.detail ? Value.decimalText(credit.amount, minimumScale: currency.minorUnits) : nil, share: shareText(credit),
                              rate: rule.rateText, tier: nil, amount: rounded, reason: nil, source: source,
                              conversion: credit.conversion).inRole(of: credit.deal)
                if !runs.isEmpty { line.running = runs[j] }
                line.shown = shownValues(credit)
                return line
            }
        }
        return lines.finished
    }

    /// Per-deal caps after each deal line, then gates, then per-period caps: each a separate adjustment line.
    mutating func applyLimits(_ component: CompiledComponent, _ lines: [StatementLine]) throws -> [StatementLine] {
        var out: [StatementLine] = []
        let env = periodEnvironment()
        let dealCaps = component.caps.filter { $0.scope == .deal }
        // Without per-deal caps the lines pass through as they are (shared, not copied).
        if dealCaps.isEmpty { out = lines }
        for line in lines where !dealCaps.isEmpty {
            out.append(line)
            // With several per-deal caps, the lowest one binds.
            var lowest: (Money, Cap)?
            for cap in dealCaps {
                guard let limit = try ExpressionEvaluator.evaluate(cap.amount, in: env).numeric else { continue }
                let capAmount = try round(limit)
                if lowest == nil || capAmount < lowest!.0 { lowest = (capAmount, cap) }
            }
            if let (capAmount, cap) = lowest, line.amount > capAmount {
                var a = adjustment(component, deal: line, amount: try capAmount.subtracting(line.amount),
                                   reason: "cap of \(capAmount.text) \(currency.code) per deal", source: cap.trace)
                a.working = capWorking(cap, limit: capAmount, linesTotal: line.amount)
                a.shown = line.shown
                out.append(a)
            }
        }
        func subtotal() throws -> Money {
            try out.reduce(Money.zero(currency)) { try $0.adding($1.amount) }
        }
        for gate in component.gates {
            if try ExpressionEvaluator.truth(gate.condition, in: env) { continue }
            let sum = try subtotal()
            if !sum.isZero {
                var why = "gate not met: `\(gate.text)`"
                if let m = component.measure, quotas[m] != nil, quotas[m]!.signum > 0 {
                    why += "; \(plan.measures[m].name) attainment is \(Evaluator.percentText(try attainment(m)))"
                }
                var a = adjustment(component, deal: nil, amount: sum.negated(), reason: why, source: gate.trace)
                a.working = gateWorking(gate, component: component, linesTotal: sum)
                out.append(a)
            }
            break
        }
        for cap in component.caps where cap.scope == .period {
            guard let limit = try ExpressionEvaluator.evaluate(cap.amount, in: env).numeric else { continue }
            let capAmount = try round(limit)
            let sum = try subtotal()
            if sum > capAmount {
                var a = adjustment(component, deal: nil, amount: try capAmount.subtracting(sum),
                                   reason: "cap of \(capAmount.text) \(currency.code) per \(plan.periodKind.noun) reached", source: cap.trace)
                a.working = capWorking(cap, limit: capAmount, linesTotal: sum)
                out.append(a)
            }
        }
        return out
    }

    func adjustment(_ component: CompiledComponent, deal: StatementLine?, amount: Money, reason: String, source: SourceSpan) -> StatementLine {
        StatementLine(kind: .adjustment, component: component.name, dealID: deal?.dealID, closeDate: deal?.closeDate, base: nil, share: nil,
                      rate: nil, tier: nil, amount: amount, reason: reason, source: source.trace, role: deal?.role)
    }
}

/// Figures of a marginal walk in whole numbers.
enum ScaledWalk {
    static let digits = 6
    static let unit: Int128 = 1_000_000

    /// `exact ÷ unit²` rounded by `rule`, as `Ratio.rounded` rounds the same value; nil for a rule keeping more than
    /// twice `digits` places.
    static func rounded(_ exact: Int128, rule: RoundingRule) -> ExactDecimal? {
        let drop = 2 * digits - rule.scale
        guard drop >= 0 else { return nil }
        let divisor = ExactDecimal.powerOfTen(drop)
        let (q, r) = exact.quotientAndRemainder(dividingBy: divisor)
        return ExactDecimal(coefficient: ExactDecimal.roundQuotient(q, remainder: r, divisor: divisor, mode: rule.mode), scale: rule.scale)
    }

    /// One deal's pay (times `unit²`), how many bands it fell in, and the first.
    struct Step {
        var exact: Int128
        var bands: Int
        var first: Int
    }
}

/// A component's deal lines as they are made: each kept, or in a summed run only their total, as one line.
struct DealLines {
    let summed: Bool
    let kind: LineKind
    let component: String
    var lines: [StatementLine] = []
    var total: Money?

    init(summed: Bool, kind: LineKind, component: String) {
        self.summed = summed
        self.kind = kind
        self.component = component
    }

    /// One deal's line: made and kept, or (summed) its amount added and the line never made.
    mutating func add(_ amount: Money, _ line: () -> StatementLine) throws(ArithmeticError) {
        guard summed else {
            lines.append(line())
            return
        }
        total = try total.map { t throws(ArithmeticError) in try t.adding(amount) } ?? amount
    }

    var finished: [StatementLine] {
        guard let total else { return lines }
        return [StatementLine(kind: kind, component: component, dealID: nil, closeDate: nil, base: nil, share: nil, rate: nil, tier: nil,
                              amount: total, reason: nil, source: "")]
    }
}

/// Deal fields for one credited deal. `deal.amount` is the credited amount (the payee's share).
struct DealEnvironment: DealContext {
    let credit: Credit
    /// The plan's currency and declared fields (not the whole plan: this is made once per deal).
    let currency: Currency
    let fields: [ExtraField]

    init(credit: Credit, plan: CompiledPlan) {
        self.credit = credit
        self.currency = plan.currency
        self.fields = plan.fields
    }

    func dealField(_ field: DealField) throws -> Value {
        // Each field is read from the held deal where it is, without a copy of the whole deal.
        switch field {
        case .dealID: return .text(credit.deal.dealID)
        case .repID: return .text(credit.deal.repID)
        case .closeDate: return .date(credit.deal.closeDate)
        case .amount: return .money(credit.amount, currency)
        case .currency: return .text(credit.deal.currency.code)
        case .product: return .text(credit.deal.product)
        case .type: return .text(credit.deal.type)
        case .split: return .percent(Ratio(credit.deal.share))
        case .status: return .text(credit.deal.status.rawValue)
        case .role: return .text(credit.deal.role)
        case .extra(let i):
            let f = fields[i]
            guard let v = credit.deal.extras[f.name] else { throw UnexpectedValue(description: "missing extra field \(f.name)") }
            return v
        }
    }

}

/// The environment of one deal's conditions and amounts: only deal fields can be read there (the checker sees to it).
protocol DealContext: ExpressionEnvironment {}

extension DealContext {
    func measureValue(_ i: Int) throws -> Value { throw UnexpectedValue(description: "measure in deal context") }
    func measureQuota(_ i: Int) throws -> Value { throw UnexpectedValue(description: "quota in deal context") }
    func measureAttainment(_ i: Int) throws -> Value { throw UnexpectedValue(description: "attainment in deal context") }
    func totalAttainment() throws -> Value { throw UnexpectedValue(description: "attainment in deal context") }
    func targetIncentive() throws -> Value { throw UnexpectedValue(description: "target incentive in deal context") }
}

/// The payee's period figures.
struct PeriodEnvironment: ExpressionEnvironment {
    let evaluator: Evaluator

    func dealField(_ field: DealField) throws -> Value { throw UnexpectedValue(description: "deal field in period context") }

    func wrap(_ i: Int, _ r: Ratio) -> Value {
        if case .money(let c) = evaluator.plan.measures[i].unit { return .money(r, c) }
        return .number(r)
    }

    func measureValue(_ i: Int) throws -> Value { wrap(i, evaluator.values[i]) }
    func measureQuota(_ i: Int) throws -> Value { wrap(i, try evaluator.quota(i)) }
    func measureAttainment(_ i: Int) throws -> Value { .percent(try evaluator.attainment(i)) }
    func totalAttainment() throws -> Value { .percent(try evaluator.totalAttainment()) }
    func targetIncentive() throws -> Value { .money(evaluator.targetIncentive, evaluator.currency) }
}
