// The "Your queries" section of a statement page: each dispute of the payee the statement shows, with where it stands.

extension StatementHTML {
    /// The payee's queries: the line each is about, what was asked, and its status (open, the written answer, or the
    /// adjustment line of this statement that resolves it). Nothing when the statement shows none.
    static func queries(_ p: StatementPage) -> [String] {
        let list = p.s.queries
        guard !list.isEmpty else { return [] }
        var h = ["<section class=\"queries\">", "<h2>\(p.w("statement.queries"))</h2>", "<ul>"]
        for q in list {
            let what = ([p.kindWord(LineKind(rawValue: q.lineKind) ?? .adjustment) + " " + p.bdi(q.lineComponent)]
                + (q.lineDealID.map { [p.w("statement.deal", p.bdi($0))] } ?? []) + [p.money(q.lineAmount)]).joined(separator: p.w("statement.list_separator"))
            var item = "<p><strong>\(p.w("statement.query.about", p.count(q.id), p.count(q.line), p.bdi(q.period), what))</strong></p>"
            item += "<p><q>\(p.bdi(q.text))</q> <span class=\"muted\">"
                + (q.by.map { p.w("statement.query.asked_by", p.bdi($0), p.bdi(q.at)) } ?? p.w("statement.query.asked_on", p.bdi(q.at))) + "</span></p>"
            switch q.status {
            case .open:
                item += "<p class=\"q-open\">\(p.w("statement.query.open"))</p>"
            case .answered:
                item += "<p class=\"q-answered\">\(p.w("statement.query.answered", p.bdi(q.answer ?? "")))"
                if let by = q.answeredBy { item += " <span class=\"muted\">\(p.w("statement.query.answered_by", p.bdi(by), p.bdi(q.answeredAt ?? "")))</span>" }
                item += "</p>"
            case .resolved:
                item += "<p class=\"q-resolved\">\(p.w("statement.query.resolved", p.count(q.adjustmentLine ?? 0)))</p>"
            }
            h.append("<li>\(item)</li>")
        }
        h += ["</ul>", "</section>"]
        return h
    }
}

extension StatementHTML {
    /// The rules of the queries section, only on a page that has one.
    static let queriesCSS = """
        .queries ul { margin: 0; padding-inline-start: 20px; }
        .queries li { margin: 6px 0; }
        .queries li p { margin: 2px 0; }
        .q-open { color: #8a5a00; }
        .q-answered, .q-resolved { color: #1f6f3f; }

        """
}
