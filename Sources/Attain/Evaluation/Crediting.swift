// Crediting: which plan assignment applies to each payee in a period, which deals each is credited with
// (their own, and their reports' for overrides and team measures), and each payee's statement from the plan alone.

/// One payee's statement for a period, with what settling it against the ledger needs.
struct PayeeResult {
    var statement: Statement
    let rep: Rep
    /// The plan in force at the end of the period (the last segment's).
    let plan: CompiledPlan
    /// The days of the period the payee was employed on each plan assignment, with its plan.
    let activeWindows: [(plan: CompiledPlan, start: CivilDate, end: CivilDate)]
}

struct Crediting {
    let prepared: PreparedRun
    let period: Period
    var diagnostics = Diagnostics()
    /// Messages from settling payees alone, kept apart so that they follow every crediting message, as they would
    /// if all payees were settled together afterwards.
    var settlementDiagnostics = Diagnostics()
    /// In a shard (`PreparedRun.only`): the payee each of `diagnostics` was said of, so that shards' messages are put in
    /// payee order when joined (`ShardPart.messages`).
    var diagnosticPayees: [String] = []
    var reportedPlans: Set<String> = []
    var reportedRates: Set<String> = []
    /// At most this many chunks of payees are evaluated in parallel (1: all on one core).
    let maxChunks: Int
    /// False when only amounts are needed: statement lines then carry no text.
    let detail: Bool
    /// Without `detail`, lines still name their plan source (a closed period recomputed for adjustments).
    var sources = false
    /// True when only totals are needed and nothing is settled against a ledger: each statement keeps one line per
    /// kind and component (`Statement.collapseLines`), so memory does not grow with the number of deals.
    let lean: Bool
    /// When each payee can be settled alone (`LedgerHistory.settlesAlone`): the ledger history to settle it against as its
    /// statement is made. Nil when the run settles all payees together afterwards.
    let settleAlone: LedgerHistory?
    /// Called with each settled statement as it is made, on the core that made it (say, to write its files and keep
    /// only its totals). Only with `settleAlone`.
    let each: (@Sendable (inout Statement) -> Void)?
    /// Where each deal row went (counted, or not and why), when the run reconciles its deals; nil otherwise.
    var tally: ReconciliationTally?
    /// Where each activity went, when the run reconciles and the data has activities.csv (`Crediting+Activities.swift`).
    var activityTally: ActivityTally?
    /// When the run is settled chunk by chunk against a ledger history (`ChunkSettling`): what every chunk reads.
    /// Each chunk's payees are settled, and handed to `each`, on the core that made them.
    let chunkSettling: ChunkSettling?
    /// With `chunkSettling`: each chunk's settlement, in payee order, for `Settlement.joined`.
    var chunkSettlements: [Settlement.Said] = []
    /// Payees whose plans in the period are of another kind than the run's, by kind: left to that kind's close.
    var otherKinds: [PeriodKind: Int] = [:]
    /// The plan of the payee `parts(of:)` just left to another kind's close, for its rows' fates.
    var leftKind: CompiledPlan?

    init(prepared: PreparedRun, period: Period, maxChunks: Int = 64, detail: Bool = true, lean: Bool = false,
         settleAlone: LedgerHistory? = nil, chunkSettling: ChunkSettling? = nil, reconcile: Bool = false,
         each: (@Sendable (inout Statement) -> Void)? = nil) {
        self.tally = reconcile ? ReconciliationTally() : nil
        self.activityTally = reconcile && prepared.data.activities != nil ? ActivityTally() : nil
        self.chunkSettling = chunkSettling
        self.prepared = prepared
        self.period = period
        self.maxChunks = maxChunks
        self.detail = detail
        self.lean = lean
        self.settleAlone = settleAlone
        self.each = each
    }

    /// One part of the period on one assignment.
    struct Part {
        let assignment: Assignment
        let plan: CompiledPlan
        /// The days credited: the part of the period (or of the year to date) on this assignment while employed.
        let window: (start: CivilDate, end: CivilDate)
        /// The days of the payout period itself on this assignment.
        let inPeriod: (start: CivilDate, end: CivilDate)
        /// The rows whose quotas add up to the measured span's (`PayeeInput.quotaRows`); empty: `assignment` alone.
        var quotaRows: [Assignment] = []
    }

