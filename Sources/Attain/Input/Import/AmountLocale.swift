// How an export writes amounts: decimal and thousands separators, currency symbols and codes; read exactly, never as Double.

/// The way one export writes money amounts, and the reading of one amount into an exact decimal.
public struct AmountLocale: Sendable {
    /// The decimal separator: `.` or `,`.
    public var decimal: Character = "."
    /// The thousands separators accepted (none when empty). A space also accepts a no-break space and a narrow one.
    public var thousands: Set<Character> = [","]
    /// Symbols that name a currency, as the profile says (`$: USD`); `€` is EUR and `£` GBP unless it says otherwise.
    public var symbols: [String: Currency] = [:]

    public init() {}

    /// Symbols stripped from an amount whatever the profile says; those it does not name leave the currency to the
    /// currency column or the default.
    static let knownSymbols = ["US$", "CA$", "A$", "HK$", "NT$", "R$", "$", "€", "£", "¥", "￥", "₹", "₩", "元", "CN¥", "JP¥"]

    /// An amount as read: its value exactly as written and the currency its symbol or code names, if any.
    public struct Amount: Sendable, Equatable {
        public let value: ExactDecimal
        public let currency: Currency?
    }

    /// Reads one amount cell: nil when it is blank; otherwise the amount, or why it is not one.
    public func parse(_ raw: String) -> Result<Amount, DecimalTextError>? {
        var text = Substring(AmountLocale.trimmed(raw))
        if text.isEmpty { return nil }
        var currency: Currency?
        var negative = false
        func sign() {
            if text.first == "-" || text.first == "−" {
                negative = true
                text = text.dropFirst()
                text = Substring(AmountLocale.trimmed(String(text)))
            }
        }
        sign()
        // An ISO code before or after: `USD 1,200.00`, `1.200,00 EUR`.
        if text.count > 3, let code = text.prefix(3).allSatisfy({ $0.isASCII && $0.isUppercase }) ? Currency(code: String(text.prefix(3))) : nil {
            currency = code
            text = Substring(AmountLocale.trimmed(String(text.dropFirst(3))))
        } else if text.count > 3, let code = text.suffix(3).allSatisfy({ $0.isASCII && $0.isUppercase }) ? Currency(code: String(text.suffix(3))) : nil {
            currency = code
            text = Substring(AmountLocale.trimmed(String(text.dropLast(3))))
        }
        let all = (Array(symbols.keys) + AmountLocale.knownSymbols).sorted { $0.count > $1.count }
        for symbol in all {
            if text.hasPrefix(symbol) {
                text = Substring(AmountLocale.trimmed(String(text.dropFirst(symbol.count))))
            } else if text.hasSuffix(symbol) {
                text = Substring(AmountLocale.trimmed(String(text.dropLast(symbol.count))))
            } else {
                continue
            }
            if let named = symbols[symbol] ?? AmountLocale.defaultSymbols[symbol] {
                if let c = currency, c != named {
                    return .failure(.init(reason: "`\(symbol)` is \(named.code) but the amount also says \(c.code)"))
                }
                currency = named
            }
            break
        }
        if !negative { sign() }
        var integer = "", fraction = ""
        var sawDecimal = false
        var groups: [Int] = []
        var current = 0
        for ch in text {
            if ch.isASCII, ch.isNumber {
                if sawDecimal { fraction.append(ch) } else { integer.append(ch) }
                current += 1
            } else if ch == decimal, !sawDecimal {
                sawDecimal = true
                groups.append(current)
                current = 0
            } else if !sawDecimal, thousands.contains(ch) || (thousands.contains(" ") && (ch == "\u{00A0}" || ch == "\u{202F}")) {
                groups.append(current)
                current = 0
            } else if thousands.contains(ch) || ch == decimal {
                return .failure(.init(reason: "`\(ch)` after the decimal separator `\(decimal)`"))
            } else if ch == "," || ch == "." {
                return .failure(.init(reason: "`\(ch)` is neither the decimal separator (`\(decimal)`) nor a thousands separator of this profile"))
            } else {
                return .failure(.init(reason: "unexpected character `\(ch)` in an amount"))
            }
        }
        if !sawDecimal { groups.append(current) }
        if integer.isEmpty { return .failure(.init(reason: "expected digits before the decimal separator")) }
        if sawDecimal && fraction.isEmpty { return .failure(.init(reason: "expected digits after the decimal separator")) }
        // Groups after the first thousands separator have three digits: `1,5` is not one and a half thousand.
        let grouped = groups
        if grouped.count > 1, grouped.dropFirst().contains(where: { $0 != 3 }) || grouped[0] == 0 || grouped[0] > 3 {
            return .failure(.init(reason: "thousands separators stand every three digits (decimal separator `\(decimal)`)"))
        }
        let plain = (negative ? "-" : "") + integer + (fraction.isEmpty ? "" : "." + fraction)
        switch ExactDecimal.parse(plain) {
        case .success(let v): return .success(Amount(value: v, currency: currency))
        case .failure(let e): return .failure(e)
        }
    }

    static let defaultSymbols: [String: Currency] = ["€": Currency(code: "EUR")!, "£": Currency(code: "GBP")!]

    /// The text without spaces, tabs and no-break spaces around it.
    static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        let spaces: Set<Character> = [" ", "\t", "\u{00A0}", "\u{202F}"]
        while let f = t.first, spaces.contains(f) { t.removeFirst() }
        while let l = t.last, spaces.contains(l) { t.removeLast() }
        return String(t)
    }
}
