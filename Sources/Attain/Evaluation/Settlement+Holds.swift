// Holds: pay held until the customer pays (`pay on collection`) or by hand (holds.csv, `attain hold`), and released in
// the period the money arrives or the hold lifts. The held balance is the posted hold and release lines themselves.

extension LedgerHistory {
    /// Whether the ledger has posted hold or release lines, which later closes may have to release.
    var hasHoldLines: Bool { lines.contains { $0.kind.isHolding } }
}

extension Settlement {
    /// The component hand holds are posted under.
    static let handHoldComponent = "Hold"

    /// Whether this run settles holds: a plan pays on collection, or there are payments, hand holds, or held money posted.
    /// Without any, nothing here costs.
    static func holding(_ prepared: PreparedRun, _ history: LedgerHistory) -> Bool {
        prepared.data.payments != nil || !prepared.data.holds.isEmpty || !history.holds.isEmpty
            || prepared.plans.contains { $0.components.contains { $0.collection != nil } } || history.hasHoldLines
    }

    /// One held deal line: a payee's component on a deal, for the period it was earned in.
    struct HeldKey: Hashable {
        let component: String
        let deal: String
        let period: String
    }

    /// The first row of each deal (a cancelled row first), for collections and hand holds.
    func dealsByID() -> [String: Deal] {
        var rows: [String: Deal] = [:]
        for d in prepared.data.deals where rows[d.dealID] == nil || d.status == .cancelled { rows[d.dealID] = d }
        return rows
    }

    func isCancelled(_ d: Deal?) -> Bool {
        guard let d, d.status == .cancelled, let c = d.cancelDate else { return false }
        return c <= period.end
    }

    // MARK: Pay on collection

