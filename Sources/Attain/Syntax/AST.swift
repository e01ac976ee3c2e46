// The plan as written: a syntax tree with byte ranges, before names and units are checked.

/// A value with the byte range it was written at.
public struct Located<T: Sendable>: Sendable {
    public let value: T
    public let start: Int
    public let end: Int
}

/// An expression as written.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case number(ExactDecimal)
        case percent(ExactDecimal)
        case money(ExactDecimal, currency: String)
        case date(CivilDate)
        case text(String)
        case bool(Bool)
        /// A dotted name: `attainment`, `deal.amount`, `bookings.quota`.
        case name([String])
        case negate(Expr)
        case not(Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `x in ("a", "b")`, or `not in` when negated.
        case member(Expr, [Expr], negated: Bool)
    }

    public let kind: Kind
    public let start: Int
    public let end: Int
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", of = "of"
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "and", or = "or"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
        default: return false
        }
    }
}

/// `field region` or `field margin: percent` — an extra column of deals.csv the plan reads.
public struct FieldDecl: Sendable {
    public let name: Located<String>
    public let type: Located<String>?
    public let start: Int
    /// `field activity.outcome`: a column of activities.csv, not of deals.csv.
    public var activity = false
}

/// `param base_rate = 2%` — a named value a what-if can override.
public struct ParamDecl: Sendable {
    public let name: Located<String>
    public let value: Expr
    public let start: Int
}

/// `measure bookings = sum of deal.amount where …`, with its indented `quota` and `weight` lines.
public struct MeasureDecl: Sendable {
    public enum Aggregate: Sendable {
        case sum(Expr)
        case count
    }

    public enum Quota: Sendable {
        /// `quota from assignment` (column `quota`) or `quota from assignment.logo_quota`.
        case assignment(column: Located<String>)
        /// `quota 12` or `quota 250000.00 USD`.
        case value(Expr)
        /// `quota from target` (key nil: the measure's name), `quota from target "revenue"`, or with `team`
        /// (`quota from team target`) the sum of the reports' targets.
        case target(key: Located<String>?, team: Bool)
    }

    public let name: Located<String>
    public let aggregate: Aggregate
    /// `for direct reports` or `for all reports`: the measure counts the reports' credits, not the payee's own.
    public let reports: Located<String>?
    public let filter: Expr?
    public var quota: Located<Quota>?
    public var weight: Expr?
    /// `per quarter` after the quota: the span the quota is written for; nil when the line says none.
    public var quotaSpan: Located<QuotaSpan>? = nil
    public var hasSyntaxErrors = false
    public let start: Int
    public let end: Int
    /// `count of activities`: the measure counts rows of activities.csv, not deals.
    public var ofActivities = false
}

/// One indented line inside a component.
public enum Clause: Sendable {
    case rate(Expr, perDeal: Bool)
    case tiers(mode: Located<String>, over: Located<String>)
    case tier(from: Expr, to: Expr?, rate: Expr, perDeal: Bool)
    case cap(Expr, per: Located<String>)
    case gate(Expr)
    case step(at: Expr, pay: Expr)
    case window(from: Expr, to: Expr)
    case filter(Expr)
    case pay(Expr, perDeal: Bool)
    /// `for direct reports` or `for all reports`.
    case reports(Located<String>)
    /// `amount 3000.00 USD per month` (a draw).
    case drawAmount(Expr, per: Located<String>)
    /// `recoverable` or `non-recoverable` (a draw).
    case recoverable(Bool)
    /// `pay on collection proportionally` or `pay on collection in full`: the words after `collection`, as one value.
    case collection(Located<String>)
}

/// `commission`, `bonus` or `spif`, with its clauses.
public struct ComponentDecl: Sendable {
    public enum Kind: String, Sendable {
        case commission, bonus, spif, override, draw
    }

    public let kind: Kind
    public let name: Located<String>
    /// `on bookings`; nil for a spif over all deals; `total` for `on total attainment`.
    public let measure: Located<String>?
    public let onTotal: Bool
    public var clauses: [Located<Clause>]
    /// True when one of its lines failed to parse; the checker then skips whole-component checks.
    public var hasSyntaxErrors = false
    public let start: Int
    public let end: Int
}

/// A whole plan file as written.
public struct PlanAST: Sendable {
    public var name: Located<String>?
    public var version: Located<String>?
    public var effectiveFrom: Expr?
    public var effectiveTo: Expr?
    public var effectiveStart: Int = 0
    public var currency: Located<String>?
    public var period: Located<String>?
    /// `period biweekly from 2026-01-05`: the first day of one biweekly period.
    public var periodAnchor: Expr?
    /// `fiscal year starts 2026-04-01`: the date whose month the plan's years start in, and where the line starts.
    public var fiscalStart: Expr?
    public var fiscalStartAt: Int = 0
    public var roundingMode: Located<String>?
    public var roundingPrecision: Located<ExactDecimal>?
    /// `fx at close date` or `fx at period start`.
    public var fxDate: Located<String>?
    /// `clawback within 90 days`.
    public var clawbackDays: Located<ExactDecimal>?
    /// `true-up year to date`.
    public var yearToDate: Located<String>?
    /// `credit "owner", "sdr"`: the credit roles the plan pays on, as written (the whole line's span around them).
    public var credit: Located<[Located<String>]>?
    /// `share attainment with team` lines: what team pages may show of the plan's payees.
    public var sharing: [SharingDecl] = []
    /// `show deal.account, deal.name`: the deal columns shown on lines, each spanning `deal.<column>` (the value is the
    /// column's name without `deal.`), the whole line around them.
    public var show: Located<[Located<String>]>?
    /// Header lines that were present but failed to parse, so the checker does not call them missing.
    public var brokenHeaderLines: Set<String> = []
    public var fields: [FieldDecl] = []
    public var params: [ParamDecl] = []
    public var measures: [MeasureDecl] = []
    public var components: [ComponentDecl] = []
}
