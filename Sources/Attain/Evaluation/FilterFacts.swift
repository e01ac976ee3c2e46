// What the filters of the plans read: which text fields a measure requires to be one of some values, which values
// some filter names, and filter literals that look like typos of the data's values.

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
        let own = plan.measures.filter { $0.creditScope == nil && !$0.readsActivities }
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
            case .constant, .activityField, .measureValue, .measureQuota, .measureAttainment, .totalAttainment, .targetIncentive: break
            }
        }
        walk(e, positive: true)
        return out
    }

    /// Warnings for filter literals on a product or type that look wrong against the data: one that no row has but
    /// that is close to a value the rows have (a typo such as `"expansoin"` leaves deals out with no other word, R346),
    /// and one a filter leaves out (`!=`, `not in`) while the rows also have it spelt otherwise (`"Renewal"` beside
    /// `"renewal"`), which the filter lets through and pays (R347).
    static func unknownLiterals(_ plans: [CompiledPlan], table: DealTable, path: String) -> [Diagnostic] {
        // The texts the rows have as products or types: a pool keeps only texts its rows use. (Products and types share
        // the pools, so a literal is looked for among both; reading every row to tell them apart costs a pass over them.)
        unknownLiterals(plans, texts: table.texts, empty: table.isEmpty, path: path)
    }

    /// `unknownLiterals` for a table of which only its texts are known (the texts of every shard's rows, joined).
    static func unknownLiterals(_ plans: [CompiledPlan], texts: Set<String>, empty: Bool, path: String) -> [Diagnostic] {
        var wanted: [(plan: CompiledPlan, field: DealField, literal: String, refused: Bool, at: SourceSpan)] = []
        for plan in plans {
            for (f, span) in filters(of: plan) {
                for read in reads(f) where read.field == .product || read.field == .type {
                    for (l, refused) in read.required.map({ ($0, false) }) + read.refused.map({ ($0, true) })
                    where !wanted.contains(where: { $0.plan.name == plan.name && $0.field == read.field && $0.literal == l && $0.refused == refused }) {
                        wanted.append((plan, read.field, l, refused, span))
                    }
                }
            }
        }
        if wanted.isEmpty || empty { return [] }
        let sorted = texts.sorted()
        let folded = Reconciliation.folded
        return wanted.compactMap { w in
            let name = w.field == .product ? "product" : "type"
            if texts.contains(w.literal) {
                // Left out as written, let through as spelt otherwise.
                guard w.refused, let other = sorted.first(where: { folded($0) == folded(w.literal) && $0 != w.literal }) else { return nil }
                return .warning("R347", "a filter of plan \"\(w.plan.name)\" leaves out deal.\(name) \(Reconciliation.quoted(w.literal)), but \(path) also has \(Reconciliation.quoted(other)), which differs only by case, spaces or punctuation and is let through", at: w.at,
                                notes: [.help("correct the data, or leave out \(Reconciliation.quoted(other)) too")])
            }
            // Only a likely typo is said: a literal the data lacks that is close to a value it has. A value the data
            // simply has none of this time (no expansion deals this quarter) is not.
            guard let near = sorted.first(where: { folded($0) == folded(w.literal) }) ?? Suggestion.closest(to: w.literal, in: sorted) else { return nil }
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
        case .role: return "role"
        case .extra(let i): return plan.fields[i].type == .text ? plan.fields[i].name : nil
        case .closeDate, .amount, .split: return nil
        }
    }

    /// A deal's value of a text field, read as the plan's conditions read it.
    static func value(_ f: DealField, of deal: Deal, _ plan: CompiledPlan) -> String {
        let fields = DealEnvironment(credit: Credit(deal: deal, amount: Ratio(deal.amount)), plan: plan)
        if case .text(let s)? = try? fields.dealField(f) { return s }
        return ""
    }
}
