// Settling a period against the ledger: adjustments for closed periods whose inputs changed, clawbacks of
// cancelled deals, year-to-date true-ups, and draws. Closed statements are never rewritten; differences are new lines.

/// What the ledger knows before a period is run: what earlier closes posted, and draw balances.
public struct LedgerHistory: Sendable {
    /// One posted statement line.
    public struct PostedLine: Sendable {
        public let period: String
        public let payeeID: String
        public let plan: String
        public let kind: LineKind
        public let component: String
        public let dealID: String?
        public let refPeriod: String?
        public let amount: ExactDecimal
        public let source: String

        public init(period: String, payeeID: String, plan: String, kind: LineKind, component: String, dealID: String?,
                    refPeriod: String?, amount: ExactDecimal, source: String) {
            self.period = period
            self.payeeID = payeeID
            self.plan = plan
            self.kind = kind
            self.component = component
            self.dealID = dealID
            self.refPeriod = refPeriod
            self.amount = amount
            self.source = source
        }

        /// A line the plan's components produced for its own period.
        var isPeriodLine: Bool { refPeriod == nil && kind != .draw && kind != .clawback && kind != .trueUp }

        /// The period this line pays for: its own, or the one a prior-period adjustment corrects.
        var paysFor: String? {
            if isPeriodLine { return period }
            if kind == .adjustment { return refPeriod }
            return nil
        }
    }

    /// Lines posted for periods that end before the one being run.
    public var lines: [PostedLine]
    /// Locked periods that end before the one being run, oldest first.
    public var closedPeriods: [String]
    /// Each payee's draw balance still to recover, by payee id and then draw name.
    public var drawBalances: [String: [String: ExactDecimal]]

    public init(lines: [PostedLine] = [], closedPeriods: [String] = [], drawBalances: [String: [String: ExactDecimal]] = [:]) {
        self.lines = lines
        self.closedPeriods = closedPeriods
        self.drawBalances = drawBalances
    }

    public static let empty = LedgerHistory()
}

struct Settlement {
    let prepared: PreparedRun
    let period: Period
    let history: LedgerHistory
    var diagnostics = Diagnostics()
    /// Posted lines by payee, in ledger order.
    let linesByPayee: [String: [LedgerHistory.PostedLine]]

    init(prepared: PreparedRun, period: Period, history: LedgerHistory) {
        self.prepared = prepared
        self.period = period
        self.history = history
        self.linesByPayee = Dictionary(grouping: history.lines, by: \.payeeID)
    }

    /// How far back closed periods are recomputed for adjustments: periods that started within a year before this one.
    static let lookbackDays = 366

    mutating func settle(_ payees: inout [PayeeResult]) {
        var index: [String: Int] = [:]
        for (i, p) in payees.enumerated() { index[p.rep.id] = i }
        if !history.closedPeriods.isEmpty { priorPeriodAdjustments(&payees, index) }
        if !history.lines.isEmpty { clawbacks(&payees, index) }
        for i in payees.indices where payees[i].plan.yearToDate != nil { trueUp(&payees[i]) }
        for i in payees.indices where payees[i].plan.draw != nil { draw(&payees[i]) }
    }

    mutating func append(_ lines: [StatementLine], to payee: inout PayeeResult) {
        do {
            try payee.statement.append(lines)
        } catch {
            diagnostics.append(.error("R390", "the totals for rep `\(payee.rep.id)` are too large to compute exactly", at: nil))
        }
    }

    func money(_ d: ExactDecimal, _ payee: PayeeResult) -> Money { Money(d, payee.statement.currency) }

    static func sum(_ amounts: [ExactDecimal]) -> ExactDecimal {
        amounts.reduce(ExactDecimal.zero) { (try? $0.adding($1)) ?? $0 }
    }

    // MARK: Prior-period adjustments

    struct LineKey: Hashable, Comparable {
        let payee: String
        let component: String
        let deal: String

        static func < (a: LineKey, b: LineKey) -> Bool { (a.payee, a.component, a.deal) < (b.payee, b.component, b.deal) }
    }

