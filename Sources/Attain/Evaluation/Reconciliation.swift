// Where every deal row of a run went: read, closed in the period, counted by a measure, or not counted and why.
// Finance trusts a total only when it can see that no deal was lost on the way to it.

/// What became of the deal rows of one run (or of several periods, for `compare`).
///
/// Amounts are each row's amount times its split share, in the row's own currency, exact: a split deal is counted
/// once per payee row, and its rows add up to the deal. The measure figures are in the plan's currency.
public struct Reconciliation: Sendable {
    /// Why a row closed in the period is not counted by any measure of its payee's plan.
    public enum Reason: String, Sendable, CaseIterable, Comparable {
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

        /// Words for the table.
        public var words: String {
            switch self {
            case .cancelled: return "cancelled"
            case .notOnRoster: return "rep not on the roster"
            case .noAssignment: return "no assignment on the close date"
            case .excludedByFilter: return "excluded by a filter on purpose"
            case .noMatchingFilter: return "no filter matches a value"
            case .noOwnMeasure: return "plan measures no own deals"
            }
        }

        /// Reasons that are a problem someone should look at (a warning; an error with `--strict`).
        public var isProblem: Bool { self != .cancelled && self != .excludedByFilter }

        public static func < (a: Reason, b: Reason) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    /// A count of rows and their amount.
    public struct Figure: Sendable, Equatable {
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
    public struct MeasureFigure: Sendable {
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
    public struct PayeeFigure: Sendable {
        public let payeeID: String
        public let currency: Currency
        public var figure: Figure
    }

    /// Rows not counted for one reason under one plan (or, without a plan, one reason), with the values that put
    /// them there: the field a filter reads, or the rep.
    public struct Group: Sendable {
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

        var key: String { "\(reason.rawValue)\u{1}\(plan ?? "")\u{1}\(field)\u{1}\(currency.code)" }
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
            dealsPath: out.dealsPath, lastPlanEnd: out.lastPlanEnd)
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
        var out: [String: Group] = [:]
        for g in a + b {
            guard var have = out[g.key] else { out[g.key] = g; continue }
            have.figure.add(g.figure)
            for (v, f) in g.values { have.values[v, default: Figure()].add(f) }
            out[g.key] = have
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
                out.append(.warning("R341", "\(head) closed in \(label) are credited to payees on plan \"\(g.plan ?? "")\", which measures only their reports' deals, none of their own: \(values); no measure counts them", at: g.span,
                                    notes: [.help("give these deals to the reps who closed them, or add a measure of the payee's own deals to the plan")]))
            case .cancelled, .excludedByFilter, .notOnRoster:
                // Named rules, or (reps not in the roster) said by the loader as it reads the rows.
                break
            }
        }
        out += Extremes.negativeWon(negativeWon, path: dealsPath, period: label)
        if let end = lastPlanEnd { out += Extremes.pastPlanEnd(pastPlanEnd, path: dealsPath, end: end) }
        return out
    }

    /// The codes `warnings()` gives.
    public static let codes: Set<String> = ["R310", "R340", "R341", "R344", "R345"]

    /// How many values a message or the table shows.
    static let shownValues = 5

