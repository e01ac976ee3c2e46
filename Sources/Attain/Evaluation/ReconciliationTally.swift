// One core's running tally of where its payees' deal rows went, and the exact sums it keeps of them.

/// One core's tally of the deal rows of the payees it evaluated; the tallies of all cores are joined in payee order.
struct ReconciliationTally: Sendable, Codable {
    enum Slot: Int, CaseIterable {
        case read, inPeriod, outside, counted, credited, cancelled, notOnRoster, noAssignment, excluded, unmatched, noOwn, roleNotCredited, otherKind

        init(_ reason: Reconciliation.Reason) {
            switch reason {
            case .cancelled: self = .cancelled
            case .notOnRoster: self = .notOnRoster
            case .noAssignment: self = .noAssignment
            case .excludedByFilter: self = .excluded
            case .noMatchingFilter: self = .unmatched
            case .noOwnMeasure: self = .noOwn
            case .roleNotCredited: self = .roleNotCredited
            case .otherPeriodKind: self = .otherKind
            }
        }
    }

    struct GroupKey: Hashable, Codable {
        let reason: Reconciliation.Reason
        let plan: String
        let field: String
        let currency: UInt8
    }

    /// By currency index, then slot.
    var sums: [[AmountSum]]
    /// Each plan's measures, by plan name.
    var measures: [String: [Reconciliation.MeasureFigure]] = [:]
    var payees: [Reconciliation.PayeeFigure] = []
    var groups: [GroupKey: Reconciliation.Group] = [:]
    var negativeWon = Extremes.Rows()
    var pastPlanEnd = Extremes.Rows()
    /// Rows read in a role other than `owner`, by currency and role.
    var roleRead: [RoleKey: AmountSum] = [:]
    /// The current payee's rows not counted, by group and value, until `flush` adds them to `groups`.
    var pending: [(key: GroupKey, value: String, span: SourceSpan?, expects: [String], sum: AmountSum)] = []

    /// `pending` is empty between payees, when a tally is handed on (`ShardPart`).
    enum CodingKeys: String, CodingKey {
        case sums, measures, payees, groups, negativeWon, pastPlanEnd, roleRead
    }

    init() {
        sums = Array(repeating: Array(repeating: AmountSum(), count: Slot.allCases.count), count: Currency.table.count)
    }


    /// The rows of reps not in the roster: read, and in the period or not.
    mutating func add(unrostered deals: [Deal], period: Period, lastPlanEnd: CivilDate?) {
        for d in deals {
            if let end = lastPlanEnd, d.closeDate > end {
                pastPlanEnd.add(line: d.line, id: d.dealID, amount: d.amount, currency: d.currency, date: d.closeDate)
            }
            if period.contains(d.closeDate) && d.status == .won && d.amount.isNegative {
                negativeWon.add(line: d.line, id: d.dealID, amount: d.amount, currency: d.currency, date: d.closeDate)
            }
            let exact = (try? d.amount.multiplied(by: d.share)) ?? .zero
            addRoleRow(d)
            var slots: [Slot] = [.read, period.contains(d.closeDate) ? .inPeriod : .outside]
            if period.contains(d.closeDate) { slots.append(.notOnRoster) }
            for slot in slots { sums[Int(d.currency.index)][slot.rawValue].add(exact: exact) }
            guard period.contains(d.closeDate) else { continue }
            let key = GroupKey(reason: .notOnRoster, plan: "", field: "rep_id", currency: d.currency.index)
            if groups[key] == nil {
                groups[key] = Reconciliation.Group(reason: .notOnRoster, plan: nil, field: "rep_id", source: nil, span: nil, currency: d.currency, expects: [])
            }
            let figure = Reconciliation.Figure(deals: 1, amount: exact)
            groups[key]!.figure.add(figure)
            groups[key]!.values[d.repID, default: Reconciliation.Figure()].add(figure)
        }
    }

    /// A row not counted, under its reason, plan and the value that put it there.
    /// Rows of one payee are gathered in `pending` (a payee's rows fall in few groups) and added to `groups` by `flush`.
    mutating func add(_ reason: Reconciliation.Reason, plan: String?, field: String, value: String, span: SourceSpan?, expects: [String],
                      _ row: DealTable.Row, at number: Int32, table: DealTable) {
        let key = GroupKey(reason: reason, plan: plan ?? "", field: field, currency: row.currency)
        if let i = pending.firstIndex(where: { $0.key == key && $0.value == value }) {
            pending[i].sum.add(row, at: Int(number), in: table)
            return
        }
        var one = AmountSum()
        one.add(row, at: Int(number), in: table)
        pending.append((key, value, span, expects, one))
    }

