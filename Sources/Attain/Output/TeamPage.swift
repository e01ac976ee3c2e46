// A manager's team page: each direct report's measures against their quotas, with only what the report's plan shares
// (`share attainment with team`; private by default), and the roll-up of the shared figures.

/// Renders `PERIOD/team/<manager file>.html` for a manager: each report named, and for reports on a plan that shares
/// attainment, each measure's value of its quota with an attainment bar (the 100% mark drawn), their total attainment,
/// and what they were paid only when the plan also shares pay. Reports on other plans are listed by name as private,
/// with no figure. The roll-up sums the shared reports' values and quotas per measure.
///
/// Written in the manager's language (`PageContext.locale(for:)`), right to left for Persian, with names, ids and
/// amounts in `<bdi>`. Self-contained: inline CSS, no scripts.
public enum TeamPage {
    /// One report on a team page: their statement and what their plan shares.
    public struct Member: Sendable {
        public let statement: Statement
        public let sharing: TeamSharing
        /// The plan's measure units by name, so money measures show their currency.
        public let moneyMeasures: Set<String>

        public init(statement: Statement, sharing: TeamSharing, moneyMeasures: Set<String> = []) {
            self.statement = statement
            self.sharing = sharing
            self.moneyMeasures = moneyMeasures
        }
    }

    /// The team pages of a run: one per manager of `tree` with at least one report (with a statement in the run) on a
    /// plan that shares attainment, by path under the output folder (`PERIOD/team/<file>.html`), sorted by manager id.
    public static func files(_ result: RunResult, tree: TeamTree, context: PageContext = PageContext()) -> [(manager: String, path: String, text: String)] {
        var byID: [String: Int] = [:]
        byID.reserveCapacity(result.statements.count)
        for (i, s) in result.statements.enumerated() { byID[s.payeeID] = i }
        var plans: [String: CompiledPlan] = [:]
        for p in result.plans where plans[p.path] == nil { plans[p.path] = p }
        var out: [(manager: String, path: String, text: String)] = []
        for manager in tree.managers {
            let members = (tree.reports[manager] ?? []).compactMap { id -> Member? in
                guard let i = byID[id] else { return nil }
                let s = result.statements[i]
                let plan = plans[s.planPath]
                let money = Set((plan?.measures ?? []).filter { if case .money = $0.unit { return true } else { return false } }.map(\.name))
                return Member(statement: s, sharing: plan?.sharing ?? TeamSharing(), moneyMeasures: money)
            }
            guard members.contains(where: { $0.sharing.sharesAttainment }) else { continue }
            let name = context.names[manager] ?? byID[manager].map { result.statements[$0].payeeName } ?? manager
            out.append((manager, "\(result.period.label)/team/\(Engine.fileName(manager)).html",
                        render(manager: manager, name: name, members: members, period: result.period, context: context)))
        }
        return out
    }

