// Strict parsing of decimal text such as "1234.56": anything a spreadsheet might add is refused with a reason.

/// Why a piece of text is not a plain decimal number.
public struct DecimalTextError: Error, Equatable, Sendable {
    /// What went wrong, in words for the person who wrote the value.
    public let reason: String
}

extension ExactDecimal {
    /// Parses `-?digits(.digits)?` exactly. Thousands separators, currency symbols, exponents,
    /// spaces, a leading `+` or a bare `.5` are errors whose reason says which.
    public static func parse<S: Collection>(_ text: S) -> Result<ExactDecimal, DecimalTextError> where S.Element == UInt8 {
        if text.isEmpty { return .failure(.init(reason: "expected a number, found an empty value")) }
        var negative = false
        var coefficient: Int128 = 0
        var scale = 0
        var sawDigit = false
        var sawPoint = false
        var index = text.startIndex
        if text[index] == UInt8(ascii: "-") {
            negative = true
            index = text.index(after: index)
        }
        while index < text.endIndex {
            let byte = text[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (m, o1) = coefficient.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int128(byte - UInt8(ascii: "0")))
                if o1 || o2 || (sawPoint && scale >= maxScale) {
                    return .failure(.init(reason: "the number is too large or too precise (at most 38 digits)"))
                }
                coefficient = a
                sawDigit = true
                if sawPoint { scale += 1 }
            case UInt8(ascii: "."):
                if sawPoint { return .failure(.init(reason: "a number has at most one decimal point")) }
                if !sawDigit { return .failure(.init(reason: "expected a digit before the decimal point (write 0.5, not .5)")) }
                sawPoint = true
            case UInt8(ascii: ","):
                return .failure(.init(reason: "thousands separators are not allowed (write 1234.56, not 1,234.56)"))
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                return .failure(.init(reason: "exponents are not allowed (write 1500000, not 1.5e6)"))
            case UInt8(ascii: "$"), 0xC2, 0xE2:
                return .failure(.init(reason: "currency symbols are not allowed; the currency goes in its own column"))
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                return .failure(.init(reason: "spaces are not allowed in a number"))
            case UInt8(ascii: "+"):
                return .failure(.init(reason: "a leading `+` is not allowed"))
            case UInt8(ascii: "%"):
                return .failure(.init(reason: "a percent sign is not allowed here"))
            case UInt8(ascii: "-"):
                return .failure(.init(reason: "a minus sign may only come first"))
            default:
                return .failure(.init(reason: "unexpected character in a number"))
            }
            index = text.index(after: index)
        }
        if !sawDigit { return .failure(.init(reason: "expected digits")) }
        if sawPoint && scale == 0 { return .failure(.init(reason: "expected a digit after the decimal point")) }
        return .success(ExactDecimal(coefficient: negative ? -coefficient : coefficient, scale: scale))
    }

    /// Parses a Swift string strictly; see `parse(_:)` for bytes.
    public static func parse(_ text: String) -> Result<ExactDecimal, DecimalTextError> {
        parse(Array(text.utf8))
    }
}
