// An exact decimal number: a signed 128-bit coefficient and a count of fraction digits.

/// An exact decimal: `coefficient × 10^-scale`. No floating point anywhere.
///
/// Addition and multiplication are exact; every operation that could overflow throws
/// `ArithmeticError.overflow`. Rounding happens only when asked for, by a `RoundingMode`.
public struct ExactDecimal: Sendable, Codable {
    public let coefficient: Int128
    /// Fraction digits, 0...`maxScale`.
    public let scale: Int

    public static let maxScale = 36
    public static let zero = ExactDecimal(coefficient: 0, scale: 0)

    /// The sum of amounts; one that would overflow the total is left out.
    public static func total<S: Sequence>(_ amounts: S) -> ExactDecimal where S.Element == ExactDecimal {
        amounts.reduce(ExactDecimal.zero) { (try? $0.adding($1)) ?? $0 }
    }
    public static let one = ExactDecimal(coefficient: 1, scale: 0)
    public static let hundred = ExactDecimal(coefficient: 100, scale: 0)

    public init(coefficient: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= ExactDecimal.maxScale, "scale out of range")
        self.coefficient = coefficient
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(coefficient: Int128(integer), scale: 0)
    }

    public var isZero: Bool { coefficient == 0 }
    public var isNegative: Bool { coefficient < 0 }
    public var signum: Int { coefficient == 0 ? 0 : (coefficient < 0 ? -1 : 1) }

    /// 10^n as Int128, for n in 0...38.
    static func powerOfTen(_ n: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<n { result &*= 10 }
        return result
    }

    /// The same value with `newScale` fraction digits (newScale ≥ scale). Exact.
    public func rescaled(to newScale: Int) throws(ArithmeticError) -> ExactDecimal {
        if newScale == scale { return self }
        precondition(newScale > scale, "rescaled(to:) only adds digits; use rounded(scale:mode:)")
        guard newScale <= ExactDecimal.maxScale else { throw .overflow }
        let (value, overflow) = coefficient.multipliedReportingOverflow(by: ExactDecimal.powerOfTen(newScale - scale))
        if overflow { throw .overflow }
        return ExactDecimal(coefficient: value, scale: newScale)
    }

    /// The value with trailing fractional zeros removed (1.2500 → 1.25).
    public var normalized: ExactDecimal {
        func stripped<N: BinaryInteger>(_ coefficient: N) -> ExactDecimal {
            var c = coefficient, s = scale
            while s > 0 && c % 10 == 0 {
                c /= 10
                s -= 1
            }
            return ExactDecimal(coefficient: Int128(c), scale: s)
        }
        // Most coefficients fit in 64 bits, where division is an instruction rather than a library call.
        if let small = Int64(exactly: coefficient) { return stripped(small) }
        return stripped(coefficient)
    }

    public func adding(_ other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        let s = max(scale, other.scale)
        let a = try rescaled(to: s)
        let b = try other.rescaled(to: s)
        let (value, overflow) = a.coefficient.addingReportingOverflow(b.coefficient)
        if overflow { throw .overflow }
        return ExactDecimal(coefficient: value, scale: s)
    }

    public func subtracting(_ other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        try adding(other.negated())
    }

    public func negated() -> ExactDecimal {
        // Int128.min never arises: every value is built through checked operations that
        // stay within ±(10^38), so negation cannot overflow.
        ExactDecimal(coefficient: -coefficient, scale: scale)
    }

    public var magnitude: ExactDecimal { coefficient < 0 ? negated() : self }

    /// Exact product; the scales add. Trailing zeros are dropped when the scale would exceed the maximum.
    public func multiplied(by other: ExactDecimal) throws(ArithmeticError) -> ExactDecimal {
        var a = self
        var b = other
        if a.scale + b.scale > ExactDecimal.maxScale {
            a = a.normalized
            b = b.normalized
            guard a.scale + b.scale <= ExactDecimal.maxScale else { throw .overflow }
        }
        let (value, overflow) = a.coefficient.multipliedReportingOverflow(by: b.coefficient)
        if overflow { throw .overflow }
        return ExactDecimal(coefficient: value, scale: a.scale + b.scale)
    }

    /// The value rounded to `newScale` fraction digits by `mode`.
    /// A value that already has no more digits is returned unchanged, padded to `newScale`.
    public func rounded(scale newScale: Int, mode: RoundingMode) throws(ArithmeticError) -> ExactDecimal {
        if newScale >= scale { return try rescaled(to: newScale) }
        let divisor = ExactDecimal.powerOfTen(scale - newScale)
        let (q, r) = coefficient.quotientAndRemainder(dividingBy: divisor)
        let result = ExactDecimal.roundQuotient(q, remainder: r, divisor: divisor, mode: mode)
        return ExactDecimal(coefficient: result, scale: newScale)
    }

    /// Rounds a truncated quotient `q` (remainder `r`, same sign as the dividend) by `mode`.
    static func roundQuotient(_ q: Int128, remainder r: Int128, divisor: Int128, mode: RoundingMode) -> Int128 {
        if r == 0 { return q }
        let away: Int128 = (r < 0) != (divisor < 0) ? -1 : 1
        let twiceRemainder = r.magnitude * 2
        let d = divisor.magnitude
        switch mode {
        case .down:
            return q
        case .up:
            return q + away
        case .halfUp:
            return twiceRemainder >= d ? q + away : q
        case .halfEven:
            if twiceRemainder > d { return q + away }
            if twiceRemainder < d { return q }
            return q % 2 == 0 ? q : q + away
        }
    }

    /// `self ÷ other`, rounded to `resultScale` fraction digits by `mode`.
    public func divided(by other: ExactDecimal, scale resultScale: Int, mode: RoundingMode) throws(ArithmeticError) -> ExactDecimal {
        guard !other.isZero else { throw .divisionByZero }
        // self/other = (a·10^-sa)/(b·10^-sb); scaled to resultScale: a·10^(resultScale+sb-sa) / b.
        let shift = resultScale + other.scale - scale
        var numerator = coefficient
        var denominator = other.coefficient
        if shift >= 0 {
            guard shift <= 38 else { throw .overflow }
            let (n, o) = numerator.multipliedReportingOverflow(by: ExactDecimal.powerOfTen(shift))
            if o { throw .overflow }
            numerator = n
        } else {
            guard -shift <= 38 else { throw .overflow }
            let (d, o) = denominator.multipliedReportingOverflow(by: ExactDecimal.powerOfTen(-shift))
            if o { throw .overflow }
            denominator = d
        }
        let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
        return ExactDecimal(coefficient: ExactDecimal.roundQuotient(q, remainder: r, divisor: denominator, mode: mode), scale: resultScale)
    }
}

