// The lines of a statement page: each line in words with its running total, its band and the plan rule it quotes;
// a manager's override lines grouped per report; and what changed since the last closed period.

extension StatementHTML {
    /// The lines shown in the main table: every line but the override lines on a named report (grouped apart).
    static func isGrouped(_ l: StatementLine) -> Bool { l.kind == .override && l.creditedTo != nil }

    static func lines(_ p: StatementPage) -> [String] {
        let s = p.s
        let shown = s.lines.filter { !isGrouped($0) }
        if shown.isEmpty && s.lines.contains(where: isGrouped) { return [] }
        var h = ["<section class=\"lines\">", "<h2>\(p.w("statement.lines"))</h2>"]
        if shown.isEmpty {
            h.append("<p class=\"muted\">\(p.w("statement.nothing_earned"))</p>")
            h.append("</section>")
            return h
        }
        let fields = s.shownFields
        h.append("<table>")
        h.append("<colgroup><col class=\"c-date\"><col class=\"c-item\">" + String(repeating: "<col class=\"c-shown\">", count: fields.count)
            + "<col class=\"c-how\"><col class=\"c-amt\"></colgroup>")
        h.append("<thead><tr><th>\(p.w("statement.col.date"))</th><th>\(p.w("statement.col.item"))</th>"
            + fields.map { "<th>\(p.bdi($0))</th>" }.joined()
            + "<th>\(p.w("statement.col.how"))</th><th class=\"num\">\(p.w("statement.col.amount_in", p.code))</th></tr></thead>")
        h.append("<tbody>")
        // Each line shows its number on the statement (1, 2, … in the statement's order): the number a dispute names.
        for (i, l) in s.lines.enumerated() where !isGrouped(l) {
            let date = l.closeDate.map(p.date) ?? ""
            var item = "\(p.bdi(l.component))<br><span class=\"kind k-\(l.kind.rawValue)\">\(p.kindWord(l.kind))</span> \(number(p, i))"
            if let n = l.segment, n >= 1, n <= s.segments.count { item += "<br><span class=\"muted\">\(p.w("statement.in_part", p.count(n), p.bdi(s.segments[n - 1].planName)))</span>" }
            if let q = l.refPeriod { item += "<br><span class=\"muted\">\(p.w("statement.for_period", p.bdi(q)))</span>" }
            let cells = fields.indices.map { i in "<td>\(l.shown.map { i < $0.count ? p.bdi($0[i]) : "" } ?? "")</td>" }.joined()
            h.append("<tr class=\"\(l.kind.rawValue)\"><td class=\"date\">\(date)</td><td>\(item)</td>\(cells)<td>\(how(p, l))</td>"
                + "<td class=\"num\(l.amount.amount.isNegative ? " neg" : "")\">\(p.num(l.amount.text))</td></tr>")
        }
        h.append("</tbody>")
        h.append("</table>")
        h.append("</section>")
        return h
    }

    /// "line 3": a line's number on the statement, in small print.
    static func number(_ p: StatementPage, _ index: Int) -> String {
        "<span class=\"no\">\(p.w("statement.line_no", p.count(index + 1)))</span>"
    }

    /// A line's "how it was worked out": the sentence, the running total before → after, and the plan rule it quotes.
    static func how(_ p: StatementPage, _ l: StatementLine) -> String {
        var h = p.sentence(l)
        if let r = l.running { h += "<div class=\"run\">\(running(p, r, l))</div>" }
        // A prior-period adjustment: the recomputed line(s) it compares, as they now read, with their running totals.
        for (now, rl) in zip(p.recomputedNow(l), l.working?.recomputedLines ?? []) {
            h += "<div class=\"now\">\(now)"
            if let r = rl.running { h += "<div class=\"run\">\(running(p, r, rl))</div>" }
            h += "</div>"
        }
        h += rule(p, l)
        if let d = l.dispute { h += "<div class=\"src\">\(p.w("statement.answers_query", p.count(d)))</div>" }
        return h
    }

