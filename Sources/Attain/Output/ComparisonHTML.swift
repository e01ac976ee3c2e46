// The comparison report: one self-contained HTML page with SVG charts (payout curves, attainment and pay
// distribution, per-payee changes, cost under scaled performance) and the tables behind them.

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

    static func amount(_ x: Double) -> String {
        if abs(x) >= 1_000_000 { return n(x / 1_000_000) + "M" }
        if abs(x) >= 1000 { return n(x / 1000) + "k" }
        return n(x)
    }

    static func legend(_ names: [String], x: Double, y: Double, lines: Bool = false) -> String {
        var out = "<g class=\"legend\">"
        for (i, name) in names.enumerated() {
            let yy = y + Double(i) * 18
            if lines {
                out += "<line x1=\"\(n(x - 6))\" y1=\"\(n(yy - 3))\" x2=\"\(n(x + 14))\" y2=\"\(n(yy - 3))\" stroke=\"\(color(i))\" stroke-width=\"2.5\"\(dash(i))/>"
            } else {
                out += "<rect x=\"\(n(x))\" y=\"\(n(yy - 9))\" width=\"12\" height=\"12\" fill=\"\(color(i))\"/>"
            }
            out += "<text x=\"\(n(x + 18))\" y=\"\(n(yy + 1))\">\(e(name))</text>"
        }
        return out + "</g>"
    }

    /// Payout (y) against attainment (x, 0–200%), one line per scenario.
    public static func curveChart(_ c: PayoutCurve, scenarios: [String], currency: Currency) -> String {
        let w = 640.0, h = 340.0, left = 70.0, right = 160.0, top = 20.0, bottom = 50.0
        let pw = w - left - right, ph = h - top - bottom
        let maxY = c.points.flatMap { $0.paid.compactMap { $0.map(double) } }.max() ?? 0
        let step = niceStep(maxY)
        let yMax = max(step, (maxY / step).rounded(.up) * step)
        func x(_ a: Double) -> Double { left + a / 2.0 * pw }
        func y(_ v: Double) -> Double { top + ph - v / yMax * ph }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart curve\" data-plan=\"\(e(c.plan))\" viewBox=\"0 0 \(n(w)) \(n(h))\" role=\"img\" aria-label=\"Payout curve for \(e(c.plan))\">"
        var v = 0.0
        while v <= yMax + 1e-9 {
            s += "<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + pw))\" y2=\"\(n(y(v)))\"/>"
            s += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(amount(v))</text>"
            v += step
        }
        for a in stride(from: 0, through: 200, by: 25) {
            let xx = x(Double(a) / 100)
            s += "<line class=\"\(a == 100 ? "quota" : "grid")\" x1=\"\(n(xx))\" y1=\"\(n(top))\" x2=\"\(n(xx))\" y2=\"\(n(top + ph))\"/>"
            s += "<text class=\"tick\" x=\"\(n(xx))\" y=\"\(n(top + ph + 16))\" text-anchor=\"middle\">\(a)%</text>"
        }
        s += "<text class=\"axis\" x=\"\(n(left + pw / 2))\" y=\"\(n(h - 8))\" text-anchor=\"middle\">attainment of \(e(c.measure)) quota</text>"
        s += "<text class=\"axis\" transform=\"rotate(-90)\" x=\"\(n(-(top + ph / 2)))\" y=\"16\" text-anchor=\"middle\">payout (\(e(currency.code)))</text>"
        for (i, name) in scenarios.enumerated() {
            let pts = c.points.compactMap { p in p.paid[i].map { "\(n(x(double(p.attainment)))),\(n(y(double($0))))" } }
            guard !pts.isEmpty else { continue }
            s += "<polyline class=\"series\" data-scenario=\"\(e(name))\" fill=\"none\" stroke=\"\(color(i))\" stroke-width=\"2.5\"\(dash(i)) points=\"\(pts.joined(separator: " "))\"/>"
        }
        s += legend(scenarios, x: left + pw + 16, y: top + 12, lines: true)
        return s + "</svg>"
    }

    /// A band label as short as a chart axis needs: "100–120", "200+".
    static func short(_ label: String) -> String {
        label.replacing(" of TI", with: "").replacing("% and above", with: "+").replacing("%", with: "")
    }

    /// Grouped bars: for each category, one bar per series.
    static func barChart(title: String, categories: [String], series: [(name: String, values: [Double])], yLabel: String, kind: String,
                         format: (Double) -> String = { amount($0) }) -> String {
        let w = 640.0, h = 320.0, left = 70.0, right = 160.0, top = 20.0, bottom = 60.0
        let pw = w - left - right, ph = h - top - bottom
        let maxY = series.flatMap(\.values).max() ?? 0
        let step = niceStep(maxY)
        let yMax = max(step, (maxY / step).rounded(.up) * step)
        func y(_ v: Double) -> Double { top + ph - v / yMax * ph }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart \(kind)\" viewBox=\"0 0 \(n(w)) \(n(h))\" role=\"img\" aria-label=\"\(e(title))\">"
        var v = 0.0
        while v <= yMax + 1e-9 {
            s += "<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + pw))\" y2=\"\(n(y(v)))\"/>"
            s += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(format(v))</text>"
            v += step
        }
        let group = pw / Double(max(1, categories.count))
        let bar = group * 0.8 / Double(max(1, series.count))
        for (ci, cat) in categories.enumerated() {
            let gx = left + Double(ci) * group + group * 0.1
            for (si, ser) in series.enumerated() {
                let value = ser.values[ci]
                let bx = gx + Double(si) * bar
                s += "<rect class=\"series\" data-scenario=\"\(e(ser.name))\" x=\"\(n(bx))\" y=\"\(n(y(value)))\" width=\"\(n(bar * 0.92))\" height=\"\(n(max(0, y(0) - y(value))))\" fill=\"\(color(si))\"><title>\(e(ser.name)), \(e(cat)): \(e(format(value)))</title></rect>"
            }
            s += "<text class=\"tick\" x=\"\(n(gx + group * 0.4))\" y=\"\(n(top + ph + 16))\" text-anchor=\"middle\">\(e(cat))</text>"
        }
        s += "<line class=\"axisline\" x1=\"\(n(left))\" y1=\"\(n(y(0)))\" x2=\"\(n(left + pw))\" y2=\"\(n(y(0)))\"/>"
        s += "<text class=\"axis\" transform=\"rotate(-90)\" x=\"\(n(-(top + ph / 2)))\" y=\"16\" text-anchor=\"middle\">\(e(yLabel))</text>"
        s += legend(series.map(\.name), x: left + pw + 16, y: top + 12)
        return s + "</svg>"
    }

    /// Each payee's change under a candidate, sorted from largest gain to largest loss.
    public static func deltaChart(_ r: ComparisonResult, candidate: Int) -> String {
        let ranked = r.ranked(candidate: candidate)
        let values = ranked.map { double($0.change) }
        let w = 640.0, h = 320.0, left = 70.0, right = 20.0, top = 20.0, bottom = 40.0
        let pw = w - left - right, ph = h - top - bottom
        let maxAbs = max(values.map(abs).max() ?? 0, 1)
        let step = niceStep(maxAbs)
        let lim = max(step, (maxAbs / step).rounded(.up) * step)
        func y(_ v: Double) -> Double { top + ph / 2 - v / lim * (ph / 2) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart delta\" data-scenario=\"\(e(r.scenarios[candidate]))\" viewBox=\"0 0 \(n(w)) \(n(h))\" role=\"img\" aria-label=\"Change per payee under \(e(r.scenarios[candidate]))\">"
        var v = -lim
        while v <= lim + 1e-9 {
            s += "<line class=\"\(abs(v) < 1e-9 ? "axisline" : "grid")\" x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + pw))\" y2=\"\(n(y(v)))\"/>"
            s += "<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(v > 0 ? "+" : "")\(amount(v))</text>"
            v += step
        }
        let slot = pw / Double(max(1, ranked.count))
        for (i, item) in ranked.enumerated() {
            let value = values[i]
            let top = min(y(value), y(0)), height = abs(y(value) - y(0))
            s += "<rect class=\"bar \(value >= 0 ? "gain" : "loss")\" data-payee=\"\(e(item.payee.payeeID))\" x=\"\(n(left + Double(i) * slot + slot * 0.1))\" y=\"\(n(top))\" width=\"\(n(slot * 0.8))\" height=\"\(n(height))\"><title>\(e(item.payee.payeeID)) \(e(item.payee.name)): \(e(ComparisonOutput.change(item.payee.paid[0], item.payee.paid[candidate], r.currency).amount)) \(e(r.currency.code))</title></rect>"
        }
        s += "<text class=\"axis\" x=\"\(n(left + pw / 2))\" y=\"\(n(h - 10))\" text-anchor=\"middle\">payees, from largest gain to largest loss (hover for names)</text>"
        s += "<text class=\"axis\" transform=\"rotate(-90)\" x=\"\(n(-(top + ph / 2)))\" y=\"16\" text-anchor=\"middle\">change in pay (\(e(r.currency.code)))</text>"
        return s + "</svg>"
    }

    static func table(_ rows: [[String]], numericFrom: Int) -> String {
        guard let header = rows.first else { return "" }
        var h = "<table><thead><tr>" + header.enumerated().map { i, c in "<th\(i >= numericFrom ? " class=\"num\"" : "")>\(e(c))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows.dropFirst() {
            h += "<tr>" + row.enumerated().map { i, c in
                let neg = i >= numericFrom && c.hasPrefix("-")
                return "<td class=\"\(i >= numericFrom ? "num" : "")\(neg ? " neg" : "")\">\(e(c))</td>"
            }.joined() + "</tr>"
        }
        return h + "</tbody></table>"
    }

    public static func render(_ r: ComparisonResult) -> String {
        let periods = r.periods.map(\.label).joined(separator: ", ")
        let candidates = r.scenarios.dropFirst().joined(separator: ", ")
        let title = r.scenarios.count > 1 ? "\(candidates) against \(r.scenarios[0])" : r.scenarios[0]
        var h: [String] = [
            "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>Plan comparison, \(e(periods))</title>", "<style>", css, "</style>", "</head>", "<body>", "<main class=\"page\">",
            "<header><p class=\"eyebrow\">Plan comparison · \(e(periods))</p>",
            "<h1>\(e(title))</h1>",
            "<p class=\"muted\">\(r.payees.count) payees · bookings \(e(ComparisonOutput.money(r.bookings, r.currency))) \(e(r.currency.code)) · every amount is what the engine would pay, to the cent</p></header>",
        ]
        if !r.warnings.items.isEmpty {
            // Warnings first, where they cannot be missed: a number that needs the ledger was made without it, say.
            h.append("<section class=\"warnings\"><h2>Warnings</h2><ul>")
            for d in r.warnings.items {
                let notes = d.notes.map { "<br><span class=\"muted\">\(e($0.kind.rawValue)): \(e($0.message))</span>" }.joined()
                h.append("<li><strong>\(e(d.severity.rawValue))[\(e(d.code))]</strong> \(e(d.message))\(notes)</li>")
            }
            h.append("</ul></section>")
        }
        h += [
            "<section><h2>Cost of each plan</h2>",
            table([["plan set", "cost (\(r.currency.code))", "change", "change %", "cost of sales", "% of target incentive", "median", "p10", "p90",
                    "losers (> \(ComparisonOutput.percent(r.lossThreshold)))"]]
                  + ComparisonOutput.summaryRows(r).dropFirst().map { [$0[0], $0[1], $0[2], $0[3], $0[4], $0[5], $0[6], $0[7], $0[8], $0[11]] }, numericFrom: 1),
            "<p class=\"muted\">Cost of sales is pay ÷ bookings; percent of target is pay ÷ the payees' target incentive. p10 and p90: a tenth of payees are paid less, a tenth more. Losers: payees paid more than \(e(ComparisonOutput.percent(r.lossThreshold))) less than under \(e(r.scenarios[0])).</p></section>",
        ]
        if !r.curves.isEmpty {
            h.append("<section><h2>Payout curves</h2><p class=\"muted\">What one payee with the plan's typical (median) quota and target incentive would be paid at each attainment, under each plan set. Steps are bonus thresholds; kinks are tier changes; flat tops are caps.</p>")
            for c in r.curves {
                h.append("<h3>\(e(c.plan)) <span class=\"muted\">· quota \(e(ComparisonOutput.money(c.quota, r.currency))), target incentive \(e(ComparisonOutput.money(c.targetIncentive, r.currency))) \(e(r.currency.code))\(c.note.map { " · " + e($0) } ?? "")</span></h3>")
                h.append(curveChart(c, scenarios: r.scenarios, currency: r.currency))
            }
            h.append("</section>")
        }
        let att = r.attainmentBands
        h.append("<section><h2>How payees are spread</h2>")
        h.append("<h3>Attainment (under \(e(r.scenarios[0])))</h3>")
        h.append(barChart(title: "Payees per attainment band", categories: att.map { short($0.label) }, series: [("payees", att.map { Double($0.counts[0]) })],
                          yLabel: "payees", kind: "histogram", format: { n($0) }))
        h.append("<p class=\"muted\">Bands of attainment, in % of quota (credited over quota across the periods). Payees without a quota (managers on overrides) are counted apart.</p>")
        h.append("<h3>Pay as a share of target incentive</h3>")
        h.append(barChart(title: "Payees per pay band", categories: r.payBands.map { short($0.label) },
                          series: r.scenarios.indices.map { i in (r.scenarios[i], r.payBands.map { Double($0.counts[i]) }) },
                          yLabel: "payees", kind: "pay-bands", format: { n($0) }))
        h.append("<p class=\"muted\">Bands of pay, in % of the payee's target incentive.</p>")
        h.append("</section>")
        for c in r.scenarios.indices.dropFirst() {
            h.append("<section><h2>Who wins and who loses under \(e(r.scenarios[c]))</h2>")
            h.append(deltaChart(r, candidate: c))
            let ranked = r.ranked(candidate: c)
            let rows = ranked.prefix(5).filter { $0.change > .zero } + ranked.reversed().prefix(5).filter { $0.change < .zero }
            h.append(table([["payee", "name", "plan", r.scenarios[0], r.scenarios[c], "change", "%"]] + rows.map { p, _ in
                let ch = ComparisonOutput.change(p.paid[0], p.paid[c], r.currency)
                return [p.payeeID, p.name, p.plan, ComparisonOutput.money(p.paid[0], r.currency), ComparisonOutput.money(p.paid[c], r.currency), ch.amount, ch.percent]
            }, numericFrom: 3))
            h.append("</section>")
        }
        if r.sensitivity.count > 1 {
            h.append("<section><h2>Cost if the team sells more or less</h2><p class=\"muted\">Every deal amount multiplied by the factor, each plan set run again.</p>")
            h.append(barChart(title: "Cost at each performance level", categories: r.sensitivity.map { "×" + $0.scale.normalized.description },
                              series: r.scenarios.indices.map { i in (r.scenarios[i], r.sensitivity.map { double($0.cost[i]) }) },
                              yLabel: "cost (\(r.currency.code))", kind: "sensitivity"))
            h.append(table(ComparisonOutput.sensitivityRows(r), numericFrom: 1))
            h.append("</section>")
        }
        h.append("<section><h2>Every payee</h2>")
        h.append(table(ComparisonOutput.payeeRows(r), numericFrom: 3))
        h.append("</section>")
        h += ["</main>", "</body>", "</html>", ""]
        return h.joined(separator: "\n")
    }

    static let css = """
        body { margin: 0; background: #f3f4f6; color: #1b1f24; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
        .page { max-width: 1100px; margin: 24px auto; padding: 32px 40px; background: #fff; border: 1px solid #dde1e6; }
        h1 { font-size: 26px; margin: 2px 0 4px; } h2 { font-size: 19px; color: #1f4e8c; border-bottom: 2px solid #1f4e8c; padding-bottom: 4px; margin-top: 32px; }
        h3 { font-size: 15px; margin: 18px 0 6px; } .eyebrow { text-transform: uppercase; letter-spacing: .06em; font-size: 12px; color: #5b6470; margin: 0; }
        .muted { color: #5b6470; font-weight: normal; } table { border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 13px; }
        th, td { padding: 5px 8px; border-bottom: 1px solid #e3e6ea; text-align: left; } th { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #5b6470; }
        .num { text-align: right; font-variant-numeric: tabular-nums; } .neg { color: #b42318; }
        svg.chart { width: 100%; max-width: 760px; height: auto; display: block; margin: 8px 0 16px; }
        svg .grid { stroke: #e3e6ea; stroke-width: 1; } svg .quota { stroke: #5b6470; stroke-width: 1; stroke-dasharray: 4 3; }
        svg .axisline { stroke: #5b6470; stroke-width: 1; } svg text { font-size: 11px; fill: #3b4350; } svg .axis { font-size: 12px; fill: #1b1f24; }
        svg .legend text { font-size: 12px; } svg .gain { fill: #2e8b57; } svg .loss { fill: #c0392b; }
        .warnings { background: #fffaeb; border: 1px solid #f5c26b; border-left: 4px solid #b54708; padding: 4px 16px 8px; margin-top: 20px; }
        .warnings h2 { color: #b54708; border-bottom: 0; margin-top: 8px; } .warnings ul { margin: 0; padding-left: 18px; }
        @media print { body { background: #fff; } .page { border: 0; margin: 0; } }
        """
}