    /// Every payee's statement, in payee id order. Errors and warnings go to `diagnostics`.
    ///
    /// Payees are evaluated in contiguous chunks across the cores; the chunks' results and messages are joined in
    /// payee order, so the output is the same as one core's.
    mutating func statements() -> [PayeeResult] {
        let all = self.prepared
        let reps = all.only.map { o in all.data.reps.filter { o.contains($0.id) } } ?? all.data.reps
        let chunks = reps.count < 256 ? 1 : max(1, min(maxChunks, reps.count / 128))
        let (prepared, period, detail, lean, history, each) = (self.prepared, self.period, self.detail, self.lean, self.settleAlone, self.each)
        let reconcile = tally != nil
        let (settling, sources) = (chunkSettling, self.sources)
        let chunkResults = Parallel.map(chunks) { c in
            let range = Parallel.piece(c, of: chunks, over: reps.count)
            var worker = Crediting(prepared: prepared, period: period, detail: detail, lean: lean, settleAlone: history, reconcile: reconcile, each: each)
            worker.sources = sources
            var results = worker.statements(of: reps[range])
            var settled: Settlement.Said?
            if let settling {
                settled = settling.settle(&results, reps: reps[range], last: c == chunks - 1, prepared: prepared, period: period, detail: detail)
                if let each { for i in results.indices { each(&results[i].statement) } }
            }
            return (results, worker.diagnostics, worker.settlementDiagnostics, worker.tally, settled, worker.activityTally, worker.otherKinds, worker.diagnosticPayees)
        }
        var out: [PayeeResult] = []
        // Messages said once per run (a plan's period or dates, a missing rate) stay once.
        var said: Set<String> = []
        for chunk in chunkResults {
            let (results, d, settled, part, settlement, activities, others, payees) = chunk!
            for (kind, n) in others { otherKinds[kind, default: 0] += n }
            if let activities { activityTally!.join(activities) }
            out += results
            if let settlement { chunkSettlements.append(settlement) }
            settlementDiagnostics.append(contentsOf: settled)
            for (j, item) in d.items.enumerated() {
                if ["R304", "R305", "R306"].contains(item.code), !said.insert(item.code + item.message).inserted { continue }
                diagnostics.append(item)
                if j < payees.count { diagnosticPayees.append(payees[j]) }
            }
            if let part { tally!.join(part) }
        }
        return out
    }

    /// Where a rep's rows went, for the reconciliation: each row's slot, or `.read` for one not yet placed.
    typealias Fates = [ReconciliationTally.Slot]

