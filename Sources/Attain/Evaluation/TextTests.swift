// Deal conditions on texts, worked out once per text instead of once per deal.
//
// A condition such as `deal.type in ("new", "expansion")` or `deal.product = "Widget"` reads one text of the deal. The
// deal table keeps products and types as indices into small tables of texts (a table per part of the file read on one
// core), so the condition's answer for every text of every table can be found before any deal is looked at: a deal's
// answer is then one load. Conditions joining such tests with `and`, `or` and `not` are answered the same way.

/// A condition's answers by text, for the rows of a deal table.
indirect enum TextTest: Sendable {
    /// Answers by pool, then by the index of the row's product.
    case product([[Bool]])
    /// Answers by pool, then by the index of the row's type.
    case type([[Bool]])
    case and(TextTest, TextTest)
    case or(TextTest, TextTest)
    case not(TextTest)

    /// The condition's answer for a row of pool `pool`.
    func holds(_ row: DealTable.Row, pool: Int) -> Bool {
        switch self {
        case .product(let answers): return answers[pool][Int(row.product)]
        case .type(let answers): return answers[pool][Int(row.type)]
        case .and(let a, let b): return a.holds(row, pool: pool) && b.holds(row, pool: pool)
        case .or(let a, let b): return a.holds(row, pool: pool) || b.holds(row, pool: pool)
        case .not(let a): return !a.holds(row, pool: pool)
        }
    }

    /// The test for a condition, or nil when it reads anything but one text of the deal in each of its parts (it is then
    /// evaluated deal by deal), or when a text's answer cannot be found (an evaluation that fails says why, deal by deal).
    static func compile(_ condition: CheckedExpr, pools: [DealTable.Pool]) -> TextTest? {
        switch condition {
        case .logical(let op, let a, let b):
            guard let x = compile(a, pools: pools), let y = compile(b, pools: pools) else { return nil }
            return op == .and ? .and(x, y) : .or(x, y)
        case .not(let a):
            return compile(a, pools: pools).map { .not($0) }
        default:
            var fields = Set<DealField>()
            guard condition.dealFields(into: &fields), fields.count == 1, let field = fields.first, field == .product || field == .type else {
                return nil
            }
            var answers: [[Bool]] = []
            for pool in pools {
                var byText: [Bool] = []
                byText.reserveCapacity(pool.texts.count)
                for text in pool.texts {
                    guard let answer = try? ExpressionEvaluator.truth(condition, in: TextEnvironment(field: field, text: text)) else { return nil }
                    byText.append(answer)
                }
                answers.append(byText)
            }
            return field == .product ? .product(answers) : .type(answers)
        }
    }
}

/// A deal of which only one text field is known.
private struct TextEnvironment: DealContext {
    let field: DealField
    let text: String

    func dealField(_ f: DealField) throws -> Value {
        guard f == field else { throw UnexpectedValue(description: "a deal field other than the one a text test reads") }
        return .text(text)
    }
}

/// The text tests of one plan's conditions: each measure's `where`, and each SPIF's.
final class PlanTextTests: Sendable {
    let measures: [TextTest?]
    let components: [TextTest?]

    init(_ plan: CompiledPlan, pools: [DealTable.Pool]) {
        measures = plan.measures.map { m in m.filter.flatMap { TextTest.compile($0, pools: pools) } }
        components = plan.components.map { c in
            guard case .spif(let rule) = c.rule, let filter = rule.filter else { return nil }
            return TextTest.compile(filter, pools: pools)
        }
    }
}

extension CheckedExpr {
    /// Adds the deal fields the expression reads to `fields`; false when it reads anything but deal fields and constants.
    func dealFields(into fields: inout Set<DealField>) -> Bool {
        switch self {
        case .dealField(let f):
            fields.insert(f)
            return true
        case .constant: return true
        case .activityField, .measureValue, .measureQuota, .measureAttainment, .totalAttainment, .targetIncentive: return false
        case .negate(let e), .not(let e): return e.dealFields(into: &fields)
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .logical(_, let a, let b):
            return a.dealFields(into: &fields) && b.dealFields(into: &fields)
        case .member(let e, _, _): return e.dealFields(into: &fields)
        }
    }
}
