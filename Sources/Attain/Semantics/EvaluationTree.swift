// The checked plan: names resolved, types known, constants folded. This is what the engine runs.

/// A checked expression. Every node's type was verified by the checker.
public indirect enum CheckedExpr: Sendable {
    case constant(Value)
    /// A column of the deal being credited: a standard one or a declared extra field.
    case dealField(DealField)
    /// A column of the activity being counted (a measure of activities only).
    case activityField(ActivityField)
    case measureValue(Int)
    case measureQuota(Int)
    case measureAttainment(Int)
    case totalAttainment
    case targetIncentive
    case negate(CheckedExpr)
    case not(CheckedExpr)
    case arithmetic(BinaryOperator, CheckedExpr, CheckedExpr)
    case compare(BinaryOperator, CheckedExpr, CheckedExpr)
    case logical(BinaryOperator, CheckedExpr, CheckedExpr)
    case member(CheckedExpr, [Value], negated: Bool)

    /// True when the expression reads the deal being credited.
    var readsDeal: Bool {
        switch self {
        case .dealField, .activityField: return true
        case .constant, .measureValue, .measureQuota, .measureAttainment, .totalAttainment, .targetIncentive: return false
        case .negate(let e), .not(let e): return e.readsDeal
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .logical(_, let a, let b): return a.readsDeal || b.readsDeal
        case .member(let e, _, _): return e.readsDeal
        }
    }
}

/// A deal column a plan can read as `deal.<name>`.
public enum DealField: Sendable, Hashable {
    case dealID, repID, closeDate, amount, currency, product, type, split, status, role
    /// A declared extra column: index into `CompiledPlan.fields`.
    case extra(Int)

    static let standard: [(String, DealField)] = [
        ("deal_id", .dealID), ("rep_id", .repID), ("close_date", .closeDate), ("amount", .amount),
        ("currency", .currency), ("product", .product), ("type", .type), ("split", .split), ("status", .status),
        ("role", .role),
    ]
}

/// A plan-written rate: a percent of a money base, or money per unit (per deal) of a count.
public enum RateSpec: Sendable, Hashable {
    case percent(Ratio)
    case perUnit(Ratio, Currency)

    public var text: String {
        switch self {
        case .percent(let r): return Value.percent(r).text
        case .perUnit(let r, let c): return Value.money(r, c).text + " per deal"
        }
    }
}

/// One tier band: `[from, to)`; the first reaches down to −∞ and the last (open) up to +∞.
public struct Band: Sendable {
    public let from: Ratio
    public let to: Ratio?
    public let rate: RateSpec
    public let trace: SourceSpan
}

/// Whose deals a manager override pays on: direct reports, or everyone below in the roster tree.
public enum OverrideScope: String, Sendable, Codable {
    case direct, all
}

public enum TierMode: String, Sendable {
    case marginal, retroactive
}

/// What tier thresholds are measured in.
public enum TierBasis: Sendable, Equatable {
    /// Thresholds are percents of quota.
    case attainment
    /// Thresholds are amounts (money or counts) of the measure itself.
    case value
}

public enum CommissionRule: Sendable {
    case flat(RateSpec, trace: SourceSpan)
    case tiers(TierMode, TierBasis, [Band], trace: SourceSpan)
}

/// A bonus step: `at 120% pay 8000.00 USD`.
public struct BonusStep: Sendable {
    /// A percent of quota (attainment) or a value of the measure.
    public let threshold: Value
    public let pay: CheckedExpr
    public let trace: SourceSpan
}

/// A SPIF's payment for one deal.
public enum SpifPay: Sendable {
    /// `pay 250.00 USD per deal`: the amount times the payee's split share.
    case perDeal(CheckedExpr)
    /// `pay 2% of deal.amount` or any money expression of the deal.
    case expression(CheckedExpr)
}

public struct SpifRule: Sendable {
    public let window: (from: CivilDate, to: CivilDate)?
    public let filter: CheckedExpr?
    public let pay: SpifPay
    /// A rate to show on the line when the pay has a simple shape.
    public let rateText: String?
    public let trace: SourceSpan
}

public struct Cap: Sendable {
    public enum Scope: String, Sendable { case period, deal }
    public let amount: CheckedExpr
    public let scope: Scope
    public let text: String
    public let trace: SourceSpan
}