    /// The rows of a rep, placed: each in the tally's slots for its currency, and the rep's credited rows as a payee figure.
    /// A rep's rows are added up in slots of their own first (one block per currency), then into the tally.
    mutating func record(_ fates: Fates, rows: [DealTable.Row], numbers: ArraySlice<Int32>, rep: Rep) {
        guard var t = tally else { return }
        tally = nil
        let table = prepared.data.deals
        let lastEnd = prepared.lastPlanEnd?.packed ?? .max
        let slotCount = ReconciliationTally.Slot.allCases.count
        var blocks: [(currency: UInt8, sums: [AmountSum])] = []
        var b = -1
        for (k, fate) in fates.enumerated() {
            let row = rows[k], number = numbers[numbers.startIndex + k]
            if b < 0 || blocks[b].currency != row.currency {
                if let found = blocks.firstIndex(where: { $0.currency == row.currency }) {
                    b = found
                } else {
                    blocks.append((row.currency, [AmountSum](repeating: AmountSum(), count: slotCount)))
                    b = blocks.count - 1
                }
            }
            if row.role != 0 { t.addRoleRow(row, at: Int(number), in: table) }
            if row.closeDate > lastEnd {
                t.pastPlanEnd.add(line: row.line, id: table.id(of: Int(number)), amount: table.amount(row, at: Int(number)),
                                  currency: Currency(index: row.currency), date: CivilDate(packed: row.closeDate))
            }
            if fate != .outside && !row.cancelled && (row.amountScale == DealTable.large ? table.amount(row, at: Int(number)).isNegative : row.amount < 0) {
                t.negativeWon.add(line: row.line, id: table.id(of: Int(number)), amount: table.amount(row, at: Int(number)),
                                  currency: Currency(index: row.currency), date: CivilDate(packed: row.closeDate))
            }
            // The row's slots: read, then outside the period, or in it and where it went (and credited, when it was).
            let credited = fate == .counted || fate == .excluded || fate == .unmatched || fate == .noOwn
            let slots = (ReconciliationTally.Slot.read.rawValue, (fate == .outside ? ReconciliationTally.Slot.outside : .inPeriod).rawValue,
                         fate == .outside ? -1 : fate.rawValue, credited ? ReconciliationTally.Slot.credited.rawValue : -1)
            if let scaled = AmountSum.scaled(row) {
                blocks[b].sums[slots.0].add(scaled: scaled)
                blocks[b].sums[slots.1].add(scaled: scaled)
                if slots.2 >= 0 { blocks[b].sums[slots.2].add(scaled: scaled) }
                if slots.3 >= 0 { blocks[b].sums[slots.3].add(scaled: scaled) }
            } else {
                let exact = AmountSum.exact(row, at: Int(number), in: table)
                for slot in [slots.0, slots.1, slots.2, slots.3] where slot >= 0 { blocks[b].sums[slot].add(exact: exact) }
            }
        }
        for block in blocks.sorted(by: { Currency(index: $0.currency).code < Currency(index: $1.currency).code }) {
            for s in 0..<slotCount { t.sums[Int(block.currency)][s].join(block.sums[s]) }
            let credited = block.sums[ReconciliationTally.Slot.credited.rawValue]
            if credited.deals > 0 {
                t.payees.append(Reconciliation.PayeeFigure(payeeID: rep.id, currency: Currency(index: block.currency), figure: credited.figure))
            }
        }
        t.flush()
        tally = t
    }

    /// A row closed in the period that no part credits: cancelled, or without an assignment on its close date.
    mutating func unplaced(_ k: Int, _ fates: inout Fates, rows: [DealTable.Row], numbers: ArraySlice<Int32>, rep: Rep) {
        guard tally != nil else { return }
        let row = rows[k]
        if !Crediting.counts(row.dates, clawbackDays: nil, asOf: period.end) {
            fates[k] = .cancelled
            return
        }
        fates[k] = .noAssignment
        tally!.add(.noAssignment, plan: nil, field: "rep_id", value: rep.id, span: nil, expects: [], row, at: numbers[numbers.startIndex + k],
                   table: prepared.data.deals)
    }

    /// A credited row that no measure of the plan counted: left out on purpose by a filter, by a value no filter names,
    /// or because the plan measures only reports' deals. `facts` are the plan's (`PreparedRun.filterFacts`).
    mutating func uncounted(_ k: Int, _ fates: inout Fates, rows: [DealTable.Row], numbers: ArraySlice<Int32>, rep: Rep, plan: CompiledPlan,
                            facts: FilterFacts) {
        let row = rows[k], number = numbers[numbers.startIndex + k]
        if facts.spifsOnly {
            // A plan of spifs alone: a deal none of them pays is left out by their dates or filters.
            fates[k] = .excluded
            tally!.add(.excludedByFilter, plan: plan.name, field: "filter", value: "no spif of the plan pays on it", span: nil, expects: [], row, at: number,
                       table: prepared.data.deals)
            return
        }
        if !facts.measuresOwn {
            fates[k] = .noOwn
            let at = plan.measures.first(where: { $0.creditScope != nil })?.trace
            tally!.add(.noOwnMeasure, plan: plan.name, field: "rep_id", value: rep.id, span: at, expects: [], row, at: number, table: prepared.data.deals)
            return
        }
        let pool = DealTable.pool(of: Int(number), in: prepared.data.deals.poolStarts)
        // The first field whose value no filter names leaves the deal out for that value; with none, the filter left it
        // out on purpose: by the first field whose value is not among those it requires, or, when every required value
        // matches (a `!=`, `not in` or a number left it out), by the filter's words.
        var rejecting: (field: Int, value: String)?
        for f in facts.fields.indices {
            let field = facts.fields[f].field
            let text: String
            // Products and types are answered once per text of the row's pool.
            var answered: Bool?
            switch field {
            case .product, .type:
                let index = Int(field == .product ? row.product : row.type)
                text = prepared.data.deals.pools[pool].texts[index]
                answered = facts.fields[f].namedByPool?[pool][index]
            case .currency: text = Currency(index: row.currency).code
            default: text = FilterFacts.value(field, of: prepared.data.deals[Int(number)], plan)
            }
            if !(answered ?? prepared.namedValues[facts.fields[f].name]?.contains(text) ?? false) {
                fates[k] = .unmatched
                tally!.add(.noMatchingFilter, plan: plan.name, field: facts.fields[f].name, value: text, span: facts.fields[f].trace,
                           expects: facts.fields[f].literals, row, at: number, table: prepared.data.deals)
                return
            }
            if rejecting == nil && !facts.fields[f].literals.contains(text) { rejecting = (f, text) }
        }
        // Every value the filters require is one they name: the filter leaves the deal out on purpose.
        fates[k] = .excluded
        if let r = rejecting {
            tally!.add(.excludedByFilter, plan: plan.name, field: facts.fields[r.field].name, value: r.value,
                       span: facts.firstFilter, expects: facts.fields[r.field].literals, row, at: number, table: prepared.data.deals)
        } else {
            tally!.add(.excludedByFilter, plan: plan.name, field: "filter", value: facts.firstFilterText ?? "",
                       span: facts.firstFilter, expects: [], row, at: number, table: prepared.data.deals)
        }
    }

