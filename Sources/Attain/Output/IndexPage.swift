// A period's index.html: every statement of the run linked, with payee, plan, attainment and paid, and a total row per
// currency. A plain table, one short row per payee, so that it stays light at a hundred thousand payees.

/// Renders `PERIOD/index.html`: a row per statement in payee id order, linking `statements/<file>.html`, with the
/// payee's name and id, plan and version, attainment (the total attainment, or the first measure's) with a small bar,
/// and what was paid; a "team" link on the row of each manager who has a team page; then the paid total per currency.
///
/// Written in the run's default language (`PageContext.defaultLocale`). Self-contained: inline CSS, no scripts.
public enum IndexPage {
    /// The index of `statements` (sorted by payee id, as a run makes them) for `period`. `teams`: the payee ids whose
    /// team page was written (`team/<file>.html`).
    public static func render(_ statements: [Statement], period: Period, context: PageContext = PageContext(), teams: Set<String> = []) -> String {
        let l = context.defaultLocale
        var h = ""
        h.reserveCapacity(2_000 + statements.count * 360)
        h += "<!DOCTYPE html>\n<html lang=\"\(l.tag)\" dir=\"\(l.direction)\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(esc(l.text("index.title", period.label)))</title>\n"
        h += "<style>\n\(TeamPage.baseCSS(l))\(css)</style>\n</head>\n<body>\n<main class=\"page\">\n"
        h += "<header>\n<p class=\"eyebrow\">\(l.text("index.eyebrow", TeamPage.bdi(period.label)))</p>\n"
        h += "<h1>\(l.text("index.heading", TeamPage.bdi(period.label)))</h1>\n"
        h += "<p class=\"muted\">\(esc(l.text("index.dates", l.longDate(period.start), l.longDate(period.end)))) · "
            + "\(esc(l.text("index.count", l.number(String(statements.count)))))</p>\n</header>\n"
        if statements.isEmpty {
            h += "<p class=\"muted\">\(esc(l.text("index.none")))</p>\n"
        } else {
            h += "<table class=\"index\">\n<thead><tr><th>\(esc(l.text("index.col.payee")))</th><th>\(esc(l.text("index.col.id")))</th>"
                + "<th>\(esc(l.text("index.col.plan")))</th><th class=\"num\">\(esc(l.text("index.col.attainment")))</th>"
                + "<th class=\"num\">\(esc(l.text("index.col.paid")))</th><th>\(esc(l.text("index.col.team")))</th></tr></thead>\n<tbody>\n"
            let teamWord = esc(l.text("index.team_link"))
            for s in statements {
                let file = TeamPage.href(Engine.fileName(s.payeeID))
                h += "<tr><td><a href=\"statements/\(file).html\"><bdi>\(esc(s.payeeName))</bdi></a></td><td class=\"id\"><bdi>\(esc(s.payeeID))</bdi></td>"
                h += "<td>\(l.text("index.plan", TeamPage.bdi(s.planName), TeamPage.bdi(s.planVersion)))</td><td class=\"num\">"
                if let a = attainment(of: s) {
                    h += TeamPage.smallBar(a) + "<bdi>\(esc(TeamPage.percent(a, l)))</bdi>"
                }
                h += "</td><td class=\"num\(s.paid.amount.isNegative ? " neg" : "")\"><bdi>\(esc(l.money(s.paid.text, s.currency)))</bdi></td><td>"
                if teams.contains(s.payeeID) { h += "<a href=\"team/\(file).html\">\(teamWord)</a>" }
                h += "</td></tr>\n"
            }
            h += "</tbody>\n<tfoot>\n"
            for (code, total) in paidTotals(statements) {
                h += "<tr><th colspan=\"4\">\(l.text("index.total", TeamPage.bdi(code)))</th><td class=\"num\"><bdi>\(esc(l.money(total.text, total.currency)))</bdi></td><td></td></tr>\n"
            }
            h += "</tfoot>\n</table>\n"
        }
        h += "<footer><p>\(esc(l.text("index.note")))</p></footer>\n</main>\n</body>\n</html>\n"
        return h
    }

    /// The attainment a row shows: the statement's total attainment, or its first measure's (its last part's, when
    /// the plan changed inside the period); nil when it has none.
    public static func attainment(of s: Statement) -> String? {
        s.totalAttainment ?? s.measures.first?.attainment ?? s.segments.last?.totalAttainment ?? s.segments.last?.measures.first?.attainment
    }

    /// What the statements paid, per currency, sorted by code. A sum that overflows is left out rather than shown wrong.
    public static func paidTotals(_ statements: [Statement]) -> [(code: String, total: Money)] {
        var sums: [String: Money] = [:]
        var broken: Set<String> = []
        for s in statements {
            let code = s.currency.code
            guard !broken.contains(code) else { continue }
            if let sum = try? (sums[code] ?? .zero(s.currency)).adding(s.paid) { sums[code] = sum } else { broken.insert(code); sums[code] = nil }
        }
        return sums.keys.sorted().map { ($0, sums[$0]!) }
    }

    static func esc(_ text: String) -> String { StatementHTML.escape(text) }

    static let css = """
        table.index { width: 100%; border-collapse: collapse; font-size: 14px; }
        table.index th, table.index td { padding: 5px 8px; border-bottom: 1px solid #e3e6ea; text-align: start; vertical-align: middle; }
        table.index thead th { background: #f0f3f7; font-size: 12px; color: #3b4450; }
        table.index .num { text-align: end; }
        table.index td.num bdi { display: inline-block; min-width: 4.5em; }
        table.index tbody tr:nth-child(even) { background: #fafbfc; }
        table.index tfoot th, table.index tfoot td { border-top: 2px solid #1f4e8c; border-bottom: none; font-weight: 600; }
        table.index td.id { color: #5b6470; }
        @media print { table.index { font-size: 11px; } table.index tr { break-inside: avoid; } }

        """
}
