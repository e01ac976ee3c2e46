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
        var isPeriodLine: Bool { refPeriod == nil && kind != .draw && kind != .clawback && kind != .trueUp && !kind.isHolding }

        /// For a hold or release line: the period whose pay it holds or releases (its own when it names none).
        var holdsFor: String { refPeriod ?? period }

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
    /// Periods closed outside Attain (imported opening balances) that end before the one being run, oldest first. Their
    /// pay is in `lines` (no deal lines), so true-ups take it off; they are not recomputed for adjustments.
    public var closedOutside: [String]
    /// Closed periods whose close read roster.csv with the same bytes as this run's: without hierarchy.csv their manager
    /// tree is the one they were closed with, so a change in their override or team pay is a change in deals, not a
    /// reorg, and is not warned of (R322).
    public var sameRoster: Set<String> = []
    /// When the period being run was closed before and reopened: what its last (voided) posting paid each payee, by
    /// payee id. Empty otherwise.
    public var reopenedPaid: [String: ExactDecimal] = [:]
    /// adjustments.csv's rows and the ledger's disputes, for a close (`ManualPosting`); empty otherwise.
    public var manual = ManualInputs()
    /// Holds recorded in the ledger (`attain hold`) and not released: payees and deals whose pay is held.
    public var holds: [HandHold] = []

    public init(lines: [PostedLine] = [], closedPeriods: [String] = [], closedOutside: [String] = [], drawBalances: [String: [String: ExactDecimal]] = [:]) {
        self.lines = lines
        self.closedPeriods = closedPeriods
        self.closedOutside = closedOutside
        self.drawBalances = drawBalances
    }

    public static let empty = LedgerHistory()

    /// Whether each payee can be settled alone, as its statement is made: with no closed period to adjust and no
    /// posted line to claw back, a payee's true-up and draws read nothing but its own statement and balances.
    public var settlesAlone: Bool { closedPeriods.isEmpty && lines.isEmpty }
}

struct Settlement {
    let prepared: PreparedRun
    let period: Period
    let history: LedgerHistory
    var diagnostics = Diagnostics()
    /// Posted lines by payee, in ledger order.
    let linesByPayee: [String: [LedgerHistory.PostedLine]]
    /// What this close's clawback lines on year-to-date plans take back (negative) or return (positive) out of each
    /// earlier period's pay, by payee, plan and the period the pay was posted in; that period's true-up leaves it out.
    var clawedBack: [String: [String: [String: (amount: ExactDecimal, deals: [String])]]] = [:]
    /// Settling one chunk of a run's payees (`settle(chunk:…)`): the chunk's reps, whose closed periods are recomputed
    /// alone. Nil: the run's payees are settled all together.
    var chunkReps: ArraySlice<Rep>?
    /// With `chunkReps`: the deal rows clawbacks read (each cancelled deal's row, and the row of each deal a clawback
    /// line names), made once for the run.
    var dealRows: [String: Deal]?
    /// With `chunkReps`: each recomputed closed period's tally and messages, by its place in `history.closedPeriods`,
    /// for the run's to be joined from every chunk's.
    var recomputations: [Int: (tally: ReconciliationTally?, diagnostics: Diagnostics)] = [:]
    /// Where each message of `diagnostics` comes in the order one settlement of all payees says them.
    var tags: [Tag] = []
    /// Whether statements carry detail: settlement lines then carry their working, and statements what changed.
    var detail = true

    /// A message's place in the order a settlement of all payees says them: prior-period adjustments period by period
    /// (stage 0: its recomputation's messages, then year-end adjustments and adjustments payee by payee), then the team
    /// warning (1), clawbacks deal by deal (2), then anything a payee's totals say (3).
    struct Tag: Comparable, Codable {
        var stage = 0, period = 0, step = 0, day = 0
        var deal = "", payee = ""