    /// `"New Business" (19), "Existing Customer - Upgrade" (4)`, or `rep `AE99` (10)`, and how many more.
    static func valueList(_ g: Group) -> String {
        let sorted = g.sortedValues
        let shown = sorted.prefix(shownValues).map { v, f in
            (g.field == "rep_id" ? "rep `\(v)`" : quoted(v)) + " (\(f.deals))"
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

/// What the filters of a plan's measures read, for telling a deal left out on purpose from one left out by a label
/// that matches nothing.
struct FilterFacts: Sendable {
    /// A text field some own-deal measure's filter reads, with the literals the plan requires it to be one of
    /// (`=`, `in`; not `!=` or `not in`), and the first such measure's line.
    struct Field: Sendable {
        let field: DealField
        let name: String
        var literals: [String]
        let trace: SourceSpan
        /// For a product or type: whether some filter of the plans names each text of each pool of the deal table.
        var namedByPool: [[Bool]]? = nil
    }

    /// One text field of one filter, with the literals it is compared with, by how the comparison counts: `required`
    /// for `=` and `in` (under an even number of `not`), `refused` for `!=` and `not in`.
    struct Read: Sendable {
        let field: DealField
        var required: [String] = []
        var refused: [String] = []
    }

    /// True when some measure of the plan counts the payee's own deals.
    let measuresOwn: Bool
    /// True when the plan has no measure of own deals, but a spif with no measure pays on them.
    let spifsOnly: Bool
    /// The text fields the own-deal measures' filters require to be one of some values, in the order the plan reads them.
    /// Only such a field can leave a deal out for a value no filter names.
    var fields: [Field]
    /// The first own-deal measure with a filter (where "excluded on purpose" points), and the filter's words.
    let firstFilter: SourceSpan?
    let firstFilterText: String?

    init(_ plan: CompiledPlan) {
        let own = plan.measures.filter { $0.creditScope == nil }
        measuresOwn = !own.isEmpty
        spifsOnly = own.isEmpty && plan.components.contains { c in
            if case .spif = c.rule { return c.measure == nil }
            return false
        }
        var fields: [Field] = []
        for m in own {
            guard let f = m.filter else { continue }
            for read in FilterFacts.reads(f) where !read.required.isEmpty {
                guard let name = FilterFacts.textName(read.field, plan) else { continue }
                if let i = fields.firstIndex(where: { $0.name == name }) {
                    for l in read.required where !fields[i].literals.contains(l) { fields[i].literals.append(l) }
                } else {
                    fields.append(Field(field: read.field, name: name, literals: read.required, trace: m.trace))
                }
            }
        }
        self.fields = fields
        let first = own.first { $0.filter != nil }
        firstFilter = first?.trace
        firstFilterText = first?.filterText
    }

    /// The facts, with each product and type of the table's pools answered: named by a filter of the plans, or not.
    init(_ plan: CompiledPlan, named: [String: Set<String>], pools: [DealTable.Pool]) {
        self.init(plan)
        for i in fields.indices where fields[i].field == .product || fields[i].field == .type {
            let names = named[fields[i].name] ?? []
            fields[i].namedByPool = pools.map { $0.texts.map(names.contains) }
        }
    }

    /// Every filter of a plan (its measures' and its spifs'), with the line it is on.
    static func filters(of plan: CompiledPlan) -> [(CheckedExpr, SourceSpan)] {
        var out = plan.measures.compactMap { m in m.filter.map { ($0, m.trace) } }
        for c in plan.components { if case .spif(let rule) = c.rule, let f = rule.filter { out.append((f, rule.trace)) } }
        return out
    }

    /// Every text literal any filter of these plans (measures and SPIFs) compares a field with, by field name.
    static func named(in plans: [CompiledPlan]) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for plan in plans {
            for (f, _) in filters(of: plan) {
                for read in reads(f) {
                    guard let name = textName(read.field, plan) else { continue }
                    out[name, default: []].formUnion(read.required + read.refused)
                }
            }
        }
        return out
    }

    /// The deal fields an expression reads, each with the text literals it is compared with, by polarity.
    static func reads(_ e: CheckedExpr) -> [Read] {
        var out: [Read] = []
        func add(_ f: DealField, _ literals: [String], required: Bool) {
            let i = out.firstIndex { $0.field == f } ?? { out.append(Read(field: f)); return out.count - 1 }()
            for l in literals {
                if required { if !out[i].required.contains(l) { out[i].required.append(l) } } else if !out[i].refused.contains(l) { out[i].refused.append(l) }
            }
        }
        func walk(_ e: CheckedExpr, positive: Bool) {
            switch e {
            case .dealField(let f): add(f, [], required: positive)
            case .compare(let op, .dealField(let f), .constant(.text(let s))), .compare(let op, .constant(.text(let s)), .dealField(let f)):
                add(f, [s], required: (op == .equal) == positive)
            case .member(.dealField(let f), let values, let negated):
                add(f, values.compactMap { if case .text(let s) = $0 { return s } else { return nil } }, required: negated != positive)
            case .not(let a): walk(a, positive: !positive)
            case .negate(let a): walk(a, positive: positive)
            case .member(let a, _, _): walk(a, positive: positive)
            case .arithmetic(_, let a, let b), .compare(_, let a, let b), .logical(_, let a, let b):
                walk(a, positive: positive)
                walk(b, positive: positive)
            case .constant, .measureValue, .measureQuota, .measureAttainment, .totalAttainment, .targetIncentive: break
            }
        }
        walk(e, positive: true)
        return out
    }

    /// Warnings for filter literals on a product or type that no row of the deal table has (a typo such as
    /// `"expansoin"` leaves deals out with no other word), with the closest value the table has.
    static func unknownLiterals(_ plans: [CompiledPlan], table: DealTable, path: String) -> [Diagnostic] {
        var wanted: [(plan: CompiledPlan, field: DealField, literal: String, at: SourceSpan)] = []
        for plan in plans {
            for (f, span) in filters(of: plan) {
                for read in reads(f) where read.field == .product || read.field == .type {
                    for l in read.required + read.refused where !wanted.contains(where: { $0.plan.name == plan.name && $0.field == read.field && $0.literal == l }) {
                        wanted.append((plan, read.field, l, span))
                    }
                }
            }
        }
        if wanted.isEmpty || table.isEmpty { return [] }
        // The texts the rows have as products or types: a pool keeps only texts its rows use. (Products and types share
        // the pools, so a literal is looked for among both; reading every row to tell them apart costs a pass over them.)
        var texts: Set<String> = []
        for pool in table.pools { texts.formUnion(pool.texts) }
        let folded = Reconciliation.folded
        return wanted.compactMap { w in
            let values = texts
            if values.contains(w.literal) { return nil }
            let name = w.field == .product ? "product" : "type"
            // Only a likely typo is said: a literal the data lacks that is close to a value it has. A value the data
            // simply has none of this time (no expansion deals this quarter) is not.
            guard let near = values.sorted().first(where: { folded($0) == folded(w.literal) }) ?? Suggestion.closest(to: w.literal, in: Array(values)) else { return nil }
            return .warning("R346", "a filter of plan \"\(w.plan.name)\" names deal.\(name) \(Reconciliation.quoted(w.literal)), which no row of \(path) has; did you mean \(Reconciliation.quoted(near))?", at: w.at)
        }
    }

    /// The column name of a text field, or nil for fields that are not text.
    static func textName(_ f: DealField, _ plan: CompiledPlan) -> String? {
        switch f {
        case .dealID: return "deal_id"
        case .repID: return "rep_id"
        case .currency: return "currency"
        case .product: return "product"
        case .type: return "type"
        case .status: return "status"
        case .extra(let i): return plan.fields[i].type == .text ? plan.fields[i].name : nil
        case .closeDate, .amount, .split: return nil
        }
    }

    /// A deal's value of a text field.
    static func value(_ f: DealField, of deal: Deal, _ plan: CompiledPlan) -> String {
        switch f {
        case .dealID: return deal.dealID
        case .repID: return deal.repID
        case .currency: return deal.currency.code
        case .product: return deal.product
        case .type: return deal.type
        case .status: return deal.status.rawValue
        case .extra(let i):
            if case .text(let s)? = deal.extras[plan.fields[i].name] { return s }
            return ""
        case .closeDate, .amount, .split: return ""
        }
    }
}

/// An exact running sum of row amounts times shares in one currency: whole numbers at a fixed scale while they fit,
/// exact decimals after.
struct AmountSum: Sendable {
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

/// One core's tally of the deal rows of the payees it evaluated; the tallies of all cores are joined in payee order.
struct ReconciliationTally: Sendable {
    enum Slot: Int, CaseIterable {
        case read, inPeriod, outside, counted, credited, cancelled, notOnRoster, noAssignment, excluded, unmatched, noOwn

        init(_ reason: Reconciliation.Reason) {
            switch reason {
            case .cancelled: self = .cancelled
            case .notOnRoster: self = .notOnRoster
            case .noAssignment: self = .noAssignment
            case .excludedByFilter: self = .excluded
            case .noMatchingFilter: self = .unmatched
            case .noOwnMeasure: self = .noOwn
            }
        }
    }

    struct GroupKey: Hashable {
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
    /// The current payee's rows not counted, by group and value, until `flush` adds them to `groups`.
    var pending: [(key: GroupKey, value: String, span: SourceSpan?, expects: [String], sum: AmountSum)] = []

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
        for (k, g) in other.groups {
            guard groups[k] != nil else { groups[k] = g; continue }
            groups[k]!.figure.add(g.figure)
            for (v, f) in g.values { groups[k]!.values[v, default: Reconciliation.Figure()].add(f) }
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
