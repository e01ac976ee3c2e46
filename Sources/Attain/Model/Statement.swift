// A payout statement: what one payee earns for one period, line by line, with totals that add up.

/// The kind of a statement line.
public enum LineKind: String, Sendable, CaseIterable {
    case commission, bonus, spif, override, adjustment, draw, clawback
    case trueUp = "true-up"
    /// Money earned but held back: until the customer pays (`pay on collection`), or by hand (holds.csv, `attain hold`).
    case hold
    /// Money held in an earlier period and paid now: collected since, or the hold lifted.
    case release

    /// Lines the plan's components produce for the period itself; the others settle it against the ledger.
    public var isEarned: Bool {
        switch self {
        case .commission, .bonus, .spif, .override: return true
        case .adjustment, .draw, .clawback, .trueUp, .hold, .release: return false
        }
    }

    /// A hold or a release: money held back, or paid out of what was held.
    public var isHolding: Bool { self == .hold || self == .release }
}

/// One band of a tiered commission line: the part of the deal that fell in the band.
public struct TierPortion: Sendable {
    public let band: String
    public let base: String
    public let rate: String
    /// Exact (unrounded) amount for the band; the line's amount is their sum, rounded once.
    public let amount: String
    public let source: String
}

/// One line of a statement. Its amount is rounded once by the plan's rule.
public struct StatementLine: Sendable {
    public var kind: LineKind
    public var component: String
    public var dealID: String?
    public var closeDate: CivilDate?
    public var base: String?
    public var share: String?
    public var rate: String?
    public var tier: String?
    public var tiers: [TierPortion] = []
    public var amount: Money
    public var reason: String?
    public var source: String
    /// For a deal in another currency: its original amount, the rate and the rate's date.
    public var conversion: Conversion? = nil
    /// For an override line: the report the deal was credited to.
    public var creditedTo: String? = nil
    /// For a prior-period adjustment, clawback or true-up: the earlier period it settles.
    public var refPeriod: String? = nil
    /// For a draw line: the balance still to be recovered before and after this period.
    public var balanceBefore: Money? = nil
    public var balanceAfter: Money? = nil
    /// In a statement with segments (a plan change inside the period): the 1-based segment the line belongs to.
    public var segment: Int? = nil
    /// For a commission line on a measure of activities: the activity it pays on (`dealID` is then nil).
    public var activityID: String? = nil
    /// For a line on a deal row credited in a role other than `owner` (deals.csv's `role`): the role, e.g. `sdr`.
    public var role: String? = nil
    /// For a line on a deal or activity a measure counted (commission, override, SPIF on a measured deal): the
    /// measure's running value and attainment just before and just after this line's deal or activity counted.
    public var running: RunningTotal? = nil
    /// For an adjustment, bonus, clawback or true-up: the figures its amount was made from, so a page can say how
    /// (in any language) rather than only why.
    public var working: LineWorking? = nil
    /// The deal columns the plan shows on lines (`show deal.account, deal.name`), in the order of
    /// `Statement.shownFields`; nil on lines without a deal or when the plan shows none.
    public var shown: [String]? = nil
    /// For a manual adjustment (adjustments.csv): the dispute it answers, by its id in the ledger.
    public var dispute: Int? = nil
    /// For a manual adjustment: the row's `adjustment_id` (kept for the ledger; not written in statements).
    public var manualAdjustment: String? = nil

    /// A line the plan's components produced for this period (not a ledger settlement).
    public var isPeriodLine: Bool { refPeriod == nil && kind != .draw && kind != .clawback && kind != .trueUp && !kind.isHolding }
}

/// A measure's running value beside one line: what it stood at before the line's deal or activity counted, and after.
/// Values are exact decimal text in the measure's unit (an amount in the plan currency, or a count); attainments are
/// percent text as measures write them (`"30%"`), nil when the measure has no quota.
public struct RunningTotal: Sendable {
    /// The measure's name, as the plan writes it (`bookings`).
    public var measure: String
    /// The figures as text, or as whole numbers made into text only when read: what evaluation stores, so that a
    /// statement never shown as a page makes no text for them.
    var figures: Figures

