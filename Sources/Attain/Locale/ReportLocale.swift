// The languages statements, team pages and reports are written in: words from a catalog, numbers and dates in the
// locale's style, made from exact decimal text (never through floating point), and the direction text runs in.

/// A language Attain writes its pages in, named by a BCP 47 tag: `en`, `zh-Hans` or `fa`.
///
/// Words come from the language's catalog (`Catalog+<tag>.swift`, one file per language, every key in each). Numbers
/// are written from their exact decimal text: only the digits, separators and signs change, never a digit's value.
public struct ReportLocale: Sendable, Hashable, CustomStringConvertible {
    /// The BCP 47 tag as Attain writes it: `en`, `zh-Hans`, `fa`.
    public let tag: String

    public static let english = ReportLocale(tag: "en")
    public static let simplifiedChinese = ReportLocale(tag: "zh-Hans")
    public static let persian = ReportLocale(tag: "fa")
    /// Every locale Attain ships, in the order help texts list them.
    public static let all: [ReportLocale] = [.english, .simplifiedChinese, .persian]

    private init(tag: String) { self.tag = tag }

    public var description: String { tag }

    /// The locale a BCP 47 tag asks for, or nil when Attain has no catalog for it. Case and `_` for `-` are forgiven;
    /// a region or script that does not change the language is accepted: `en-US` and `en-GB` are `en`, `zh`, `zh-CN`
    /// and `zh-Hans-CN` are `zh-Hans`, `fa-IR` and `fa-AF` are `fa`. Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`)
    /// is not Simplified Chinese, and is refused.
    public static func parse(_ text: String) -> ReportLocale? {
        let parts = text.trimmingSpaces().replacingUnderscores.lowercased().split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let language = parts.first, !parts.contains(where: { $0.isEmpty }) else { return nil }
        let rest = parts.dropFirst()
        switch language {
        case "en":
            return .english
        case "zh":
            if rest.contains("hant") || (!rest.contains("hans") && rest.contains(where: { ["tw", "hk", "mo"].contains($0) })) { return nil }
            return .simplifiedChinese
        case "fa":
            return .persian
        default:
            return nil
        }
    }

    /// Persian runs right to left; English and Chinese left to right.
    public var isRightToLeft: Bool { self == .persian }
    /// The value of an HTML `dir` attribute: `rtl` or `ltr`.
    public var direction: String { isRightToLeft ? "rtl" : "ltr" }

    // MARK: Words

    /// The catalog entry for `key`, with `{0}`, `{1}` … replaced by `arguments` in order. A key missing from this
    /// language's catalog falls back to English (a test keeps every key in every catalog), and a key missing from
    /// English is returned as it is, so a gap shows on the page rather than an empty string.
    public func text(_ key: String, _ arguments: String...) -> String {
        text(key, arguments: arguments)
    }

    public func text(_ key: String, arguments: [String]) -> String {
        guard let template = catalog[key] ?? Catalog.english[key] else { return key }
        return Catalog.fill(template, arguments)
    }

    /// This language's catalog: every word of the pages by key.
    public var catalog: [String: String] {
        switch tag {
        case "zh-Hans": return Catalog.simplifiedChinese
        case "fa": return Catalog.persian
        default: return Catalog.english
        }
    }

    // MARK: Numbers

    /// Persian writes its own digits (۰–۹), `٬` between thousands and `٫` for the decimal point; English and Chinese
    /// write `,` and `.` (CLDR's number symbols for `en`, `zh` and `fa`).
    private var digitZero: Unicode.Scalar? { isRightToLeft ? "\u{06F0}" : nil }
    private var groupSeparator: String { isRightToLeft ? "\u{066C}" : "," }
    private var decimalSeparator: String { isRightToLeft ? "\u{066B}" : "." }
    /// CLDR's minus sign: `-` for English and Chinese; for Persian a left-to-right mark and `−` (U+2212), so the sign
    /// stays before the digits inside right-to-left text.
    private var minusSign: String { isRightToLeft ? "\u{200E}\u{2212}" : "-" }
    private var percentSign: String { isRightToLeft ? "\u{066A}" : "%" }