    /// For each deal line of a component that pays on collection, this period's or an earlier one's: what is payable now
    /// (the line × the deal's collected share, or all of it once collected in full), less what was paid of it so far
    /// (the line, its adjustments, and its hold and release lines), is a hold line (less) or a release line (more).
    /// A cancelled deal is never released: its clawback takes back what was paid, and what was held lapses.
    mutating func collections(_ payees: inout [PayeeResult], deals: [String: Deal]) {
        let payments = prepared.data.payments
        for i in payees.indices {
            var payee = payees[i]
            // Components that pay on collection, by plan, with their mode and line.
            func collection(_ plan: CompiledPlan?, _ component: String) -> PayOnCollection? {
                plan?.components.first { $0.name == component }?.collection
            }
            var plans: [CompiledPlan] = [payee.plan]
            for w in payee.activeWindows where !plans.contains(where: { $0.name == w.plan.name }) { plans.append(w.plan) }
            let held = Set(plans.flatMap { p in p.components.filter { $0.collection != nil }.map(\.name) })
            let posted = linesByPayee[payee.rep.id] ?? []
            if held.isEmpty && !posted.contains(where: { $0.kind.isHolding && $0.component != Settlement.handHoldComponent }) { continue }
            var amount: [HeldKey: ExactDecimal] = [:]
            var paidOut: [HeldKey: ExactDecimal] = [:]
            var mode: [HeldKey: (PayOnCollection, CompiledPlan)] = [:]
            var order: [HeldKey] = []
            var seen: Set<HeldKey> = []
            func add(_ key: HeldKey, _ x: ExactDecimal, into table: inout [HeldKey: ExactDecimal]) {
                if seen.insert(key).inserted { order.append(key) }
                table[key] = (try? (table[key] ?? .zero).adding(x)) ?? table[key]
            }
            for line in posted {
                guard let d = line.dealID, line.component != Settlement.handHoldComponent else { continue }
                let plan = prepared.planByName[line.plan]
                if line.kind.isHolding {
                    add(HeldKey(component: line.component, deal: d, period: line.holdsFor), line.amount, into: &paidOut)
                    continue
                }
                guard let c = collection(plan, line.component) else { continue }
                let q: String
                if line.isPeriodLine { q = line.period } else if line.kind == .adjustment, let r = line.refPeriod { q = r } else { continue }
                let key = HeldKey(component: line.component, deal: d, period: q)
                add(key, line.amount, into: &amount)
                if mode[key] == nil { mode[key] = (c, plan!) }
            }
            for line in payee.statement.lines {
                guard let d = line.dealID, held.contains(line.component) else { continue }
                let q: String
                if line.isPeriodLine { q = period.label } else if line.kind == .adjustment, let r = line.refPeriod { q = r } else { continue }
                let key = HeldKey(component: line.component, deal: d, period: q)
                guard let plan = plans.first(where: { collection($0, line.component) != nil }) else { continue }
                add(key, line.amount.amount, into: &amount)
                if mode[key] == nil { mode[key] = (collection(plan, line.component)!, plan) }
            }
            var out: [StatementLine] = []
            let currency = payee.statement.currency
            let sorted = order.sorted { a, b in
                a.period == b.period ? (a.deal, a.component) < (b.deal, b.component) : Settlement.periodOrder(a.period, b.period, calendar: period.calendar)
            }
            for key in sorted {
                guard let (c, plan) = mode[key], let deal = deals[key.deal], !isCancelled(deal) else { continue }
                // A gate or a period cap that cut the component (a line on no deal) cuts what there is to hold alike.
                var a = amount[key] ?? .zero
                if let kept = kept(component: key.component, period: key.period, posted: posted, current: payee.statement.lines),
                   let scaled = try? Ratio(a).multiplied(by: kept).rounded(scale: plan.rounding.scale, mode: plan.rounding.mode) {
                    a = scaled
                }
                let before = (try? a.adding(paidOut[key] ?? .zero)) ?? a
                let collected = payments?.collected(key.deal, by: period.end) ?? .zero
                // The collected share, at most 100%.
                var share = Ratio(ExactDecimal.one)
                if deal.amount > .zero, collected < deal.amount, let s = try? Ratio(collected).divided(by: Ratio(deal.amount)) { share = s }
                let full = collected >= deal.amount
                let payable: ExactDecimal
                switch c.mode {
                case .proportionally:
                    guard let p = try? Ratio(a).multiplied(by: share).rounded(scale: plan.rounding.scale, mode: plan.rounding.mode) else { continue }
                    payable = p
                case .inFull:
                    payable = full ? a : .zero
                }
                guard let diff = try? payable.subtracting(before), !diff.isZero else { continue }
                let m = { (x: ExactDecimal) in Money(x, currency).text }
                let dm = { (x: ExactDecimal) in Money(x, deal.currency).text }
                let percent = Settlement.percentText(share)
                let figures = "\(dm(collected)) of \(dm(deal.amount)) \(deal.currency.code) collected by \(period.end) (\(percent))"
                let rule = c.mode == .proportionally ? "\(percent) of \(m(a)) is payable, \(m(payable))" : (full ? "collected in full: all of \(m(a)) is payable" : "not collected in full: nothing of \(m(a)) is payable yet")
                let isRelease = diff > .zero
                let reason: String
                if isRelease {
                    reason = "released on collection: \(figures); \(rule), of which \(m(before)) was paid before"
                } else if key.period == period.label {
                    reason = "held until collected: \(figures); \(rule), so \(m(diff.negated())) is held"
                } else {
                    reason = "held until collected: \(figures); \(rule), and \(m(before)) is paid of it with this close's adjustment, so \(m(diff.negated())) more is held"
                }
                var line = StatementLine(kind: isRelease ? .release : .hold, component: key.component, dealID: key.deal, closeDate: deal.closeDate,
                                         base: m(a), share: nil, rate: c.mode == .proportionally ? percent : nil, tier: nil, amount: Money(diff, currency),
                                         reason: reason, source: c.trace.trace, refPeriod: key.period == period.label ? nil : key.period)
                    .inRole(prepared, payee: payee.rep.id, deal: key.deal, plan: plan)
                if detail {
                    var w = LineWorking(rule: .collection)
                    w.condition = c.mode.rawValue
                    w.collected = dm(collected)
                    w.dealAmount = dm(deal.amount)
                    w.share = percent
                    w.date = period.end
                    w.linesTotal = m(a)
                    w.now = m(payable)
                    w.was = m(before)
                    w.period = key.period
                    line.working = w
                    line.shown = shownValues(plan: plan, deal: deal)
                }
                out.append(line)
            }
            if out.isEmpty { continue }
            append(out, to: &payee)
            payees[i] = payee
        }
    }

    /// The share of a component's deal lines of `period` that survived its gates and period caps (lines on no deal):
    /// (deal lines + cuts) ÷ deal lines, between 0 and 1; nil when nothing was cut.
    func kept(component: String, period q: String, posted: [LedgerHistory.PostedLine], current: [StatementLine]) -> Ratio? {
        var onDeals = ExactDecimal.zero, cut = ExactDecimal.zero
        func add(_ x: ExactDecimal, deal: String?, kind: LineKind) {
            if deal != nil { onDeals = (try? onDeals.adding(x)) ?? onDeals } else if kind == .adjustment { cut = (try? cut.adding(x)) ?? cut }
        }
        if q == period.label {
            for l in current where l.isPeriodLine && l.component == component { add(l.amount.amount, deal: l.dealID, kind: l.kind) }
        } else {
            for l in posted where l.period == q && l.isPeriodLine && l.component == component { add(l.amount, deal: l.dealID, kind: l.kind) }
        }
        guard !cut.isZero, onDeals > .zero, let left = try? onDeals.adding(cut) else { return nil }
        if left <= .zero { return .zero }
        return try? Ratio(left).divided(by: Ratio(onDeals))
    }

    /// A share as percent text with at most two decimals, rounded down: `40%`, `33.33%`.
    static func percentText(_ share: Ratio) -> String {
        let hundredths = (try? share.multiplied(by: Ratio(ExactDecimal.hundred)).floored(scale: 2)) ?? .zero
        return hundredths.normalized.description + "%"
    }

    // MARK: Holds by hand