        static func < (a: Tag, b: Tag) -> Bool {
            (a.stage, a.period, a.step, a.day, a.deal, a.payee) < (b.stage, b.period, b.step, b.day, b.deal, b.payee)
        }
    }

    mutating func say(_ d: Diagnostic, _ tag: Tag) {
        diagnostics.append(d)
        tags.append(tag)
    }

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
        let holding = Settlement.holding(prepared, history)
        let deals = holding ? dealsByID() : [:]
        if holding { collections(&payees, deals: deals) }
        for i in payees.indices { settle(alone: &payees[i]) }
        if holding { handHolds(&payees, deals: deals) }
    }

    /// One payee's year-to-date true-up and draws.
    mutating func settle(alone payee: inout PayeeResult) {
        if detail && !history.closedPeriods.isEmpty { payee.statement.changes = changes(of: payee) }
        if payee.plan.yearToDate != nil { trueUp(&payee) }
        // Each draw of the plans the payee was on in the period, over the days on those plans.
        var seen: Set<String> = []
        for w in payee.activeWindows {
            guard let d = w.plan.draw, seen.insert(d.name).inserted else { continue }
            draw(&payee, d, plan: w.plan, windows: payee.activeWindows.filter { $0.plan.draw?.name == d.name }.map { ($0.start, $0.end) })
        }
    }

    mutating func append(_ lines: [StatementLine], to payee: inout PayeeResult) {
        do {
            try payee.statement.append(lines)
        } catch {
            say(.error("R390", "the totals for rep `\(payee.rep.id)` are too large to compute exactly", at: nil), Tag(stage: 3, payee: payee.rep.id))
        }
    }

    func money(_ d: ExactDecimal, _ payee: PayeeResult) -> Money { Money(d, payee.statement.currency) }

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
        // A closed period whose override or team pay changed, when roster.csv alone says who manages whom.
        var teamChanged: Period?
        var teamChangedAt = 0
        defer {
            if let q = teamChanged {
                say(.warning("R322", "override and team pay for closed period \(q) changes with the current inputs; without hierarchy.csv, roster.csv's `manager_id` says who managed whom in closed periods too", at: nil,
                                            notes: [.help("if a rep moved to another manager, date the move in hierarchy.csv (`rep_id,manager_id,start_date,end_date`) so that closed periods keep the managers they had")]),
                    Tag(stage: 1, period: teamChangedAt))
            }
        }
        for (qi, label) in history.closedPeriods.enumerated() {
            guard case .success(let q) = Period.parse(label, in: period.calendar), q.kind == period.kind, q.end < period.start,
                  q.start.dayNumber >= period.start.dayNumber - Settlement.lookbackDays else { continue }
            // Amounts, deals and sources are all the comparison reads of the recomputed lines.
            var crediting = Crediting(prepared: prepared, period: q, detail: false, reconcile: true)
            crediting.sources = true
            let recomputed: [PayeeResult]
            if let reps = chunkReps {
                // One chunk: its reps recomputed alone; what the recomputation says is said once for the run.
                recomputed = crediting.statements(of: reps)
                recomputations[qi] = (crediting.tally, crediting.diagnostics)
                if crediting.diagnostics.hasErrors { continue }
            } else {
                recomputed = crediting.statements()
            }
            // Deals of the closed period that no measure counts now (a label edited since it closed, say) are said too:
            // their pay changes in this close's adjustments.
            if chunkReps == nil, let tally = crediting.tally {
                for w in tally.finished(period: q, dealsPath: prepared.dealsPath, lastPlanEnd: nil).warnings() where w.code == "R340" || w.code == "R341" {
                    diagnostics.append(Diagnostic(w.severity, code: w.code, "\(w.message) (recomputing closed period \(q))", at: w.span, notes: w.notes))
                }
            }
            if chunkReps == nil && crediting.diagnostics.hasErrors {
                diagnostics.append(.error("R321", "closed period \(q) cannot be recomputed with the current inputs, so its adjustments cannot be worked out", at: nil,
                                          notes: [.help("the errors below are from recomputing \(q)")]))
                diagnostics.append(contentsOf: Diagnostics(crediting.diagnostics.errors))
                continue
            }
            // A year-to-date plan settles changes itself: its true-up recomputes the whole year. Once the year is over,
            // its last closed period is recomputed instead, and the year's difference carried as one line.
            func settlesItself(_ plan: String) -> Bool { prepared.planByName[plan]?.yearToDate != nil }
            let lastOfItsYear = !history.closedPeriods.contains { other in
                guard case .success(let o) = Period.parse(other, in: period.calendar) else { return false }
                return o.kind == q.kind && o.yearNumber == q.yearNumber && o.start > q.start
            }
            if q.yearNumber < period.yearNumber && lastOfItsYear {
                yearEndAdjustments(recomputed.filter { $0.plan.yearToDate != nil }, closed: q, at: qi, &payees, index)
            }
            var now: [LineKey: (amount: ExactDecimal, source: String)] = [:]
            // Lines paid on reports' credits, by the plan they came from.
            var team: Set<LineKey> = []
            for r in recomputed where !settlesItself(r.plan.name) {
                for line in r.statement.lines where line.isPeriodLine {
                    let key = LineKey(payee: r.rep.id, component: line.component, deal: line.dealID ?? "")
                    if r.plan.readsReports(component: line.component) { team.insert(key) }
                    let before = now[key]?.amount ?? .zero
                    now[key] = ((try? before.adding(line.amount.amount)) ?? before, now[key]?.source ?? line.source)
                }
            }
            var posted: [LineKey: (amount: ExactDecimal, source: String)] = [:]
            for line in history.lines where line.paysFor == label && !settlesItself(line.plan) {
                let key = LineKey(payee: line.payeeID, component: line.component, deal: line.dealID ?? "")
                if prepared.planByName[line.plan]?.readsReports(component: line.component) == true { team.insert(key) }
                let before = posted[key]?.amount ?? .zero
                posted[key] = ((try? before.adding(line.amount)) ?? before, posted[key]?.source ?? line.source)
            }
            // With detail: each payee's recomputed lines as a page shows them, made again only for payees with an adjustment.
            var detailing = Crediting(prepared: prepared, period: q, detail: true)
            var detailed: [String: [StatementLine]] = [:]
            func recomputedLines(_ key: LineKey) -> [StatementLine] {
                if detailed[key.payee] == nil {
                    detailed[key.payee] = prepared.rep(key.payee).map { rep in
                        detailing.statements(of: [rep][...]).flatMap { r in settlesItself(r.plan.name) ? [] : r.statement.lines.filter(\.isPeriodLine) }
                    } ?? []
                }
                return detailed[key.payee]!.filter { $0.component == key.component && ($0.dealID ?? "") == key.deal }
            }
            var warned: Set<String> = []
            for key in Set(now.keys).union(posted.keys).sorted() {
                let a = now[key]?.amount ?? .zero
                let b = posted[key]?.amount ?? .zero
                guard let diff = try? a.subtracting(b), !diff.isZero else { continue }
                if prepared.data.hierarchy == nil && teamChanged == nil && team.contains(key) && !history.sameRoster.contains(label) {
                    (teamChanged, teamChangedAt) = (q, qi)
                }
                guard let i = index[key.payee], payees[i].plan.yearToDate == nil else {
                    if warned.insert(key.payee).inserted {
                        say(.warning("R320", "rep `\(key.payee)`'s pay for \(q) changes with the current inputs, but they have no statement in \(period) on a plan that can carry the adjustment; it will be made when they next have one", at: nil),
                            Tag(period: qi, step: 3, payee: key.payee))
                    }
                    continue
                }
                var payee = payees[i]
                let currency = payee.statement.currency
                let what = key.deal.isEmpty ? "" : " on deal \(key.deal)"
                var line = StatementLine(kind: .adjustment, component: key.component, dealID: key.deal.isEmpty ? nil : key.deal, closeDate: nil,
                                         base: nil, share: nil, rate: nil, tier: nil, amount: Money(diff, currency),
                                         reason: "\(q) recomputed with the current inputs\(what): \(Money(a, currency).text) now, \(Money(b, currency).text) paid",
                                         source: now[key]?.source ?? posted[key]!.source, refPeriod: q.label).inRole(prepared, payee: key.payee, deal: key.deal, plan: payee.plan)
                if detail {
                    var w = LineWorking(rule: .recomputed)
                    w.period = q.label
                    w.was = Money(b, currency).text
                    w.now = Money(a, currency).text
                    w.recomputedLines = recomputedLines(key)
                    line.working = w
                    if !key.deal.isEmpty, !payee.plan.shown.isEmpty {
                        line.shown = shownValues(plan: payee.plan, deal: prepared.data.deals.first { $0.dealID == key.deal })
                    }
                }
                append([line], to: &payee)
                payees[i] = payee
            }
        }
    }

    /// A year-to-date plan's year, recomputed at its last closed period, against everything posted for that year.
    mutating func yearEndAdjustments(_ recomputed: [PayeeResult], closed q: Period, at qi: Int, _ payees: inout [PayeeResult], _ index: [String: Int]) {
        for r in recomputed {
            let now = ExactDecimal.total(r.statement.lines.filter(\.isPeriodLine).map(\.amount.amount))
            let posted = ExactDecimal.total((linesByPayee[r.rep.id] ?? []).filter { line in
                guard line.kind != .draw, !line.kind.isHolding, case .success(let lp) = Period.parse(line.period, in: period.calendar) else { return false }
                if lp.yearNumber == q.yearNumber { return line.plan == r.plan.name }
                // Corrections of that year made in later years.
                guard line.component == Settlement.yearToDate, line.kind == .adjustment, let ref = line.refPeriod,
                      case .success(let rp) = Period.parse(ref, in: period.calendar) else { return false }
                return rp.yearNumber == q.yearNumber
            }.map(\.amount))
            guard let diff = try? now.subtracting(posted), !diff.isZero else { continue }
            guard let i = index[r.rep.id] else {
                say(.warning("R320", "rep `\(r.rep.id)`'s pay for \(q.year.label) changes with the current inputs, but they have no statement in \(period) to carry the adjustment", at: nil),
                    Tag(period: qi, step: 2, payee: r.rep.id))
                continue
            }
            var payee = payees[i]
            let c = payee.statement.currency
            var line = StatementLine(kind: .adjustment, component: Settlement.yearToDate, dealID: nil, closeDate: nil, base: nil, share: nil, rate: nil,
                                     tier: nil, amount: Money(diff, c),
                                     reason: "\(q.year.label) recomputed with the current inputs: year-to-date pay \(Money(now, c).text) now, \(Money(posted, c).text) paid for the year",
                                     source: r.plan.yearToDate!.trace, refPeriod: q.label)
            if detail {
                var w = LineWorking(rule: .recomputed)
                w.period = q.year.label
                w.was = Money(posted, c).text
                w.now = Money(now, c).text
                // The year's pay as its last closed period's lines now read, made again with detail for this payee alone.
                var detailing = Crediting(prepared: prepared, period: q, detail: true)
                w.recomputedLines = detailing.statements(of: [r.rep][...]).flatMap { $0.statement.lines.filter(\.isPeriodLine) }
                line.working = w
            }
            append([line], to: &payee)
            payees[i] = payee
        }
    }

    static let yearToDate = "Year-to-date true-up"

    // MARK: Clawbacks

    /// A deal cancelled by the end of this period within the plan's clawback window after its close date takes back what
    /// each payee was paid on it, one line per period it was paid in, less what earlier clawbacks already took. A deal whose
    /// cancellation is withdrawn gets its clawbacks back. "Paid on it" is its deal lines, scaled down where a gate or a
    /// period cap cut the component in that period, plus adjustments made on the deal since. On a year-to-date plan each
    /// period's deal lines hold the year so far, so a period paid on the deal what its lines hold beyond the last earlier
    /// period of the year that had the deal; the year-to-date recompute has dropped the deal, so what the clawback lines
    /// take back is left out of the true-up of the period it was paid in (`clawedBack`), and the total is unchanged.
    mutating func clawbacks(_ payees: inout [PayeeResult], _ index: [String: Int]) {
        var rows: [String: Deal] = dealRows ?? [:]
        if dealRows == nil {
            for d in prepared.data.deals where rows[d.dealID] == nil || d.status == .cancelled { rows[d.dealID] = d }
        }
        // Deals with something posted on them, by id, and every posted line by (payee, period) for the component fractions.
        var onDeal: [String: [LedgerHistory.PostedLine]] = [:]
        for line in history.lines { if let d = line.dealID { onDeal[d, default: []].append(line) } }
        // Payees this close pays on a deal through an adjustment of a closed period (the deal moved to them, or was added
        // late): what the adjustment pays is on the deal too, even with nothing posted to them on it yet.
        var adjusted: [String: Set<String>] = [:]
        for p in payees {
            for line in p.statement.lines where line.kind == .adjustment {
                if let d = line.dealID { adjusted[d, default: []].insert(p.rep.id) }
            }
        }
        var candidates: Set<String> = []
        for d in rows.values where d.status == .cancelled && (d.cancelDate.map { $0 <= period.end } ?? false) && (onDeal[d.dealID] != nil || adjusted[d.dealID] != nil) {
            candidates.insert(d.dealID)
        }
        for (id, lines) in onDeal where lines.contains(where: { $0.kind == .clawback }) { candidates.insert(id) }
        if candidates.isEmpty { return }
        let ordered = candidates.sorted { a, b in
            let ca = rows[a]?.cancelDate ?? period.end, cb = rows[b]?.cancelDate ?? period.end
            return (ca, a) < (cb, b)
        }
        for dealID in ordered {
            let lines = onDeal[dealID] ?? []
            for payeeID in Set(lines.map(\.payeeID)).union(adjusted[dealID] ?? []).sorted() {
                guard let i = index[payeeID] else {
                    if let d = rows[dealID], d.status == .cancelled, d.cancelDate.map(period.contains) ?? false {
                        say(.warning("R323", "deal `\(dealID)` was cancelled on \(d.cancelDate!), but rep `\(payeeID)`, who was paid on it, has no statement in \(period); nothing is clawed back", at: nil),
                            Tag(stage: 2, day: (rows[dealID]?.cancelDate ?? period.end).dayNumber, deal: dealID, payee: payeeID))
                    }
                    continue
                }
                guard let rule = payees[i].plan.clawback else { continue }
                var payee = payees[i]
                let mine = lines.filter { $0.payeeID == payeeID }
                // What each period paid on the deal (and under which plan), and what clawbacks already took back for it.
                var paid: [String: ExactDecimal] = [:]
                var taken: [String: ExactDecimal] = [:]
                var planOf: [String: String] = [:]
                for line in mine where line.isPeriodLine { planOf[line.period] = line.plan }
                for q in planOf.keys {
                    paid[q] = paidOnDeal(dealID, payee: payeeID, period: q, rounding: payee.plan.rounding)
                }
                Settlement.yearToDateIncrements(&paid, planOf: planOf, calendar: period.calendar) { prepared.planByName[$0]?.yearToDate != nil }
                // What was held of each period's pay on the deal, and released since, is not paid (the held balance lapses).
                var held: [String: ExactDecimal] = [:]
                for line in mine where line.kind.isHolding {
                    let q = line.holdsFor
                    paid[q] = (try? (paid[q] ?? .zero).adding(line.amount)) ?? paid[q]
                    held[q] = (try? (held[q] ?? .zero).adding(line.amount)) ?? held[q]
                }
                for line in mine where !line.isPeriodLine && !line.kind.isHolding {
                    guard let q = line.refPeriod else { continue }
                    if line.kind == .clawback { taken[q] = (try? (taken[q] ?? .zero).adding(line.amount)) ?? taken[q] }
                    if line.kind == .adjustment { paid[q] = (try? (paid[q] ?? .zero).adding(line.amount)) ?? paid[q] }
                }
                // Adjustments on the deal made by this same close (a corrected amount or split) are paid too.
                for line in payee.statement.lines where line.kind == .adjustment && line.dealID == dealID {
                    if let q = line.refPeriod { paid[q] = (try? (paid[q] ?? .zero).adding(line.amount.amount)) ?? paid[q] }
                }
                let deal = rows[dealID]
                var cancelled = false
                var days = 0
                if let d = deal, d.status == .cancelled, let c = d.cancelDate, c <= period.end {
                    days = c.dayNumber - d.closeDate.dayNumber
                    cancelled = days <= rule.days
                }
                var out: [StatementLine] = []
                for q in Set(paid.keys).union(taken.keys).sorted(by: { Settlement.periodOrder($0, $1, calendar: period.calendar) }) {
                    // A year-to-date plan's earlier year that the cancellation falls in drops the deal when that year is
                    // recomputed at its last closed period: the year's adjustment takes the pay back, not a clawback.
                    if cancelled, let plan = planOf[q], prepared.planByName[plan]?.yearToDate != nil, case .success(let pq) = Period.parse(q, in: period.calendar),
                       pq.yearNumber < period.yearNumber, let c = deal?.cancelDate, period.calendar.yearNumber(of: c) <= pq.yearNumber { continue }
                    let owed = cancelled ? (paid[q] ?? .zero).negated() : .zero
                    guard let amount = try? owed.subtracting(taken[q] ?? .zero) else { continue }
                    // A held deal's clawback says once what lapses, even when nothing was paid to take back.
                    let lapsing = cancelled ? (held[q] ?? .zero).negated() : .zero
                    let noted = mine.contains { $0.kind == .clawback && $0.refPeriod == q }
                    if amount.isZero && (lapsing <= .zero || noted) { continue }
                    var reason: String
                    if cancelled && amount > .zero {
                        // What the period's lines added on the deal was below zero (a cap or gate cut it): undoing it gives back.
                        reason = "deal \(dealID) was cancelled on \(deal!.cancelDate!), \(days) day\(days == 1 ? "" : "s") after it closed (clawback window \(rule.days) days); its lines for \(q) came to less than zero, and this undoes them"
                    } else if cancelled {
                        reason = "deal \(dealID) was cancelled on \(deal!.cancelDate!), \(days) day\(days == 1 ? "" : "s") after it closed (clawback window \(rule.days) days); this takes back what was paid on it for \(q)"
                    } else {
                        reason = "deal \(dealID) is no longer cancelled within the clawback window; what was clawed back for \(q) is returned"
                    }
                    if lapsing > .zero && !noted {
                        reason += "; a further \(money(lapsing, payee).text) earned on it was held and never paid: that hold lapses, and nothing of it is released"
                    }
                    var line = StatementLine(kind: .clawback, component: "Clawback", dealID: dealID, closeDate: deal?.closeDate,
                                             base: money(paid[q] ?? .zero, payee).text, share: nil, rate: nil, tier: nil, amount: money(amount, payee),
                                             reason: reason, source: rule.trace.trace, refPeriod: q).inRole(prepared, payee: payeeID, deal: dealID, plan: payee.plan)
                    if detail {
                        var w = LineWorking(rule: .clawback)
                        w.period = q
                        w.was = money(paid[q] ?? .zero, payee).text
                        if cancelled { w.date = deal?.cancelDate }
                        if lapsing > .zero && !noted { w.lapsed = money(lapsing, payee).text }
                        line.working = w
                        line.shown = shownValues(plan: payee.plan, deal: deal)
                    }
                    out.append(line)
                    if payee.plan.yearToDate != nil {
                        // Out of which period's pay this comes: what the period paid on the deal, and each earlier
                        // clawback line where it was posted.
                        if cancelled, let plan = planOf[q] { leaveOutOfTrueUp(owed, payee: payeeID, plan: plan, period: q, deal: dealID) }
                        for line in mine where line.kind == .clawback && line.refPeriod == q {
                            leaveOutOfTrueUp(line.amount.negated(), payee: payeeID, plan: line.plan, period: line.period, deal: dealID)
                        }
                    }
                }
                append(out, to: &payee)
                payees[i] = payee
            }
        }
    }

    /// Records that a clawback line of this close takes `amount` out of (or, positive, returns it to) the pay posted for
    /// `period` under `plan`.
    mutating func leaveOutOfTrueUp(_ amount: ExactDecimal, payee: String, plan: String, period: String, deal: String) {
        guard !amount.isZero else { return }
        var entry = clawedBack[payee]?[plan]?[period] ?? (.zero, [])
        entry.amount = (try? entry.amount.adding(amount)) ?? entry.amount
        if !entry.deals.contains(deal) { entry.deals.append(deal) }
        clawedBack[payee, default: [:]][plan, default: [:]][period] = entry
    }

    /// Turns what each period's year-to-date lines held on a deal into what the period paid on it: the value less the one
    /// of the last earlier period of the same year and plan that had the deal. Periods of other plans stay as they are.
    static func yearToDateIncrements(_ paid: inout [String: ExactDecimal], planOf: [String: String], calendar: PeriodCalendar = .gregorian,
                                     isYearToDate: (String) -> Bool) {
        var before: [String: ExactDecimal] = [:]
        for q in paid.keys.sorted(by: { periodOrder($0, $1, calendar: calendar) }) {
            guard let plan = planOf[q], isYearToDate(plan), case .success(let p) = Period.parse(q, in: calendar) else { continue }
            let key = "\(plan)\u{0}\(p.yearNumber)"
            let value = paid[q]!
            if let last = before[key] { paid[q] = (try? value.subtracting(last)) ?? value }
            before[key] = value
        }
    }

    /// Periods by their start, labels as a tie-break.
    static func periodOrder(_ a: String, _ b: String, calendar: PeriodCalendar = .gregorian) -> Bool {
        let pa = try? Period.parse(a, in: calendar).get(), pb = try? Period.parse(b, in: calendar).get()
        return (pa?.start.dayNumber ?? 0, a) < (pb?.start.dayNumber ?? 0, b)
    }

    /// What a period's posted lines paid on one deal: each component's deal lines, scaled by the share of the component
    /// that survived its gates and period caps that period (a gated component paid nothing on any deal), rounded once.
    func paidOnDeal(_ dealID: String, payee: String, period q: String, rounding: RoundingRule) -> ExactDecimal {
        let lines = (linesByPayee[payee] ?? []).filter { $0.period == q && $0.isPeriodLine }
        var total = Ratio.zero
        for component in Set(lines.filter { $0.dealID == dealID }.map(\.component)) {
            let inComponent = lines.filter { $0.component == component }
            let onDeal = ExactDecimal.total(inComponent.filter { $0.dealID == dealID }.map(\.amount))
            let dealLines = ExactDecimal.total(inComponent.filter { $0.dealID != nil }.map(\.amount))
            let cut = ExactDecimal.total(inComponent.filter { $0.dealID == nil && $0.kind == .adjustment }.map(\.amount))
            var part = Ratio(onDeal)
            if !cut.isZero, !dealLines.isZero, let kept = try? dealLines.adding(cut),
               let f = try? Ratio(kept).divided(by: Ratio(dealLines)), let scaled = try? part.multiplied(by: f) {
                part = scaled
            }
            total = (try? total.adding(part)) ?? total
        }
        return (try? total.rounded(scale: rounding.scale, mode: rounding.mode)) ?? .zero
    }

    // MARK: Year-to-date true-up

    /// A year-to-date plan's lines are the year's earnings so far; what earlier periods of the year paid under it is taken off.
    mutating func trueUp(_ payee: inout PayeeResult) {
        var byPeriod: [String: ExactDecimal] = [:]
        var starts: [String: CivilDate] = [:]
        for line in linesByPayee[payee.rep.id] ?? [] where line.plan == payee.plan.name && line.kind != .draw && !line.kind.isHolding {
            guard case .success(let q) = Period.parse(line.period, in: period.calendar), q.yearNumber == period.yearNumber, q.end < period.start else { continue }
            // A correction of an earlier year, carried this year, is not part of this year's pay.
            if let ref = line.refPeriod, case .success(let rp) = Period.parse(ref, in: period.calendar), rp.yearNumber != period.yearNumber { continue }
            byPeriod[line.period] = (try? (byPeriod[line.period] ?? .zero).adding(line.amount)) ?? byPeriod[line.period]
            starts[line.period] = q.start
        }
        var out: [StatementLine] = []
        let clawed = clawedBack[payee.rep.id]?[payee.plan.name] ?? [:]
        for q in byPeriod.keys.sorted(by: { starts[$0]! < starts[$1]! }) {
            let paid = byPeriod[q]!
            var amount = paid.negated()
            var reason = "already paid for \(q) under \(payee.plan.name)"
            // What this statement's clawback lines take back out of the period's pay (or return to it) is theirs.
            if let c = clawed[q], let less = try? amount.subtracting(c.amount) {
                amount = less
                let deals = c.deals.map { "deal \($0)" }.joined(separator: ", ")
                let x = money(c.amount.magnitude, payee).text
                reason += c.amount.isNegative
                    ? ": \(money(paid, payee).text), of which \(x) on \(deals) is taken back on its clawback line, not here"
                    : ": \(money(paid, payee).text), after \(x) clawed back on \(deals), which its clawback line returns, so this line takes that back too"
            }
            if amount.isZero { continue }
            out.append(StatementLine(kind: .trueUp, component: Settlement.yearToDate, dealID: nil, closeDate: nil, base: money(paid, payee).text,
                                     share: nil, rate: nil, tier: nil, amount: money(amount, payee),
                                     reason: reason + "; this period pays the year's earnings to date less what was paid",
                                     source: payee.plan.yearToDate!.trace, refPeriod: q))
        }
        append(out, to: &payee)
    }

    // MARK: Draws

    /// A draw tops pay up to the draw amount; a recoverable one keeps the top-ups as a balance, recovered from later pay above the draw.
    mutating func draw(_ payee: inout PayeeResult, _ d: CompiledDraw, plan: CompiledPlan, windows: [(start: CivilDate, end: CivilDate)]) {
        let currency = payee.statement.currency
        let before = d.recoverable ? (history.drawBalances[payee.rep.id]?[d.name] ?? .zero) : .zero
        let windowStart = d.window?.from ?? period.start
        let windowEnd = d.window?.to ?? period.end
        var days = 0
        for w in windows {
            let s = max(w.start, windowStart), e = min(w.end, windowEnd)
            if s <= e { days += e.dayNumber - s.dayNumber + 1 }
        }
        if days == 0 && before.isZero { return }
        do {
            let perPeriod = try d.amount.multiplied(by: d.per == .month ? Settlement.months(in: period) : Ratio(1, 1))
            let draw = try perPeriod.multiplied(by: Ratio(Int128(days), Int128(period.dayCount))).rounded(scale: plan.rounding.scale, mode: plan.rounding.mode)
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
            say(.error("R390", "the draw for rep `\(payee.rep.id)` is too large to compute exactly", at: nil), Tag(stage: 3, payee: payee.rep.id))
        }
    }
}