    /// Each closed period in the lookback is recomputed with today's inputs; where it differs from what was posted for it
    /// (including earlier adjustments), the difference becomes an adjustment line in this period naming the period and deal.
    mutating func priorPeriodAdjustments(_ payees: inout [PayeeResult], _ index: [String: Int]) {
        for label in history.closedPeriods {
            guard case .success(let q) = Period.parse(label), q.kind == period.kind, q.end < period.start,
                  q.start.dayNumber >= period.start.dayNumber - Settlement.lookbackDays else { continue }
            var crediting = Crediting(prepared: prepared, period: q)
            let recomputed = crediting.statements()
            if crediting.diagnostics.hasErrors {
                diagnostics.append(.error("R321", "closed period \(q) cannot be recomputed with the current inputs, so its adjustments cannot be worked out", at: nil,
                                          notes: [.help("the errors below are from recomputing \(q)")]))
                diagnostics.append(contentsOf: Diagnostics(crediting.diagnostics.errors))
                continue
            }
            // A year-to-date plan settles changes itself: its true-up recomputes the whole year.
            func settlesItself(_ plan: String) -> Bool { prepared.planByName[plan]?.yearToDate != nil }
            var now: [LineKey: (amount: ExactDecimal, source: String)] = [:]
            for r in recomputed where !settlesItself(r.plan.name) {
                for line in r.statement.lines where line.isPeriodLine {
                    let key = LineKey(payee: r.rep.id, component: line.component, deal: line.dealID ?? "")
                    let before = now[key]?.amount ?? .zero
                    now[key] = ((try? before.adding(line.amount.amount)) ?? before, now[key]?.source ?? line.source)
                }
            }
            var posted: [LineKey: (amount: ExactDecimal, source: String)] = [:]
            for line in history.lines where line.paysFor == label && !settlesItself(line.plan) {
                let key = LineKey(payee: line.payeeID, component: line.component, deal: line.dealID ?? "")
                let before = posted[key]?.amount ?? .zero
                posted[key] = ((try? before.adding(line.amount)) ?? before, posted[key]?.source ?? line.source)
            }
            var warned: Set<String> = []
            for key in Set(now.keys).union(posted.keys).sorted() {
                let a = now[key]?.amount ?? .zero
                let b = posted[key]?.amount ?? .zero
                guard let diff = try? a.subtracting(b), !diff.isZero else { continue }
                guard let i = index[key.payee], payees[i].plan.yearToDate == nil else {
                    if warned.insert(key.payee).inserted {
                        diagnostics.append(.warning("R320", "rep `\(key.payee)`'s pay for \(q) changes with the current inputs, but they have no statement in \(period) on a plan that can carry the adjustment; it will be made when they next have one", at: nil))
                    }
                    continue
                }
                var payee = payees[i]
                let currency = payee.statement.currency
                let what = key.deal.isEmpty ? "" : " on deal \(key.deal)"
                let line = StatementLine(kind: .adjustment, component: key.component, dealID: key.deal.isEmpty ? nil : key.deal, closeDate: nil,
                                         base: nil, share: nil, rate: nil, tier: nil, amount: Money(diff, currency),
                                         reason: "\(q) recomputed with the current inputs\(what): \(Money(a, currency).text) now, \(Money(b, currency).text) paid",
                                         source: now[key]?.source ?? posted[key]!.source, refPeriod: q.label)
                append([line], to: &payee)
                payees[i] = payee
            }
        }
    }

    // MARK: Clawbacks

    /// A deal cancelled in this period within the plan's clawback window after its close date takes back, in this period,
    /// what each payee was paid on it, one line per period it was paid in.
    mutating func clawbacks(_ payees: inout [PayeeResult], _ index: [String: Int]) {
        var cancelled: [String: Deal] = [:]
        for d in prepared.data.deals where d.status == .cancelled {
            guard let c = d.cancelDate, period.contains(c), d.closeDate < period.start else { continue }
            if cancelled[d.dealID] == nil { cancelled[d.dealID] = d }
        }
        if cancelled.isEmpty { return }
        let order = cancelled.values.sorted { ($0.cancelDate!, $0.dealID) < ($1.cancelDate!, $1.dealID) }
        var paidOn: [String: [LedgerHistory.PostedLine]] = [:]
        for line in history.lines {
            if let d = line.dealID, cancelled[d] != nil { paidOn[d, default: []].append(line) }
        }
        for deal in order {
            let days = deal.cancelDate!.dayNumber - deal.closeDate.dayNumber
            let lines = paidOn[deal.dealID] ?? []
            for payeeID in Set(lines.map(\.payeeID)).sorted() {
                // What was paid for each period, less anything already taken back for it.
                var byPeriod: [String: ExactDecimal] = [:]
                for line in lines where line.payeeID == payeeID {
                    guard let q = line.paysFor ?? (line.kind == .clawback ? line.refPeriod : nil) else { continue }
                    byPeriod[q] = (try? (byPeriod[q] ?? .zero).adding(line.amount)) ?? byPeriod[q]
                }
                let owed = byPeriod.filter { !$0.value.isZero }
                if owed.isEmpty { continue }
                guard let i = index[payeeID], let rule = payees[i].plan.clawback, payees[i].plan.yearToDate == nil else {
                    if index[payeeID] == nil {
                        diagnostics.append(.warning("R323", "deal `\(deal.dealID)` was cancelled on \(deal.cancelDate!), but rep `\(payeeID)`, who was paid on it, has no statement in \(period); nothing is clawed back", at: nil))
                    }
                    continue
                }
                guard days <= rule.days else { continue }
                var payee = payees[i]
                let periods = owed.keys.sorted { a, b in
                    let pa = try? Period.parse(a).get(), pb = try? Period.parse(b).get()
                    return (pa?.start ?? period.start, a) < (pb?.start ?? period.start, b)
                }
                var out: [StatementLine] = []
                for q in periods {
                    let amount = owed[q]!
                    out.append(StatementLine(kind: .clawback, component: "Clawback", dealID: deal.dealID, closeDate: deal.closeDate, base: money(amount, payee).text,
                                             share: nil, rate: nil, tier: nil, amount: money(amount.negated(), payee),
                                             reason: "deal \(deal.dealID) was cancelled on \(deal.cancelDate!), \(days) day\(days == 1 ? "" : "s") after it closed (clawback window \(rule.days) days); this takes back what was paid on it for \(q)",
                                             source: rule.trace.trace, refPeriod: q))
                }
                append(out, to: &payee)
                payees[i] = payee
            }
        }
    }