public struct Gate: Sendable {
    public let condition: CheckedExpr
    /// The condition as written, for the statement: `attainment >= 50%`.
    public let text: String
    public let trace: SourceSpan
}

public struct CompiledComponent: Sendable {
    public enum Rule: Sendable {
        case commission(CommissionRule)
        case bonus([BonusStep], onTotal: Bool)
        case spif(SpifRule)
        case override(RateSpec, OverrideScope, trace: SourceSpan)
    }

    public let kind: ComponentDecl.Kind
    public let name: String
    public let measure: Int?
    public let rule: Rule
    public let caps: [Cap]
    public let gates: [Gate]
    public let trace: SourceSpan
    /// `pay on collection …`: the component's deal lines are paid as the customer pays (payments.csv); nil: when earned.
    public var collection: PayOnCollection? = nil
}

/// `pay on collection proportionally` or `pay on collection in full`, and the line it is written on.
public struct PayOnCollection: Sendable {
    public enum Mode: String, Sendable {
        /// Payable: the line's amount × the share of the deal collected (at most 100%), rounded by the plan's rule.
        case proportionally
        /// Payable: the whole line once the deal is collected in full, nothing before.
        case inFull = "in full"
    }

    public let mode: Mode
    public let trace: SourceSpan
}

public struct CompiledMeasure: Sendable {
    public enum Aggregate: Sendable {
        case sum(CheckedExpr)
        case count
    }

    public enum QuotaSource: Sendable {
        case assignmentColumn(String, trace: SourceSpan)
        case constant(Ratio)
        /// targets.csv's rows whose `measure` is `key`, broken down to months: the payee's own, or with `team` the sum
        /// of the reports' the measure counts.
        case target(key: String, team: Bool, trace: SourceSpan)
    }

    public let name: String
    public let aggregate: Aggregate
    /// nil: the payee's own credits; otherwise the credits of their direct reports or whole subtree (a team measure).
    public let reports: OverrideScope?
    public let filter: CheckedExpr?
    public let filterText: String?
    public let quota: QuotaSource?
    public let weight: Ratio?
    /// `.money(plan currency)` for sums, `.number` for counts.
    public let unit: ValueType
    public let trace: SourceSpan
    /// The span the quota is written for (`quota from assignment per quarter`); nil: the default, one payout period, or
    /// the year for a year-to-date plan.
    public var quotaSpan: QuotaSpan? = nil

    /// For a measure without `for … reports` that only overrides of one scope are on: that scope. The measure is then
    /// the roll-up the overrides pay on, and the statement shows it.
    public internal(set) var rollUp: OverrideScope? = nil

    /// True for a measure of activities (`count of activities`, `sum of activity.count`): it counts rows of
    /// activities.csv, not deals.
    public var readsActivities = false

    /// Whose credits the measure adds up: nil for the payee's own, or their reports' (its own scope, or its roll-up).
    public var creditScope: OverrideScope? { reports ?? rollUp }
}

/// A declared extra deal column.
public struct ExtraField: Sendable {
    public let name: String
    public let type: ValueType
    public let trace: SourceSpan
}

/// A deal column a plan shows on lines (`show deal.account`): its name without `deal.`, and where it is read.
public struct ShownColumn: Sendable {
    public let name: String
    public let field: DealField
}

/// Which day's exchange rate converts a deal in another currency.
public enum FXDate: String, Sendable {
    /// The rate dated on the deal's close date.
    case closeDate = "close date"
    /// One rate for the whole period: the one dated on the period's first day.
    case periodStart = "period start"
}

public enum PeriodKind: String, Sendable, CaseIterable {
    case month, quarter, half, year
    /// The 1st to the 15th, and the 16th to the end of a month.
    case semiMonthly = "semi-monthly"
    /// 14 days, counted from the plan's anchor (`period biweekly from 2026-01-05`).
    case biweekly
}

/// The span a quota is written for: `quota from assignment per quarter`. Each day the payee is on a quota row counts
/// the row's quota ÷ the days of the span of this kind that holds the day.
public enum QuotaSpan: String, Sendable, CaseIterable {
    case year, half, quarter, month
    /// One payout period of the plan.
    case period

