// The "how you did" section of a statement page: each measure against its quota, with the tier bands the lines fell
// in drawn on the attainment bar, and who a team measure's value came from.

extension StatementHTML {
    static func measures(_ p: StatementPage) -> [String] {
        let s = p.s
        var h = ["<section class=\"measures\">", "<h2>\(p.w("statement.how_you_did"))</h2>"]
        if !s.segments.isEmpty {
            for (i, seg) in s.segments.enumerated() {
                let plan = p.w("statement.plan_version", p.bdi(seg.planName), p.bdi(seg.planVersion))
                let dates = p.w("statement.date_range", p.longDate(seg.from), p.longDate(seg.to))
                h.append("<h3>\(p.w("statement.part_heading", p.count(i + 1), p.w("statement.pair", plan, dates)))</h3>")
                for m in seg.measures { h.append(contentsOf: measure(p, m, weight: false)) }
            }
            h.append("</section>")
            return h
        }
        for m in s.measures { h.append(contentsOf: measure(p, m, weight: true)) }
        if let t = s.totalAttainment {
            h.append(contentsOf: measureRow(p, name: p.w("statement.total_attainment"), detail: "<span class=\"muted\">\(p.w("statement.weighted"))</span>",
                                            attainment: t, edges: []))
        }
        if s.measures.contains(where: { $0.attainment != nil }) || s.totalAttainment != nil {
            h.append("<p class=\"scale muted\">\(p.w("statement.bar_scale", p.pct("0%"), p.pct("200%"), p.pct("100%")))</p>")
        }
        h.append("</section>")
        return h
    }

    static func measure(_ p: StatementPage, _ m: MeasureResult, weight: Bool) -> [String] {
        var detail = p.exact(m.value)
        if let q = m.quota { detail = p.w("statement.of_quota", detail, p.exact(q)) }
        if weight, let wt = m.weight { detail += " <span class=\"muted\">· \(p.w("statement.weight", p.pct(wt)))</span>" }
        var h = measureRow(p, name: p.bdi(m.name), detail: detail, attainment: m.attainment, edges: bandEdges(p.s, measure: m.name))
        h.append(contentsOf: rollUp(p, m))
        h.append(contentsOf: activityTable(p, m))
        return h
    }

    /// The attainment percents where the tier bands the statement's lines name begin or end (0% left out), for the
    /// measure `name`: bands of lines whose running total is on that measure, or, when no line says its measure and
    /// the statement has one measure with a quota, every line's bands.
    static func bandEdges(_ s: Statement, measure name: String) -> [ExactDecimal] {
        let said = s.lines.contains { $0.running != nil }
        let withQuota = s.measures.filter { $0.attainment != nil }
        // Each band named once, then read once: a statement's lines name a few bands many times.
        let soleMeasure = withQuota.count == 1 && withQuota[0].name == name
        var bands: Set<String> = []
        for l in s.lines where l.kind == .commission && (said ? l.running?.measure == name : soleMeasure) {
            for t in l.tiers { bands.insert(t.band) }
            if let t = l.tier { bands.insert(t) }
        }
        var edges: Set<ExactDecimal> = []
        for band in bands {
            let ends: [Substring]
            if band.hasSuffix(" and above") {
                ends = [band.dropLast(" and above".count)]
            } else if let r = band.firstRange(of: " to ") {
                ends = [band[..<r.lowerBound], band[r.upperBound...]]
            } else { continue }
            for end in ends where end.hasSuffix("%") {
                if case .success(let v) = ExactDecimal.parse(String(end.dropLast())), v.signum > 0, v <= ExactDecimal(200) { edges.insert(v) }
            }
        }
        return edges.sorted()
    }

    static func measureRow(_ p: StatementPage, name: String, detail: String, attainment: String?, edges: [ExactDecimal]) -> [String] {
        var h = ["<div class=\"measure\">", "<div class=\"m-name\"><strong>\(name)</strong><span>\(detail)</span></div>"]
        if let a = attainment {
            var bar = "<div class=\"bar\(edges.isEmpty ? "" : " banded")\" role=\"img\" aria-label=\"\(p.w("statement.of_quota_label", p.pct(a)))\">"
            bar += "<div class=\"quota\"><div class=\"fill\" style=\"width: \(barWidth(a))%\"></div>"
            for e in edges {
                bar += "<span class=\"edge\" style=\"inset-inline-start: \(e.description)%\"><span>\(p.pct(e.description + "%"))</span></span>"
            }
            bar += "</div><span class=\"mark\"></span></div>"
            h.append(bar)
            h.append("<div class=\"pct\">\(p.pct(a))</div>")
        }
        h.append("</div>")
        return h
    }

    /// Under a team measure, who it came from: each report by name, their deals, what they added and their share of
    /// the measure's value (half-up to 0.01%).
    static func rollUp(_ p: StatementPage, _ m: MeasureResult) -> [String] {
        guard !m.from.isEmpty else { return [] }
        var h = ["<table class=\"from\">", "<caption>\(p.w("statement.came_from", p.bdi(m.name)))</caption>",
                 "<thead><tr><th>\(p.w("statement.col.who"))</th><th class=\"num\">\(p.w("statement.col.deals"))</th>"
                    + "<th class=\"num\">\(p.w("statement.col.amount"))</th><th class=\"num\">\(p.w("statement.col.share"))</th></tr></thead>", "<tbody>"]
        let total: ExactDecimal? = if case .success(let t) = ExactDecimal.parse(m.value), t.signum != 0 { t } else { nil }
        for c in m.from {
            var share = ""
            if let total, case .success(let a) = ExactDecimal.parse(c.amount),
               let r = try? Ratio(a).divided(by: Ratio(total)).multiplied(by: Ratio(ExactDecimal.hundred)).rounded(scale: 2, mode: .halfUp) {
                share = p.pct(r.description + "%")
            }
            h.append("<tr><td>\(p.rep(c.repID, name: c.repName))</td><td class=\"num\">\(p.count(c.deals))</td><td class=\"num\">\(p.exact(c.amount))</td>"
                + "<td class=\"num\">\(share)</td></tr>")
        }
        h += ["</tbody>", "</table>"]
        return h
    }

    /// Under a measure of activities, what it counted: each activity's id, date, kind, count and what it added.
    static func activityTable(_ p: StatementPage, _ m: MeasureResult) -> [String] {
        guard let list = m.activities, !list.isEmpty else { return [] }
        var h = ["<table class=\"from\">", "<caption>\(p.w("statement.counted", p.bdi(m.name)))</caption>",
                 "<thead><tr><th>\(p.w("statement.col.activity"))</th><th>\(p.w("statement.col.date"))</th><th>\(p.w("statement.col.kind"))</th>"
                    + "<th class=\"num\">\(p.w("statement.col.count"))</th><th class=\"num\">\(p.w("statement.col.counted"))</th></tr></thead>", "<tbody>"]
        for a in list {
            h.append("<tr><td>\(p.bdi(a.activityID))</td><td>\(p.date(a.date))</td><td>\(p.bdi(a.kind))</td><td class=\"num\">\(p.num(a.count))</td>"
                + "<td class=\"num\">\(p.num(a.contribution))</td></tr>")
        }
        h += ["</tbody>", "</table>"]
        return h
    }
}