    /// The statements of some payees.
    mutating func statements(of reps: ArraySlice<Rep>) -> [PayeeResult] {
        var out: [PayeeResult] = []
        var settlement = settleAlone.map { Settlement(prepared: prepared, period: period, history: $0) }
        settlement?.detail = detail
        let table = prepared.data.deals
        let tagging = prepared.only != nil
        for rep in reps {
            // What was said while this rep was evaluated is about them (the iteration may end at any `continue`).
            defer { if tagging { while diagnosticPayees.count < diagnostics.items.count { diagnosticPayees.append(rep.id) } } }
            // The rep's rows in credit order; their deals are made only when a part needs them.
            let ownRows = prepared.rows(of: rep.id)
            var ownDeals: [Deal]?
            func own() -> [Deal] {
                if ownDeals == nil { ownDeals = table.deals(at: ownRows) }
                return ownDeals!
            }
            // Copies of the rep's rows, read in one loop of independent loads so that their waits on memory overlap.
            let rows = ownRows.map { table.rows[Int($0)] }
            let dates = rows.map(\.dates)
            // Where each row went, for the reconciliation: closed outside the period, or to be placed.
            let p = period
            let reconciling = tally != nil
            var fates: Fates = reconciling ? dates.map { p.contains($0.close) ? .read : .outside } : []
            let assignments = (prepared.assignmentsByRep[rep.id] ?? []).filter { a in
                a.start <= period.end && (a.end ?? period.end) >= period.start
            }
            guard !assignments.isEmpty, let parts = self.parts(of: rep, assignments), !parts.isEmpty else {
                let left = leftKind
                leftKind = nil
                if let left, reconciling { leave(&fates, rows: rows, numbers: ownRows, rep: rep, plan: left) }
                finish(&fates, rows: rows, numbers: ownRows, rep: rep)
                recordActivities(of: rep, parts: [], counted: [], leftTo: left)
                continue
            }
            var segments: [Statement] = []
            var activitiesCounted: [(part: Int, activities: [Credit], counted: [Bool])] = []
            for (partNumber, part) in parts.enumerated() {
                // A run that needs amounts only reads the rows themselves, when the plan reads no reports' credits and caps no
                // single deal (which would need each deal's line).
                let rowsOnly = lean && !part.plan.readsReports && !part.plan.components.contains { $0.caps.contains { $0.scope == .deal } }
                // Each own credit's position among the rep's rows.
                var positions: [Int] = []
                var input: PayeeInput
                if rowsOnly {
                    input = PayeeInput(rep: rep, assignment: part.assignment, credits: [], period: period, assignmentsPath: prepared.data.assignmentsPath)
                    input.rowCredits = rowCredits(ownRows, rows: rows, part: part, positions: &positions)
                } else {
                    let mine = credits(of: own(), part: part)
                    positions = mine.positions
                    input = PayeeInput(rep: rep, assignment: part.assignment, credits: mine.credits, period: period, assignmentsPath: prepared.data.assignmentsPath)
                }
                if part.plan.yearToDate != nil { input.prorationPeriod = period.year }
                input.quotaRows = part.quotaRows
                if part.plan.readsTargets { input.targets = targetReading(of: rep, part: part) }
                input.detail = detail
                input.sources = sources
                input.summed = lean
                input.reconcile = reconciling
                addActivities(to: &input, rep: rep, part: part)
                if part.plan.readsReports {
                    // Only the scopes the plan reads: everyone below a manager is read only for `for all reports`, so
                    // that a deep chain of managers on `for direct reports` is read in time linear in its length.
                    let scopes = Crediting.reportScopes(of: part.plan)
                    if scopes.direct { input.directReportCredits = reportCredits(of: rep.id, direct: true, part: part) }
                    let below = scopes.all ? subtree(of: rep.id) : prepared.reports[rep.id] ?? []
                    if scopes.all { input.allReportCredits = reportCredits(of: rep.id, below: below, part: part) }
                    // Names for the statement's roll-ups: one per rep below (every direct report is one).
                    if detail {
                        for id in below { input.reportNames[id] = prepared.rep(id)?.name ?? "" }
                    }
                }
                switch Evaluator.evaluated(plan: part.plan, input: input) {
                case .success(var (s, counts)):
                    if part.plan.yearToDate != nil { s.measuredOver = "\(part.window.start) to \(part.window.end)" }
                    segments.append(s)
                    if let counts, !input.activities.isEmpty { activitiesCounted.append((partNumber, input.activities, counts.activityCounted)) }
                    if let counts, let facts = prepared.filterFacts[part.plan.name] {
                        tally!.add(counts, plan: part.plan)
                        for (i, k) in positions.enumerated() where fates[k] == .read {
                            if counts.ownCounted[i] {
                                fates[k] = .counted
                            } else {
                                uncounted(k, &fates, rows: rows, numbers: ownRows, rep: rep, plan: part.plan, facts: facts)
                            }
                        }
                    }
                case .failure(let d): diagnostics.append(contentsOf: d)
                }
            }
            if reconciling { notCreditedInRole(&fates, parts: parts, rows: rows, numbers: ownRows, rep: rep) }
            finish(&fates, rows: rows, numbers: ownRows, rep: rep)
            recordActivities(of: rep, parts: parts, counted: activitiesCounted)
            guard segments.count == parts.count else { continue }
            guard var statement = merge(segments, parts: parts) else { continue }
            if lean { statement.collapseLines() }
            var result = PayeeResult(statement: statement, rep: rep, plan: parts.last!.plan, activeWindows: parts.map { ($0.plan, $0.inPeriod.start, $0.inPeriod.end) })
            if settlement != nil {
                settlement!.settle(alone: &result)
                each?(&result.statement)
            }
            out.append(result)
        }
        if let settlement { settlementDiagnostics.append(contentsOf: settlement.diagnostics) }
        return out
    }

