// The types of the plan language: every value carries its unit.

/// The type of a plan expression. Money carries its currency; a percent is a fraction.
public enum ValueType: Sendable, Hashable, CustomStringConvertible, Codable {
    case money(Currency)
    case percent
    case number
    case date
    case text
    case bool

    /// How a type reads in an error message: "money (USD)", "a percent", "a date".
    public var description: String {
        switch self {
        case .money(let c): return "money (\(c.code))"
        case .percent: return "a percent"
        case .number: return "a number"
        case .date: return "a date"
        case .text: return "text"
        case .bool: return "a condition (true or false)"
        }
    }

    /// The name used in `field x: TYPE` declarations.
    var declarationName: String {
        switch self {
        case .money: return "money"
        case .percent: return "percent"
        case .number: return "number"
        case .date: return "date"
        case .text: return "text"
        case .bool: return "bool"
        }
    }
}

/// A runtime value of the plan language. Numbers are exact ratios, so attainment compares exactly.
public enum Value: Sendable, Hashable {
    case money(Ratio, Currency)
    case percent(Ratio)
    case number(Ratio)
    case date(CivilDate)
    case text(String)
    case bool(Bool)

    var numeric: Ratio? {
        switch self {
        case .money(let r, _), .percent(let r), .number(let r): return r
        default: return nil
        }
    }

    /// Plain text of the value as a plan would write it.
    public var text: String {
        switch self {
        case .money(let r, let c): return Value.decimalText(r, minimumScale: c.minorUnits) + " " + c.code
        case .percent(let r):
            let p = (try? r.multiplied(by: Ratio(100, 1))) ?? r
            return Value.decimalText(p, minimumScale: 0) + "%"
        case .number(let r): return Value.decimalText(r, minimumScale: 0)
        case .date(let d): return d.description
        case .text(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        }
    }

    /// Exact decimal text when the ratio terminates, else rounded to 6 fraction digits.
    static func decimalText(_ r: Ratio, minimumScale: Int) -> String {
        if let d = r.exactDecimal { return d.text(minimumScale: minimumScale) }
        let rounded = (try? r.rounded(scale: 6, mode: .halfEven)) ?? .zero
        return rounded.text(minimumScale: minimumScale)
    }
}
