// Where every activity of a run went: read, dated in the period, counted by a measure, or not counted and why.
// Activities carry no money, so they are reconciled apart from deals, by number of rows and the sum of their counts.

/// What became of the rows of activities.csv in one run.
public struct ActivityReconciliation: Sendable {
    /// Why an activity dated in the period is not counted by any measure of its payee's plan.
    public enum Reason: String, Sendable, CaseIterable {
        /// The rep is not in roster.csv (the loader's warning D269 names them).
        case notOnRoster = "not_on_roster"
        /// No plan assignment covers the date, or the rep was not employed on it (warning R348).
        case noAssignment = "no_assignment"
        /// The payee's plan has no measure of their own activities: a named rule, no warning.
        case noActivityMeasure = "no_activity_measure"
        /// A measure's `where` leaves it out by a value some filter of the plans names: on purpose.
        case excludedByFilter = "excluded_by_filter"
        /// A measure's `where` leaves it out by a value no filter of any plan names (warning R354).
        case noMatchingFilter = "no_matching_filter"
        /// The rep is on a plan of another period kind in the period: that kind's close counts it (a named rule).
        case otherPeriodKind = "other_period_kind"

        public var words: String {
            switch self {
            case .notOnRoster: return "rep not on the roster"
            case .noAssignment: return "no assignment on the date"
            case .noActivityMeasure: return "plan measures no activities"
            case .excludedByFilter: return "excluded by a filter on purpose"
            case .noMatchingFilter: return "no filter matches a value"
            case .otherPeriodKind: return "closed with another period kind"
            }
        }
    }

    /// A number of activities and the sum of their `count`s.
    public struct Figure: Sendable, Equatable {
        public var activities = 0
        public var count = ExactDecimal.zero

        mutating func add(_ a: Activity) {
            activities += 1
            count = (try? count.adding(a.count)) ?? count
        }

        mutating func add(_ f: Figure) {
            activities += f.activities
            count = (try? count.adding(f.count)) ?? count
        }
    }

    /// Activities not counted for one reason under one plan, with the values that put them there.
    public struct Group: Sendable {
        public let reason: Reason
        public let plan: String?
        /// `activity.kind`, … or `rep_id`, `plan`.
        public let field: String
        public let source: String?
        let span: SourceSpan?
        public let expects: [String]
        public var figure = Figure()
        public var values: [String: Figure] = [:]

        public var sortedValues: [(value: String, figure: Figure)] {
            values.map { ($0.key, $0.value) }.sorted { ($1.figure.activities, $0.value) < ($0.figure.activities, $1.value) }
        }
    }

    public let periods: [String]
    public var read = Figure()
    public var inPeriod = Figure()
    public var outside = Figure()
    public var counted = Figure()
    public var notCounted: [Reason: Figure] = [:]
    public var groups: [Group] = []
    let path: String

    /// Counted and not counted add up to the activities in the period, and those and the others to every row read.
    public var addsUp: Bool {
        var sum = counted
        for f in notCounted.values { sum.add(f) }
        var all = inPeriod
        all.add(outside)
        return sum == inPeriod && all == read
    }

    /// The table for the terminal, under the deals'.
    public func text() -> String {
        let label = periods.joined(separator: ", ")
        var rows: [[String]] = [["activities of \(label)", "activities", "count"]]
        func row(_ words: String, _ f: Figure) -> [String] { [words, String(f.activities), f.count.normalized.description] }
        rows.append(row("read", read))
        rows.append(row("in \(label)", inPeriod))
        rows.append(row("  counted by a measure", counted))
        for reason in Reason.allCases {
            if let f = notCounted[reason], f.activities > 0 { rows.append(row("  not counted: \(reason.words)", f)) }
        }
        rows.append(row("before or after", outside))
        var out = TextTable.render(rows, numeric: [1, 2])
        for g in groups where g.reason == .excludedByFilter || g.reason == .noActivityMeasure {
            let values = g.sortedValues.prefix(Reconciliation.shownValues).map { "\(g.field == "filter" ? "`\($0.value)`" : Reconciliation.quoted($0.value)) (\($0.figure.activities))" }.joined(separator: ", ")
            let what = g.reason == .noActivityMeasure ? "plan \"\(g.plan ?? "")\" measures no activities" : "left out on purpose by \(g.plan ?? "") (\(g.source ?? ""))"
            out += Diagnostics.visible("\(what): \(ActivityReconciliation.count(g.figure.activities)), \(g.field == "rep_id" ? "rep_id" : g.field == "filter" ? "by" : "activity." + g.field) \(values)") + "\n"
        }
        return out
    }

    static func count(_ n: Int) -> String { "\(n) activit\(n == 1 ? "y" : "ies")" }