    /// The rep's rows closed in the period that no part credited (cancelled, or without an assignment), then all of
    /// the rep's rows into the tally.
    mutating func finish(_ fates: inout Fates, rows: [DealTable.Row], numbers: ArraySlice<Int32>, rep: Rep) {
        guard tally != nil else { return }
        for k in fates.indices where fates[k] == .read { unplaced(k, &fates, rows: rows, numbers: numbers, rep: rep) }
        record(fates, rows: rows, numbers: numbers, rep: rep)
    }

    func span(_ a: Assignment) -> SourceSpan {
        SourceSpan(path: prepared.data.assignmentsPath, line: a.line, column: 1, width: max(1, a.lineText.count), lineText: a.lineText)
    }

    /// The assignments a rep is on in the period, checked: one at a time, plans paid by this kind of period and effective then.
    mutating func parts(of rep: Rep, _ assignments: [Assignment]) -> [Part]? {
        let sorted = assignments.sorted { ($0.start, $0.line) < ($1.start, $1.line) }
        var ok = true
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.end.map({ $0 >= b.start }) ?? true {
            diagnostics.append(.error("R303", "rep `\(rep.id)` has two assignments that overlap each other in \(period)", at: span(b),
                                      notes: [.note("the other is on line \(a.line)"),
                                              .help("end one assignment the day before the next starts; a plan change inside a period gives one statement with a segment for each")]))
            ok = false
        }
        if !ok { return nil }
        var parts: [Part] = []
        for a in sorted {
            let plan = prepared.planByName[a.plan]!
            if plan.periodKind != period.kind {
                // Left to its own kind's close, or an error (Crediting+PeriodKinds.swift).
                otherKind(of: rep, sorted, plan: plan)
                return nil
            }
            guard let inPeriod = Evaluator.activeWindow(rep: rep, assignment: a, period: period) else { continue }
            if inPeriod.start < plan.effective.from || inPeriod.end > plan.effective.to {
                if reportedPlans.insert(plan.name).inserted {
                    diagnostics.append(.error("R305", "plan \"\(plan.name)\" is effective \(plan.effective.from) to \(plan.effective.to), which does not cover all of \(period)", at: span(a),
                                              notes: [.note("rep `\(rep.id)` is on it from \(inPeriod.start) to \(inPeriod.end)")]))
                }
                return nil
            }
            var part = Part(assignment: a, plan: plan, window: inPeriod, inPeriod: inPeriod)
            if plan.yearToDate != nil { part = yearToDate(part, of: rep) }
            warnOfQuotaSpans(part, of: rep)
            parts.append(part)
        }
        if parts.count > 1 {
            if let other = parts.first(where: { $0.plan.currency != parts[0].plan.currency }) {
                diagnostics.append(.error("R308", "rep `\(rep.id)` changes from plan \"\(parts[0].plan.name)\" (\(parts[0].plan.currency.code)) to \"\(other.plan.name)\" (\(other.plan.currency.code)) inside \(period); one statement has one currency", at: span(other.assignment)))
                return nil
            }
            if let ytd = parts.first(where: { $0.plan.yearToDate != nil }) {
                diagnostics.append(.error("R309", "rep `\(rep.id)` changes plan inside \(period), and plan \"\(ytd.plan.name)\" pays year to date; a year-to-date plan cannot share a period with another", at: span(ytd.assignment),
                                          notes: [.help("start the assignment on the first day of a period")]))
                return nil
            }
        }
        return parts
    }