extension ExactDecimal: Comparable, Hashable {
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) == 0
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way comparison that never overflows: values are compared by sign, then by
    /// integer part, then by fraction digits.
    static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.signum != b.signum { return a.signum < b.signum ? -1 : 1 }
        let s = max(a.scale, b.scale)
        if let x = try? a.rescaled(to: s), let y = try? b.rescaled(to: s) {
            return x.coefficient == y.coefficient ? 0 : (x.coefficient < y.coefficient ? -1 : 1)
        }
        // One side is too large to rescale: it has the larger magnitude.
        let aFits = (try? a.rescaled(to: s)) != nil
        let larger = aFits ? -1 : 1
        return a.signum >= 0 ? larger : -larger
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.coefficient)
        hasher.combine(n.scale)
    }
}

extension ExactDecimal: CustomStringConvertible {
    /// Plain decimal text with exactly `scale` fraction digits: "1400.00", "-0.5", "7".
    public var description: String {
        // Digits are written from the last one back into a buffer, with the point after `scale` of them
        // and a zero before the point when there is no whole part.
        let m = coefficient.magnitude
        let width = 42 + scale
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: width) { buffer in
            var i = width
            var written = 0
            func put(_ byte: UInt8) {
                i -= 1
                buffer[i] = byte
            }
            // 64-bit division where the magnitude fits: an instruction rather than a library call.
            func digits<N: FixedWidthInteger & UnsignedInteger>(of magnitude: N) {
                var n = magnitude
                repeat {
                    if written == scale && scale > 0 { put(UInt8(ascii: ".")) }
                    put(UInt8(ascii: "0") + UInt8(n % 10))
                    n /= 10
                    written += 1
                } while n > 0 || written <= scale
            }
            if let small = UInt64(exactly: m) { digits(of: small) } else { digits(of: m) }
            if coefficient < 0 { put(UInt8(ascii: "-")) }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[i...]), as: UTF8.self)
        }
    }

    /// Text with at least `minimumScale` fraction digits and no needless trailing zeros beyond it.
    public func text(minimumScale: Int) -> String {
        let n = normalized
        if n.scale >= minimumScale { return n.description }
        return ((try? n.rescaled(to: minimumScale)) ?? n).description
    }

    /// Text with at most `maximumScale` fraction digits (rounded half-even), then trimmed to at least `minimumScale`.
    public func text(minimumScale: Int, maximumScale: Int) -> String {
        let r = scale > maximumScale ? ((try? rounded(scale: maximumScale, mode: .halfEven)) ?? self) : self
        return r.text(minimumScale: minimumScale)
    }
}
