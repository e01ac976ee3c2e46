// Where every deal row of a run went: read, closed in the period, counted by a measure, or not counted and why.
// Finance trusts a total only when it can see that no deal was lost on the way to it.

/// What became of the deal rows of one run (or of several periods, for `compare`).
///
/// Amounts are each row's amount times its split share, in the row's own currency, exact: a split deal is counted
/// once per payee row, and its rows add up to the deal. The measure figures are in the plan's currency.
public struct Reconciliation: Sendable {
    /// Why a row closed in the period is not counted by any measure of its payee's plan.
    public enum Reason: String, Sendable, CaseIterable, Comparable, Codable {
        /// Cancelled by the end of the period (and, with a clawback window, within it).
        case cancelled
        /// The row's rep is not in roster.csv (the loader's warning D230 names them).
        case notOnRoster = "not_on_roster"
        /// No plan assignment covers the close date, or the rep was not employed on it.
        case noAssignment = "no_assignment"
        /// Credited to a payee whose plan's filters leave out a value they name elsewhere: excluded on purpose.
        case excludedByFilter = "excluded_by_filter"
        /// Credited to a payee whose plan's filters leave it out, with a value no filter of any plan names.
        case noMatchingFilter = "no_matching_filter"
        /// Credited to a payee whose plan measures only their reports' deals, none of their own.
        case noOwnMeasure = "no_own_measure"
        /// Credited in a role (deals.csv's `role`) that the payee's plan does not credit (its `credit` line).
        case roleNotCredited = "role_not_credited"
        /// The row's rep is on a plan of another period kind in the period (quarterly, in a monthly close): that kind's
        /// close counts it.
        case otherPeriodKind = "other_period_kind"

        /// Words for the table.
        public var words: String {
            switch self {
            case .cancelled: return "cancelled"
            case .notOnRoster: return "rep not on the roster"
            case .noAssignment: return "no assignment on the close date"
            case .excludedByFilter: return "excluded by a filter on purpose"
            case .noMatchingFilter: return "no filter matches a value"
            case .noOwnMeasure: return "plan measures no own deals"
            case .roleNotCredited: return "role not credited by the plan"
            case .otherPeriodKind: return "closed with another period kind"
            }
        }

        /// Reasons that are a problem someone should look at (a warning; an error with `--strict`).
        public var isProblem: Bool { self != .cancelled && self != .excludedByFilter && self != .otherPeriodKind }

        public static func < (a: Reason, b: Reason) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// A count of rows and their amount.
    public struct Figure: Sendable, Equatable, Codable {
        public var deals = 0
        public var amount = ExactDecimal.zero

        mutating func add(_ other: Figure) {
            deals += other.deals
            amount = (try? amount.adding(other.amount)) ?? amount
        }
    }

    /// The figures of one currency's rows.
    public struct CurrencyFigures: Sendable {
        public let currency: Currency
        /// Every row of deals.csv in this currency.
        public var read = Figure()
        /// The rows of `read` in each credit role other than `owner` (a deal credited in two roles has a row in each).
        public var readByRole: [String: Figure] = [:]
        /// Rows closed in the period(s).
        public var inPeriod = Figure()
        /// Rows closed before or after.
        public var outside = Figure()
        /// Rows closed in the period that a measure of their payee's plan counts.
        public var counted = Figure()
        /// Rows closed in the period that no measure counts, by reason.
        public var notCounted: [Reason: Figure] = [:]
        /// Rows closed in the period credited to a payee on a plan (counted, or not counted by a filter or for want of
        /// an own measure).
        public var credited = Figure()
    }

    /// What one measure of one plan counted, over every payee on the plan.
    public struct MeasureFigure: Sendable, Codable {
        public let plan: String
        public let measure: String
        /// nil: the payee's own deals; otherwise their reports'.
        public let scope: OverrideScope?
        public var deals: Int
        public var value: Ratio
        /// The measure's unit: money in the plan's currency, or a count.
        public let unit: ValueType

        /// The value as a decimal: money with its currency's minor units.
        public var valueText: String {
            if case .money(let c) = unit { return Value.decimalText(value, minimumScale: c.minorUnits) }
            return Value.decimalText(value, minimumScale: 0)
        }