    /// A cancelled deal still counts when it was cancelled after `end`, or outside the plan's clawback window.
    static func counts(_ d: DealDates, clawbackDays: Int?, asOf end: CivilDate) -> Bool {
        guard d.cancelled, let c = d.cancel, c <= end else { return true }
        if let days = clawbackDays { return c.dayNumber - d.close.dayNumber > days }
        return false
    }

    /// Whether a deal with these dates is credited in the part: closed in its window, and not taken back.
    func credits(_ d: DealDates, in part: Part) -> Bool {
        guard part.window.start <= d.close && d.close <= part.window.end else { return false }
        // A year-to-date plan without a clawback window keeps a deal cancelled after the period it closed in.
        let asOf = part.plan.yearToDate != nil && part.plan.clawback == nil ? Period.containing(d.close, kind: period.kind, in: period.calendar).end : period.end
        return Crediting.counts(d, clawbackDays: part.plan.clawback?.days, asOf: asOf)
    }

    /// A rep's deals closed in the part's window, converted into the plan's currency, with each credit's position
    /// among the deals given.
    mutating func credits<Deals: Sequence<Deal>>(of deals: Deals, part: Part) -> (credits: [Credit], positions: [Int]) {
        var out: [Credit] = [], positions: [Int] = []
        for (k, deal) in deals.enumerated() where credits(deal.dates, in: part) && part.plan.credits(role: deal.role) {
            if let c = credit(deal, plan: part.plan) {
                out.append(c)
                positions.append(k)
            }
        }
        return (out, positions)
    }

