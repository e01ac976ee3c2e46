// A statement as a self-contained HTML page a sales rep can read, check with a calculator and print, in the rep's own
// language: no scripts, nothing fetched.

/// Renders one statement as an HTML5 page with inline CSS only (no scripts, images, fonts or links to fetch), laid out
/// for the screen and for printing on A4 or Letter, in the payee's language (`context.locale(for:)`), right to left
/// for Persian.
///
/// Every piece of text from the plan or the data is HTML-escaped. Line amounts are the statement's own (rounded once
/// by the plan's rule); quotas, measure values, target incentives and credited amounts are shown rounded to the
/// currency with the exact value on hover and in a footnote (an override line's credited amount: on hover and in one
/// list after the override groups). Nothing is recomputed through floating point.
public enum StatementHTML {
    public static func render(_ s: Statement, context: PageContext = PageContext()) -> String {
        let p = StatementPage(s, context: context)
        var body: [String] = []
        body.append(contentsOf: header(p))
        body.append(contentsOf: facts(p))
        if !s.measures.isEmpty || s.totalAttainment != nil || !s.segments.isEmpty { body.append(contentsOf: measures(p)) }
        body.append(contentsOf: changes(p))
        body.append(contentsOf: lines(p))
        body.append(contentsOf: overrides(p))
        body.append(contentsOf: queries(p))
        // The totals and the footer stay together, so no printed page holds only the footer.
        body.append("<div class=\"end\">")
        body.append(contentsOf: totals(p))
        body.append(contentsOf: p.footnotes())
        body.append("<footer>")
        body.append("<p>\(p.w("statement.footer", p.code))</p>")
        body.append("</footer>")
        body.append("</div>")

        var h: [String] = []
        h.append("<!DOCTYPE html>")
        h.append("<html lang=\"\(p.locale.tag)\" dir=\"\(p.locale.direction)\">")
        h.append("<head>")
        h.append("<meta charset=\"utf-8\">")
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.append("<title>\(escape(p.plain("statement.title", s.payeeName, s.period.label)))</title>")
        // The rules of the roll-up tables only where a statement has one.
        let rollUps = (s.measures + s.segments.flatMap(\.measures)).contains { !$0.from.isEmpty || !($0.activities ?? []).isEmpty }
        h.append("<style>\n\(css)\(rollUps ? rollUpCSS : "")\(s.queries.isEmpty ? "" : queriesCSS)\(pageCSS(p))</style>")
        h.append("</head>")
        h.append("<body>")
        h.append("<main class=\"page\">")
        h.append(contentsOf: body)
        h.append("</main>")
        h.append("</body>")
        h.append("</html>")
        return h.joined(separator: "\n") + "\n"
    }

    // MARK: Sections

