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

    /// Line `i` with its working filled in from the statement itself when the engine gave none: a period cap (the
    /// limit is the component's lines before it plus the adjustment; the percent of the target incentive when the plan
    /// rule writes one), a gate (the lines it takes back) and a bonus step (the attainment of the statement's one
    /// measure with a quota). The plan rule's text says which rule a line comes from.
    func withWorking(_ i: Int) -> StatementLine {
        var l = s.lines[i]
        guard l.working == nil, l.refPeriod == nil, let text = context.rule(at: l.source) else { return l }
        let words = text.split(separator: " ").map(String.init)
        switch l.kind {
        case .adjustment where words.first == "cap" && l.dealID == nil && words.last == "period":
            var total = Money.zero(currency)
            var j = i - 1
            while j >= 0, s.lines[j].component == l.component, s.lines[j].segment == l.segment, s.lines[j].refPeriod == nil,
                  let sum = try? total.adding(s.lines[j].amount) {
                total = sum
                j -= 1
            }
            guard j < i - 1, let limit = try? total.adding(l.amount) else { return l }
            var k = LineWorking(rule: .cap)
            k.limit = limit.text
            k.linesTotal = total.text
            if words.count >= 4, words[1].hasSuffix("%"), words[2] == "of", words[3] == "target_incentive" {
                k.limitPercent = words[1]
                k.limitBase = l.segment.flatMap { n in n >= 1 && n <= s.segments.count ? s.segments[n - 1].targetIncentive : nil } ?? s.targetIncentive
            }
            l.working = k
        case .adjustment where words.first == "gate" && l.dealID == nil:
            var k = LineWorking(rule: .gate)
            k.condition = words.dropFirst().joined(separator: " ")
            k.linesTotal = l.amount.negated().text
            l.working = k
        case .bonus:
            guard let tier = l.tier, tier.hasPrefix("at "), tier.hasSuffix("%"), s.totalAttainment == nil else { return l }
            let measures = l.segment.flatMap { n in n >= 1 && n <= s.segments.count ? s.segments[n - 1].measures : nil } ?? s.measures
            let withQuota = measures.filter { $0.attainment != nil }
            guard withQuota.count == 1 else { return l }
            var k = LineWorking(rule: .bonus)
            k.threshold = String(tier.dropFirst(3))
            k.attainment = withQuota[0].attainment
            l.working = k
        default: break
        }
        return l
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