    /// The same credits as `credits(of:part:)` for a rep's own rows, read from the table. Only a row in another
    /// currency than the plan's is made into a deal, to be converted.
    mutating func rowCredits(_ numbers: ArraySlice<Int32>, rows copies: [DealTable.Row], part: Part, positions: inout [Int]) -> RowCredits {
        let table = prepared.data.deals
        let plan = part.plan
        var picked: [Int32] = [], rows: [DealTable.Row] = [], amounts: [Ratio] = [], conversions: [Int: Conversion] = [:]
        picked.reserveCapacity(numbers.count)
        rows.reserveCapacity(numbers.count)
        amounts.reserveCapacity(numbers.count)
        for (k, number) in numbers.enumerated() where credits(copies[k].dates, in: part) && plan.credits(copies[k], at: Int(number), in: table) {
            let row = copies[k]
            if row.currency == plan.currency.index {
                let amount = Ratio(table.amount(row, at: Int(number))), share = Ratio(table.share(row, at: Int(number)))
                amounts.append(row.share == 1 && row.shareScale == 0 ? amount : (try? amount.multiplied(by: share)) ?? .zero)
            } else if let c = credit(table[Int(number)], plan: plan) {
                if let conversion = c.conversion { conversions[rows.count] = conversion }
                amounts.append(c.amount)
            } else {
                continue
            }
            picked.append(number)
            rows.append(row)
            positions.append(k)
        }
        return RowCredits(table: table, plan: plan, numbers: picked, rows: rows, amounts: amounts, conversions: conversions,
                          tests: prepared.textTests[plan.name])
    }

    /// Which reports' credits the plan reads: its team measures' scopes and its overrides'.
    static func reportScopes(of plan: CompiledPlan) -> (direct: Bool, all: Bool) {
        var scopes = Set(plan.measures.compactMap(\.creditScope))
        for c in plan.components { if case .override(_, let scope, _) = c.rule { scopes.insert(scope) } }
        return (scopes.contains(.direct), scopes.contains(.all))
    }

    /// The deals of a manager's reports (`direct`, or everyone below) that the manager's plan reads, in credit order.
    ///
    /// Without hierarchy.csv the roster's tree holds for all time. With it, the candidates are every rep under the
    /// manager on any date, and a deal is kept only when the manager is over its rep on the deal's close date.
    /// `below`: everyone below the manager, when known (`subtree(of:)`); it is read for the whole subtree only.
    mutating func reportCredits(of manager: String, direct: Bool = false, below: [String]? = nil, part: Part) -> [Credit] {
        let ids = direct ? prepared.reports[manager] ?? [] : below ?? subtree(of: manager)
        guard let h = prepared.data.hierarchy, let m = h.place[manager] else { return reportCredits(ids, part: part) }
        if direct {
            return reportCredits(ids, part: part) { deal in
                h.place[deal.repID].map { h.reports(place: $0, to: m, on: deal.closeDate, direct: true) } ?? false
            }
        }
        // Who is below the manager on each date, remembered as the walks up find it.
        var known: [CivilDate: [Int: Bool]] = [:]
        return reportCredits(ids, part: part) { deal in
            guard let r = h.place[deal.repID] else { return false }
            return h.isBelow(place: r, manager: m, on: deal.closeDate, memo: &known[deal.closeDate, default: [:]])
        }
    }

    /// The reps' deals closed in the part's window while they were employed (and, with `inForce`, for which it holds),
    /// in credit order.
    mutating func reportCredits(_ ids: [String], part: Part, inForce: ((Deal) -> Bool)? = nil) -> [Credit] {
        var all: [Credit] = []
        for id in ids {
            guard let rep = prepared.rep(id) else { continue }
            // The dated tree is walked only for deals inside the part's window (the others are not credited anyway).
            let employed = prepared.deals(of: id).filter { d in
                rep.hireDate <= d.closeDate && (rep.endDate.map { d.closeDate <= $0 } ?? true)
                    && (inForce.map { part.window.start <= d.closeDate && d.closeDate <= part.window.end && $0(d) } ?? true)
            }
            all += credits(of: employed, part: part).credits
        }
        return all.sorted { Engine.creditOrder($0.deal, $1.deal) }
    }