    /// R354 for activities a filter leaves out with a value no filter names, R348 for those with no assignment.
    public func warnings() -> [Diagnostic] {
        let label = periods.joined(separator: ", ")
        var out: [Diagnostic] = []
        for g in groups {
            let values = g.sortedValues.prefix(Reconciliation.shownValues).map { "\(Reconciliation.quoted($0.value)) (\($0.figure.activities))" }.joined(separator: ", ")
            let more = g.values.count > Reconciliation.shownValues ? " and \(g.values.count - Reconciliation.shownValues) more" : ""
            switch g.reason {
            case .noMatchingFilter:
                let expects = g.expects.isEmpty ? "" : " expect \(g.expects.map(Reconciliation.quoted).joined(separator: ", "))"
                var notes: [Diagnostic.Note] = [.note("dated in \(label) and credited to payees on plan \"\(g.plan ?? "")\", but no measure of that plan counts them")]
                for (value, _) in g.sortedValues.prefix(Reconciliation.shownValues) {
                    if let near = g.expects.first(where: { Reconciliation.folded($0) == Reconciliation.folded(value) && $0 != value }) {
                        notes.append(.help("\(Reconciliation.quoted(value)) differs from \(Reconciliation.quoted(near)) only by case, spaces or punctuation: correct the data, or name \(Reconciliation.quoted(value)) in the filter"))
                    }
                }
                notes.append(.help("if the plan leaves these out on purpose, name the value in a filter of the plans (e.g. `and activity.\(g.field) != \"\(g.sortedValues.first?.value ?? "")\"`); --strict makes this an error"))
                out.append(.warning("R354", "\(ActivityReconciliation.count(g.figure.activities)): activity.\(g.field) \(values)\(more) matches no filter; filters at \(g.source ?? "")\(expects)",
                                    at: g.span, notes: notes))
            case .noAssignment:
                out.append(.warning("R348", "\(ActivityReconciliation.count(g.figure.activities)) dated in \(label) \(g.figure.activities == 1 ? "has no plan assignment on its date" : "have no plan assignment on their dates"), or their rep was not employed then: rep_id \(values)\(more); they are not counted", at: nil,
                                    notes: [.help("add rows to assignments.csv covering these dates, or correct the dates in \(path)")]))
            case .notOnRoster, .noActivityMeasure, .excludedByFilter, .otherPeriodKind:
                break
            }
        }
        return out
    }

    /// The figures `summary.json` carries under `reconciliation.activities`.
    public var json: JSONValue {
        func figure(_ f: Figure) -> JSONValue { .object(["activities": .int(f.activities), "count": .string(f.count.normalized.description)]) }
        var reasons: [String: JSONValue] = [:]
        for r in Reason.allCases where r != .otherPeriodKind || (notCounted[r]?.activities ?? 0) > 0 { reasons[r.rawValue] = figure(notCounted[r] ?? Figure()) }
        return .object([
            "read": figure(read), "in_period": figure(inPeriod), "outside_period": figure(outside), "counted": figure(counted),
            "not_counted": .object(reasons),
            "groups": .array(groups.map { g in
                var members: [String: JSONValue] = [
                    "reason": .string(g.reason.rawValue), "field": .string(g.field), "activities": .int(g.figure.activities),
                    "count": .string(g.figure.count.normalized.description), "expects": .array(g.expects.map { .string($0) }),
                    "values": .array(g.sortedValues.prefix(Reconciliation.groupValues).map { v, f in
                        .object(["value": .string(v), "activities": .int(f.activities)])
                    }),
                ]
                if let plan = g.plan { members["plan"] = .string(plan) }
                if let source = g.source { members["source"] = .string(source) }
                return .object(members)
            }),
        ])
    }
}

/// One core's tally of its payees' activities; the tallies of all cores are joined in payee order.
struct ActivityTally: Sendable {
    var read = ActivityReconciliation.Figure()
    var inPeriod = ActivityReconciliation.Figure()
    var outside = ActivityReconciliation.Figure()
    var counted = ActivityReconciliation.Figure()
    var notCounted: [ActivityReconciliation.Reason: ActivityReconciliation.Figure] = [:]
    /// Groups in the order first met, by reason, plan and field.
    var groups: [ActivityReconciliation.Group] = []

    mutating func add(_ reason: ActivityReconciliation.Reason, _ a: Activity, plan: String?, field: String, value: String, span: SourceSpan?, expects: [String]) {
        notCounted[reason, default: .init()].add(a)
        let i = groups.firstIndex { $0.reason == reason && $0.plan == plan && $0.field == field } ?? {
            groups.append(ActivityReconciliation.Group(reason: reason, plan: plan, field: field, source: span.map { "\($0.path):\($0.line)" }, span: span, expects: expects))
            return groups.count - 1
        }()
        groups[i].figure.add(a)
        groups[i].values[value, default: .init()].add(a)
    }

