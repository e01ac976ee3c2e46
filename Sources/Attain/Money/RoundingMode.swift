// How a value that falls between two steps of the chosen precision is rounded.

/// Rounding modes a plan can name. All are symmetric around zero.
public enum RoundingMode: String, Sendable, CaseIterable {
    /// Ties go away from zero: 5.005 → 5.01, −5.005 → −5.01.
    case halfUp = "half-up"
    /// Ties go to the even neighbour (banker's rounding): 5.005 → 5.00, 5.015 → 5.02.
    case halfEven = "half-even"
    /// Toward zero (truncate): 5.009 → 5.00.
    case down = "down"
    /// Away from zero: 5.001 → 5.01.
    case up = "up"
}

/// A plan's rounding rule: a mode and a number of fraction digits (2 = cents).
public struct RoundingRule: Sendable, Hashable {
    public var mode: RoundingMode
    /// Fraction digits kept: 2 rounds to 0.01, 0 to whole units.
    public var scale: Int

    public init(mode: RoundingMode, scale: Int) {
        self.mode = mode
        self.scale = scale
    }

    /// The precision as the plan writes it, e.g. `0.01`.
    public var precisionText: String {
        scale == 0 ? "1" : "0." + String(repeating: "0", count: scale - 1) + "1"
    }
}
