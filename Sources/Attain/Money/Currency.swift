// ISO 4217 currencies with their minor units (fraction digits).

/// A currency: its ISO 4217 code and how many fraction digits its amounts carry.
/// Stored as one byte, its position in the table.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    let index: UInt8

    public var code: String { Currency.table[Int(index)].code }
    /// Digits after the decimal point in an amount: 2 for USD, 0 for JPY, 3 for KWD.
    public var minorUnits: Int { Currency.table[Int(index)].units }

    public var description: String { code }

    init(index: UInt8) {
        self.index = index
    }

    /// The currency with this code, or nil if it is not in the table.
    public init?(code: String) {
        guard let i = Currency.table.firstIndex(where: { $0.code == code }) else { return nil }
        self.index = UInt8(i)
    }

    /// The table in code order.
    static let table: [(code: String, units: Int)] = minorUnitsByCode.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }

    /// All known codes, sorted, for "did you mean" hints.
    public static var knownCodes: [String] { table.map(\.code) }

    /// Minor units per ISO 4217 (the codes in everyday commercial use).
    static let minorUnitsByCode: [String: Int] = [
        "AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2,
        "CLP": 0, "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2,
        "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0,
        "KES": 2, "KRW": 0, "KWD": 3, "MAD": 2, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2,
        "NZD": 2, "OMR": 3, "PEN": 2, "PHP": 2, "PKR": 2, "PLN": 2, "QAR": 2, "RON": 2,
        "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2,
        "USD": 2, "VND": 0, "ZAR": 2,
    ]
}