        /// "AE-2026 bookings", with "(reports)" for a measure of reports' deals.
        public var label: String { "\(plan) \(measure)" + (scope == nil ? "" : " (\(scope!.rawValue) reports)") }
    }

    /// One payee's credited rows in one currency.
    public struct PayeeFigure: Sendable, Codable {
        public let payeeID: String
        public let currency: Currency
        public var figure: Figure
    }

    /// Rows not counted for one reason under one plan (or, without a plan, one reason), with the values that put
    /// them there: the field a filter reads, or the rep.
    public struct Group: Sendable, Codable {
        public let reason: Reason
        /// The payee's plan; nil for rows with no assignment.
        public let plan: String?
        /// `deal.type`, `deal.product`, … or `rep_id`.
        public let field: String
        /// The plan line of the filter that reads `field` ("plans/ae.plan:22"), and its span for messages.
        public let source: String?
        let span: SourceSpan?
        public let currency: Currency
        public var figure = Figure()
        /// Each value with its rows, most rows first (ties by value).
        public var values: [String: Figure] = [:]
        /// The literals the plan's filters compare `field` with.
        public let expects: [String]

        public var sortedValues: [(value: String, figure: Figure)] {
            values.map { ($0.key, $0.value) }.sorted { ($1.figure.deals, $0.value) < ($0.figure.deals, $1.value) }
        }

        /// What tells one group from another: reason, plan, field and currency.
        var key: ReconciliationTally.GroupKey {
            ReconciliationTally.GroupKey(reason: reason, plan: plan ?? "", field: field, currency: currency.index)
        }

        /// Rows of another part of the run in the same group.
        mutating func absorb(_ other: Group) {
            figure.add(other.figure)
            for (v, f) in other.values { values[v, default: Figure()].add(f) }
        }
    }

    /// The period label(s) the rows were reconciled for.
    public let periods: [String]
    public var currencies: [CurrencyFigures]
    public var measures: [MeasureFigure]
    public var payees: [PayeeFigure]
    /// Sorted by reason, plan, field and currency.
    public var groups: [Group]
    /// Won rows closed in the period with a negative amount, and rows closed after every plan ends.
    var negativeWon = Extremes.Rows()
    var pastPlanEnd = Extremes.Rows()
    /// Where the rows were read, and the last day any plan given is effective.
    var dealsPath = ""
    var lastPlanEnd: CivilDate?
    /// Where every activity went, when the data folder has activities.csv.
    public var activities: ActivityReconciliation? = nil
    /// Plans that measure activities and no deals at all: their payees' own deals are said so (R341), not as deals of
    /// a plan that measures its reports'.
    public var activityOnlyPlans: Set<String> = []

    /// The sum of the reasons' figures and the counted figure, which is the rows closed in the period.
    public func adds(up c: CurrencyFigures) -> Bool {
        var sum = c.counted
        for f in c.notCounted.values { sum.add(f) }
        var all = c.inPeriod
        all.add(c.outside)
        return sum == c.inPeriod && all == c.read
    }

    /// Several periods' reconciliations of the same rows as one: rows in any of the periods, measures added up.
    public static func combined(_ parts: [Reconciliation]) -> Reconciliation? {
        guard var out = parts.first else { return nil }
        for next in parts.dropFirst() {
            out = Reconciliation(periods: out.periods + next.periods, currencies: out.currencies.map { c in
                guard let n = next.currencies.first(where: { $0.currency == c.currency }) else { return c }
                var m = c
                m.inPeriod.add(n.inPeriod)
                m.counted.add(n.counted)
                m.credited.add(n.credited)
                for (r, f) in n.notCounted { m.notCounted[r, default: Figure()].add(f) }
                var outside = m.read
                outside.amount = (try? outside.amount.subtracting(m.inPeriod.amount)) ?? outside.amount
                outside.deals -= m.inPeriod.deals
                m.outside = outside
                return m
            }, measures: mergeMeasures(out.measures, next.measures), payees: mergePayees(out.payees, next.payees),
            groups: mergeGroups(out.groups, next.groups), negativeWon: out.negativeWon, pastPlanEnd: out.pastPlanEnd,
            dealsPath: out.dealsPath, lastPlanEnd: out.lastPlanEnd, activities: ActivityReconciliation.combined(out.activities, next.activities))
            out.negativeWon.join(next.negativeWon)
        }
        return out
    }

