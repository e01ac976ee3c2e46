// A payout statement: what one payee earns for one period, line by line, with totals that add up.

/// The kind of a statement line.
public enum LineKind: String, Sendable {
    case commission, bonus, spif, override, adjustment
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
}

/// A measure's result for the period, shown at the top of a statement.
public struct MeasureResult: Sendable {
    public let name: String
    public let value: String
    public let quota: String?
    public let attainment: String?
    public let weight: String?
}

/// One payee's statement for one period.
public struct Statement: Sendable {
    public let payeeID: String
    public let payeeName: String
    public let planName: String
    public let planVersion: String
    public let planPath: String
    public let period: Period
    public let currency: Currency
    public let measures: [MeasureResult]
    public let totalAttainment: String?
    public let targetIncentive: String
    /// "45/90" when the payee was active for part of the period; nil when for all of it.
    public let proration: String?
    public let lines: [StatementLine]
    public let earned: Money
    public let adjustments: Money
    public let paid: Money
}
