// ISO 4217 currencies with their minor units (fraction digits).

/// A currency: its ISO 4217 code and how many fraction digits its amounts carry.
/// Stored as one byte, its position in the table.
public struct Currency: Sendable, Hashable, CustomStringConvertible, Codable {
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
        guard let i = Currency.indexByCode[code] else { return nil }
        self.index = i
    }

    /// The table in code order.
    static let table: [(code: String, units: Int)] = minorUnitsByCode.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }

    /// Each code's place in `table`: a code is found in one look-up among the list's 167.
    static let indexByCode: [String: UInt8] = Dictionary(uniqueKeysWithValues: table.enumerated().map { ($1.code, UInt8($0)) })

    /// All known codes, sorted, for "did you mean" hints.
    public static var knownCodes: [String] { table.map(\.code) }

    /// The codes most amounts are in: a misspelt code is first looked for among them, so that `USX` is taken for USD,
    /// not for UGX, which is as close.
    static let everyday: [String] = [
        "AED", "ARS", "AUD", "BGN", "BHD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP", "EUR", "GBP",
        "HKD", "HUF", "IDR", "ILS", "INR", "IRR", "ISK", "JOD", "JPY", "KES", "KRW", "KWD", "MAD", "MXN", "MYR", "NGN",
        "NOK", "NZD", "OMR", "PEN", "PHP", "PKR", "PLN", "QAR", "RON", "SAR", "SEK", "SGD", "THB", "TND", "TRY", "TWD",
        "UAH", "USD", "VND", "ZAR",
    ]

    /// The `help:` for an unknown code: the closest code, an everyday one when one is as close as any.
    static func help(for code: String) -> [Diagnostic.Note] {
        guard let any = Suggestion.Names(knownCodes).closest(to: code) else { return [] }
        let target = Array(code.lowercased())
        func distance(_ c: String) -> Int { Suggestion.distance(target, Array(c.lowercased()), atMost: 3) ?? 4 }
        if let common = Suggestion.Names(everyday).closest(to: code), distance(common) <= distance(any) {
            return [.help("did you mean `\(common)`?")]
        }
        return [.help("did you mean `\(any)`?")]
    }

    /// Minor units of every code of ISO 4217's current list (data/iso4217-list-one.csv, SIX's List One of 2024-06-25,
    /// with the units that have none left out: metals, bond market units, SDR, testing and no-currency codes), and XCG,
    /// the Caribbean guilder a later amendment added. A test holds the table to that file.
    static let minorUnitsByCode: [String: Int] = [
        "AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "ANG": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2, "AZN": 2, "BAM": 2,
        "BBD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BIF": 0, "BMD": 2, "BND": 2, "BOB": 2, "BOV": 2, "BRL": 2, "BSD": 2,
        "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2, "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4, "CLP": 0,
        "CNY": 2, "COP": 2, "COU": 2, "CRC": 2, "CUC": 2, "CUP": 2, "CVE": 2, "CZK": 2, "DJF": 0, "DKK": 2, "DOP": 2,
        "DZD": 2, "EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2, "FKP": 2, "GBP": 2, "GEL": 2, "GHS": 2, "GIP": 2,
        "GMD": 2, "GNF": 0, "GTQ": 2, "GYD": 2, "HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2,
        "IQD": 3, "IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY": 0, "KES": 2, "KGS": 2, "KHR": 2, "KMF": 0, "KPW": 2,
        "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2, "LBP": 2, "LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3, "MAD": 2,
        "MDL": 2, "MGA": 2, "MKD": 2, "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2, "MWK": 2, "MXN": 2,
        "MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2, "NPR": 2, "NZD": 2, "OMR": 3, "PAB": 2,
        "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2, "PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0,
        "SAR": 2, "SBD": 2, "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SOS": 2, "SRD": 2, "SSP": 2,
        "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2, "THB": 2, "TJS": 2, "TMT": 2, "TND": 3, "TOP": 2, "TRY": 2, "TTD": 2,
        "TWD": 2, "TZS": 2, "UAH": 2, "UGX": 0, "USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4, "UZS": 2, "VED": 2,
        "VES": 2, "VND": 0, "VUV": 0, "WST": 2, "XAF": 0, "XCD": 2, "XCG": 2, "XOF": 0, "XPF": 0, "YER": 2, "ZAR": 2,
        "ZMW": 2, "ZWG": 2,
    ]
}