    enum Figures: Sendable {
        case text(before: String, after: String, attainmentBefore: String?, attainmentAfter: String?)
        case scaled(Scaled)
    }

    /// Values `before` and `after` ÷ 10^`scale`, written with at least `minimum` fraction digits; attainment in hundredths
    /// of a percent is value × `times` ÷ `over`, floored (none when `times` is 0).
    struct Scaled: Sendable {
        let before: Int128
        let after: Int128
        let times: Int64
        let over: Int64
        let scale: Int8
        let minimum: Int8

        func text(_ c: Int128) -> String {
            var d = ExactDecimal(coefficient: c, scale: Int(scale))
            while d.scale > Int(minimum), d.coefficient % 10 == 0 { d = ExactDecimal(coefficient: d.coefficient / 10, scale: d.scale - 1) }
            return d.description
        }

        func percent(_ c: Int128) -> String? {
            guard times != 0 else { return nil }
            var (q, r) = (c * Int128(times)).quotientAndRemainder(dividingBy: Int128(over))
            if r < 0 { q -= 1 }
            return ExactDecimal(coefficient: q, scale: 2).description + "%"
        }
    }

    public var before: String {
        get {
            switch figures {
            case .text(let b, _, _, _): return b
            case .scaled(let s): return s.text(s.before)
            }
        }
        set { figures = .text(before: newValue, after: after, attainmentBefore: attainmentBefore, attainmentAfter: attainmentAfter) }
    }

    public var after: String {
        get {
            switch figures {
            case .text(_, let a, _, _): return a
            case .scaled(let s): return s.text(s.after)
            }
        }
        set { figures = .text(before: before, after: newValue, attainmentBefore: attainmentBefore, attainmentAfter: attainmentAfter) }
    }

    public var attainmentBefore: String? {
        get {
            switch figures {
            case .text(_, _, let b, _): return b
            case .scaled(let s): return s.percent(s.before)
            }
        }
        set { figures = .text(before: before, after: after, attainmentBefore: newValue, attainmentAfter: attainmentAfter) }
    }

    public var attainmentAfter: String? {
        get {
            switch figures {
            case .text(_, _, _, let a): return a
            case .scaled(let s): return s.percent(s.after)
            }
        }
        set { figures = .text(before: before, after: after, attainmentBefore: attainmentBefore, attainmentAfter: newValue) }
    }

    public init(measure: String, before: String, after: String, attainmentBefore: String?, attainmentAfter: String?) {
        self.measure = measure
        figures = .text(before: before, after: after, attainmentBefore: attainmentBefore, attainmentAfter: attainmentAfter)
    }

    init(measure: String, scaled: Scaled) {
        self.measure = measure
        figures = .scaled(scaled)
    }
}

/// The figures a line's amount was made from, by the rule that made it. Amounts are exact decimal text in the
/// statement's currency; percents are percent text (`"200%"`).
public struct LineWorking: Sendable {
    public enum Rule: String, Sendable {
        /// A cap: `limit` (`limitPercent` of `limitBase` when the plan writes it as a percent of the target
        /// incentive), the `linesTotal` it cut back; the line's amount is limit − linesTotal.
        case cap
        /// A gate not met: the `condition` text, the `attainment` measured (and `threshold` when the condition is an
        /// attainment threshold), the `linesTotal` taken back.
        case gate
        /// A bonus step met: `threshold` the step, `attainment` reached.
        case bonus
        /// A closed period recomputed with the current inputs: `was` what was paid, `now` what it comes to now; the
        /// line's amount is now − was. `period` the period recomputed.
        case recomputed
        /// A clawback: the deal was cancelled on `date`; `was` what was paid on it in `period`.
        case clawback
        /// Held until collected (or a release of it): `collected` of `dealAmount` collected by `date`, `share` the
        /// collected share (capped at 100%); `now` what is payable of the line's `linesTotal`, `was` what was paid of it
        /// before this line; `condition` `proportionally` or `in full`.
        case collection
        /// Held by hand (or a release of it): `condition` who held it and why, `linesTotal` what it held.
        case handHold = "hand-hold"
    }