    /// Exact decimal text (`"-1234567.805"`) in this locale's style: `-1,234,567.805` in English and Chinese,
    /// `‎−۱٬۲۳۴٬۵۶۷٫۸۰۵` in Persian. Every digit is kept; `grouping: false` leaves out the thousands separators (ids,
    /// years). Text that is not a plain decimal is returned with only its digits changed.
    public func number(_ text: String, grouping: Bool = true) -> String {
        // Written byte by byte: pages write a number for every figure of every line.
        var copy = text
        let made: String? = copy.withUTF8 { t -> String? in
            let n = t.count
            var i = 0
            var negative = false
            if i < n, t[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if i < n, t[i] == UInt8(ascii: "+") { i += 1 }
            let start = i
            while i < n, t[i] &- 0x30 < 10 { i += 1 }
            let wholeEnd = i
            var fraction: Int? = nil
            if i < n, t[i] == UInt8(ascii: ".") {
                i += 1
                fraction = i
                while i < n, t[i] &- 0x30 < 10 { i += 1 }
            }
            guard i == n, wholeEnd > start || fraction != nil else { return nil }
            let persian = isRightToLeft
            var out: [UInt8] = []
            out.reserveCapacity(persian ? 2 * n + 8 : n + n / 3 + 2)
            func digit(_ b: UInt8) {
                // ۰ is U+06F0: DB B0 in UTF-8, up to ۹ DB B9.
                if persian { out.append(0xDB); out.append(0xB0 + (b - 0x30)) } else { out.append(b) }
            }
            if negative { out.append(contentsOf: persian ? [0xE2, 0x80, 0x8E, 0xE2, 0x88, 0x92] : [UInt8(ascii: "-")]) }
            let count = wholeEnd - start
            for k in 0..<count {
                if grouping && k > 0 && (count - k) % 3 == 0 { out.append(contentsOf: persian ? [0xD9, 0xAC] : [UInt8(ascii: ",")]) }
                digit(t[start + k])
            }
            if let f = fraction {
                out.append(contentsOf: persian ? [0xD9, 0xAB] : [UInt8(ascii: ".")])
                for k in f..<n { digit(t[k]) }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return made ?? digits(text)
    }

    /// A percent as Attain writes it (`"120%"`, `"33.3333%"`, or the bare number `"120"`) in this locale's style:
    /// `120%`, `۱۲۰٪`.
    public func percent(_ text: String) -> String {
        let bare = text.hasSuffix("%") ? String(text.dropLast()) : text
        return number(bare) + percentSign
    }

    /// An amount and its currency code: `1,234.56 USD`, `۱٬۲۳۴٫۵۶ USD`.
    public func money(_ text: String, _ currency: Currency) -> String {
        number(text) + "\u{00A0}" + currency.code
    }

    /// Exact decimal text rounded half-up to `scale` fraction digits, for showing a quota or a credited amount at the
    /// currency's precision (the exact value is shown beside it on the page). Text that is already that short, or is
    /// not a decimal, is returned as it is.
    public static func rounded(_ text: String, scale: Int) -> String {
        guard case .success(let value) = ExactDecimal.parse(text), value.scale > scale,
              let r = try? value.rounded(scale: scale, mode: .halfUp) else { return text }
        return r.description
    }

    /// ASCII digits replaced by this locale's digits; everything else kept.
    public func digits(_ text: String) -> String {
        guard let zero = digitZero else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if u.value >= 0x30 && u.value <= 0x39, let d = Unicode.Scalar(zero.value + u.value - 0x30) { out.append(d) } else { out.append(u) }
        }
        return String(out)
    }

    // MARK: Dates

    /// A month's name as it stands in a date: `January`, `1月`, `ژانویهٔ` (CLDR's Gregorian format-wide month names).
    public func monthName(_ month: Int) -> String {
        guard (1...12).contains(month) else { return digits(String(month)) }
        switch tag {
        case "zh-Hans": return "\(month)月"
        case "fa": return Self.persianMonths[month - 1]
        default: return Self.englishMonths[month - 1]
        }
    }

    /// A date written out: `1 January 2026`, `2026年1月1日`, `۱ ژانویهٔ ۲۰۲۶` (CLDR's long Gregorian date patterns
    /// `d MMMM y`, `y年M月d日` and `d MMMM y`).
    public func longDate(_ d: CivilDate) -> String {
        switch tag {
        case "zh-Hans": return "\(d.year)年\(d.month)月\(d.day)日"
        case "fa": return "\(digits(String(d.day))) \(monthName(d.month)) \(digits(String(d.year)))"
        default: return "\(d.day) \(monthName(d.month)) \(d.year)"
        }
    }

    /// A date in a table: ISO `2026-01-10` in English, `2026/1/10` in Chinese, `۲۰۲۶/۱/۱۰` in Persian (CLDR's short
    /// patterns `y/M/d`).
    public func shortDate(_ d: CivilDate) -> String {
        switch tag {
        case "zh-Hans", "fa": return digits("\(d.year)/\(d.month)/\(d.day)")
        default: return d.description
        }
    }

    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                                "November", "December"]
    static let persianMonths = ["ژانویهٔ", "فوریهٔ", "مارس", "آوریل", "مهٔ", "ژوئن", "ژوئیهٔ", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"]

    // MARK: Fonts

    /// The CSS font stack for the language: system fonts only (pages fetch nothing), with ones that have CJK or
    /// Persian glyphs first where the language needs them, so print shows the script rather than empty boxes.
    public var fontStack: String {
        switch tag {
        case "zh-Hans":
            return "\"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", sans-serif"
        case "fa":
            return "Vazirmatn, \"Noto Naskh Arabic\", \"Noto Sans Arabic\", Tahoma, \"Segoe UI\", \"DejaVu Sans\", sans-serif"
        default:
            return "-apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"Liberation Sans\", sans-serif"
        }
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

private extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
