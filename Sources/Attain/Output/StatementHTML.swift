// A statement as a self-contained HTML page a sales rep can read and print: plain words, no scripts, nothing fetched.

/// Renders one statement as an HTML5 page with inline CSS only (no scripts, images, fonts or links
/// to fetch), laid out for the screen and for printing on A4 or Letter.
///
/// Every piece of text from the plan or the data is HTML-escaped. Amounts are the statement's exact
/// decimal text (`"1400.00"`), right-aligned; nothing is recomputed or rounded here.
public enum StatementHTML {
    public static func render(_ s: Statement, context: PageContext = PageContext()) -> String {
        let locale = context.locale(for: s.payeeID)
        var h: [String] = []
        h.append("<!DOCTYPE html>")
        h.append("<html lang=\"\(locale.tag)\" dir=\"\(locale.direction)\">")
        h.append("<head>")
        h.append("<meta charset=\"utf-8\">")
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.append("<title>\(escape("Statement for \(s.payeeName), \(s.period.label)"))</title>")
        // The rules of the roll-up tables only where a statement has one.
        let rollUps = (s.measures + s.segments.flatMap(\.measures)).contains { !$0.from.isEmpty || !($0.activities ?? []).isEmpty }
        h.append("<style>\n\(css)\(rollUps ? rollUpCSS : "")</style>")
        h.append("</head>")
        h.append("<body>")
        h.append("<main class=\"page\">")
        h.append(contentsOf: header(s))
        h.append(contentsOf: facts(s))
        if !s.measures.isEmpty || s.totalAttainment != nil { h.append(contentsOf: measures(s)) }
        h.append(contentsOf: lines(s))
        h.append(contentsOf: totals(s))
        h.append("<footer>")
        h.append("<p>Each line is rounded once, by the plan’s rounding rule; the totals are the sums of the lines, so they add up exactly. "
            + "All amounts are in \(escape(s.currency.code)). “Plan rule” under each line gives the plan file and line number the amount comes from; "
            + "ask your compensation team if a line looks wrong.</p>")
        h.append("</footer>")
        h.append("</main>")
        h.append("</body>")
        h.append("</html>")
        return h.joined(separator: "\n") + "\n"
    }

    // MARK: Sections