    public var rule: Rule
    public var limit: String? = nil
    public var limitPercent: String? = nil
    public var limitBase: String? = nil
    public var linesTotal: String? = nil
    public var threshold: String? = nil
    public var attainment: String? = nil
    public var condition: String? = nil
    public var was: String? = nil
    public var now: String? = nil
    public var period: String? = nil
    public var date: CivilDate? = nil
    /// For `clawback` of a deal whose pay was partly or wholly held: what was held and lapses (never released).
    public var lapsed: String? = nil
    /// For `collection`: what was collected on the deal by `date`, of the deal's whole amount, and the collected share.
    public var collected: String? = nil
    public var dealAmount: String? = nil
    public var share: String? = nil
    /// For `recomputed`, when statements carry detail: the recomputed period's lines on the same deal and component
    /// as they now read (base, share, rate, bands, running totals), so a page can show how `now` was made; for a
    /// year-to-date plan's year, every line of its last closed period. `was` has no such lines: the ledger keeps only
    /// what each posted line paid. Empty otherwise.
    public var recomputedLines: [StatementLine] = []

    public init(rule: Rule) { self.rule = rule }
}

/// What changed since the payee's last closed period, from the ledger: written on a close (nil on a run without a
/// ledger, and on a payee's first closed period).
public struct StatementChanges: Sendable {
    /// The last period closed before this one for the payee, and what it paid.
    public var previousPeriod: String
    public var previousPaid: Money
    /// The payee's total attainment (or the first measure's) then, when there was one.
    public var previousAttainment: String?
    /// How many deal lines of this period are on deals no closed period paid, and what they earned.
    public var newDeals: Int
    public var newDealsEarned: Money
    /// When this period was closed before and reopened: what its last posting paid.
    public var postedBefore: Money?

    public init(previousPeriod: String, previousPaid: Money, previousAttainment: String?, newDeals: Int, newDealsEarned: Money, postedBefore: Money?) {
        self.previousPeriod = previousPeriod
        self.previousPaid = previousPaid
        self.previousAttainment = previousAttainment
        self.newDeals = newDeals
        self.newDealsEarned = newDealsEarned
        self.postedBefore = postedBefore
    }
}

/// One part of a period a payee spent on one plan assignment, when the plan changed inside the period.
public struct Segment: Sendable {
    public let planName: String
    public let planVersion: String
    public let planPath: String
    public let from: CivilDate
    public let to: CivilDate
    public let measures: [MeasureResult]
    public let totalAttainment: String?
    public let targetIncentive: String
    public let proration: String?

    /// "AE-2026 v1, 2026-01-01 to 2026-02-14".
    public var label: String { "\(planName) v\(planVersion), \(from) to \(to)" }
}

/// A measure's result for the period, shown at the top of a statement.
public struct MeasureResult: Sendable {
    public let name: String
    public let value: String
    public let quota: String?
    public let attainment: String?
    public let weight: String?
    /// For a team measure (over the payee's reports' credits): what each report added, by rep id. Empty for a measure
    /// of the payee's own deals.
    public var from: [MeasureContribution] = []
    /// For a measure of activities: each activity it counted, in date order; nil for a measure of deals.
    public var activities: [ActivityEntry]? = nil
}

/// One report's part of a team measure: the deals of theirs it counted and what they added (in the measure's unit).
public struct MeasureContribution: Sendable {
    public let repID: String
    public let repName: String
    /// The sum they added: an amount in the plan currency, or a count (a split deal counts its share).
    public let amount: String
    /// How many of their deal rows the measure counted.
    public let deals: Int
}