    static func mergeMeasures(_ a: [MeasureFigure], _ b: [MeasureFigure]) -> [MeasureFigure] {
        var out = a
        for m in b {
            if let i = out.firstIndex(where: { $0.plan == m.plan && $0.measure == m.measure }) {
                out[i].deals += m.deals
                out[i].value = (try? out[i].value.adding(m.value)) ?? out[i].value
            } else {
                out.append(m)
            }
        }
        return out.sorted { ($0.plan, $0.measure) < ($1.plan, $1.measure) }
    }

    static func mergePayees(_ a: [PayeeFigure], _ b: [PayeeFigure]) -> [PayeeFigure] {
        var out: [String: PayeeFigure] = [:]
        for p in a + b {
            let key = p.payeeID + "\u{1}" + p.currency.code
            if out[key] == nil { out[key] = p } else { out[key]!.figure.add(p.figure) }
        }
        return out.values.sorted { ($0.payeeID, $0.currency.code) < ($1.payeeID, $1.currency.code) }
    }

    static func mergeGroups(_ a: [Group], _ b: [Group]) -> [Group] {
        var out: [ReconciliationTally.GroupKey: Group] = [:]
        for g in a + b {
            if out[g.key] == nil { out[g.key] = g } else { out[g.key]!.absorb(g) }
        }
        return out.values.sorted(by: Group.precedes)
    }

    // MARK: Messages

    /// One warning per problem reason (per plan and field for filters): the count, the amount and the most common
    /// values, with a hint where a value differs from a filter's literal only by case, spaces or punctuation.
    public func warnings() -> [Diagnostic] {
        var out: [Diagnostic] = []
        let label = periods.joined(separator: ", ")
        // One warning per reason (per plan and field for filters), over every currency of its rows.
        var merged: [Group] = []
        var amounts: [[(Figure, Currency)]] = []
        for g in groups where g.reason.isProblem {
            if let i = merged.firstIndex(where: { $0.reason == g.reason && $0.plan == g.plan && $0.field == g.field }) {
                merged[i].figure.deals += g.figure.deals
                for (v, f) in g.values { merged[i].values[v, default: Figure()].deals += f.deals }
                amounts[i].append((g.figure, g.currency))
            } else {
                merged.append(g)
                amounts.append([(g.figure, g.currency)])
            }
        }
        for (g, money) in zip(merged, amounts) {
            let sums = money.map { "\(Reconciliation.grouped($0.0.amount, $0.1)) \($0.1.code)" }.joined(separator: " + ")
            let head = "\(Reconciliation.count(g.figure.deals)), \(sums)"
            let values = Reconciliation.valueList(g)
            let verb = g.figure.deals == 1 ? "has" : "have"
            switch g.reason {
            case .noMatchingFilter:
                var notes: [Diagnostic.Note] = [.note("closed in \(label) and credited to payees on plan \"\(g.plan ?? "")\", but no measure of that plan counts them")]
                for (value, _) in g.sortedValues.prefix(Reconciliation.shownValues) {
                    if let near = g.expects.first(where: { Reconciliation.folded($0) == Reconciliation.folded(value) && $0 != value }) {
                        notes.append(.help("\(Reconciliation.quoted(value)) differs from \(Reconciliation.quoted(near)) only by case, spaces or punctuation: correct the data, or name \(Reconciliation.quoted(value)) in the filter"))
                    }
                }
                if let first = g.sortedValues.first?.value, Reconciliation.plain(first) {
                    notes.append(.help("if the plan leaves these out on purpose, name the value in a filter of the plans (e.g. `and deal.\(g.field) != \"\(first)\"`); --strict makes this an error"))
                } else {
                    notes.append(.help("if the plan leaves these out on purpose, name the value in a filter of the plans; --strict makes this an error"))
                }
                let expects = g.expects.isEmpty ? "" : " expect \(g.expects.map(Reconciliation.quoted).joined(separator: ", "))"
                out.append(.warning("R340", "\(head): deal.\(g.field) \(values) matches no filter; filters at \(g.source ?? "")\(expects)", at: g.span, notes: notes))
            case .noAssignment:
                out.append(.warning("R310", "\(head) closed in \(label) \(verb) no plan assignment on their close date, or their rep was not employed then: \(values); they are not paid", at: nil,
                                    notes: [.help("add rows to assignments.csv covering these dates, or correct the close dates")]))
            case .noOwnMeasure:
                if activityOnlyPlans.contains(g.plan ?? "") {
                    out.append(.warning("R341", "\(head) closed in \(label) are credited to payees on plan \"\(g.plan ?? "")\", which measures activities only, no deals: \(values); no measure counts them", at: g.span,
                                        notes: [.help("give these deals to the reps who closed them, or add a measure of deals to the plan (`measure … = sum of deal.amount`)")]))
                    break
                }
                out.append(.warning("R341", "\(head) closed in \(label) are credited to payees on plan \"\(g.plan ?? "")\", which measures only their reports' deals, none of their own: \(values); no measure counts them", at: g.span,
                                    notes: [.help("give these deals to the reps who closed them, or add a measure of the payee's own deals to the plan")]))
            case .roleNotCredited:
                out.append(Reconciliation.roleNotCreditedWarning(g, head: head, values: values, label: label))
            case .cancelled, .excludedByFilter, .notOnRoster, .otherPeriodKind:
                // Named rules, or (reps not in the roster) said by the loader as it reads the rows.
                break
            }
        }
        out += Extremes.negativeWon(negativeWon, path: dealsPath, period: label)
        if let end = lastPlanEnd { out += Extremes.pastPlanEnd(pastPlanEnd, path: dealsPath, end: end) }
        out += activities?.warnings() ?? []
        return out
    }

