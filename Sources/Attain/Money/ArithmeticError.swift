// Errors from exact arithmetic: overflow and division by zero are reported, never wrapped or trapped.

/// A failure of exact arithmetic. The engine turns it into a diagnostic; it never crashes.
public enum ArithmeticError: Error, Equatable, Sendable {
    /// The result does not fit in 38 significant digits.
    case overflow
    /// A division had a zero divisor.
    case divisionByZero
    /// Two amounts in different currencies were combined.
    case currencyMismatch(String, String)
}
