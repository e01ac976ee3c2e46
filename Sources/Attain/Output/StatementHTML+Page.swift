// What a statement page is written with: its language, its currency's precision, and the exact values its rounded
// figures stand for (shown on hover and as footnotes, since print has no hover).

/// The words of one page in one language: catalog text, numbers, percents, dates and amounts in the locale's style.
///
/// In HTML (`html: true`) every helper returns markup: text from the plan or the data is escaped, and wrapped in
/// `<bdi>` where its direction may differ from the page's (ids, names, amounts with a currency code, plan text,
/// periods). In plain text (a line in words for a terminal or a report) nothing is escaped and right-to-left text
/// gets Unicode isolates instead of `<bdi>`.
class PageWords {
    let locale: ReportLocale
    let context: PageContext
    let currency: Currency
    let html: Bool
    /// The currency's minor units: what quotas, measure values and credited amounts are rounded to for display.
    let scale: Int
    /// Exact values whose rounded figures differ from them, in order of first use (footnote n is `notes[n - 1]`).
    private(set) var notes: [String] = []
    /// Whether a rounded figure gets a numbered footnote; off where its exact value is given another way (the
    /// running totals of override lines, shown on screen only, with the exact value on hover).
    var footnoting = true

    init(locale: ReportLocale, currency: Currency, context: PageContext, html: Bool = true) {
        self.locale = locale
        self.context = context
        self.currency = currency
        self.html = html
        scale = currency.minorUnits
    }

    func e(_ text: String) -> String { html ? StatementHTML.escape(text) : text }
    var nbsp: String { html ? "&nbsp;" : "\u{00A0}" }
    var code: String { e(currency.code) }

    /// The catalog's words for `key` in the page's language (escaped in HTML), with `{0}`, `{1}` … replaced by the
    /// arguments (already made by these helpers).
    func w(_ key: String, _ arguments: String...) -> String {
        let template = locale.catalog[key] ?? Catalog.english[key] ?? key
        return Catalog.fill(e(template), arguments)
    }

    /// The catalog's words as plain text (a `<title>`, a CSS string), never escaped.
    func plain(_ key: String, _ arguments: String...) -> String { locale.text(key, arguments: arguments) }

    /// Text of the plan or the data, isolated from the text around it.
    func bdi(_ text: String) -> String {
        html ? "<bdi>\(StatementHTML.escape(text))</bdi>" : (locale.isRightToLeft ? isolated(text) : text)
    }

    /// Plan text (a gate's condition): code in HTML, backticks in plain text.
    func planCode(_ text: String) -> String {
        html ? "<bdi><code>\(StatementHTML.escape(text))</code></bdi>" : "`\(bdi(text))`"
    }

    /// An exact decimal in the page's digits and separators, every digit kept.
    func num(_ text: String) -> String { e(locale.number(text)) }

    /// A count (of deals, days): the page's digits.
    func count(_ n: Int) -> String { e(locale.number(String(n))) }

    /// A percent as measures write it (`"120.00%"`).
    func pct(_ text: String) -> String { e(locale.percent(text)) }

    /// An amount as it is (already rounded by the plan's rule) with the currency's code, isolated.
    func money(_ text: String) -> String { html ? "<bdi>\(num(text))&nbsp;\(code)</bdi>" : bdi(locale.number(text) + nbsp + currency.code) }

    /// A quota, target incentive, measure value or credited amount rounded half-up to the currency's minor units. In
    /// HTML, when that changes it, the exact value is in a `title` (hover) and in a numbered footnote (print).
    func exact(_ text: String, unit: Bool = false) -> String {
        let r = ReportLocale.rounded(text, scale: scale)
        guard html else { return unit ? bdi(locale.number(r) + nbsp + currency.code) : num(r) }
        let shown = num(r) + (unit ? "&nbsp;\(code)" : "")
        guard r != text else { return unit ? "<bdi>\(shown)</bdi>" : shown }
        guard footnoting else { return "<bdi><span class=\"exact\" title=\"\(w("statement.exact_title", num(text)))\">\(shown)</span></bdi>" }
        let n: Int
        if let i = notes.firstIndex(of: text) { n = i + 1 } else { notes.append(text); n = notes.count }
        return "<bdi><span class=\"exact\" title=\"\(w("statement.exact_title", num(text)))\">\(shown)</span><sup class=\"fn\">\(count(n))</sup></bdi>"
    }

    /// A date in a table: `2026-01-10`, `2026/1/10`, `۲۰۲۶/۱/۱۰`.
    func date(_ d: CivilDate) -> String { bdi(locale.shortDate(d)) }

    /// A date written out: `1 January 2026`, `2026年1月1日`.
    func longDate(_ d: CivilDate) -> String { e(locale.longDate(d)) }

    /// A rep by name (from a roll-up or the roster) with the id in small print; the id alone when there is no name.
    func rep(_ id: String, name: String? = nil) -> String {
        let n = name.flatMap { $0.isEmpty ? nil : $0 } ?? context.names[id]
        guard let n, n != id else { return html ? "<bdi class=\"id\">\(e(id))</bdi>" : bdi(id) }
        return html ? "<bdi>\(e(n))</bdi> <small class=\"id\"><bdi>\(e(id))</bdi></small>" : bdi(n)
    }
}

/// The state of one statement page being written: the statement, and the footnotes gathered so far.
final class StatementPage: PageWords {
    let s: Statement

    init(_ s: Statement, context: PageContext) {
        self.s = s
        super.init(locale: context.locale(for: s.payeeID), currency: s.currency, context: context)
    }

    /// The footnotes: each exact value a rounded figure on the page stands for.
    func footnotes() -> [String] {
        guard !notes.isEmpty else { return [] }
        var h = ["<section class=\"notes\">", "<h2>\(w("statement.notes"))</h2>", "<ol>"]
        for (i, text) in notes.enumerated() {
            h.append("<li><sup class=\"fn\">\(count(i + 1))</sup> \(w("statement.exact_note", "<bdi>\(num(text))</bdi>"))</li>")
        }
        h += ["</ol>", "</section>"]
        return h
    }
}