/// One payee's statement for one period.
public struct Statement: Sendable {
    public let payeeID: String
    public let payeeName: String
    public var planName: String
    public var planVersion: String
    public var planPath: String
    public let period: Period
    public let currency: Currency
    public var measures: [MeasureResult]
    public var totalAttainment: String?
    public var targetIncentive: String
    /// "45/90" when the payee was active for part of the period; nil when for all of it.
    public var proration: String?
    /// "2026-01-01 to 2026-06-30" when measures run over the year to date rather than the period alone.
    public var measuredOver: String? = nil
    /// Two or more when the payee's plan changed inside the period; empty otherwise.
    public var segments: [Segment] = []
    /// The deal columns the plan shows on lines (`show deal.account, deal.name`): the names, without `deal.`.
    public var shownFields: [String] = []
    /// What changed since the last closed period (a close only).
    public var changes: StatementChanges? = nil
    /// The payee's disputes this statement shows (a close only): open ones, those answered since the last close, and
    /// those an adjustment line of this statement resolves; by id.
    public var queries: [StatementQuery] = []
    public private(set) var lines: [StatementLine]
    public private(set) var earned: Money
    public private(set) var adjustments: Money
    public private(set) var paid: Money
    /// What hold lines held back (a positive amount, the negated sum of `hold` lines) and release lines paid out of
    /// earlier holds; both are counted in `adjustments` too. Nil when the statement has no such line.
    public private(set) var held: Money? = nil
    public private(set) var released: Money? = nil

    public init(payeeID: String, payeeName: String, planName: String, planVersion: String, planPath: String, period: Period,
                currency: Currency, measures: [MeasureResult], totalAttainment: String?, targetIncentive: String, proration: String?,
                lines: [StatementLine]) throws {
        self.payeeID = payeeID
        self.payeeName = payeeName
        self.planName = planName
        self.planVersion = planVersion
        self.planPath = planPath
        self.period = period
        self.currency = currency
        self.measures = measures
        self.totalAttainment = totalAttainment
        self.targetIncentive = targetIncentive
        self.proration = proration
        // The lines are kept as given (no copy); the totals are their sums.
        self.lines = lines
        earned = .zero(currency)
        adjustments = .zero(currency)
        paid = .zero(currency)
        for line in lines { try count(line) }
    }

    /// The lines summed per kind, component, segment and settled period, in order of first appearance: what a
    /// payroll-only run keeps of each statement. Totals and every payroll row are unchanged; the deal-level detail is gone.
    public mutating func collapseLines() {
        // A statement has a few kinds and components, and a component's lines come together: the merged lines are
        // looked through from the last.
        var merged: [StatementLine] = []
        for line in lines {
            if let i = merged.lastIndex(where: { m in
                m.kind == line.kind && m.segment == line.segment && m.component == line.component && m.refPeriod == line.refPeriod
            }), let sum = try? merged[i].amount.adding(line.amount) {
                merged[i].amount = sum
                continue
            }
            merged.append(StatementLine(kind: line.kind, component: line.component, dealID: nil, closeDate: nil, base: nil, share: nil, rate: nil,
                                        tier: nil, amount: line.amount, reason: nil, source: line.source, refPeriod: line.refPeriod,
                                        segment: line.segment))
        }
        lines = merged
    }

    /// Adds lines and keeps the totals equal to the sum of the lines: earned (commission, bonus, spif, override),
    /// adjustments (everything else), paid = earned + adjustments.
    public mutating func append(_ more: [StatementLine]) throws {
        for line in more {
            try count(line)
            lines.append(line)
        }
    }

    /// A line's amount added to the totals it belongs to.
    private mutating func count(_ line: StatementLine) throws {
        if line.kind.isEarned { earned = try earned.adding(line.amount) } else { adjustments = try adjustments.adding(line.amount) }
        paid = try paid.adding(line.amount)
        if line.kind == .hold { held = try (held ?? .zero(currency)).subtracting(line.amount) }
        if line.kind == .release { released = try (released ?? .zero(currency)).adding(line.amount) }
    }
}