    /// Holds put on payees and deals by hand, and releases of those lifted. A held deal: a hold line taking back what
    /// this statement's lines on it pay (each component's, when positive). A held payee: a hold line taking back all
    /// this statement would pay, when positive, after every other line (draws included); nothing is released while the
    /// payee is held. A hold lifted (its row gone from holds.csv, its `until` day past, or released in the ledger): one
    /// release line for what is still held of each period and deal, naming the period. A cancelled deal is never released.
    mutating func handHolds(_ payees: inout [PayeeResult], deals: [String: Deal]) {
        let active = (prepared.data.holds + history.holds).filter { $0.holds(at: period) }
        var payeeHolds: [String: [HandHold]] = [:]
        var dealHolds: [String: [HandHold]] = [:]
        for h in active {
            if let p = h.payeeID { payeeHolds[p, default: []].append(h) }
            if let d = h.dealID { dealHolds[d, default: []].append(h) }
        }
        func said(_ holds: [HandHold]) -> String {
            holds.map { h in "\(h.by.map { "held by \($0), " } ?? "")\(h.source): \(h.reason)" }.joined(separator: "; ")
        }
        for i in payees.indices {
            var payee = payees[i]
            let id = payee.rep.id
            let currency = payee.statement.currency
            let m = { (x: ExactDecimal) in Money(x, currency).text }
            let source = payee.plan.trace.trace
            var out: [StatementLine] = []
            let heldPayee = payeeHolds[id]
            // What is still held by hand, by deal (empty for the payee's own holds) and period.
            var balance: [String: [String: ExactDecimal]] = [:]
            for line in linesByPayee[id] ?? [] where line.kind.isHolding && line.component == Settlement.handHoldComponent {
                let d = line.dealID ?? ""
                balance[d, default: [:]][line.holdsFor] = (try? (balance[d]?[line.holdsFor] ?? .zero).adding(line.amount)) ?? balance[d]?[line.holdsFor]
            }
            if heldPayee == nil {
                for d in balance.keys.sorted() {
                    if !d.isEmpty && (dealHolds[d] != nil || isCancelled(deals[d])) { continue }
                    for (q, held) in balance[d]!.sorted(by: { Settlement.periodOrder($0.key, $1.key, calendar: period.calendar) }) where held < .zero {
                        var line = StatementLine(kind: .release, component: Settlement.handHoldComponent, dealID: d.isEmpty ? nil : d, closeDate: deals[d]?.closeDate,
                                                 base: m(held.negated()), share: nil, rate: nil, tier: nil, amount: Money(held.negated(), currency),
                                                 reason: "the hold on \(d.isEmpty ? "rep \(id)" : "deal \(d)") is lifted: what it held of \(q)'s pay, \(m(held.negated())), is paid",
                                                 source: source, refPeriod: q)
                        if detail {
                            var w = LineWorking(rule: .handHold)
                            w.linesTotal = m(held.negated())
                            w.period = q
                            line.working = w
                        }
                        out.append(line)
                    }
                }
                // Held deals: what this statement's lines pay on each, per component.
                var onDeal: [String: [(component: String, amount: ExactDecimal)]] = [:]
                for line in payee.statement.lines + out {
                    guard let d = line.dealID, dealHolds[d] != nil, line.component != Settlement.handHoldComponent else { continue }
                    if let j = onDeal[d]?.firstIndex(where: { $0.component == line.component }) {
                        onDeal[d]![j].amount = (try? onDeal[d]![j].amount.adding(line.amount.amount)) ?? onDeal[d]![j].amount
                    } else {
                        onDeal[d, default: []].append((line.component, line.amount.amount))
                    }
                }
                for d in onDeal.keys.sorted() {
                    for part in onDeal[d]! where part.amount > .zero {
                        var line = StatementLine(kind: .hold, component: Settlement.handHoldComponent, dealID: d, closeDate: deals[d]?.closeDate,
                                                 base: m(part.amount), share: nil, rate: nil, tier: nil, amount: Money(part.amount.negated(), currency),
                                                 reason: "deal \(d) is held (\(said(dealHolds[d]!))): \(part.component)'s \(m(part.amount)) on it is held until the hold is lifted",
                                                 source: source)
                        if detail {
                            var w = LineWorking(rule: .handHold)
                            w.condition = said(dealHolds[d]!)
                            w.linesTotal = m(part.amount)
                            line.working = w
                        }
                        out.append(line)
                    }
                }
            }
            append(out, to: &payee)
            if let holds = heldPayee, payee.statement.paid.amount > .zero {
                let all = payee.statement.paid.amount
                var line = StatementLine(kind: .hold, component: Settlement.handHoldComponent, dealID: nil, closeDate: nil, base: m(all), share: nil, rate: nil,
                                         tier: nil, amount: Money(all.negated(), currency),
                                         reason: "rep \(id) is held (\(said(holds))): all of this period's pay, \(m(all)), is held until the hold is lifted",
                                         source: source)
                if detail {
                    var w = LineWorking(rule: .handHold)
                    w.condition = said(holds)
                    w.linesTotal = m(all)
                    line.working = w
                }
                append([line], to: &payee)
            }
            payees[i] = payee
        }
    }
}