    /// The codes `warnings()` gives.
    public static let codes: Set<String> = ["R310", "R340", "R341", "R344", "R345", "R348", "R354", "R355"]

    /// How many values a message or the table shows.
    static let shownValues = 5

    /// `"New Business" (19), "Existing Customer - Upgrade" (4)`, or `rep `AE99` (10)`, and how many more.
    static func valueList(_ g: Group) -> String {
        let sorted = g.sortedValues
        let shown = sorted.prefix(shownValues).map { v, f in
            // A group of the filter's words (`field` "filter"): the words as written, in backticks.
            (g.field == "rep_id" ? "rep `\(v)`" : g.field == "filter" ? "`\(v)`" : quoted(v)) + " (\(f.deals))"
        }
        let more = sorted.count - shown.count
        return shown.joined(separator: ", ") + (more > 0 ? " and \(more) more value\(more == 1 ? "" : "s")" : "")
    }

    /// "1 deal", "23 deals".
    static func count(_ n: Int) -> String { "\(n) deal\(n == 1 ? "" : "s")" }

    /// A value as a message shows it: in double quotes, with quotes, backslashes and control characters escaped, so
    /// that a value with a line break stays on its line.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) {
                    out += "\\u{\(String(u.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// True when a value can be written in a plan's text literal as it is.
    static func plain(_ s: String) -> Bool {
        !s.isEmpty && !s.unicodeScalars.contains { $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
    }

    /// A value reduced to its letters and digits, lower-cased: "New-Business " and "new business" fold alike.
    static func folded(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// An amount with its currency's minor units and thousands separators: "1,204,331.00".
    public static func grouped(_ d: ExactDecimal, _ c: Currency) -> String {
        let text = d.text(minimumScale: c.minorUnits)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var whole = Array(parts[0])
        var i = whole.count - 3
        while i > 0 {
            whole.insert(",", at: i)
            i -= 3
        }
        return (negative ? "-" : "") + String(whole) + (parts.count > 1 ? "." + parts[1] : "")
    }
}

extension Reconciliation.Group {
    static func precedes(_ a: Reconciliation.Group, _ b: Reconciliation.Group) -> Bool {
        (a.reason, a.plan ?? "", a.field, a.currency.code) < (b.reason, b.plan ?? "", b.field, b.currency.code)
    }
}