    /// The current payee's rows not counted, into their groups.
    mutating func flush() {
        for p in pending {
            if groups[p.key] == nil {
                groups[p.key] = Reconciliation.Group(reason: p.key.reason, plan: p.key.plan.isEmpty ? nil : p.key.plan, field: p.key.field,
                                                     source: p.span.map { "\($0.path):\($0.line)" }, span: p.span,
                                                     currency: Currency(index: p.key.currency), expects: p.expects)
            }
            let figure = p.sum.figure
            groups[p.key]!.figure.add(figure)
            groups[p.key]!.values[p.value, default: Reconciliation.Figure()].add(figure)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// What a payee's measures counted in one part of the period.
    mutating func add(_ counts: MeasureCounts, plan: CompiledPlan) {
        measures[plan.name, default: plan.measures.map { m in
            Reconciliation.MeasureFigure(plan: plan.name, measure: m.name, scope: m.creditScope, deals: 0, value: .zero, unit: m.unit)
        }].add(counts)
    }

    /// Another core's tally, of later payees.
    mutating func join(_ other: ReconciliationTally) {
        for c in sums.indices {
            for s in sums[c].indices { sums[c][s].join(other.sums[c][s]) }
        }
        for (plan, list) in other.measures {
            guard measures[plan] != nil else { measures[plan] = list; continue }
            for (i, m) in list.enumerated() {
                measures[plan]![i].deals += m.deals
                measures[plan]![i].value = (try? measures[plan]![i].value.adding(m.value)) ?? measures[plan]![i].value
            }
        }
        payees += other.payees
        negativeWon.join(other.negativeWon)
        pastPlanEnd.join(other.pastPlanEnd)
        for (k, sum) in other.roleRead { roleRead[k, default: AmountSum()].join(sum) }
        for (k, g) in other.groups {
            if groups[k] == nil { groups[k] = g } else { groups[k]!.absorb(g) }
        }
    }

    func finished(period: Period, dealsPath: String, lastPlanEnd: CivilDate?) -> Reconciliation {
        var currencies: [Reconciliation.CurrencyFigures] = []
        for (c, slots) in sums.enumerated() where slots[Slot.read.rawValue].deals > 0 {
            var f = Reconciliation.CurrencyFigures(currency: Currency(index: UInt8(c)))
            f.read = slots[Slot.read.rawValue].figure
            f.inPeriod = slots[Slot.inPeriod.rawValue].figure
            f.outside = slots[Slot.outside.rawValue].figure
            f.counted = slots[Slot.counted.rawValue].figure
            f.credited = slots[Slot.credited.rawValue].figure
            for r in Reconciliation.Reason.allCases { f.notCounted[r] = slots[Slot(r).rawValue].figure }
            for (k, sum) in roleRead where k.currency == UInt8(c) { f.readByRole[k.role] = sum.figure }
            currencies.append(f)
        }
        currencies.sort { $0.currency.code < $1.currency.code }
        return Reconciliation(periods: [period.label], currencies: currencies,
                              measures: measures.values.joined().sorted { ($0.plan, $0.measure) < ($1.plan, $1.measure) },
                              payees: payees, groups: groups.values.sorted(by: Reconciliation.Group.precedes),
                              negativeWon: negativeWon, pastPlanEnd: pastPlanEnd, dealsPath: dealsPath, lastPlanEnd: lastPlanEnd)
    }
}

extension [Reconciliation.MeasureFigure] {
    /// One payee's counts, measure by measure (the list is the plan's measures in order).
    mutating func add(_ counts: MeasureCounts) {
        for i in indices {
            self[i].deals += counts.measures[i].deals
            self[i].value = (try? self[i].value.adding(counts.measures[i].value)) ?? self[i].value
        }
    }
}

/// An exact running sum of row amounts times shares in one currency: whole numbers at a fixed scale while they fit,
/// exact decimals after.
struct AmountSum: Sendable, Codable {
    static let scale = 8
    /// A row's scaled amount stays below this, so that even `Int32.max` rows add up without overflow.
    static let limit: UInt128 = 10_000_000_000_000_000_000_000_000_000
    var coefficient: Int128 = 0
    var rest = ExactDecimal.zero
    var deals = 0

    /// A row's amount times its share as a whole number at `scale`, or nil when it does not fit (it is then added exactly).
    @inline(__always)
    static func scaled(_ row: DealTable.Row) -> Int128? {
        guard row.amountScale != DealTable.large, row.shareScale != DealTable.large else { return nil }
        let digits = Int(row.amountScale) + Int(row.shareScale)
        guard digits <= scale else { return nil }
        let (p, o1) = Int128(row.amount).multipliedReportingOverflow(by: Int128(row.share))
        let (v, o2) = p.multipliedReportingOverflow(by: ExactDecimal.powerOfTen(scale - digits))
        guard !o1, !o2, v.magnitude < limit else { return nil }
        return v
    }

    /// The exact amount times share of a row that `scaled` refuses.
    static func exact(_ row: DealTable.Row, at i: Int, in table: DealTable) -> ExactDecimal {
        (try? table.amount(row, at: i).multiplied(by: table.share(row, at: i))) ?? .zero
    }

    @inline(__always)
    mutating func add(scaled v: Int128) {
        coefficient += v
        deals += 1
    }

    mutating func add(exact: ExactDecimal) {
        deals += 1
        rest = (try? rest.adding(exact)) ?? rest
    }

    /// A row, by whichever way fits.
    mutating func add(_ row: DealTable.Row, at i: Int, in table: DealTable) {
        if let v = AmountSum.scaled(row) { add(scaled: v) } else { add(exact: AmountSum.exact(row, at: i, in: table)) }
    }

    mutating func join(_ other: AmountSum) {
        coefficient += other.coefficient
        rest = (try? rest.adding(other.rest)) ?? rest
        deals += other.deals
    }

    var figure: Reconciliation.Figure {
        let whole = ExactDecimal(coefficient: coefficient, scale: AmountSum.scale)
        return Reconciliation.Figure(deals: deals, amount: ((try? whole.adding(rest)) ?? whole).normalized)
    }
}
