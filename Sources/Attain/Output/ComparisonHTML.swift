// The comparison report: one self-contained HTML page with SVG charts (cost by plan and period, payout curves,
// attainment and pay distribution, per-payee changes, cost under scaled performance) and the tables behind them, in
// the report's language (English, Simplified Chinese or Persian, right to left).

public enum ComparisonHTML {
    static let palette = ["#1f4e8c", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085"]

    static func e(_ s: String) -> String { StatementHTML.escape(s) }
    static func color(_ i: Int) -> String { palette[i % palette.count] }

    /// Later series are dashed, so a line that coincides with an earlier one still shows.
    static func dash(_ i: Int) -> String { i == 0 ? "" : " stroke-dasharray=\"\(i == 1 ? "7 4" : "2 4")\"" }

    /// A number for SVG coordinates, two decimals.
    static func n(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Chart geometry only: every number a reader sees is written from the exact text.
    static func double(_ d: ExactDecimal) -> Double { Double(d.description) ?? 0 }
    static func double(_ r: Ratio) -> Double { Double(((try? r.rounded(scale: 6, mode: .halfUp)) ?? .zero).description) ?? 0 }

    /// A round step for an axis from 0 to `maximum` with about five ticks.
    static func niceStep(_ maximum: Double) -> Double {
        guard maximum > 0 else { return 1 }
        let raw = maximum / 5
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        while p > raw { p /= 10 }
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where p * m >= raw { return p * m }
        return p * 10
    }

    /// An axis tick: `12k`, `1.5M` (ticks are round numbers of the axis, not amounts paid).
    static func amount(_ x: Double) -> String {
        if abs(x) >= 1_000_000 { return n(x / 1_000_000) + "M" }
        if abs(x) >= 1000 { return n(x / 1000) + "k" }
        return n(x)
    }

    /// A band label as short as a chart needs: "100–120", "200+".
    static func short(_ label: String) -> String {
        label.replacing(" of TI", with: "").replacing("% and above", with: "+").replacing("%", with: "")
    }

    /// Text shortened to `limit` characters with an ellipsis, for a label beside a bar (the whole text is in its title).
    static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    // MARK: Words and numbers in the report's language

    /// The locale's words and number style, and the comparison's currency.
    struct Words {
        let locale: ReportLocale
        let r: ComparisonResult

        func t(_ key: String, _ args: String...) -> String { locale.text("compare." + key, arguments: args) }
        /// A scenario's name as the report shows it: the baseline is "Current plans".
        func scenario(_ i: Int) -> String { i == 0 ? t("baseline") : r.scenarios[i] }
        func money(_ d: ExactDecimal) -> String { locale.number(ComparisonOutput.money(d, r.currency)) }
        func percent(_ x: Ratio) -> String { locale.percent(ComparisonOutput.percent(x)) }
        func count(_ k: Int) -> String { locale.number(String(k)) }
        /// A signed amount or percent as `ComparisonOutput.change` writes it (`+4500.00`, `-6.09%`).
        func signed(_ text: String) -> String {
            guard !text.isEmpty else { return "" }
            if text.hasPrefix("+"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." || $0 == "%" }) { return t("same") }
            if text.hasPrefix("+") {
                let rest = String(text.dropFirst())
                return (locale.isRightToLeft ? "\u{200E}+" : "+") + (rest.hasSuffix("%") ? locale.percent(rest) : locale.number(rest))
            }
            return text.hasSuffix("%") ? locale.percent(text) : locale.number(text)
        }
        /// A band's label: `100–120%`, `200%+`, `no quota`.
        func band(_ label: String) -> String {
            if label == "no quota" { return t("band.no_quota") }
            if label == "no target incentive" { return t("band.no_target") }
            let bare = label.replacing(" of TI", with: "")
            if bare.hasSuffix("% and above") { return locale.percent(String(bare.dropLast("% and above".count))) + "+" }
            let ends = bare.replacing("%", with: "").split(separator: "–").map(String.init)
            guard ends.count == 2 else { return locale.digits(bare) }
            return locale.number(ends[0]) + "–" + locale.percent(ends[1])
        }
        /// A name, id or amount inside a sentence, isolated under a right-to-left language so it keeps its place.
        func iso(_ text: String) -> String { locale.isRightToLeft ? isolated(text) : text }
        var periods: String { r.periods.map { iso($0.label) }.joined(separator: list) }
        var list: String { locale.isRightToLeft ? "، " : (locale == .simplifiedChinese ? "、" : ", ") }
    }

    /// Text whose direction may differ from the page's (ids, names, amounts, plan names), isolated.
    static func bdi(_ text: String) -> String { "<bdi>\(e(text))</bdi>" }

    // MARK: Charts

    /// A horizontal bar chart: for each group (a plan, a band, a payee), one bar per series, each with its name (when
    /// there are several series) and its value written beside it, so nothing needs hovering. Bars grow from a zero line;
    /// negative values to the other side. Under a right-to-left language the chart is mirrored: group names on the
    /// right, bars growing leftwards.
    struct Bar {
        let series: Int
        let value: Double
        /// The value as the reader sees it, from the exact text.
        let label: String
        var attributes = ""
        var cssClass = "series"
    }

    static func hbarChart(kind: String, title: String, groups: [(name: String, bars: [Bar])], seriesNames: [String], words: Words,
                          extraAttributes: String = "") -> String {
        let rtl = words.locale.isRightToLeft
        let w = 760.0, labelWidth = 180.0, valueRoom = 150.0, row = 17.0, barHeight = 12.0, gap = 8.0, top = 8.0
        let values = groups.flatMap { $0.bars.map(\.value) }
        let lo = min(0, values.min() ?? 0), hi = max(0, values.max() ?? 0)
        let named = seriesNames.count > 1
        let left = labelWidth + 12 + (lo < 0 ? valueRoom : 0), right = w - 8 - (hi > 0 || lo == 0 ? valueRoom : 0)
        let span = hi - lo > 0 ? hi - lo : 1
        func x(_ v: Double) -> Double { left + (v - lo) / span * (right - left) }
        /// Mirrored under right to left: a point, and a box's left edge.
        func px(_ v: Double) -> Double { rtl ? w - v : v }
        func boxX(_ a: Double, _ width: Double) -> Double { rtl ? w - a - width : a }
        let height = top + groups.reduce(0.0) { $0 + Double(max(1, $1.bars.count)) * row + gap } + 4
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart \(kind)\"\(extraAttributes) direction=\"\(words.locale.direction)\" viewBox=\"0 0 \(n(w)) \(n(height))\" role=\"img\" aria-label=\"\(e(title))\">"
        var y = top
        let zero = x(0)
        s += "<line class=\"axisline\" x1=\"\(n(px(zero)))\" y1=\"\(n(top - 4))\" x2=\"\(n(px(zero)))\" y2=\"\(n(height - 4))\"/>"
        for group in groups {
            let rows = Double(max(1, group.bars.count))
            let middle = y + rows * row / 2
            s += "<text class=\"\(group.bars.isEmpty ? "group note" : "group")\" x=\"\(n(px(labelWidth)))\" y=\"\(n(middle + 4))\" text-anchor=\"end\">\(e(isolated(clipped(group.name, 28))))<title>\(e(group.name))</title></text>"
            for (k, bar) in group.bars.enumerated() {
                let by = y + Double(k) * row + (row - barHeight) / 2
                let a = min(x(bar.value), zero), b = max(x(bar.value), zero)
                let name = named ? seriesNames[bar.series] : nil
                let full = (name.map { $0 + ": " } ?? "") + bar.label
                s += "<rect class=\"\(bar.cssClass)\"\(bar.attributes) x=\"\(n(boxX(a, b - a)))\" y=\"\(n(by))\" width=\"\(n(max(b - a, 0.5)))\" height=\"\(n(barHeight))\" fill=\"\(color(bar.series))\"><title>\(e(group.name)), \(e(full))</title></rect>"
                // The label beside the bar's end, on the side away from the zero line.
                let negative = bar.value < 0
                let at = negative ? a - 5 : b + 5
                let text = name.map { "<tspan class=\"who\">\(e(isolated(clipped($0, 18))))</tspan> " } ?? ""
                s += "<text class=\"value\" x=\"\(n(px(at)))\" y=\"\(n(by + barHeight - 2))\" text-anchor=\"\(negative ? "end" : "start")\">\(text)\(e(isolated(bar.label)))</text>"
            }
            y += rows * row + gap
        }
        return s + "</svg>"
    }

    /// Payout (y) against attainment (x, 0–200%), one line per scenario, each line's name at its end.
    static func curveChart(_ c: PayoutCurve, words: Words) -> String {
        let rtl = words.locale.isRightToLeft
        let w = 640.0, h = 340.0, left = 70.0, right = 160.0, top = 20.0, bottom = 50.0
        let pw = w - left - right, ph = h - top - bottom
        let maxY = c.points.flatMap { $0.paid.compactMap { $0.map(double) } }.max() ?? 0
        let step = niceStep(maxY)
        let yMax = max(step, (maxY / step).rounded(.up) * step)
        func x(_ a: Double) -> Double { left + a / 2.0 * pw }
        func y(_ v: Double) -> Double { top + ph - v / yMax * ph }
        // Attainment grows to the right in every language, as on a graph; only the anchors of text follow the direction.
        func anchor(_ a: String) -> String { rtl ? (a == "end" ? "start" : a == "start" ? "end" : a) : a }
        let title = words.t("curve.title", c.plan)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart curve\" data-plan=\"\(e(c.plan))\" direction=\"\(words.locale.direction)\" viewBox=\"0 0 \(n(w)) \(n(h))\" role=\"img\" aria-label=\"\(e(title))\">"
        var v = 0.0
        while v <= yMax + 1e-9 {
            s += "<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + pw))\" y2=\"\(n(y(v)))\"/>"
            s += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"\(anchor("end"))\">\(e(words.locale.digits(amount(v))))</text>"
            v += step
        }
        for a in stride(from: 0, through: 200, by: 25) {
            let xx = x(Double(a) / 100)
            s += "<line class=\"\(a == 100 ? "quota" : "grid")\" x1=\"\(n(xx))\" y1=\"\(n(top))\" x2=\"\(n(xx))\" y2=\"\(n(top + ph))\"/>"
            s += "<text class=\"tick\" x=\"\(n(xx))\" y=\"\(n(top + ph + 16))\" text-anchor=\"middle\">\(e(isolated(words.locale.percent(String(a)))))</text>"
        }
        s += "<text class=\"axis\" x=\"\(n(left + pw / 2))\" y=\"\(n(h - 8))\" text-anchor=\"middle\">\(e(words.t("axis.attainment", isolated(c.measure))))</text>"
        s += "<text class=\"axis\" transform=\"rotate(-90)\" x=\"\(n(-(top + ph / 2)))\" y=\"16\" text-anchor=\"middle\">\(e(words.t("axis.payout", words.r.currency.code)))</text>"
        var ends: [(y: Double, i: Int)] = []
        for i in words.r.scenarios.indices {
            let pts = c.points.compactMap { p in p.paid[i].map { (x(double(p.attainment)), y(double($0))) } }
            guard let last = pts.last else { continue }
            s += "<polyline class=\"series\" data-scenario=\"\(e(words.r.scenarios[i]))\" fill=\"none\" stroke=\"\(color(i))\" stroke-width=\"2.5\"\(dash(i)) points=\"\(pts.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\"/>"
            ends.append((last.1, i))
        }
        // Each line's name at its right end, moved apart where lines end close together.
        ends.sort { $0.y != $1.y ? $0.y < $1.y : $0.i < $1.i }
        var placed = -Double.infinity
        for end in ends {
            let ly = max(end.y + 4, placed + 15)
            placed = ly
            s += "<line x1=\"\(n(left + pw + 4))\" y1=\"\(n(ly - 4))\" x2=\"\(n(left + pw + 20))\" y2=\"\(n(ly - 4))\" stroke=\"\(color(end.i))\" stroke-width=\"2.5\"\(dash(end.i))/>"
            s += "<text class=\"label\" x=\"\(n(left + pw + 24))\" y=\"\(n(ly))\" text-anchor=\"\(anchor("start"))\">\(e(isolated(clipped(words.scenario(end.i), 20))))</text>"
        }
        return s + "</svg>"
    }

    /// Each payee's change under a candidate, largest gain first, the payee's name beside each bar and the change at its
    /// end; payees paid the same are counted on one line between gains and losses. Past 60 payees who gain or lose, the
    /// 30 largest gains and the 30 largest losses (the table below has everyone).
    static func deltaChart(_ r: ComparisonResult, candidate: Int, words: Words) -> String {
        let ranked = r.ranked(candidate: candidate)
        let gains = ranked.filter { $0.change > .zero }, losses = ranked.filter { $0.change < .zero }
        let same = ranked.count - gains.count - losses.count
        func bars(_ list: some Collection<(payee: PayeeComparison, change: ExactDecimal)>) -> [(name: String, bars: [Bar])] {
            list.map { item in
                let ch = ComparisonOutput.change(item.payee.paid[0], item.payee.paid[candidate], r.currency)
                let value = double(item.change)
                return (item.payee.name, [Bar(series: 0, value: value, label: words.signed(ch.amount),
                                              attributes: " data-payee=\"\(e(item.payee.payeeID))\"", cssClass: "bar \(value >= 0 ? "gain" : "loss")")])
            }
        }
        let many = gains.count + losses.count > 60
        var groups = bars(many ? Array(gains.prefix(30)) : gains)
        if same > 0 { groups.append((words.t(same == 1 ? "delta.same_one" : "delta.same_many", words.count(same)), [])) }
        groups += bars(many ? Array(losses.suffix(30)) : losses)
        return hbarChart(kind: "delta", title: words.t("delta.title", r.scenarios[candidate]), groups: groups, seriesNames: [words.scenario(candidate)],
                         words: words, extraAttributes: " data-scenario=\"\(e(r.scenarios[candidate]))\"")
    }

    /// Grouped bars: for each category, one bar per scenario, named and labelled.
    static func scenarioBars(kind: String, title: String, categories: [String], values: [[(value: Double, label: String)]], words: Words) -> String {
        let names = words.r.scenarios.indices.map(words.scenario)
        let groups = categories.enumerated().map { ci, cat in
            (cat, values[ci].enumerated().map { si, v in
                Bar(series: si, value: v.value, label: v.label, attributes: " data-scenario=\"\(e(words.r.scenarios[si]))\"")
            })
        }
        return hbarChart(kind: kind, title: title, groups: groups, seriesNames: names, words: words)
    }

    // MARK: Tables

    /// A table cell: text, or a number (aligned to the end, isolated, red when negative) with an optional second line.
    enum Cell {
        case text(String)
        case name(String, id: String)
        case number(String, below: String = "")
        case bold(String)

        func html() -> String {
            switch self {
            case .text(let t): return t.isEmpty ? "<td></td>" : "<td>\(bdi(t))</td>"
            case .bold(let t): return "<td class=\"num total\">\(bdi(t))</td>"
            case .name(let name, let id):
                // Blocks in the page's direction, each holding its isolated text, so a Latin name lines up with Persian ones.
                return "<td class=\"who\"><span class=\"name\" title=\"\(e(name))\"><bdi>\(e(name))</bdi></span><span class=\"id\"><bdi>\(e(id))</bdi></span></td>"
            case .number(let t, let below):
                let neg = t.hasPrefix("-") || t.hasPrefix("\u{200E}\u{2212}")
                let second = below.isEmpty ? "" : "<span class=\"below\">\(bdi(below))</span>"
                return "<td class=\"num\(neg ? " neg" : "")\">\(t.isEmpty ? "" : bdi(t))\(second)</td>"
            }
        }
    }

    static func table(_ header: [(String, Bool)], _ rows: [[Cell]], cssClass: String = "", rowClasses: [String] = []) -> String {
        var h = "<table\(cssClass.isEmpty ? "" : " class=\"\(cssClass)\"")><thead><tr>"
        h += header.map { text, numeric in "<th\(numeric ? " class=\"num\"" : "")>\(e(text))</th>" }.joined() + "</tr></thead><tbody>"
        for (i, row) in rows.enumerated() {
            let c = i < rowClasses.count && !rowClasses[i].isEmpty ? " class=\"\(rowClasses[i])\"" : ""
            h += "<tr\(c)>" + row.map { $0.html() }.joined() + "</tr>"
        }
        return h + "</tbody></table>"
    }

    // MARK: The page

    /// The report in English.
    public static func render(_ r: ComparisonResult) -> String { render(r, locale: .english) }

    /// The report in `locale`: words from the catalog's `compare.` keys, numbers in the locale's style from their exact
    /// text, right to left for Persian.
    public static func render(_ r: ComparisonResult, locale: ReportLocale) -> String {
        let w = Words(locale: locale, r: r)
        let currency = r.currency.code
        let candidates = r.scenarios.indices.dropFirst().map { w.iso(r.scenarios[$0]) }.joined(separator: w.list)
        let title = r.scenarios.count > 1 ? w.t("heading", candidates) : w.t("heading_alone")
        var h: [String] = [
            "<!DOCTYPE html>", "<html lang=\"\(locale.tag)\" dir=\"\(locale.direction)\">", "<head>", "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(e(w.t("title", w.periods)))</title>", "<style>", css(locale), "</style>", "</head>", "<body>", "<main class=\"page\">",
            "<header><p class=\"eyebrow\">\(e(w.t("eyebrow", w.periods)))</p>",
            "<h1>\(e(title))</h1>",
            "<p class=\"muted\">\(e(w.t("lead", w.count(r.payees.count), w.iso(w.money(r.bookings) + "\u{00A0}" + currency))))</p></header>",
        ]
        if !r.warnings.items.isEmpty {
            // Warnings first, where they cannot be missed: a number that needs the ledger was made without it, say.
            // The messages are the engine's own, in English, as on the terminal.
            h.append("<section class=\"warnings\"><h2>\(e(w.t("warnings")))</h2><ul>")
            for d in r.warnings.items {
                let notes = d.notes.map { "<br><span class=\"muted\">\(e($0.kind.rawValue)): \(e($0.message))</span>" }.joined()
                h.append("<li><strong>\(e(d.severity.rawValue))[\(e(d.code))]</strong> \(e(d.message))\(notes)</li>")
            }
            h.append("</ul></section>")
        }
        h += costSection(r, w)
        h += planCostSection(r, w)
        if !r.curves.isEmpty {
            h.append("<section><h2>\(e(w.t("curves.heading")))</h2><p class=\"muted\">\(e(w.t("curves.note")))</p>")
            for c in r.curves {
                var sub = w.t("curve.sub", w.iso(w.money(c.quota) + "\u{00A0}" + currency), w.iso(w.money(c.targetIncentive) + "\u{00A0}" + currency))
                if !c.otherMeasures.isEmpty { sub += " · " + w.t("curve.others", c.otherMeasures.map(w.iso).joined(separator: w.list)) }
                h.append("<h3>\(bdi(c.plan)) <span class=\"muted\">· \(e(sub))</span></h3>")
                h.append(curveChart(c, words: w))
            }
            h.append("</section>")
        }
        h.append("<section><h2>\(e(w.t("spread.heading")))</h2>")
        h.append("<h3>\(e(w.t("attainment.heading")))</h3>")
        let att = r.attainmentBands
        h.append(hbarChart(kind: "histogram", title: w.t("attainment.heading"),
                           groups: att.map { b in (w.band(b.label), [Bar(series: 0, value: Double(b.counts[0]), label: w.count(b.counts[0]))]) },
                           seriesNames: [w.t("payees")], words: w))
        h.append("<p class=\"muted\">\(e(w.t("attainment.note")))</p>")
        h.append("<h3>\(e(w.t("pay.heading")))</h3>")
        h.append(scenarioBars(kind: "pay-bands", title: w.t("pay.heading"), categories: r.payBands.map { w.band($0.label) },
                              values: r.payBands.map { b in b.counts.map { (Double($0), w.count($0)) } }, words: w))
        h.append("<p class=\"muted\">\(e(w.t("pay.note")))</p>")
        h.append("</section>")
        for c in r.scenarios.indices.dropFirst() {
            h.append("<section><h2>\(e(w.t("winners.heading", w.iso(r.scenarios[c]))))</h2>")
            h.append("<p class=\"muted\">\(e(w.t("winners.note", w.t("baseline_ref"))))</p>")
            h.append(deltaChart(r, candidate: c, words: w))
            let ranked = r.ranked(candidate: c)
            let rows = ranked.prefix(5).filter { $0.change > .zero } + ranked.reversed().prefix(5).filter { $0.change < .zero }
            h.append(table([(w.t("col.payee"), false), (w.t("col.plan"), false), (w.t("col.paid_now"), true), (w.t("col.paid_under", w.iso(r.scenarios[c])), true),
                            (w.t("col.change"), true)],
                           rows.map { p, _ in
                               let ch = ComparisonOutput.change(p.paid[0], p.paid[c], r.currency)
                               return [.name(p.name, id: p.payeeID), .text(p.plan), .number(w.money(p.paid[0])), .number(w.money(p.paid[c])),
                                       .number(w.signed(ch.amount), below: w.signed(ch.percent))]
                           }, cssClass: "compact"))
            h.append("</section>")
        }
        if r.sensitivity.count > 1 {
            h.append("<section><h2>\(e(w.t("sensitivity.heading")))</h2><p class=\"muted\">\(e(w.t("sensitivity.note", currency)))</p>")
            h.append(scenarioBars(kind: "sensitivity", title: w.t("sensitivity.heading"),
                                  categories: r.sensitivity.map { w.t("sensitivity.scale", w.locale.number($0.scale.normalized.description)) },
                                  values: r.sensitivity.map { s in s.cost.map { (double($0), w.money($0)) } }, words: w))
            h.append(table([(w.t("col.scale"), false)] + r.scenarios.indices.map { (w.scenario($0), true) },
                           r.sensitivity.map { s in [.text(w.t("sensitivity.scale", w.locale.number(s.scale.normalized.description)))] + s.cost.map { .number(w.money($0)) } }))
            h.append("</section>")
        }
        h.append("<section><h2>\(e(w.t("everyone.heading")))</h2>")
        h.append("<p class=\"muted\">\(e(w.t("everyone.note", currency, w.t("baseline_ref"))))</p>")
        h.append(payeeTable(r, w))
        h.append("</section>")
        h += ["</main>", "</body>", "</html>", ""]
        return h.joined(separator: "\n")
    }

    /// The cost of each plan set, with how it compares with the baseline.
    static func costSection(_ r: ComparisonResult, _ w: Words) -> [String] {
        let header: [(String, Bool)] = [(w.t("col.plan_set"), false), (w.t("col.cost", r.currency.code), true), (w.t("col.change"), true),
                                        (w.t("col.cost_of_sales"), true), (w.t("col.percent_of_target"), true), (w.t("col.median"), true),
                                        (w.t("col.p10"), true), (w.t("col.p90"), true), (w.t("col.losers", w.iso(w.percent(r.lossThreshold))), true)]
        let rows: [[Cell]] = r.summaries.enumerated().map { i, s in
            let c = i == 0 ? ("", "") : ComparisonOutput.change(r.summaries[0].cost, s.cost, r.currency)
            return [.text(w.scenario(i)), .number(w.money(s.cost)), .number(w.signed(c.0), below: s.cost == r.summaries[0].cost ? "" : w.signed(c.1)),
                    .number(s.costOfSales.map(w.percent) ?? ""), .number(s.percentOfTarget.map(w.percent) ?? ""),
                    .number(w.money(s.median)), .number(w.money(s.p10)), .number(w.money(s.p90)), .number(i == 0 ? "" : w.count(r.losers[i]))]
        }
        return ["<section><h2>\(e(w.t("cost.heading")))</h2>", table(header, rows, cssClass: "compact"),
                "<p class=\"muted\">\(e(w.t("cost.note", w.iso(w.percent(r.lossThreshold)), w.t("baseline_ref"))))</p></section>"]
    }

    /// What each plan costs under each plan set, per period when there are several, with totals that add up to each
    /// plan set's cost; a chart by plan, and one by period when there are several.
    static func planCostSection(_ r: ComparisonResult, _ w: Words) -> [String] {
        guard !r.planCosts.isEmpty else { return [] }
        let count = r.scenarios.count
        func sum(_ list: [PlanPeriodCost]) -> [ExactDecimal] {
            (0..<count).map { i in ExactDecimal.total(list.map { $0.cost[i] }) }
        }
        func cells(_ costs: [ExactDecimal]) -> [Cell] {
            costs.enumerated().map { i, c in
                guard i > 0 else { return .number(w.money(c)) }
                let ch = ComparisonOutput.change(costs[0], c, r.currency)
                return .number(w.money(c), below: w.signed(ch.amount))
            }
        }
        let plans = r.planCosts.reduce(into: [String]()) { if !$0.contains($1.plan) { $0.append($1.plan) } }
        let several = r.periods.count > 1
        var rows: [[Cell]] = [], classes: [String] = []
        for plan in plans {
            let mine = r.planCosts.filter { $0.plan == plan }
            if several {
                for (k, p) in mine.enumerated() {
                    rows.append([.text(k == 0 ? plan : ""), .text(p.period.label)] + cells(p.cost))
                    classes.append(k == 0 ? "first" : "")
                }
                rows.append([.text(""), .text(w.t("plans.all_periods"))] + cells(sum(mine)))
                classes.append("subtotal")
            } else {
                rows.append([.text(plan)] + cells(sum(mine)))
                classes.append("")
            }
        }
        if several {
            for p in r.periods {
                let mine = r.planCosts.filter { $0.period.label == p.label }
                rows.append([.text(p.label == r.periods[0].label ? w.t("plans.every_plan") : ""), .text(p.label)] + cells(sum(mine)))
                classes.append(p.label == r.periods[0].label ? "subtotal first" : "subtotal")
            }
        }
        let total = sum(r.planCosts)
        rows.append([.text(w.t("plans.total"))] + (several ? [.text(w.t("plans.all_periods"))] : []) + cells(total))
        classes.append("total")
        var header: [(String, Bool)] = [(w.t("col.plan"), false)]
        if several { header.append((w.t("col.period"), false)) }
        header += r.scenarios.indices.map { i in (i == 0 ? w.t("col.paid_now") : w.t("col.paid_under", w.iso(r.scenarios[i])), true) }
        var out = ["<section class=\"plans\"><h2>\(e(w.t("plans.heading")))</h2>", "<p class=\"muted\">\(e(w.t("plans.note", r.currency.code, w.t("baseline_ref"))))</p>",
                   table(header, rows, cssClass: "compact plan-costs", rowClasses: classes)]
        out.append("<h3>\(e(w.t("plans.chart")))</h3>")
        out.append(scenarioBars(kind: "plan-costs", title: w.t("plans.chart"), categories: plans,
                                values: plans.map { plan in sum(r.planCosts.filter { $0.plan == plan }).map { (double($0), w.money($0)) } }, words: w))
        if several {
            out.append("<h3>\(e(w.t("plans.period_chart")))</h3>")
            out.append(scenarioBars(kind: "period-costs", title: w.t("plans.period_chart"), categories: r.periods.map(\.label),
                                    values: r.periods.map { p in sum(r.planCosts.filter { $0.period.label == p.label }).map { (double($0), w.money($0)) } },
                                    words: w))
        }
        out.append("</section>")
        return out
    }

    /// Every payee: name and id in one cell, plan, attainment, target incentive, pay now, and under each candidate the
    /// pay with its change beneath, so the table fits the page whatever the number of plan sets.
    static func payeeTable(_ r: ComparisonResult, _ w: Words) -> String {
        var header: [(String, Bool)] = [(w.t("col.payee"), false), (w.t("col.plan"), false), (w.t("col.attainment"), true),
                                        (w.t("col.target_incentive"), true), (w.t("col.paid_now"), true)]
        header += r.scenarios.indices.dropFirst().map { (w.t("col.paid_under", w.iso(r.scenarios[$0])), true) }
        let rows: [[Cell]] = r.payees.map { p in
            var row: [Cell] = [.name(p.name, id: p.payeeID), .text(p.plan), .number(p.attainment.map(w.percent) ?? ""), .number(w.money(p.targetIncentive)),
                               .number(w.money(p.paid[0]))]
            for i in r.scenarios.indices.dropFirst() {
                let ch = ComparisonOutput.change(p.paid[0], p.paid[i], r.currency)
                let same = p.paid[i] == p.paid[0]
                let percent = ch.percent.isEmpty || same ? "" : " (\(w.signed(ch.percent)))"
                row.append(.number(w.money(p.paid[i]), below: w.signed(ch.amount) + percent))
            }
            return row
        }
        return table(header, rows, cssClass: "compact payees")
    }

    static func css(_ locale: ReportLocale) -> String {
        """
        body { margin: 0; background: #f3f4f6; color: #1b1f24; font: 14px/1.45 \(locale.fontStack); }
        .page { max-width: 1100px; margin: 24px auto; padding: 32px 40px; background: #fff; border: 1px solid #dde1e6; box-sizing: border-box; }
        h1 { font-size: 26px; margin: 2px 0 4px; } h2 { font-size: 19px; color: #1f4e8c; border-bottom: 2px solid #1f4e8c; padding-bottom: 4px; margin-top: 32px; }
        h3 { font-size: 15px; margin: 18px 0 6px; } .eyebrow { letter-spacing: .04em; font-size: 12px; color: #5b6470; margin: 0; }
        .muted { color: #5b6470; font-weight: normal; } table { border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 13px; }
        th, td { padding: 5px 8px; border-bottom: 1px solid #e3e6ea; text-align: start; vertical-align: top; }
        th { font-size: 11.5px; font-weight: 600; color: #5b6470; vertical-align: bottom; line-height: 1.25; }
        .num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; } .neg { color: #b42318; }
        .below { display: block; font-size: 11px; color: #5b6470; } .neg .below { color: #b42318; }
        table.compact td, table.compact th { padding: 4px 6px; } table.compact th.num { white-space: normal; }
        td.who { max-width: 15em; } td.who .name { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        td.who .id { display: block; font-size: 11px; color: #5b6470; }
        tr.subtotal td { background: #f7f8fa; } tr.first td { border-top: 1px solid #c9ced6; } tr.total td { font-weight: 600; border-top: 2px solid #1b1f24; }
        svg.chart { width: 100%; max-width: 760px; height: auto; display: block; margin: 8px 0 16px; }
        svg .grid { stroke: #e3e6ea; stroke-width: 1; } svg .quota { stroke: #5b6470; stroke-width: 1; stroke-dasharray: 4 3; }
        svg .axisline { stroke: #5b6470; stroke-width: 1; } svg text { font-size: 11px; fill: #3b4350; font-family: \(locale.fontStack); }
        svg .axis { font-size: 12px; fill: #1b1f24; } svg .group { font-size: 12px; fill: #1b1f24; } svg .label { font-size: 12px; }
        svg .who { fill: #5b6470; } svg .note { fill: #5b6470; font-style: italic; } svg .gain { fill: #2e8b57; } svg .loss { fill: #c0392b; }
        .warnings { background: #fffaeb; border: 1px solid #f5c26b; border-inline-start: 4px solid #b54708; padding: 4px 16px 8px; margin-top: 20px; }
        .warnings h2 { color: #b54708; border-bottom: 0; margin-top: 8px; } .warnings ul { margin: 0; padding-inline-start: 18px; }
        @page { size: A4 portrait; margin: 14mm 12mm; }
        @media print {
          body { background: #fff; font-size: 11px; } .page { border: 0; margin: 0; padding: 0; max-width: none; }
          table { font-size: 10px; } th { font-size: 9.5px; } .below, td.who .id { font-size: 9px; } td.who { max-width: 11em; }
          tr { break-inside: avoid; } h2, h3 { break-after: avoid; } svg.chart { break-inside: avoid; max-width: 100%; }
          thead { display: table-header-group; }
        }
        """
    }
}