    /// The calendar span this stands for under a plan.
    public func kind(in plan: CompiledPlan) -> PeriodKind {
        switch self {
        case .year: return .year
        case .half: return .half
        case .quarter: return .quarter
        case .month: return .month
        case .period: return plan.periodKind
        }
    }

    /// The span a quota of `plan` is read for when the plan states none: the year for a year-to-date plan, else one payout period.
    public static func assumed(in plan: CompiledPlan) -> PeriodKind {
        plan.yearToDate != nil ? .year : plan.periodKind
    }
}

/// A draw: an advance against commission, paid when earnings fall short of it.
public struct CompiledDraw: Sendable {
    public enum Per: String, Sendable { case month, period }
    public let name: String
    /// The draw for one month or one payout period, in the plan's currency.
    public let amount: Ratio
    public let per: Per
    /// A recoverable draw is repaid from later earnings above it; a non-recoverable one is not.
    public let recoverable: Bool
    /// The draw applies to periods that overlap these dates (all periods when nil).
    public let window: (from: CivilDate, to: CivilDate)?
    public let trace: SourceSpan
}

/// A plan after checking: the evaluation tree the engine runs.
public struct CompiledPlan: Sendable {
    public let name: String
    public let version: String
    public let path: String
    public let effective: (from: CivilDate, to: CivilDate)
    public let currency: Currency
    public let periodKind: PeriodKind
    /// Where the plan's years start (`fiscal year starts …`) and its biweekly anchor; the calendar year when unstated.
    public var calendar: PeriodCalendar = .gregorian
    /// The `fiscal year starts …` line, when the plan has one.
    public var fiscalTrace: SourceSpan?
    public let rounding: RoundingRule
    public let fxDate: FXDate
    public let fields: [ExtraField]
    public let params: [(name: String, value: Value, overridden: Bool)]
    public let measures: [CompiledMeasure]
    public let components: [CompiledComponent]
    /// `clawback within N days`: a deal cancelled within N days of its close date is taken back from what was paid on it.
    public let clawback: (days: Int, trace: SourceSpan)?
    /// `true-up year to date` (where it was written): each period pays the year's earnings to date minus what the year already paid.
    public let yearToDate: SourceSpan?
    public let draw: CompiledDraw?
    public let trace: SourceSpan
    /// Extra columns of activities.csv the plan declared with `field activity.<name>`.
    public var activityFields: [ExtraField] = []
    /// `show deal.account, deal.name`: the deal columns shown on each statement line on a deal; empty without the line.
    public var shown: [ShownColumn] = []

    /// True when a measure of the plan counts activities.
    public var readsActivities: Bool { measures.contains { $0.readsActivities } }
    /// `credit "owner", "sdr"`: the credit roles of deals.csv the plan pays on (`owner` alone without the line), and where
    /// the plan says so: the `credit` line, or without one the plan's name in its `plan` line.
    public internal(set) var creditRoles: [String] = [Deal.owner]
    public internal(set) var creditLine: SourceSpan? = nil
    /// Whether `creditRoles` holds `owner`, kept beside them: it is read for every row.
    var creditsOwner = true
    /// `share attainment with team` / `share pay with team`: what team pages show of the plan's payees (nothing
    /// without a `share` line).
    public internal(set) var sharing = TeamSharing()

    /// True when any measure or override reads the credits of the payee's reports.
    public var readsReports: Bool {
        measures.contains { $0.creditScope != nil } || components.contains { if case .override = $0.rule { return true } else { return false } }
    }

    /// True when the named component pays on the credits of the payee's reports: an override, or a component on a team
    /// measure.
    public func readsReports(component name: String) -> Bool {
        guard let c = components.first(where: { $0.name == name }) else { return false }
        if case .override = c.rule { return true }
        return c.measure.map { measures[$0].creditScope != nil } ?? false
    }
}

/// A column of activities.csv a plan can read as `activity.<name>`.
public enum ActivityField: Sendable, Hashable {
    case activityID, repID, date, kind, count
    /// A declared extra column, by name.
    case extra(String)

    static let standard: [(String, ActivityField)] = [
        ("activity_id", .activityID), ("rep_id", .repID), ("date", .date), ("kind", .kind), ("count", .count),
    ]
}