    /// One manager's team page.
    public static func render(manager: String, name: String, members: [Member], period: Period, context: PageContext = PageContext()) -> String {
        let l = context.locale(for: manager)
        let shared = members.filter { $0.sharing.sharesAttainment }
        var h: [String] = []
        h.append("<!DOCTYPE html>")
        h.append("<html lang=\"\(l.tag)\" dir=\"\(l.direction)\">")
        h.append("<head>")
        h.append("<meta charset=\"utf-8\">")
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.append("<title>\(esc(l.text("team.title", name, period.label)))</title>")
        h.append("<style>\n\(baseCSS(l))\(css)</style>")
        h.append("</head>")
        h.append("<body>")
        h.append("<main class=\"page\">")
        h.append("<p class=\"back\"><a href=\"../index.html\">\(esc(l.text("team.back")))</a></p>")
        h.append("<header>")
        h.append("<p class=\"eyebrow\">\(l.text("team.eyebrow", bdi(period.label)))</p>")
        h.append("<h1>\(l.text("team.heading", bdi(name)))</h1>")
        h.append("<p class=\"muted\">\(l.text("team.manager_id", "<bdi class=\"id\">\(esc(manager))</bdi>")) · "
            + "\(esc(l.text("team.dates", l.longDate(period.start), l.longDate(period.end)))) · \(esc(l.text("team.count", l.number(String(members.count)))))</p>")
        h.append("</header>")
        h.append("<section>")
        h.append("<h2>\(esc(l.text("team.reports")))</h2>")
        for m in members { h.append(contentsOf: member(m, l)) }
        h.append("</section>")
        h.append(contentsOf: rollUp(shared, private: members.count - shared.count, l))
        h.append("<footer><p>\(esc(l.text("team.scale")))</p><p>\(esc(l.text("team.footer")))</p></footer>")
        h.append("</main>")
        h.append("</body>")
        h.append("</html>")
        return h.joined(separator: "\n") + "\n"
    }

    /// A report's card: name, id and plan; then their measures, or the word "private".
    static func member(_ m: Member, _ l: ReportLocale) -> [String] {
        let s = m.statement
        var h = ["<article class=\"member\(m.sharing.sharesAttainment ? "" : " private")\">"]
        h.append("<div class=\"who\"><h3><bdi>\(esc(s.payeeName))</bdi></h3><span class=\"muted\">\(l.text("team.rep_id", "<bdi class=\"id\">\(esc(s.payeeID))</bdi>"))"
            + " · \(l.text("index.plan", bdi(s.planName), bdi(s.planVersion)))</span></div>")
        guard m.sharing.sharesAttainment else {
            h.append("<p class=\"private-note\"><span class=\"badge\">\(esc(l.text("team.private")))</span> \(esc(l.text("team.private_note")))</p>")
            h.append("</article>")
            return h
        }
        let measures = s.segments.isEmpty ? s.measures : (s.segments.last?.measures ?? [])
        let total = s.segments.isEmpty ? s.totalAttainment : s.segments.last?.totalAttainment
        h.append("<table class=\"measures\">")
        h.append("<thead><tr><th>\(esc(l.text("team.col.measure")))</th><th>\(esc(l.text("team.col.progress")))</th>"
            + "<th class=\"barcol\"><span class=\"sr\">\(esc(l.text("team.col.bar")))</span></th><th class=\"num\">\(esc(l.text("team.col.attainment")))</th></tr></thead>")
        h.append("<tbody>")
        for r in measures {
            let unit = m.moneyMeasures.contains(r.name) ? s.currency : nil
            h.append(row(name: "<bdi>\(esc(r.name))</bdi>", value: r.value, quota: r.quota, attainment: r.attainment, unit: unit, scale: s.currency.minorUnits, l))
        }
        if let t = total {
            h.append("<tr class=\"total\"><td>\(esc(l.text("team.total_attainment")))</td><td class=\"muted\">\(esc(l.text("team.weighted")))</td>"
                + "<td class=\"barcol\">\(bar(t, l))</td><td class=\"num\"><bdi>\(esc(percent(t, l)))</bdi></td></tr>")
        }
        h.append("</tbody>")
        h.append("</table>")
        if m.sharing.sharesPay {
            h.append("<p class=\"paid\">\(esc(l.text("team.paid"))) <strong><bdi>\(esc(l.money(s.paid.text, s.currency)))</bdi></strong></p>")
        }
        h.append("</article>")
        return h
    }

    /// A measure's row: its name, "value of quota", the bar, and the attainment.
    static func row(name: String, value: String, quota: String?, attainment: String?, unit: Currency?, scale: Int, _ l: ReportLocale) -> String {
        let v = shown(value, scale: scale, l)
        var progress: String
        if let q = quota {
            progress = l.text("team.value_of_quota", v, shown(q, scale: scale, l))
        } else {
            progress = l.text("team.no_quota", v)
        }
        if let c = unit { progress += " <span class=\"muted\">\(esc(c.code))</span>" }
        let a = attainment.map { "<bdi>\(esc(percent($0, l)))</bdi>" } ?? ""
        return "<tr><td>\(name)</td><td>\(progress)</td><td class=\"barcol\">\(attainment.map { bar($0, l) } ?? "")</td><td class=\"num\">\(a)</td></tr>"
    }

    /// An amount or count in the locale's digits, rounded to the currency's places for reading, with the exact figure on
    /// hover when rounding changed it; in `<bdi>`.
    static func shown(_ text: String, scale: Int, _ l: ReportLocale) -> String {
        let r = ReportLocale.rounded(text, scale: scale)
        let exact = r == text ? "" : " title=\"\(esc(l.text("team.exact", l.number(text))))\""
        return "<bdi\(exact)>\(esc(l.number(r)))</bdi>"
    }

    /// Under the reports: the shared figures summed per measure (and currency), with the attainment of the sums.
    static func rollUp(_ shared: [Member], private hidden: Int, _ l: ReportLocale) -> [String] {
        struct Sum { var name: String; var currency: Currency; var money: Bool; var value: ExactDecimal; var quota: ExactDecimal?; var reports: Int; var broken: Bool }
        var sums: [Sum] = []
        for m in shared {
            let s = m.statement
            let measures = s.segments.isEmpty ? s.measures : (s.segments.last?.measures ?? [])
            for r in measures {
                guard case .success(let v) = ExactDecimal.parse(r.value) else { continue }
                let q = r.quota.flatMap { if case .success(let d) = ExactDecimal.parse($0) { return d } else { return nil } }
                if let i = sums.firstIndex(where: { $0.name == r.name && $0.currency == s.currency }) {
                    sums[i].reports += 1
                    do {
                        sums[i].value = try sums[i].value.adding(v)
                        if let q, let before = sums[i].quota { sums[i].quota = try before.adding(q) } else { sums[i].quota = nil }
                    } catch { sums[i].broken = true }
                } else {
                    sums.append(Sum(name: r.name, currency: s.currency, money: m.moneyMeasures.contains(r.name), value: v, quota: q, reports: 1, broken: false))
                }
            }
        }
        var h = ["<section class=\"rollup\">", "<h2>\(esc(l.text("team.rollup")))</h2>"]
        guard !sums.isEmpty else {
            h += ["<p class=\"muted\">\(esc(l.text("team.rollup_none")))</p>", "</section>"]
            return h
        }
        h.append("<table class=\"measures\">")
        h.append("<thead><tr><th>\(esc(l.text("team.col.measure")))</th><th>\(esc(l.text("team.col.team_progress")))</th>"
            + "<th class=\"barcol\"><span class=\"sr\">\(esc(l.text("team.col.bar")))</span></th><th class=\"num\">\(esc(l.text("team.col.attainment")))</th></tr></thead>")
        h.append("<tbody>")
        for s in sums where !s.broken {
            let attainment = s.quota.flatMap { q -> String? in
                guard !q.isZero, let r = try? Ratio(s.value).divided(by: Ratio(q)).multiplied(by: Ratio(100, 1)).floored(scale: 2) else { return nil }
                return r.description + "%"
            }
            let name = "<bdi>\(esc(s.name))</bdi> <span class=\"muted\">\(esc(l.text("team.rollup_reports", l.number(String(s.reports)))))</span>"
            h.append(row(name: name, value: s.value.description, quota: s.quota?.description, attainment: attainment, unit: s.money ? s.currency : nil,
                         scale: s.currency.minorUnits, l))
        }
        h.append("</tbody>")
        h.append("</table>")
        h.append("<p class=\"muted note\">\(esc(l.text("team.rollup_note", l.number(String(shared.count)))))\(hidden > 0 ? (l == .simplifiedChinese ? "" : " ") + esc(l.text("team.rollup_private", l.number(String(hidden)))) : "")</p>")
        h.append("</section>")
        return h
    }

    // MARK: Parts shared with the index

    /// An attainment bar from 0% to 200% of quota, the 100% mark in its middle; the fill starts at the line's start
    /// (the right, in Persian).
    static func bar(_ attainment: String, _ l: ReportLocale) -> String {
        "<span class=\"bar\" role=\"img\" aria-label=\"\(esc(l.text("team.bar_label", percent(attainment, l))))\"><span class=\"fill\" style=\"width: \(half(attainment))%\"></span><span class=\"mark\"></span></span>"
    }

    /// The index's small bar: the same scale, no label (the percent is beside it).
    static func smallBar(_ attainment: String) -> String {
        "<span class=\"bar small\"><span class=\"fill\" style=\"width:\(half(attainment))%\"></span><span class=\"mark\"></span></span>"
    }

    /// An attainment as a page shows it: without the zeros its exact text ends in (`64.00%` → `64%`, `37.50%` → `37.5%`),
    /// in the locale's digits.
    static func percent(_ attainment: String, _ l: ReportLocale) -> String {
        let digits = attainment.hasSuffix("%") ? String(attainment.dropLast()) : attainment
        guard case .success(let v) = ExactDecimal.parse(digits) else { return l.percent(attainment) }
        return l.percent(v.normalized.description)
    }

    /// Half the attainment between 0 and 200: the fill's width in percent of a bar that runs to 200%.
    static func half(_ attainment: String) -> String {
        let digits = attainment.hasSuffix("%") ? String(attainment.dropLast()) : attainment
        guard case .success(let v) = ExactDecimal.parse(digits), !v.isNegative else { return "0" }
        if v > ExactDecimal(200) { return "100" }
        return ((try? v.divided(by: ExactDecimal(2), scale: 2, mode: .down)) ?? .zero).normalized.description
    }

    /// A file name from `Engine.fileName` as a link: its `%` escapes kept as they are on disk.
    static func href(_ fileName: String) -> String {
        fileName.contains("%") ? fileName.split(separator: "%", omittingEmptySubsequences: false).joined(separator: "%25") : fileName
    }

    static func esc(_ text: String) -> String { StatementHTML.escape(text) }

    /// Text from the plan or the data, escaped and isolated (`<bdi>`), to go into a catalog template: its direction
    /// cannot reorder the words around it.
    static func bdi(_ text: String) -> String { "<bdi>\(esc(text))</bdi>" }

    /// The page, type, bar and print rules of the index and the team pages, in the language's fonts; logical
    /// properties, so a right-to-left page mirrors.
    static func baseCSS(_ l: ReportLocale) -> String {
        """
        @page { size: auto; margin: 14mm 12mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; background: #f3f4f6; color: #1b1f24; font: 15px/1.45 \(l.fontStack); }
        .page { max-width: 1080px; margin: 24px auto; padding: 32px 40px; background: #fff; border: 1px solid #dde1e6; }
        h1 { font-size: 26px; margin: 2px 0 4px; }
        h2 { font-size: 17px; margin: 26px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1f4e8c; color: #1f4e8c; }
        h3 { font-size: 16px; margin: 0; }
        p { margin: 0 0 6px; }
        a { color: #1f4e8c; }
        .muted { color: #5b6470; }
        .eyebrow { margin: 0; letter-spacing: .04em; font-size: 12px; color: #5b6470; text-transform: uppercase; }
        .id { font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
        .num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .neg { color: #a3261b; }
        .bar { position: relative; display: inline-block; vertical-align: middle; width: 100%; min-width: 120px; height: 12px; background: #e6eaf0; border-radius: 3px; }
        .bar .fill { position: absolute; inset-block: 0; inset-inline-start: 0; background: #2f6fb8; border-radius: 3px; }
        .bar .mark { position: absolute; inset-block: -3px; inset-inline-start: 50%; border-inline-start: 2px dashed #1b1f24; }
        .bar.small { width: 64px; min-width: 64px; height: 8px; margin-inline-end: 8px; }
        .bar.small .mark { inset-block: -2px; border-inline-start-width: 1px; border-inline-start-style: solid; }
        footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid #dde1e6; font-size: 12px; color: #5b6470; }
        @media print {
          body { background: #fff; font-size: 12px; }
          .page { margin: 0; padding: 0; border: none; max-width: none; }
          a { color: inherit; text-decoration: none; }
          .back { display: none; }
          h2 { break-after: avoid; }
        }

        """
    }

    static let css = """
        .back { font-size: 13px; margin-bottom: 10px; }
        .member { border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 16px; margin: 0 0 12px; break-inside: avoid; }
        .member .who { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; margin-bottom: 6px; }
        .member.private { background: #f7f8fa; }
        .badge { display: inline-block; padding: 0 8px; border-radius: 10px; background: #e1e5eb; color: #3b4450; font-size: 12px; font-weight: 600; }
        .private-note { color: #5b6470; font-size: 13px; margin: 0; }
        table.measures { width: 100%; border-collapse: collapse; font-size: 14px; }
        table.measures th, table.measures td { padding: 5px 8px; border-bottom: 1px solid #eceef1; text-align: start; vertical-align: middle; }
        table.measures th.num, table.measures td.num { text-align: end; }
        table.measures thead th { font-size: 12px; color: #5b6470; font-weight: 600; }
        table.measures .barcol { width: 34%; }
        table.measures tr.total td { font-weight: 600; }
        table.measures tr.total td.muted { font-weight: 400; }
        .note { margin-top: 6px; font-size: 13px; }
        .paid { margin: 8px 0 0; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        .rollup { break-inside: avoid; }

        """
}
