// A payee's credits read straight from the deal table's rows, for runs that need amounts only.
//
// A `Credit` holds a whole `Deal`: its id and texts made from the table, and an object of its own. A run that writes
// no statement lines needs none of that: only each credited amount and the few fields the plan's conditions read.

/// The rows a payee is credited with, in credit order, and what each credits in the plan's currency.
final class RowCredits: Sendable {
    let table: DealTable
    /// Each credited row's number in the table, and a copy of the row.
    let numbers: [Int32]
    let rows: [DealTable.Row]
    /// The converted amount times the share, exact.
    let amounts: [Ratio]
    /// How a row in another currency was converted, by position.
    let conversions: [Int: Conversion]
    let currency: Currency
    let fields: [ExtraField]
    /// The plan's conditions on texts, answered by text.
    let tests: PlanTextTests?

    init(table: DealTable, plan: CompiledPlan, numbers: [Int32], rows: [DealTable.Row], amounts: [Ratio], conversions: [Int: Conversion],
         tests: PlanTextTests? = nil) {
        self.table = table
        self.tests = tests
        self.currency = plan.currency
        self.fields = plan.fields
        self.numbers = numbers
        self.rows = rows
        self.amounts = amounts
        self.conversions = conversions
    }

    var count: Int { rows.count }

    /// The row's share of its deal.
    func share(_ i: Int) -> ExactDecimal {
        table.share(rows[i], at: Int(numbers[i]))
    }

    func closeDate(_ i: Int) -> CivilDate { CivilDate(packed: rows[i].closeDate) }

    /// The credit as a value, with its whole deal (for a statement line).
    func credit(_ i: Int) -> Credit {
        Credit(deal: table[Int(numbers[i])], amount: amounts[i], conversion: conversions[i])
    }

    /// A text column of a row: a product or type, by index into the row's pool.
    func text(_ i: Int, _ index: Int32) -> String {
        table.pools[table.pool(of: Int(numbers[i]))].texts[Int(index)]
    }
}

/// Deal fields of one credited row, read from the table: the same values `DealEnvironment` gives for its deal.
struct RowEnvironment: DealContext {
    /// Held by the evaluator for as long as this environment is used.
    unowned(unsafe) let credits: RowCredits
    let at: Int

    func dealField(_ field: DealField) throws -> Value {
        if case .amount = field { return .money(credits.amounts[at], credits.currency) }
        let row = credits.rows[at]
        switch field {
        case .dealID: return .text(credits.table.id(of: Int(credits.numbers[at])))
        case .repID: return .text(credits.table.repIDs[Int(row.rep)])
        case .closeDate: return .date(CivilDate(packed: row.closeDate))
        case .amount: return .money(credits.amounts[at], credits.currency)
        case .currency: return .text(Currency(index: row.currency).code)
        case .product: return .text(credits.text(at, row.product))
        case .type: return .text(credits.text(at, row.type))
        case .split: return .percent(Ratio(credits.share(at)))
        case .status: return .text(row.cancelled ? Deal.Status.cancelled.rawValue : Deal.Status.won.rawValue)
        case .role: return .text(credits.table.role(row, at: Int(credits.numbers[at])))
        case .extra(let i):
            let name = credits.fields[i].name
            let extras = row.extras < 0 ? [:] : credits.table.pools[credits.table.pool(of: Int(credits.numbers[at]))].extras[Int(row.extras)]
            guard let v = extras[name] else { throw UnexpectedValue(description: "missing extra field \(name)") }
            return v
        }
    }

}

/// The credits an evaluation reads, by position: credit values, or table rows in a run that needs amounts only.
enum CreditList {
    case values([Credit])
    case rows(RowCredits)

    /// The table rows, when the credits are rows.
    var rowCredits: RowCredits? {
        if case .rows(let r) = self { return r }
        return nil
    }

    var count: Int {
        switch self {
        case .values(let c): return c.count
        case .rows(let r): return r.count
        }
    }

    func credit(_ i: Int) -> Credit {
        switch self {
        case .values(let c): return c[i]
        case .rows(let r): return r.credit(i)
        }
    }

    func share(_ i: Int) -> ExactDecimal {
        switch self {
        case .values(let c): return c[i].deal.share
        case .rows(let r): return r.share(i)
        }
    }

    func closeDate(_ i: Int) -> CivilDate {
        switch self {
        case .values(let c): return c[i].deal.closeDate
        case .rows(let r): return r.closeDate(i)
        }
    }

    func amount(_ i: Int) -> Ratio {
        switch self {
        case .values(let c): return c[i].amount
        case .rows(let r): return r.amounts[i]
        }
    }

    /// An expression of the credit's deal.
    func evaluate(_ e: CheckedExpr, _ i: Int, plan: CompiledPlan) throws -> Value {
        switch self {
        case .values(let c): return try ExpressionEvaluator.evaluate(e, in: DealEnvironment(credit: c[i], plan: plan))
        case .rows(let r): return try ExpressionEvaluator.evaluate(e, in: RowEnvironment(credits: r, at: i))
        }
    }

    func truth(_ e: CheckedExpr, _ i: Int, plan: CompiledPlan) throws -> Bool {
        switch self {
        case .values(let c): return try ExpressionEvaluator.truth(e, in: DealEnvironment(credit: c[i], plan: plan))
        case .rows(let r): return try ExpressionEvaluator.truth(e, in: RowEnvironment(credits: r, at: i))
        }
    }
}
