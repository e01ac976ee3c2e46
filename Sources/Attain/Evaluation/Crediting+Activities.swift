// Crediting activities: each payee's activities dated in a part's window (on their active days), and their reports'
// for team measures, beside the deals' crediting and apart from it.

extension Crediting {
    /// An activity as a credit under a plan: a row that counts 1 (its `count` is read as `activity.count`).
    static func credit(_ a: Activity, plan: CompiledPlan) -> Credit {
        let row = Deal(dealID: a.activityID, repID: a.repID, closeDate: a.date, amount: a.count, currency: plan.currency, product: "",
                       type: a.kind, share: .one, status: .won, cancelDate: nil, extras: a.extras, line: a.line)
        return Credit(deal: row, amount: Ratio(a.count))
    }

    /// The payee's own activities dated in the part's window, in date order.
    func activityCredits(of rep: Rep, part: Part) -> [Credit] {
        guard let table = prepared.data.activities else { return [] }
        return table.of(rep.id).filter { part.window.start <= $0.date && $0.date <= part.window.end }.map { Crediting.credit($0, plan: part.plan) }
    }

    /// The activities of a manager's reports (`direct`, or everyone below) dated in the part's window on days the report
    /// was employed and (with hierarchy.csv) under the manager, in date order, ties by activity id and rep.
    func reportActivityCredits(of manager: String, direct: Bool, below: [String], part: Part) -> [Credit] {
        guard let table = prepared.data.activities else { return [] }
        let ids = direct ? prepared.reports[manager] ?? [] : below
        let h = prepared.data.hierarchy
        let m = h?.place[manager]
        var known: [CivilDate: [Int: Bool]] = [:]
        var out: [Activity] = []
        for id in ids {
            guard let rep = prepared.rep(id) else { continue }
            for a in table.of(id) where part.window.start <= a.date && a.date <= part.window.end {
                guard rep.hireDate <= a.date, rep.endDate.map({ a.date <= $0 }) ?? true else { continue }
                if let h, let m {
                    guard let r = h.place[id] else { continue }
                    let under = direct ? h.reports(place: r, to: m, on: a.date, direct: true)
                        : h.isBelow(place: r, manager: m, on: a.date, memo: &known[a.date, default: [:]])
                    if !under { continue }
                }
                out.append(a)
            }
        }
        out.sort { ($0.date, $0.activityID, $0.repID) < ($1.date, $1.activityID, $1.repID) }
        return out.map { Crediting.credit($0, plan: part.plan) }
    }

    /// Fills the part's input with the activities its plan's measures of activities read.
    func addActivities(to input: inout PayeeInput, rep: Rep, part: Part) {
        guard prepared.data.activities != nil, part.plan.readsActivities else { return }
        let scopes = Set(part.plan.measures.filter(\.readsActivities).map(\.creditScope))
        if scopes.contains(nil) { input.activities = activityCredits(of: rep, part: part) }
        if scopes.contains(.direct) { input.directReportActivities = reportActivityCredits(of: rep.id, direct: true, below: [], part: part) }
        if scopes.contains(.all) { input.allReportActivities = reportActivityCredits(of: rep.id, direct: false, below: subtree(of: rep.id), part: part) }
    }

    /// Where a rep's activities dated in the period went, for the reconciliation: counted by a measure of the plan of
    /// the part whose window holds the date, or not and why. `counted`: per part, the activities its evaluation counted.
    mutating func recordActivities(of rep: Rep, parts: [Part], counted: [(part: Int, activities: [Credit], counted: [Bool])], leftTo: CompiledPlan? = nil) {
        guard var t = activityTally, let table = prepared.data.activities else { return }
        activityTally = nil
        defer { activityTally = t }
        for a in table.of(rep.id) {
            t.read.add(a)
            guard period.contains(a.date) else { t.outside.add(a); continue }
            t.inPeriod.add(a)
            guard let p = parts.firstIndex(where: { $0.inPeriod.start <= a.date && a.date <= $0.inPeriod.end }) else {
                // A rep left to the close of another period kind (`Crediting+PeriodKinds.swift`).
                if let leftTo {
                    t.add(.otherPeriodKind, a, plan: leftTo.name, field: "rep_id", value: rep.id, span: nil, expects: [])
                    continue
                }
                t.add(.noAssignment, a, plan: nil, field: "rep_id", value: rep.id, span: nil, expects: [])
                continue
            }
            let plan = parts[p].plan
            let own = plan.measures.filter { $0.readsActivities && $0.creditScope == nil }
            if own.isEmpty {
                t.add(.noActivityMeasure, a, plan: plan.name, field: "rep_id", value: rep.id, span: nil, expects: [])
                continue
            }
            if let c = counted.first(where: { $0.part == p }), let k = c.activities.firstIndex(where: { $0.deal.dealID == a.activityID }), c.counted[k] {
                t.counted.add(a)
                continue
            }
            // Not counted: by a value some filter of the plans names (on purpose), or by one none names.
            let reads = own.compactMap(\.filter).flatMap(ActivityTally.reads).filter { !$0.literals.isEmpty }
            var unmatched: (field: ActivityField, literals: [String], trace: SourceSpan)?
            for read in reads {
                let value = ActivityTally.text(read.field, of: a)
                if !(prepared.activityNames[read.field.name]?.contains(value) ?? false) {
                    let trace = own.first { $0.filter.map(ActivityTally.reads)?.contains { $0.field == read.field } ?? false }?.trace
                    unmatched = (read.field, read.literals, trace ?? plan.trace)
                    break
                }
            }
            if let u = unmatched {
                t.add(.noMatchingFilter, a, plan: plan.name, field: u.field.name, value: ActivityTally.text(u.field, of: a), span: u.trace, expects: u.literals)
            } else {
                // Left out on purpose. By a measure whose required values all match: the rest of its filter (`!=`,
                // `not in`, a number) left it out, so its words say why ...
                let filtered = own.filter { $0.filter != nil }
                if let m = filtered.first(where: { m in
                    ActivityTally.reads(m.filter!).allSatisfy { $0.literals.isEmpty || $0.literals.contains(ActivityTally.text($0.field, of: a)) }
                }) {
                    t.add(.excludedByFilter, a, plan: plan.name, field: "filter", value: m.filterText ?? "", span: m.trace, expects: [])
                } else if let m = filtered.first, let r = ActivityTally.reads(m.filter!).first(where: { !$0.literals.contains(ActivityTally.text($0.field, of: a)) }) {
                    // ... or by the first measure's first field whose value is not one it requires.
                    t.add(.excludedByFilter, a, plan: plan.name, field: r.field.name, value: ActivityTally.text(r.field, of: a), span: m.trace, expects: r.literals)
                } else {
                    t.add(.excludedByFilter, a, plan: plan.name, field: "filter", value: filtered.first?.filterText ?? "", span: filtered.first?.trace, expects: [])
                }
            }
        }
    }
}