    static func header(_ p: StatementPage) -> [String] {
        let s = p.s
        return [
            "<header class=\"top\">",
            "<div class=\"who\">",
            "<p class=\"eyebrow\">\(p.w("statement.eyebrow", p.bdi(s.period.label)))</p>",
            "<h1>\(escape(s.payeeName))</h1>",
            "<p class=\"muted\">\(p.w("statement.payee_id", "<bdi class=\"id\">\(escape(s.payeeID))</bdi>"))</p>",
            "</div>",
            "<div class=\"paid-box\"><span>\(p.w("statement.total_paid"))</span><strong\(s.paid.amount.isNegative ? " class=\"neg\"" : "")><bdi>\(p.num(s.paid.text))"
                + " <small>\(p.code)</small></bdi></strong></div>",
            "</header>",
        ]
    }

    static func facts(_ p: StatementPage) -> [String] {
        let s = p.s
        var rows: [(String, String)] = [
            (p.w("statement.fact.plan"), p.w("statement.plan_version", p.bdi(s.planName), p.bdi(s.planVersion))
                + " <span class=\"muted\">(<bdi class=\"trace\">\(escape(s.planPath))</bdi>)</span>"),
            (p.w("statement.fact.period"), p.w("statement.period_dates", p.bdi(s.period.label), p.longDate(s.period.start), p.longDate(s.period.end))),
            (p.w("statement.fact.currency"), p.code),
            (p.w("statement.fact.target_incentive"), p.exact(s.targetIncentive, unit: true)),
        ]
        if let pr = s.proration {
            let parts = pr.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let words = parts.count == 2 && Int(parts[0]) != nil && Int(parts[1]) != nil
                ? p.w("statement.prorated", p.num(parts[0]), p.num(parts[1]))
                : p.w("statement.prorated_ratio", p.bdi(pr))
            rows.append((p.w("statement.fact.part_period"), words))
        }
        if let over = s.measuredOver {
            rows.append((p.w("statement.fact.year_to_date"), p.w("statement.ytd", p.bdi(over))))
        }
        for (i, seg) in s.segments.enumerated() {
            rows.append((p.w("statement.part", p.count(i + 1)), p.w("statement.part_value", p.bdi(seg.planName), p.bdi(seg.planVersion), p.longDate(seg.from),
                                                                     p.longDate(seg.to), p.exact(seg.targetIncentive, unit: true))))
        }
        var h = ["<section class=\"facts\">", "<dl>"]
        for (term, value) in rows { h.append("<div><dt>\(term)</dt><dd>\(value)</dd></div>") }
        h.append(contentsOf: ["</dl>", "</section>"])
        return h
    }

    static func totals(_ p: StatementPage) -> [String] {
        let s = p.s
        func row(_ label: String, _ note: String, _ m: Money, _ cls: String = "") -> String {
            "<tr\(cls.isEmpty ? "" : " class=\"\(cls)\"")><th>\(p.w(label))<span class=\"muted\">\(p.w(note))</span></th><td class=\"num\(m.amount.isNegative ? " neg" : "")\">\(p.money(m.text))</td></tr>"
        }
        return [
            "<section class=\"totals\">",
            "<h2>\(p.w("statement.totals"))</h2>",
            "<table>",
            row("statement.earned", "statement.earned_note", s.earned),
            row("statement.adjustments", "statement.adjustments_note", s.adjustments),
        ] + (s.held.map { [row("statement.held", "statement.held_note", $0)] } ?? [])
          + (s.released.map { [row("statement.released", "statement.released_note", $0)] } ?? []) + [
            row("statement.paid", "statement.paid_note", s.paid, "paid"),
            "</table>",
            "</section>",
        ]
    }

    /// The width of an attainment bar as a percent of the quota mark: the attainment, between 0 and 200.
    static func barWidth(_ attainment: String) -> String {
        let digits = attainment.hasSuffix("%") ? String(attainment.dropLast()) : attainment
        guard case .success(let value) = ExactDecimal.parse(digits) else { return "0" }
        if value.isNegative { return "0" }
        if value > ExactDecimal(200) { return "200" }
        return value.description
    }

    // MARK: Escaping

    /// Text safe inside HTML elements and quoted attributes: & < > " ' are escaped, and bidi embeddings and overrides
    /// are shown as `\u{…}`.
    public static func escape(_ text: String) -> String {
        // Most text has nothing to escape, and is returned as it is; 0xE2 leads U+202A–U+202E (and other characters,
        // which the loop below keeps).
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xE2 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) in a name would reorder the page around them, and
            // `<bdi>` does not stop an override inside it: they are shown as the terminal shows them, `\u{202E}`.
            case "\u{202A}"..."\u{202E}": out += "\\u{" + String(c.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escaped text with `backticked` spans (plan expressions in reasons) shown as code.
    static func rich(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        var out = ""
        for (i, part) in parts.enumerated() {
            if i % 2 == 1 && i < parts.count - 1 {
                out += "<code>\(escape(part))</code>"
            } else {
                out += (i % 2 == 1 ? "`" : "") + escape(part)
            }
        }
        return out
    }

    /// Text as a CSS string's contents: quotes, backslashes, `<`, `>`, `&` and line breaks as hex escapes, so plan or
    /// roster text can end neither the string nor the `<style>` element.
    static func cssString(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\"", "\\", "<", ">", "&", "\n", "\r", "\u{0C}":
                let hex = String(c.value, radix: 16)
                out += "\\\(hex) "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