    /// "bookings 30,000.00 → 70,000.00 · attainment 30.00% → 70.00% · band 0% to 50%, 50% to 100%".
    static func running(_ p: StatementPage, _ r: RunningTotal, _ l: StatementLine) -> String {
        var parts = [p.w("statement.running", p.bdi(r.measure), p.exact(r.before), p.exact(r.after))]
        if let b = r.attainmentBefore, let a = r.attainmentAfter { parts.append(p.w("statement.running_attainment", p.pct(b), p.pct(a))) }
        let bands = l.tiers.count > 1 ? l.tiers.map(\.band) : (l.tier ?? l.tiers.first?.band).map { [$0] } ?? []
        if !bands.isEmpty {
            parts.append(p.w(bands.count > 1 ? "statement.bands" : "statement.band_in", bands.map(p.band).joined(separator: p.w("statement.list_separator"))))
        }
        return parts.joined(separator: " · ")
    }

    /// The plan rule a line comes from, quoted, with its file and line in small print.
    static func rule(_ p: StatementPage, _ l: StatementLine) -> String {
        guard !l.source.isEmpty else { return "" }
        // A manual adjustment comes from a row of adjustments.csv, not from the plan.
        if let id = l.manualAdjustment {
            return "<div class=\"src\">\(p.w("statement.adjustment_row", p.bdi(id), "<bdi class=\"trace\">\(escape(l.source))</bdi>"))</div>"
        }
        // A line across bands quotes the rule of each band it fell in, after the line's own.
        var traces = [l.source]
        if l.tiers.count > 1 { for t in l.tiers where !t.source.isEmpty && !traces.contains(t.source) { traces.append(t.source) } }
        let texts = traces.compactMap { p.context.rule(at: $0) }
        var h = ""
        if !texts.isEmpty {
            h += "<div class=\"rule\">" + texts.map { "<q><bdi><code>\(escape($0))</code></bdi></q>" }.joined() + "</div>"
        }
        h += "<div class=\"src\">\(p.w("statement.plan_rule")) " + traces.map { "<bdi class=\"trace\">\(escape($0))</bdi>" }.joined(separator: p.w("statement.list_separator")) + "</div>"
        return h
    }

    // MARK: Manager statements

    /// A manager's override lines grouped per report: the override rule quoted once under the section's heading, one
    /// column header, then per report a `<details>` (open on screen; print shows them all) whose summary is the
    /// report's name (id in small print), deal count and subtotal on one line, and one row per deal (date, deal,
    /// credited amount, rate, amount). Every group's table has the same fixed columns, so they line up; a grand total
    /// closes the section. A credited amount rounded for display keeps its exact value in the row's `title` and in
    /// the one compact list after the groups (print has no hover), not in a footnote per line.
    static func overrides(_ p: StatementPage) -> [String] {
        let grouped = p.s.lines.filter(isGrouped)
        guard !grouped.isEmpty else { return [] }
        var order: [String] = []
        var byReport: [String: [StatementLine]] = [:]
        var numbers: [String: [Int]] = [:]
        for (i, l) in p.s.lines.enumerated() where isGrouped(l) {
            let r = l.creditedTo!
            if byReport[r] == nil { order.append(r) }
            byReport[r, default: []].append(l)
            numbers[r, default: []].append(i)
        }
        let zero = Money.zero(p.currency)
        var grand = zero
        let cols = "<colgroup><col class=\"o-date\"><col class=\"o-deal\"><col class=\"o-base\"><col class=\"o-rate\"><col class=\"o-amt\"></colgroup>"
        var h = ["<section class=\"reports\">", "<h2>\(p.w("statement.overrides"))</h2>"]
        var sources: [String] = []
        for l in grouped where !l.source.isEmpty && !sources.contains(l.source) { sources.append(l.source) }
        for src in sources { if let l = grouped.first(where: { $0.source == src }) { h.append(rule(p, l)) } }
        h.append("<table class=\"ovr head\">\(cols)<thead><tr><th>\(p.w("statement.col.date"))</th><th>\(p.w("statement.col.deal"))</th>"
            + "<th class=\"num\">\(p.w("statement.col.credited"))</th><th class=\"num\">\(p.w("statement.col.rate"))</th>"
            + "<th class=\"num\">\(p.w("statement.col.amount_in", p.code))</th></tr></thead></table>")
        var exacts: [String] = []
        for r in order.sorted() {
            let ls = byReport[r]!
            let sub = ls.reduce(zero) { (try? $0.adding($1.amount)) ?? $0 }
            grand = (try? grand.adding(sub)) ?? grand
            h.append("<details open>")
            h.append("<summary><span class=\"who\">\(p.rep(r))</span><span class=\"muted\">\(p.w("statement.deal_count", p.count(ls.count)))</span>"
                + "<span class=\"sub\">\(p.money(sub.text))</span></summary>")
            h.append("<table class=\"ovr\">\(cols)<tbody>")
            for (l, n) in zip(ls, numbers[r]!) {
                let deal = (l.dealID.map(p.bdi) ?? "") + (l.share.map { " <span class=\"muted\">" + p.w("statement.report_share", p.pct($0)) + "</span>" } ?? "")
                    + " " + number(p, n)
                let base = l.base ?? ""
                let shown = ReportLocale.rounded(base, scale: p.scale)
                var title = ""
                var credited = p.num(shown)
                if shown != base {
                    title = " title=\"\(p.w("statement.exact_title", p.num(base)))\""
                    credited = "<span class=\"exact\">\(credited)</span>"
                    exacts.append("<bdi>\(l.dealID.map(p.e) ?? "")</bdi>&nbsp;<bdi>\(p.num(base))</bdi>")
                }
                var cells = "<td class=\"date\">\(l.closeDate.map(p.date) ?? "")</td><td>\(deal)"
                if let run = l.running {
                    p.footnoting = false
                    cells += "<div class=\"run\">\(running(p, run, l))</div>"
                    p.footnoting = true
                }
                cells += "</td><td class=\"num\">\(credited)</td><td class=\"num\">\(p.rate(l.rate ?? ""))</td>"
                    + "<td class=\"num\(l.amount.amount.isNegative ? " neg" : "")\">\(p.num(l.amount.text))</td>"
                h.append("<tr\(title)>\(cells)</tr>")
            }
            h.append("</tbody></table>")
            h.append("</details>")
        }
        h.append("<table class=\"ovr\">\(cols)<tr class=\"grand\"><th colspan=\"4\">\(p.w("statement.overrides_total", p.count(order.count)))</th>"
            + "<td class=\"num\">\(p.money(grand.text))</td></tr></table>")
        if !exacts.isEmpty {
            h.append("<p class=\"exacts\">\(p.w("statement.exact_credited", exacts.joined(separator: p.w("statement.list_separator"))))</p>")
        }
        h.append("</section>")
        return h
    }

    // MARK: What changed

    /// What changed since the last closed period (a close), and each line settling an earlier period in a sentence.
    static func changes(_ p: StatementPage) -> [String] {
        let s = p.s
        let settled = s.lines.filter { $0.refPeriod != nil || $0.kind == .clawback || $0.kind == .trueUp }
        guard s.changes != nil || !settled.isEmpty else { return [] }
        var items: [String] = []
        if let c = s.changes {
            var prev = p.w("statement.changes.previous", p.bdi(c.previousPeriod), p.money(c.previousPaid.text))
            if let a = c.previousAttainment { prev += " " + p.w("statement.changes.previous_attainment", p.pct(a)) }
            items.append(prev)
            items.append(p.w("statement.changes.new_deals", p.count(c.newDeals), p.money(c.newDealsEarned.text)))
            if let before = c.postedBefore, let diff = try? s.paid.subtracting(before) {
                items.append(p.w("statement.changes.posted_before", p.money(before.text), p.money(s.paid.text), p.money(diff.text)))
            }
        }
        for l in settled {
            let deal = l.dealID.map { p.w("statement.deal", p.bdi($0)) }
            let period = l.refPeriod ?? l.working?.period
            var what: String
            if let k = l.working, let was = k.was {
                let now = k.now ?? "0"
                what = p.w("statement.changes.was_now", p.exact(was), p.exact(now), p.num(l.amount.text))
                if k.rule == .clawback, let d = k.date { what = p.w("statement.changes.cancelled", p.date(d)) + p.w("statement.list_separator") + what }
            } else {
                what = p.w("statement.equals", p.fallback(l), p.num(l.amount.text))
            }
            let head = [deal, period.map(p.bdi)].compactMap { $0 }.joined(separator: p.w("statement.list_separator"))
            items.append(p.w("statement.changes.line", p.kindWord(l.kind), head.isEmpty ? p.bdi(l.component) : head, what))
        }
        var h = ["<section class=\"changes\">", "<h2>\(p.w("statement.changes"))</h2>", "<ul>"]
        h += items.map { "<li>\($0)</li>" }
        h += ["</ul>", "</section>"]
        return h
    }
}