    /// Everyone below a rep: in the roster's tree, or with hierarchy.csv on any date (each rep once, and never the rep
    /// itself, which a reorg can place below its own reports on other dates).
    func subtree(of id: String) -> [String] {
        var out: [String] = []
        var stack = prepared.reports[id] ?? []
        if prepared.data.hierarchy == nil {
            while let next = stack.popLast() {
                out.append(next)
                stack += prepared.reports[next] ?? []
            }
            return out
        }
        var seen: Set<String> = [id]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            out.append(next)
            stack += prepared.reports[next] ?? []
        }
        return out
    }

    /// One deal row credited under a plan: its amount (converted when in another currency) times the share.
    mutating func credit(_ deal: Deal, plan: CompiledPlan) -> Credit? {
        var amount = deal.amount
        var conversion: Conversion?
        if deal.currency != plan.currency {
            let date = plan.fxDate == .closeDate ? deal.closeDate : Period.containing(deal.closeDate, kind: plan.periodKind, in: plan.calendar).start
            guard let rate = prepared.fx?.rate(on: date, from: deal.currency, to: plan.currency) else {
                let pair = "\(deal.currency.code)→\(plan.currency.code)"
                if reportedRates.insert("\(pair) \(date)").inserted {
                    let fx = prepared.fx
                    diagnostics.append(.error("R306", "no \(pair) exchange rate for \(date) (deal `\(deal.dealID)`, plan \"\(plan.name)\" pays in \(plan.currency.code))",
                                              at: SourceSpan(path: prepared.dealsPath, line: deal.line, column: 1, width: 1, lineText: ""),
                                              notes: [.help(fx == nil ? "add fx.csv (date,from,to,rate) to the data folder" : "add a row `\(date),\(deal.currency.code),\(plan.currency.code),<rate>` to \(fx!.path)")]))
                }
                return nil
            }
            // The converted amount is rounded to the plan currency's minor units by the plan's rounding mode.
            guard let converted = try? deal.amount.multiplied(by: rate).rounded(scale: plan.currency.minorUnits, mode: plan.rounding.mode) else {
                diagnostics.append(.error("R390", "deal `\(deal.dealID)` is too large to convert exactly", at: nil))
                return nil
            }
            amount = converted
            conversion = Conversion(original: Money(deal.amount, deal.currency), rate: rate, date: date)
        }
        let credited = (try? Ratio(amount).multiplied(by: Ratio(deal.share))) ?? .zero
        return Credit(deal: deal, amount: credited, conversion: conversion)
    }

    /// Segments of one period become one statement: every line labelled with its segment, totals over all of them.
    mutating func merge(_ segments: [Statement], parts: [Part]) -> Statement? {
        guard segments.count > 1, let last = segments.last else { return segments.first }
        var lines: [StatementLine] = []
        var target = ExactDecimal.zero
        // The columns any segment's plan shows, in order of first appearance; each line's values placed under them.
        var shown: [String] = []
        for s in segments { for f in s.shownFields where !shown.contains(f) { shown.append(f) } }
        for (i, s) in segments.enumerated() {
            let places = s.shownFields == shown ? nil : shown.map { s.shownFields.firstIndex(of: $0) }
            for var line in s.lines {
                line.segment = i + 1
                if let places, let values = line.shown { line.shown = places.map { $0.map { values[$0] } ?? "" } }
                lines.append(line)
            }
            if case .success(let t) = ExactDecimal.parse(s.targetIncentive), let sum = try? target.adding(t) { target = sum }
        }
        let days = parts.reduce(0) { $0 + $1.inPeriod.end.dayNumber - $1.inPeriod.start.dayNumber + 1 }
        guard var merged = try? Statement(payeeID: last.payeeID, payeeName: last.payeeName, planName: last.planName, planVersion: last.planVersion,
                                          planPath: last.planPath, period: period, currency: last.currency, measures: last.measures,
                                          totalAttainment: last.totalAttainment, targetIncentive: target.text(minimumScale: last.currency.minorUnits),
                                          proration: days == period.dayCount ? nil : "\(days)/\(period.dayCount)", lines: lines) else {
            diagnostics.append(.error("R390", "the totals for rep `\(last.payeeID)` are too large to compute exactly", at: nil))
            return nil
        }
        merged.shownFields = shown
        merged.segments = zip(segments, parts).map { s, p in
            Segment(planName: s.planName, planVersion: s.planVersion, planPath: s.planPath, from: p.inPeriod.start, to: p.inPeriod.end,
                    measures: s.measures, totalAttainment: s.totalAttainment, targetIncentive: s.targetIncentive, proration: s.proration)
        }
        return merged
    }
}
