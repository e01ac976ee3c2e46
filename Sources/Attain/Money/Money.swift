// Money: an exact amount in one currency. Only meaningful operations exist.

/// An exact amount of one currency. Money + Money needs the same currency; Money × Rate is
/// the only product; there is no Money × Money.
public struct Money: Sendable, Hashable, Codable {
    public let amount: ExactDecimal
    public let currency: Currency

    public init(_ amount: ExactDecimal, _ currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(.zero, currency) }

    public var isZero: Bool { amount.isZero }

    /// Exact sum; throws on a currency mismatch or overflow.
    public func adding(_ other: Money) throws(ArithmeticError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
        return Money(try amount.adding(other.amount), currency)
    }

    public func subtracting(_ other: Money) throws(ArithmeticError) -> Money {
        try adding(other.negated())
    }

    public func negated() -> Money { Money(amount.negated(), currency) }

    /// The exact, unrounded product with a rate (for detail lines and bases).
    public func exactlyTimes(_ rate: Rate) throws(ArithmeticError) -> Money {
        Money(try amount.multiplied(by: rate.fraction), currency)
    }

    /// The product with a rate, rounded once by `rule` (e.g. half-up to 0.01).
    public func times(_ rate: Rate, rounding rule: RoundingRule) throws(ArithmeticError) -> Money {
        try exactlyTimes(rate).rounded(by: rule)
    }

    /// The amount rounded by `rule` (mode and fraction digits).
    public func rounded(by rule: RoundingRule) throws(ArithmeticError) -> Money {
        Money(try amount.rounded(scale: rule.scale, mode: rule.mode), currency)
    }

    /// `self ÷ other` as a rate, rounded to `scale` fraction digits of the fraction by `mode`.
    public func ratio(to other: Money, scale: Int, mode: RoundingMode) throws(ArithmeticError) -> Rate {
        guard currency == other.currency else { throw .currencyMismatch(currency.code, other.currency.code) }
        return Rate(fraction: try amount.divided(by: other.amount, scale: scale, mode: mode))
    }

    /// Decimal text with at least the currency's minor digits: "1400.00".
    public var text: String { amount.text(minimumScale: currency.minorUnits) }
}

extension Money: Comparable {
    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "compared money in different currencies")
        return lhs.amount < rhs.amount
    }
}

/// A rate or percentage, held as an exact fraction: 2% is 0.02.
public struct Rate: Sendable, Hashable, Comparable {
    public let fraction: ExactDecimal

    public init(fraction: ExactDecimal) {
        self.fraction = fraction
    }

    /// A rate from a percent figure: `Rate(percent: 2)` is 2%.
    public init(percent: ExactDecimal) throws(ArithmeticError) {
        // Dividing by 100 is exact: two more fraction digits.
        let p = percent.scale + 2 <= ExactDecimal.maxScale ? percent : percent.normalized
        guard p.scale + 2 <= ExactDecimal.maxScale else { throw .overflow }
        self.fraction = ExactDecimal(coefficient: p.coefficient, scale: p.scale + 2).normalized
    }

    /// The figure in percent, exact: 0.03333 → 3.333.
    public var percent: ExactDecimal {
        (try? fraction.multiplied(by: .hundred).normalized) ?? fraction
    }

    /// "2%", "3.333%", "0.5%".
    public var text: String { percent.normalized.description + "%" }

    public static func < (lhs: Rate, rhs: Rate) -> Bool { lhs.fraction < rhs.fraction }
}
