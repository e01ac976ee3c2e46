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
    var reportedPlans: Set<String> = []
    var reportedRates: Set<String> = []
    /// At most this many chunks of payees are evaluated in parallel (1: all on one core).
    let maxChunks: Int
    /// False when only amounts are needed: statement lines then carry no text.
    let detail: Bool
    /// True when only totals are needed and nothing is settled against a ledger: each statement keeps one line per
    /// kind and component (`Statement.collapseLines`), so memory does not grow with the number of deals.
    let lean: Bool
    /// When each payee can be settled alone (`Settlement.settlesAlone`): the ledger history to settle it against as its
    /// statement is made. Nil when the run settles all payees together afterwards.
    let settleAlone: LedgerHistory?
    /// Called with each settled statement as it is made, on the core that made it (say, to write its files and keep
    /// only its totals). Only with `settleAlone`.
    let each: (@Sendable (inout Statement) -> Void)?

    init(prepared: PreparedRun, period: Period, maxChunks: Int = 64, detail: Bool = true, lean: Bool = false,
         settleAlone: LedgerHistory? = nil, each: (@Sendable (inout Statement) -> Void)? = nil) {
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
    }

    /// Every payee's statement, in payee id order. Errors and warnings go to `diagnostics`.
    ///
    /// Payees are evaluated in contiguous chunks across the cores; the chunks' results and messages are joined in
    /// payee order, so the output is the same as one core's.
    mutating func statements() -> [PayeeResult] {
        let reps = prepared.data.reps
        let chunks = reps.count < 256 ? 1 : max(1, min(maxChunks, reps.count / 128))
        let (prepared, period, detail, lean, history, each) = (self.prepared, self.period, self.detail, self.lean, self.settleAlone, self.each)
        let chunkResults = Parallel.map(chunks) { c in
            let range = Parallel.piece(c, of: chunks, over: reps.count)
            var worker = Crediting(prepared: prepared, period: period, detail: detail, lean: lean, settleAlone: history, each: each)
            let (results, unassigned) = worker.statements(of: reps[range])
            return (results, unassigned, worker.diagnostics, worker.settlementDiagnostics)
        }
        var out: [PayeeResult] = []
        var unassigned: [(String, Int)] = []
        // Messages said once per run (a plan's period or dates, a missing rate) stay once.
        var said: Set<String> = []
        for chunk in chunkResults {
            let (results, missing, d, settled) = chunk!
            out += results
            unassigned += missing
            settlementDiagnostics.append(contentsOf: settled)
            for item in d.items {
                if ["R304", "R305", "R306"].contains(item.code), !said.insert(item.code + item.message).inserted { continue }
                diagnostics.append(item)
            }
        }
        for (rep, count) in unassigned where !diagnostics.hasErrors {
            diagnostics.append(.warning("R310", "rep `\(rep)` has \(count) deal\(count == 1 ? "" : "s") closed in \(period) but no plan assignment covering it; they are not paid", at: nil))
        }
        return out
    }

    /// The statements of some payees, and those with deals but no assignment.
    mutating func statements(of reps: ArraySlice<Rep>) -> ([PayeeResult], [(String, Int)]) {
        var out: [PayeeResult] = []
        var unassigned: [(String, Int)] = []
        var settlement = settleAlone.map { Settlement(prepared: prepared, period: period, history: $0) }
        let table = prepared.data.deals
        for rep in reps {
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
            // The rep's deals closed in the period (as positions in `ownRows`).
            let p = period
            let closedInPeriod = dates.indices.filter { p.contains(dates[$0].close) && Crediting.counts(dates[$0], clawbackDays: nil, asOf: p.end) }
            let assignments = (prepared.assignmentsByRep[rep.id] ?? []).filter { a in
                a.start <= period.end && (a.end ?? period.end) >= period.start
            }
            if assignments.isEmpty {
                if !closedInPeriod.isEmpty { unassigned.append((rep.id, closedInPeriod.count)) }
                continue
            }
            guard let parts = self.parts(of: rep, assignments) else { continue }
            if parts.isEmpty {
                if !closedInPeriod.isEmpty {
                    let n = closedInPeriod.count
                    diagnostics.append(.warning("R311", "rep `\(rep.id)` was not employed on plan \"\(assignments[0].plan)\" during \(period) but has \(n) deal\(n == 1 ? "" : "s") closed in it; they are not paid", at: nil))
                }
                continue
            }
            let outside = closedInPeriod.filter { i in !parts.contains { $0.inPeriod.start <= dates[i].close && dates[i].close <= $0.inPeriod.end } }
            if !outside.isEmpty {
                let ids = outside.map { "`\(table.id(of: Int(ownRows[ownRows.startIndex + $0])))`" }
                let on = parts.map { "from \($0.inPeriod.start) to \($0.inPeriod.end)" }.joined(separator: " and ")
                diagnostics.append(.warning("R312", "rep `\(rep.id)` is on plan \"\(parts[0].plan.name)\" \(on) in \(period); deal\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) closed outside that and \(ids.count == 1 ? "is" : "are") not paid", at: nil))
            }
            var segments: [Statement] = []
            for part in parts {
                // A run that needs amounts only reads the rows themselves, when the plan reads no reports' credits and caps no
                // single deal (which would need each deal's line).
                let rowsOnly = lean && !part.plan.readsReports && !part.plan.components.contains { $0.caps.contains { $0.scope == .deal } }
                var input = PayeeInput(rep: rep, assignment: part.assignment, credits: rowsOnly ? [] : credits(of: own(), part: part, report: false),
                                       period: period, assignmentsPath: prepared.data.assignmentsPath)
                if rowsOnly { input.rowCredits = rowCredits(ownRows, rows: rows, part: part) }
                if part.plan.yearToDate != nil { input.prorationPeriod = period.year }
                input.detail = detail
                input.summed = lean
                if part.plan.readsReports {
                    let below = subtree(of: rep.id)
                    input.directReportCredits = reportCredits(of: rep.id, direct: true, part: part)
                    input.allReportCredits = reportCredits(of: rep.id, below: below, part: part)
                    // Names for the statement's roll-ups: one per rep below (every direct report is one).
                    if detail {
                        for id in below { input.reportNames[id] = prepared.rep(id)?.name ?? "" }
                    }
                }
                switch Evaluator.statement(plan: part.plan, input: input) {
                case .success(var s):
                    if part.plan.yearToDate != nil { s.measuredOver = "\(part.window.start) to \(part.window.end)" }
                    segments.append(s)
                case .failure(let d): diagnostics.append(contentsOf: d)
                }
            }
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
        return (out, unassigned)
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
                if reportedPlans.insert(plan.name).inserted {
                    diagnostics.append(.error("R304", "plan \"\(plan.name)\" pays by \(plan.periodKind.rawValue), but the run is for \(period.kind.rawValue) \(period)", at: nil,
                                              notes: [.help("run it with a period such as --period \(Period.example(plan.periodKind))")]))
                }
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
            let window = plan.yearToDate != nil ? Evaluator.activeWindow(rep: rep, assignment: a, period: period.yearToDate)! : inPeriod
            parts.append(Part(assignment: a, plan: plan, window: window, inPeriod: inPeriod))
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
        let asOf = part.plan.yearToDate != nil && part.plan.clawback == nil ? Period.containing(d.close, kind: period.kind).end : period.end
        return Crediting.counts(d, clawbackDays: part.plan.clawback?.days, asOf: asOf)
    }

    /// A rep's deals closed in the part's window, converted into the plan's currency.
    mutating func credits<Deals: Sequence<Deal>>(of deals: Deals, part: Part, report: Bool) -> [Credit] {
        var out: [Credit] = []
        for deal in deals where credits(deal.dates, in: part) {
            if let c = credit(deal, plan: part.plan) { out.append(c) }
        }
        return out
    }

    /// The same credits as `credits(of:part:report:)` for a rep's own rows, read from the table. Only a row in another
    /// currency than the plan's is made into a deal, to be converted.
    mutating func rowCredits(_ numbers: ArraySlice<Int32>, rows copies: [DealTable.Row], part: Part) -> RowCredits {
        let table = prepared.data.deals
        let plan = part.plan
        var picked: [Int32] = [], rows: [DealTable.Row] = [], amounts: [Ratio] = [], conversions: [Int: Conversion] = [:]
        picked.reserveCapacity(numbers.count)
        rows.reserveCapacity(numbers.count)
        amounts.reserveCapacity(numbers.count)
        for (k, number) in numbers.enumerated() where credits(copies[k].dates, in: part) {
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
        }
        return RowCredits(table: table, plan: plan, numbers: picked, rows: rows, amounts: amounts, conversions: conversions,
                          tests: prepared.textTests[plan.name])
    }

    /// The deals of a manager's reports (`direct`, or everyone below) that the manager's plan reads, in credit order.
    ///
    /// Without hierarchy.csv the roster's tree holds for all time. With it, the candidates are every rep under the
    /// manager on any date, and a deal is kept only when the manager is over its rep on the deal's close date.
    /// `below`: everyone below the manager, when known (`subtree(of:)`); it is read for the whole subtree only.
    mutating func reportCredits(of manager: String, direct: Bool = false, below: [String]? = nil, part: Part) -> [Credit] {
        let ids = direct ? prepared.reports[manager] ?? [] : below ?? subtree(of: manager)
        guard let h = prepared.data.hierarchy, let m = h.place[manager] else { return reportCredits(ids, part: part) }
        return reportCredits(ids, part: part) { deal in
            h.place[deal.repID].map { h.reports(place: $0, to: m, on: deal.closeDate, direct: direct) } ?? false
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
            all += credits(of: employed, part: part, report: true)
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
            let date = plan.fxDate == .closeDate ? deal.closeDate : Period.containing(deal.closeDate, kind: plan.periodKind).start
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
        for (i, s) in segments.enumerated() {
            for var line in s.lines {
                line.segment = i + 1
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
        merged.segments = zip(segments, parts).map { s, p in
            Segment(planName: s.planName, planVersion: s.planVersion, planPath: s.planPath, from: p.inPeriod.start, to: p.inPeriod.end,
                    measures: s.measures, totalAttainment: s.totalAttainment, targetIncentive: s.targetIncentive, proration: s.proration)
        }
        return merged
    }
}