    mutating func join(_ other: ActivityTally) {
        read.add(other.read)
        inPeriod.add(other.inPeriod)
        outside.add(other.outside)
        counted.add(other.counted)
        for (r, f) in other.notCounted { notCounted[r, default: .init()].add(f) }
        for g in other.groups {
            if let i = groups.firstIndex(where: { $0.reason == g.reason && $0.plan == g.plan && $0.field == g.field }) {
                groups[i].figure.add(g.figure)
                for (v, f) in g.values { groups[i].values[v, default: .init()].add(f) }
            } else {
                groups.append(g)
            }
        }
    }

    /// The activities of reps not in the roster.
    mutating func add(unrostered: [Activity], period: Period) {
        for a in unrostered {
            read.add(a)
            if period.contains(a.date) {
                inPeriod.add(a)
                add(.notOnRoster, a, plan: nil, field: "rep_id", value: a.repID, span: nil, expects: [])
            } else {
                outside.add(a)
            }
        }
    }

    func finished(period: Period, path: String) -> ActivityReconciliation {
        let order = ActivityReconciliation.Reason.allCases
        let sorted = groups.sorted { a, b in
            let (x, y) = (order.firstIndex(of: a.reason)!, order.firstIndex(of: b.reason)!)
            return (x, a.plan ?? "", a.field) < (y, b.plan ?? "", b.field)
        }
        return ActivityReconciliation(periods: [period.label], read: read, inPeriod: inPeriod, outside: outside, counted: counted,
                                      notCounted: notCounted, groups: sorted, path: path)
    }

    /// The text fields of activities a condition requires to be one of some literals (`=`, `in`), with them.
    static func reads(_ e: CheckedExpr) -> [(field: ActivityField, literals: [String])] {
        var out: [(field: ActivityField, literals: [String])] = []
        func add(_ f: ActivityField, _ literals: [String]) {
            if let i = out.firstIndex(where: { $0.field == f }) {
                for l in literals where !out[i].literals.contains(l) { out[i].literals.append(l) }
            } else {
                out.append((f, literals))
            }
        }
        func walk(_ e: CheckedExpr, positive: Bool) {
            switch e {
            case .compare(.equal, .activityField(let f), .constant(.text(let s))), .compare(.equal, .constant(.text(let s)), .activityField(let f)):
                if positive { add(f, [s]) }
            case .member(.activityField(let f), let values, let negated):
                if negated != positive { add(f, values.compactMap { if case .text(let s) = $0 { return s } else { return nil } }) }
            case .not(let a): walk(a, positive: !positive)
            case .logical(_, let a, let b):
                walk(a, positive: positive)
                walk(b, positive: positive)
            default: break
            }
        }
        walk(e, positive: true)
        return out
    }

    /// Every text literal a filter of a measure of activities compares an activity field with, by field name.
    static func named(in plans: [CompiledPlan]) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        func walk(_ e: CheckedExpr) {
            switch e {
            case .compare(_, .activityField(let f), .constant(.text(let s))), .compare(_, .constant(.text(let s)), .activityField(let f)):
                out[f.name, default: []].insert(s)
            case .member(.activityField(let f), let values, _):
                for case .text(let s) in values { out[f.name, default: []].insert(s) }
            case .not(let a), .negate(let a): walk(a)
            case .logical(_, let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b):
                walk(a)
                walk(b)
            default: break
            }
        }
        for plan in plans {
            for m in plan.measures where m.readsActivities { if let f = m.filter { walk(f) } }
        }
        return out
    }

    /// An activity's value of a text field, as a condition reads it.
    static func text(_ f: ActivityField, of a: Activity) -> String {
        switch f {
        case .activityID: return a.activityID
        case .repID: return a.repID
        case .kind: return a.kind
        case .date: return a.date.description
        case .count: return a.count.normalized.description
        case .extra(let name):
            if case .text(let s)? = a.extras[name] { return s }
            return a.extras[name]?.text ?? ""
        }
    }
}

extension ActivityReconciliation {
    /// Two periods' reconciliations of the same activities as one: activities in either period, the rest outside.
    static func combined(_ a: ActivityReconciliation?, _ b: ActivityReconciliation?) -> ActivityReconciliation? {
        guard var out = a, let b else { return a ?? b }
        out = ActivityReconciliation(periods: out.periods + b.periods, read: out.read, inPeriod: out.inPeriod, outside: out.outside,
                                     counted: out.counted, notCounted: out.notCounted, groups: out.groups, path: out.path)
        out.inPeriod.add(b.inPeriod)
        out.counted.add(b.counted)
        for (r, f) in b.notCounted { out.notCounted[r, default: Figure()].add(f) }
        out.outside = Figure(activities: out.read.activities - out.inPeriod.activities,
                             count: (try? out.read.count.subtracting(out.inPeriod.count)) ?? out.read.count)
        for g in b.groups {
            if let i = out.groups.firstIndex(where: { $0.reason == g.reason && $0.plan == g.plan && $0.field == g.field }) {
                out.groups[i].figure.add(g.figure)
                for (v, f) in g.values { out.groups[i].values[v, default: Figure()].add(f) }
            } else {
                out.groups.append(g)
            }
        }
        return out
    }
}