    // MARK: Year-to-date true-up

    /// A year-to-date plan's lines are the year's earnings so far; what earlier periods of the year paid under it is taken off.
    mutating func trueUp(_ payee: inout PayeeResult) {
        var byPeriod: [String: ExactDecimal] = [:]
        var starts: [String: CivilDate] = [:]
        for line in linesByPayee[payee.rep.id] ?? [] where line.plan == payee.plan.name && line.kind != .draw {
            guard case .success(let q) = Period.parse(line.period), q.start.year == period.start.year, q.end < period.start else { continue }
            byPeriod[line.period] = (try? (byPeriod[line.period] ?? .zero).adding(line.amount)) ?? byPeriod[line.period]
            starts[line.period] = q.start
        }
        var out: [StatementLine] = []
        for q in byPeriod.keys.sorted(by: { starts[$0]! < starts[$1]! }) {
            let paid = byPeriod[q]!
            if paid.isZero { continue }
            out.append(StatementLine(kind: .trueUp, component: "Year-to-date true-up", dealID: nil, closeDate: nil, base: money(paid, payee).text,
                                     share: nil, rate: nil, tier: nil, amount: money(paid.negated(), payee),
                                     reason: "already paid for \(q) under \(payee.plan.name); this period pays the year's earnings to date less what was paid",
                                     source: payee.plan.yearToDate!.trace, refPeriod: q))
        }
        append(out, to: &payee)
    }

    // MARK: Draws

    /// A draw tops pay up to the draw amount; a recoverable one keeps the top-ups as a balance, recovered from later pay above the draw.
    mutating func draw(_ payee: inout PayeeResult) {
        guard let d = payee.plan.draw else { return }
        let currency = payee.statement.currency
        let before = d.recoverable ? (history.drawBalances[payee.rep.id]?[d.name] ?? .zero) : .zero
        let windowStart = d.window?.from ?? period.start
        let windowEnd = d.window?.to ?? period.end
        var days = 0
        for w in payee.activeWindows {
            let s = max(w.start, windowStart), e = min(w.end, windowEnd)
            if s <= e { days += e.dayNumber - s.dayNumber + 1 }
        }
        if days == 0 && before.isZero { return }
        do {
            let months: Int
            switch period.kind {
            case .month: months = 1
            case .quarter: months = 3
            case .half: months = 6
            case .year: months = 12
            }
            let perPeriod = try d.amount.multiplied(by: Ratio(Int128(d.per == .month ? months : 1), 1))
            let draw = try perPeriod.multiplied(by: Ratio(Int128(days), Int128(period.dayCount))).rounded(scale: payee.plan.rounding.scale, mode: payee.plan.rounding.mode)
            let net = payee.statement.paid.amount
            let pay: ExactDecimal
            if days > 0 {
                let candidate = try net.subtracting(before)
                pay = draw > candidate ? draw : candidate
            } else {
                // After the draw's dates: only recovery, never a top-up.
                let positive = net > .zero ? net : .zero
                let recovery = before < positive ? before : positive
                pay = try net.subtracting(recovery)
            }
            let amount = try pay.subtracting(net)
            let after = d.recoverable ? try before.adding(amount) : .zero
            let m = { (x: ExactDecimal) in Money(x, currency).text }
            let reason: String
            if amount > .zero {
                reason = "draw of \(m(draw)) \(currency.code): pay of \(m(net)) is topped up by \(m(amount))" + (d.recoverable ? ", to be recovered from later pay above the draw" : "; not recovered")
            } else if amount < .zero {
                reason = "\(m(amount.negated())) of earlier draw top-ups recovered from pay of \(m(net)) \(currency.code)"
            } else if days > 0 {
                reason = "pay of \(m(net)) \(currency.code) covers the draw of \(m(draw)); nothing to recover"
            } else {
                reason = "no pay this period to recover the draw balance from"
            }
            var line = StatementLine(kind: .draw, component: d.name, dealID: nil, closeDate: nil, base: m(net), share: nil, rate: nil, tier: nil,
                                     amount: Money(amount, currency), reason: reason, source: d.trace.trace)
            if d.recoverable {
                line.balanceBefore = Money(before, currency)
                line.balanceAfter = Money(after, currency)
            }
            append([line], to: &payee)
        } catch {
            diagnostics.append(.error("R390", "the draw for rep `\(payee.rep.id)` is too large to compute exactly", at: nil))
        }
    }
}