    static func header(_ s: Statement) -> [String] {
        [
            "<header class=\"top\">",
            "<div class=\"who\">",
            "<p class=\"eyebrow\">Commission statement · \(escape(s.period.label))</p>",
            "<h1>\(escape(s.payeeName))</h1>",
            "<p class=\"muted\">Payee ID <span class=\"id\">\(escape(s.payeeID))</span></p>",
            "</div>",
            "<div class=\"paid-box\"><span>Total paid</span><strong\(s.paid.amount.isNegative ? " class=\"neg\"" : "")>\(escape(s.paid.text))"
                + " <small>\(escape(s.currency.code))</small></strong></div>",
            "</header>",
        ]
    }

    static func facts(_ s: Statement) -> [String] {
        var rows: [(String, String)] = [
            ("Plan", "\(escape(s.planName)), version \(escape(s.planVersion)) <span class=\"muted\">(\(escape(s.planPath)))</span>"),
            ("Period", "\(escape(s.period.label)): \(escape(longDate(s.period.start))) to \(escape(longDate(s.period.end)))"),
            ("Currency", escape(s.currency.code)),
            ("Target incentive", "\(escape(s.targetIncentive)) \(escape(s.currency.code))"),
        ]
        if let p = s.proration {
            let parts = p.split(separator: "/", omittingEmptySubsequences: false)
            let words = parts.count == 2
                ? "You were active \(escape(String(parts[0]))) of the period’s \(escape(String(parts[1]))) days, so your quota and target incentive are prorated."
                : "Prorated: \(escape(p))"
            rows.append(("Part period", words))
        }
        if let over = s.measuredOver {
            rows.append(("Year to date", "Your measures run over \(escape(over)) against the year’s quota; what earlier periods of the year paid is taken off."))
        }
        for (i, seg) in s.segments.enumerated() {
            rows.append(("Part \(i + 1)", "\(escape(seg.planName)), version \(escape(seg.planVersion)), \(escape(longDate(seg.from))) to \(escape(longDate(seg.to)))"
                + " · target incentive \(escape(seg.targetIncentive)) \(escape(s.currency.code))"))
        }
        var h = ["<section class=\"facts\">", "<dl>"]
        for (term, value) in rows { h.append("<div><dt>\(term)</dt><dd>\(value)</dd></div>") }
        h.append(contentsOf: ["</dl>", "</section>"])
        return h
    }

    static func measures(_ s: Statement) -> [String] {
        var h = ["<section class=\"measures\">", "<h2>How you did</h2>"]
        if !s.segments.isEmpty {
            for (i, seg) in s.segments.enumerated() {
                h.append("<h3>Part \(i + 1): \(escape(seg.label))</h3>")
                for m in seg.measures {
                    var detail = escape(m.value)
                    if let q = m.quota { detail += " of \(escape(q)) quota" }
                    h.append(contentsOf: measureRow(name: escape(m.name), detail: detail, attainment: m.attainment))
                    h.append(contentsOf: rollUp(m))
            h.append(contentsOf: activityTable(m))
                }
            }
            h.append("</section>")
            return h
        }
        for m in s.measures {
            var detail = escape(m.value)
            if let q = m.quota { detail += " of \(escape(q)) quota" }
            if let w = m.weight { detail += " <span class=\"muted\">· weight \(escape(w))</span>" }
            h.append(contentsOf: measureRow(name: escape(m.name), detail: detail, attainment: m.attainment))
            h.append(contentsOf: rollUp(m))
            h.append(contentsOf: activityTable(m))
        }
        if let t = s.totalAttainment {
            h.append(contentsOf: measureRow(name: "Total attainment", detail: "<span class=\"muted\">weighted across your measures</span>", attainment: t))
        }
        if s.measures.contains(where: { $0.attainment != nil }) || s.totalAttainment != nil {
            h.append("<p class=\"scale muted\">Bars run from 0% to 200% of quota; the dashed mark is 100%.</p>")
        }
        h.append("</section>")
        return h
    }

    /// Under a team measure, who it came from: each report's deals and amount.
    static func rollUp(_ m: MeasureResult) -> [String] {
        guard !m.from.isEmpty else { return [] }
        var h = ["<table class=\"from\">", "<caption>\(escape(m.name)) came from</caption>",
                 "<thead><tr><th>Who</th><th class=\"num\">Deals</th><th class=\"num\">Amount</th></tr></thead>", "<tbody>"]
        for c in m.from {
            let who = c.repName.isEmpty ? escape(c.repID) : "\(escape(c.repName)) <span class=\"muted\">\(escape(c.repID))</span>"
            h.append("<tr><td>\(who)</td><td class=\"num\">\(c.deals)</td><td class=\"num\">\(escape(c.amount))</td></tr>")
        }
        h += ["</tbody>", "</table>"]
        return h
    }

    static func measureRow(name: String, detail: String, attainment: String?) -> [String] {
        var h = ["<div class=\"measure\">", "<div class=\"m-name\"><strong>\(name)</strong><span>\(detail)</span></div>"]
        if let a = attainment {
            h.append("<div class=\"bar\" role=\"img\" aria-label=\"\(escape(a)) of quota\"><div class=\"quota\"><div class=\"fill\" style=\"width: \(barWidth(a))%\"></div></div><span class=\"mark\"></span></div>")
            h.append("<div class=\"pct\">\(escape(a))</div>")
        }
        h.append("</div>")
        return h
    }

    static func lines(_ s: Statement) -> [String] {
        var h = ["<section class=\"lines\">", "<h2>What you earned, line by line</h2>"]
        if s.lines.isEmpty {
            h.append("<p class=\"muted\">Nothing was earned in this period.</p>")
            h.append("</section>")
            return h
        }
        h.append("<table>")
        h.append("<colgroup><col class=\"c-date\"><col class=\"c-item\"><col class=\"c-how\"><col class=\"c-amt\"></colgroup>")
        h.append("<thead><tr><th>Date</th><th>Item</th><th>How it was worked out</th><th class=\"num\">Amount (\(escape(s.currency.code)))</th></tr></thead>")
        h.append("<tbody>")
        for l in s.lines {
            let date = l.closeDate.map { escape($0.description) } ?? ""
            var item = "\(escape(l.component))<br><span class=\"kind k-\(l.kind.rawValue)\">\(kindWord(l.kind))</span>"
            if let n = l.segment, n >= 1, n <= s.segments.count { item += "<br><span class=\"muted\">part \(n): \(escape(s.segments[n - 1].planName))</span>" }
            if let q = l.refPeriod { item += "<br><span class=\"muted\">for \(escape(q))</span>" }
            let how = "\(rich(describe(l)))<div class=\"src\">plan rule <span class=\"trace\">\(escape(l.source))</span></div>"
            h.append("<tr class=\"\(l.kind.rawValue)\"><td class=\"date\">\(date)</td><td>\(item)</td><td>\(how)</td>"
                + "<td class=\"num\(l.amount.amount.isNegative ? " neg" : "")\">\(escape(l.amount.text))</td></tr>")
        }
        h.append("</tbody>")
        h.append("</table>")
        h.append("</section>")
        return h
    }

    static func totals(_ s: Statement) -> [String] {
        func row(_ label: String, _ note: String, _ m: Money, _ cls: String = "") -> String {
            "<tr\(cls.isEmpty ? "" : " class=\"\(cls)\"")><th>\(label)<span class=\"muted\">\(note)</span></th><td class=\"num\(m.amount.isNegative ? " neg" : "")\">\(escape(m.text)) \(escape(s.currency.code))</td></tr>"
        }
        return [
            "<section class=\"totals\">",
            "<h2>Totals</h2>",
            "<table>",
            row("Earned", "commissions, bonuses and SPIFs", s.earned),
            row("Adjustments", "caps, gates and other corrections", s.adjustments),
            row("Paid", "earned plus adjustments", s.paid, "paid"),
            "</table>",
            "</section>",
        ]
    }

    // MARK: Plain words

    /// One line in plain words, as text (not yet escaped), e.g.
    /// `Deal D2, 40000.00: 20000.00 at 2% (0% to 50%) + 20000.00 at 5% (50% to 100%) = 1400.00`.
    public static func describe(_ l: StatementLine) -> String {
        var subject = l.dealID.map { "Deal \($0)" } ?? l.activityID.map { "Activity \($0)" }
        if let deal = l.dealID, let role = l.role { subject = "Deal \(deal) (as \(role))" }
        if let deal = subject, let share = l.share {
            // On an override line the share is the report's, not the payee's.
            subject = l.creditedTo.map { "\(deal) (\($0)'s \(share) share)" } ?? "\(deal) (your \(share) share)"
        }
        if let deal = subject, let c = l.conversion { subject = "\(deal) (\(c.text))" }
        let amount = l.amount.text
        switch l.kind {
        case .commission:
            let base = l.base ?? ""
            var calc: String
            if l.tiers.count > 1 {
                calc = base + ": " + l.tiers.map { "\($0.base) at \($0.rate) (\($0.band))" }.joined(separator: " + ")
            } else if let rate = l.rate {
                if rate.contains(" per ") {
                    // A count-based rate such as "150.00 USD per deal": say how many, unless it is exactly one.
                    calc = base == "1" ? rate : "\(rate) × \(base)"
                } else {
                    calc = "\(base) at \(rate)"
                }
                if let tier = l.tier ?? l.tiers.first?.band { calc += " (\(tier))" }
            } else {
                calc = base
            }
            calc += " = \(amount)"
            return subject.map { "\($0), \(calc)" } ?? calc
        case .override:
            let who = l.share == nil ? (l.creditedTo.map { " credited to \($0)" } ?? "") : ""
            let calc = "\(l.base ?? "") at \(l.rate ?? "") = \(amount)"
            return subject.map { "\($0)\(who), \(calc)" } ?? calc
        case .spif:
            var calc = l.base.map { "\($0): " } ?? ""
            calc += l.rate.map { "pays \($0) = \(amount)" } ?? "pays \(amount)"
            return subject.map { "\($0), \(calc)" } ?? calc
        case .bonus:
            let why = l.reason ?? l.tier.map { "reached the step \($0)" } ?? "bonus"
            return subject.map { "\($0): \(why)" } ?? why
        case .adjustment, .clawback, .trueUp:
            let why = l.reason ?? l.kind.rawValue
            return subject.map { "\($0): \(why)" } ?? why
        case .draw:
            var why = l.reason ?? "draw"
            if let b = l.balanceBefore, let a = l.balanceAfter { why += "; balance to recover \(b.text) before, \(a.text) after" }
            return why
        }
    }

    static func kindWord(_ kind: LineKind) -> String {
        switch kind {
        case .commission: return "commission"
        case .bonus: return "bonus"
        case .spif: return "SPIF"
        case .override: return "override"
        case .adjustment: return "adjustment"
        case .draw: return "draw"
        case .clawback: return "clawback"
        case .trueUp: return "true-up"
        }
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "1 January 2026".
    static func longDate(_ d: CivilDate) -> String {
        "\(d.day) \(monthNames[d.month - 1]) \(d.year)"
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

    /// Text safe inside HTML elements and quoted attributes: & < > " ' are escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
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

    // MARK: Style

    /// The rules for the tables under team measures.
    static let rollUpCSS = """
        table.from { width: auto; min-width: 50%; margin: 2px 0 10px 0; font-size: 13px; }
        table.from caption { text-align: left; font-size: 12px; color: #5b6470; padding: 0 8px 2px; }
        table.from th { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #5b6470; border-bottom: 1px solid #c9ced5; padding: 4px 8px; }
        table.from td { border-bottom: 1px solid #eef0f3; padding: 4px 8px; }

        """

    static let css = """
        @page { size: auto; margin: 14mm 12mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; background: #f3f4f6; color: #1b1f24; font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
        .page { max-width: 1080px; margin: 24px auto; padding: 36px 44px; background: #fff; border: 1px solid #dde1e6; }
        h1 { font-size: 28px; margin: 2px 0 2px; }
        h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1f4e8c; color: #1f4e8c; }
        .muted { color: #5b6470; }
        .eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .06em; font-size: 12px; color: #5b6470; }
        .who p { margin: 0; }
        .id, .trace, code { font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
        code { background: #f0f2f5; padding: 0 3px; border-radius: 3px; }
        .top { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px; }
        .paid-box { text-align: right; border: 2px solid #1f4e8c; border-radius: 8px; padding: 10px 18px; min-width: 200px; }
        .paid-box span { display: block; font-size: 12px; color: #5b6470; text-transform: uppercase; letter-spacing: .06em; }
        .paid-box strong { display: block; font-size: 28px; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .paid-box small { font-size: 15px; font-weight: 600; color: #5b6470; }
        .facts dl { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 28px; margin: 22px 0 0; }
        .facts dl div { border-top: 1px solid #e3e6ea; padding-top: 6px; }
        .facts dt { font-size: 12px; color: #5b6470; text-transform: uppercase; letter-spacing: .05em; }
        .facts dd { margin: 2px 0 0; }
        .measure { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr) 90px; align-items: center; gap: 18px; padding: 8px 0; border-bottom: 1px solid #eef0f3; }
        .m-name strong { display: block; }
        .m-name span { font-variant-numeric: tabular-nums; }
        .bar { position: relative; height: 14px; background: #e8ecf1; border-radius: 7px; }
        .bar .quota { position: absolute; left: 0; top: 0; bottom: 0; width: 50%; }
        .bar .fill { height: 100%; max-width: 200%; background: #2f6fbf; border-radius: 7px; }
        .bar .mark { position: absolute; left: 50%; top: -4px; bottom: -4px; border-left: 2px dashed #1b1f24; }
        .pct { text-align: right; font-weight: 600; font-variant-numeric: tabular-nums; }
        .scale { font-size: 12px; margin: 6px 0 0; }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: left; vertical-align: top; padding: 7px 8px; }
        .lines thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6470; border-bottom: 1.5px solid #1b1f24; }
        .lines tbody td { border-bottom: 1px solid #e3e6ea; }
        .lines tr.adjustment td { background: #fbf6ec; }
        col.c-date { width: 100px; } col.c-item { width: 22%; } col.c-amt { width: 130px; }
        .date { white-space: nowrap; font-variant-numeric: tabular-nums; }
        .src { font-size: 12px; color: #5b6470; overflow-wrap: anywhere; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        th.num { text-align: right; }
        .neg { color: #a3261c; }
        .kind { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: #5b6470; }
        .k-adjustment { color: #8a5a00; }
        .totals table { width: auto; min-width: 50%; margin-left: auto; }
        .totals th { font-weight: 600; }
        .totals th span { display: block; font-weight: 400; font-size: 12px; }
        .totals td, .totals th { border-bottom: 1px solid #e3e6ea; }
        .totals tr.paid th, .totals tr.paid td { font-size: 18px; font-weight: 700; border-top: 2px solid #1b1f24; border-bottom: 3px double #1b1f24; }
        footer { margin-top: 28px; font-size: 12px; color: #5b6470; }
        @media print {
          body { background: #fff; font-size: 10pt; }
          .page { max-width: none; margin: 0; padding: 0; border: 0; }
          h2 { break-after: avoid; page-break-after: avoid; }
          tr, .measure, .totals, .facts { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          h1 { font-size: 20pt; }
          h2 { font-size: 12pt; margin-top: 18px; }
          .paid-box strong { font-size: 20pt; }
          th, td { padding: 4px 6px; }
          .measure { padding: 5px 0; }
          col.c-date { width: 74px; } col.c-item { width: 25%; } col.c-amt { width: 92px; }
        }

        """
}
