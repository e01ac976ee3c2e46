// The statement page in three languages: the catalog's words, direction and isolation, locale digits, and the
// figures a rep checks by hand (running totals, the working of adjustments, rounded values with their exact value),
// rendered from statements whose new fields the tests set.
import Testing
@testable import Attain

@Suite struct StatementPageTests {
    let quota = assignments([("A", "100000.00")])

    func brief() throws -> Statement { try statements(plan: header + tiers, deals: briefDeals, assignments: quota)[0] }

    func context(_ locale: ReportLocale, plan: String? = nil) -> PageContext {
        var c = PageContext(plans: plan.map { [SourceFile(path: "p.plan", text: $0)] } ?? [], reps: [], defaultLocale: .english)
        c.locales["A"] = locale
        c.names = ["A": "Rep A", "B1": "Ben", "B2": "Bea", "M1": "Mia"]
        return c
    }

    /// The statement with its lines changed (and its measures, shown fields and changes replaced when given).
    func rebuilt(_ s: Statement, measures: [MeasureResult]? = nil, targetIncentive: String? = nil, shownFields: [String] = [],
                 changes: StatementChanges? = nil, _ edit: (inout [StatementLine]) -> Void = { _ in }) throws -> Statement {
        var lines = s.lines
        edit(&lines)
        var out = try Statement(payeeID: s.payeeID, payeeName: s.payeeName, planName: s.planName, planVersion: s.planVersion, planPath: s.planPath,
                                period: s.period, currency: s.currency, measures: measures ?? s.measures, totalAttainment: s.totalAttainment,
                                targetIncentive: targetIncentive ?? s.targetIncentive, proration: s.proration, lines: lines)
        out.shownFields = shownFields
        out.changes = changes
        return out
    }

    func money(_ text: String) -> Money {
        guard case .success(let d) = ExactDecimal.parse(text) else { fatalError(text) }
        return Money(d, Currency(code: "USD")!)
    }

    func line(_ kind: LineKind, _ amount: String, component: String = "C", deal: String? = nil, source: String = "p.plan:9") -> StatementLine {
        StatementLine(kind: kind, component: component, dealID: deal, closeDate: nil, base: nil, share: nil, rate: nil, tier: nil, amount: money(amount),
                      reason: "engine reason", source: source)
    }

    @Test func eachLanguageHasItsWordsAndDirection() throws {
        let s = try brief()
        let en = StatementHTML.render(s, context: context(.english))
        let zh = StatementHTML.render(s, context: context(.simplifiedChinese))
        let fa = StatementHTML.render(s, context: context(.persian))
        #expect(en.contains("<html lang=\"en\" dir=\"ltr\">"))
        #expect(en.contains("<h2>What you earned, line by line</h2>"))
        #expect(zh.contains("<html lang=\"zh-Hans\" dir=\"ltr\">"))
        #expect(zh.contains("<h2>逐笔明细</h2>"))
        #expect(zh.contains("<span>实发合计</span>"))
        #expect(zh.contains("<title>Rep A 的提成结算单，2026-Q1</title>"))
        #expect(fa.contains("<html lang=\"fa\" dir=\"rtl\">"))
        #expect(fa.contains("<h2>درآمد شما، ردیف به ردیف</h2>"))
        #expect(fa.contains("<span>جمع پرداختی</span>"))
        // The font stack of the language, and the right-to-left print header in the top right corner.
        #expect(zh.contains("\"Noto Sans CJK SC\""))
        #expect(fa.contains("\"Noto Naskh Arabic\""))
        #expect(fa.contains("@top-right { content: \"\u{2068}Rep A\u{2069} · \u{2068}2026-Q1\u{2069}\""))
        #expect(fa.contains("content: \"صفحهٔ \" counter(page, persian) \" از \" counter(pages, persian) \"\""))
        #expect(en.contains("@top-left { content: \"\u{2068}Rep A\u{2069} · \u{2068}2026-Q1\u{2069}\""))
        #expect(en.contains("@bottom-right { content: \"Page \" counter(page, decimal) \" of \" counter(pages, decimal) \"\""))
        // No English words left in the Persian page's lines.
        #expect(!fa.contains("What you earned"))
        #expect(!fa.contains(">Deal "))
    }

    @Test func persianIsolatesIdsAndWritesPersianDigits() throws {
        var s = try brief()
        s = try rebuilt(s) { lines in lines[1].dealID = "ق-۲" }
        let fa = StatementHTML.render(s, context: context(.persian))
        // Deal ق-۲, 40,000.00: 20,000.00 at 2% (0% to 50%) + 20,000.00 at 5% (50% to 100%) = 1,400.00, in Persian.
        #expect(fa.contains("معاملهٔ <bdi>ق-۲</bdi>، ۴۰٬۰۰۰٫۰۰: ۲۰٬۰۰۰٫۰۰ با نرخ ۲٪ (۰٪ تا ۵۰٪) + ۲۰٬۰۰۰٫۰۰ با نرخ ۵٪ (۵۰٪ تا ۱۰۰٪) = ۱٬۴۰۰٫۰۰"))
        #expect(fa.contains("<td class=\"num\">۱٬۴۰۰٫۰۰</td>"))
        #expect(fa.contains("<td class=\"num\"><bdi>۵٬۱۰۰٫۰۰&nbsp;USD</bdi></td>"))
        #expect(fa.contains("<bdi>۱۰٬۰۰۰٫۰۰&nbsp;USD</bdi>")) // target incentive
        #expect(fa.contains("۱ ژانویهٔ ۲۰۲۶"))
        // The plain-words sentence per locale, with isolates for a terminal.
        let words = StatementHTML.describe(s.lines[1], locale: .persian, currency: s.currency)
        #expect(words.hasPrefix("معاملهٔ \u{2068}ق-۲\u{2069}، ۴۰٬۰۰۰٫۰۰: "))
        #expect(StatementHTML.describe(s.lines[0], locale: .simplifiedChinese, currency: s.currency) == "交易 D1，30,000.00 × 2%（0% 至 50%） = 600.00")
        // The English sentence the what-if reports quote is unchanged.
        #expect(StatementHTML.describe(s.lines[1]) == "Deal ق-۲, 40000.00: 20000.00 at 2% (0% to 50%) + 20000.00 at 5% (50% to 100%) = 1400.00")
    }

    @Test func runningTotalsAndBandsFromTheLines() throws {
        let s = try rebuilt(try brief()) { lines in
            lines[0].running = RunningTotal(measure: "bookings", before: "0.00", after: "30000.00", attainmentBefore: "0.00%", attainmentAfter: "30.00%")
            lines[1].running = RunningTotal(measure: "bookings", before: "30000.00", after: "70000.00", attainmentBefore: "30.00%", attainmentAfter: "70.00%")
        }
        let en = StatementHTML.render(s, context: context(.english, plan: header + tiers))
        #expect(en.contains("<div class=\"run\"><bdi>bookings</bdi> 30,000.00 → 70,000.00 · attainment 30.00% → 70.00% · bands 0% to 50%, 50% to 100%</div>"))
        #expect(en.contains("<div class=\"run\"><bdi>bookings</bdi> 0.00 → 30,000.00 · attainment 0.00% → 30.00% · band 0% to 50%</div>"))
        // The band edges the lines name are drawn on the bar (50% and 100% of quota), not the 0% start.
        #expect(en.contains("<span class=\"edge\" style=\"inset-inline-start: 50%\"><span>50%</span></span>"))
        #expect(en.contains("<span class=\"edge\" style=\"inset-inline-start: 100%\"><span>100%</span></span>"))
        #expect(!en.contains("inset-inline-start: 0%"))
        // Each line quotes its plan rule, with file:line in small print.
        // A line across two bands quotes the tiers line and the rule of each band, with their file:line.
        #expect(en.contains("<div class=\"rule\"><q><bdi><code>tiers marginal over attainment</code></bdi></q><q><bdi><code>tier from 0% to 50% rate 2%</code></bdi></q>"
            + "<q><bdi><code>tier from 50% to 100% rate 5%</code></bdi></q></div><div class=\"src\">plan rule <bdi class=\"trace\">p.plan:9</bdi>, "
            + "<bdi class=\"trace\">p.plan:10</bdi>, <bdi class=\"trace\">p.plan:11</bdi></div>"))
        #expect(en.contains("<q><bdi><code>tier from 0% to 50% rate 2%</code></bdi></q>"))
        let fa = StatementHTML.render(s, context: context(.persian))
        #expect(fa.contains("<div class=\"run\"><bdi>bookings</bdi> ۳۰٬۰۰۰٫۰۰ ← ۷۰٬۰۰۰٫۰۰ · تحقق ۳۰٫۰۰٪ ← ۷۰٫۰۰٪ · بازه‌های ۰٪ تا ۵۰٪، ۵۰٪ تا ۱۰۰٪</div>"))
    }

    @Test func adjustmentsSayHowTheirFigureWasMade() throws {
        var cap = line(.adjustment, "-6819.06")
        cap.working = LineWorking(rule: .cap)
        cap.working!.limit = "16000.00"
        cap.working!.limitPercent = "200%"
        cap.working!.limitBase = "8000.00"
        cap.working!.linesTotal = "22819.06"
        var gate = line(.adjustment, "-600.00")
        gate.working = LineWorking(rule: .gate)
        gate.working!.condition = "bookings.attainment >= 50%"
        gate.working!.attainment = "30.00%"
        gate.working!.threshold = "50%"
        gate.working!.linesTotal = "600.00"
        var bonus = line(.bonus, "8000.00", component: "Club")
        bonus.working = LineWorking(rule: .bonus)
        bonus.working!.threshold = "120%"
        bonus.working!.attainment = "120.00%"
        var again = line(.adjustment, "-200.00", deal: "D1")
        again.refPeriod = "2025-Q4"
        again.working = LineWorking(rule: .recomputed)
        again.working!.period = "2025-Q4"
        again.working!.was = "1000.00"
        again.working!.now = "800.00"
        var back = line(.clawback, "-600.00", component: "Clawback", deal: "D9")
        back.refPeriod = "2025-Q4"
        back.working = LineWorking(rule: .clawback)
        back.working!.period = "2025-Q4"
        back.working!.was = "600.00"
        back.working!.date = CivilDate(year: 2026, month: 2, day: 10)
        let changes = StatementChanges(previousPeriod: "2025-Q4", previousPaid: money("4000.00"), previousAttainment: "90.00%", newDeals: 3,
                                       newDealsEarned: money("5100.00"), postedBefore: money("3000.00"))
        let s = try rebuilt(try brief(), changes: changes) { $0 += [cap, gate, bonus, again, back] }
        let en = StatementHTML.render(s, context: context(.english))
        #expect(en.contains(">cap: 200% of target incentive 8,000.00 = 16,000.00; lines total 22,819.06; -6,819.06<"))
        #expect(en.contains(">gate not met: <bdi><code>bookings.attainment &gt;= 50%</code></bdi>; attainment 30.00%, below 50%; lines total 600.00; -600.00<"))
        #expect(en.contains(">step 120% met at attainment 120.00%<"))
        #expect(en.contains(">Deal <bdi>D1</bdi>, <bdi>2025-Q4</bdi> recomputed: was 1,000.00, now 800.00; difference -200.00<"))
        #expect(en.contains(">Deal <bdi>D9</bdi>, cancelled on <bdi>2026-02-10</bdi>: the 600.00 paid on it for <bdi>2025-Q4</bdi> is taken back; -600.00<"))
        // What changed: the last closed period, new deals, the earlier posting, and each settling line in a sentence.
        #expect(en.contains("<li>The last closed period, <bdi>2025-Q4</bdi>, paid <bdi>4,000.00&nbsp;USD</bdi>. Attainment then: 90.00%.</li>"))
        #expect(en.contains("<li>3 lines of this period are on deals no closed period paid; they earned <bdi>5,100.00&nbsp;USD</bdi>.</li>"))
        #expect(en.contains("<li>This period was closed before and paid <bdi>3,000.00&nbsp;USD</bdi>; it now pays <bdi>4,880.94&nbsp;USD</bdi>, a difference of <bdi>1,880.94&nbsp;USD</bdi>.</li>"))
        #expect(en.contains("<li>adjustment — Deal <bdi>D1</bdi>, <bdi>2025-Q4</bdi>: was 1,000.00, now 800.00; difference -200.00</li>"))
        #expect(en.contains("<li>clawback — Deal <bdi>D9</bdi>, <bdi>2025-Q4</bdi>: cancelled on <bdi>2026-02-10</bdi>, was 600.00, now 0; difference -600.00</li>"))
        #expect(!en.contains("engine reason"))
        let zh = StatementHTML.render(s, context: context(.simplifiedChinese))
        #expect(zh.contains("封顶：目标奖金 8,000.00 的 200% = 16,000.00；各行合计 22,819.06；-6,819.06"))
        let fa = StatementHTML.render(s, context: context(.persian))
        #expect(fa.contains("سقف: ۲۰۰٪ از پاداش هدف ۸٬۰۰۰٫۰۰ = ۱۶٬۰۰۰٫۰۰؛ جمع ردیف‌ها ۲۲٬۸۱۹٫۰۶؛ \u{200E}−۶٬۸۱۹٫۰۶"))
    }

    @Test func capGateAndBonusAreToldFromTheirWorking() throws {
        let plan = header + tiers + "  cap 40% of target_incentive per period\nbonus \"Club\" on bookings\n  at 100% pay 500.00 USD\n  at 110% pay 900.00 USD\n"
        let s = try statements(plan: plan, deals: briefDeals, assignments: quota)[0]
        #expect(s.lines[3].working?.limitPercent == "40%")
        let en = StatementHTML.render(s, context: context(.english, plan: plan))
        // 5,100.00 of lines against 40% of 10,000.00: the cap's adjustment is 4,000.00 − 5,100.00.
        #expect(en.contains(">cap: 40% of target incentive 10,000.00 = 4,000.00; lines total 5,100.00; -1,100.00<"))
        #expect(en.contains(">step 110% met at attainment 120.00%<"))
        let zh = StatementHTML.render(s, context: context(.simplifiedChinese, plan: plan))
        #expect(zh.contains(">达成率 120.00%，达到 110% 档<"))
        let gated = header + tiers + "  gate attainment >= 150%\n"
        let g = try statements(plan: gated, deals: briefDeals, assignments: quota)[0]
        let fa = StatementHTML.render(g, context: context(.persian, plan: gated))
        #expect(fa.contains(">شرط برقرار نشد: <bdi><code>bookings.attainment &gt;= 150%</code></bdi>؛ تحقق ۱۲۰٫۰۰٪، کمتر از ۱۵۰٪؛ جمع ردیف‌ها ۵٬۱۰۰٫۰۰؛ \u{200E}−۵٬۱۰۰٫۰۰<"))
        #expect(!fa.contains("gate not met"))
    }

    @Test func drawLinesInEachLanguage() throws {
        var draw = line(.draw, "2000.00", component: "Draw")
        draw.base = "1000.00"
        draw.balanceBefore = money("0.00")
        draw.balanceAfter = money("2000.00")
        let s = try rebuilt(try brief()) { $0.append(draw) }
        let zh = StatementHTML.render(s, context: context(.simplifiedChinese))
        #expect(zh.contains(">预支：本期应付 <bdi>1,000.00&nbsp;USD</bdi>，补足 <bdi>2,000.00&nbsp;USD</bdi>；待收回余额：之前 0.00，之后 2,000.00<"))
        // English keeps the engine's own sentence, which names the draw.
        #expect(StatementHTML.render(s, context: context(.english)).contains(">engine reason; balance to recover 0.00 before, 2,000.00 after<"))
    }

    @Test func overrideLinesAreGroupedPerReportWithSubtotals() throws {
        func o(_ deal: String, _ report: String, _ base: String, _ amount: String) -> StatementLine {
            var l = line(.override, amount, component: "Team override", deal: deal, source: "m.plan:11")
            l.creditedTo = report
            l.base = base
            l.rate = "2%"
            return l
        }
        let lines = [o("D2", "B1", "30000.00", "600.00"), o("D4", "B2", "18000.00", "360.00"), o("D5", "B1", "12345.67", "246.91")]
        let base = try brief()
        let s = try Statement(payeeID: "M1", payeeName: "Mia", planName: "Override", planVersion: "1", planPath: "m.plan", period: base.period,
                              currency: base.currency, measures: [], totalAttainment: nil, targetIncentive: "5000.00", proration: nil, lines: lines)
        let html = StatementHTML.render(s, context: context(.english))
        #expect(html.components("<details open>") == 2)
        #expect(html.contains("<summary><span class=\"who\"><bdi>Ben</bdi> <small class=\"id\"><bdi>B1</bdi></small></span><span class=\"muted\">deals: 2</span><span class=\"sub\"><bdi>846.91&nbsp;USD</bdi></span></summary>"))
        #expect(html.contains("<summary><span class=\"who\"><bdi>Bea</bdi> <small class=\"id\"><bdi>B2</bdi></small></span><span class=\"muted\">deals: 1</span><span class=\"sub\"><bdi>360.00&nbsp;USD</bdi></span></summary>"))
        // 846.91 + 360.00 = 1,206.91, the statement's paid.
        #expect(html.contains("<tr class=\"grand\"><th colspan=\"4\">Overrides on 2 reports, total</th><td class=\"num\"><bdi>1,206.91&nbsp;USD</bdi></td></tr>"))
        #expect(s.paid.text == "1206.91")
        // One line per deal: date, deal, credited amount, rate, amount.
        #expect(html.contains("<tr><td class=\"date\"></td><td><bdi>D5</bdi> <span class=\"no\">line 3</span></td><td class=\"num\">12,345.67</td><td class=\"num\">2%</td><td class=\"num\">246.91</td></tr>"))
        // The grouped lines are not repeated in a flat table; print shows collapsed groups' content.
        #expect(!html.contains("<section class=\"lines\">"))
        #expect(html.contains(".reports details::details-content { content-visibility: visible; display: block; }"))
    }

    @Test func overrideGroupsLineUpAndKeepExactCreditedAmountsOutOfFootnotes() throws {
        func o(_ deal: String, _ report: String, _ base: String, _ amount: String, share: String? = nil) -> StatementLine {
            var l = line(.override, amount, component: "Team override", deal: deal, source: "p.plan:11")
            l.creditedTo = report
            l.base = base
            l.rate = "2%"
            l.share = share
            return l
        }
        let lines = [o("D2", "B1", "30000.00", "600.00"), o("D4", "B2", "7407.402", "148.15", share: "60%"), o("D5", "B1", "12345.675", "246.91")]
        let base = try brief()
        let s = try Statement(payeeID: "A", payeeName: "Mia", planName: "Override", planVersion: "1", planPath: "p.plan", period: base.period,
                              currency: base.currency, measures: [], totalAttainment: nil, targetIncentive: "5000.00", proration: nil, lines: lines)
        let plan = (1...10).map { "# \($0)" }.joined(separator: "\n") + "\noverride 2% of reports' credited amount\n"
        let html = StatementHTML.render(s, context: context(.english, plan: plan))
        // One colgroup for the head, each group and the grand total, in a fixed layout: the columns line up.
        let cols = "<colgroup><col class=\"o-date\"><col class=\"o-deal\"><col class=\"o-base\"><col class=\"o-rate\"><col class=\"o-amt\"></colgroup>"
        #expect(html.components(cols) == 4)
        #expect(html.contains(".reports table.ovr { table-layout: fixed;"))
        #expect(html.contains("<table class=\"ovr head\">\(cols)<thead><tr><th>Date</th><th>Deal</th><th class=\"num\">Credited</th><th class=\"num\">Rate</th><th class=\"num\">Amount (USD)</th></tr></thead></table>"))
        // The override rule is quoted once, under the section's heading, not per line.
        #expect(html.components("<q><bdi><code>override 2% of reports&#39; credited amount</code></bdi></q>") == 1)
        #expect(html.components("p.plan:11") == 1)
        // A rounded credited amount: its exact value in the row's title and in one compact list, no footnote.
        #expect(html.contains("<tr title=\"exact: 7,407.402\"><td class=\"date\"></td><td><bdi>D4</bdi> <span class=\"muted\">(their 60% share)</span> <span class=\"no\">line 2</span></td>"
            + "<td class=\"num\"><span class=\"exact\">7,407.40</span></td><td class=\"num\">2%</td><td class=\"num\">148.15</td></tr>"))
        #expect(html.contains("<tr title=\"exact: 12,345.675\"><td class=\"date\"></td><td><bdi>D5</bdi> <span class=\"no\">line 3</span></td><td class=\"num\"><span class=\"exact\">12,345.68</span></td>"))
        #expect(html.contains("<p class=\"exacts\">Exact credited amounts: <bdi>D5</bdi>&nbsp;<bdi>12,345.675</bdi>, <bdi>D4</bdi>&nbsp;<bdi>7,407.402</bdi></p>"))
        #expect(!html.contains("<section class=\"notes\">"))
        #expect(!html.contains("<sup class=\"fn\">"))
        // Print: small type, no running total, the summary on one line.
        #expect(html.contains(".reports .run { display: none; }"))

        let fa = StatementHTML.render(s, context: context(.persian, plan: plan))
        #expect(fa.contains("<th>تاریخ</th><th>معامله</th><th class=\"num\">مبلغ لحاظ\u{200C}شده</th><th class=\"num\">نرخ</th><th class=\"num\">مبلغ (USD)</th>"))
        #expect(fa.contains("<p class=\"exacts\">مقدار دقیق مبلغ\u{200C}های لحاظ\u{200C}شده: <bdi>D5</bdi>&nbsp;<bdi>۱۲٬۳۴۵٫۶۷۵</bdi>، <bdi>D4</bdi>&nbsp;<bdi>۷٬۴۰۷٫۴۰۲</bdi></p>"))
        #expect(fa.contains("<tr title=\"مقدار دقیق: ۷٬۴۰۷٫۴۰۲\">"))
    }

    @Test func teamMeasureRollUpHasNamesAndShares() throws {
        let m = MeasureResult(name: "team bookings", value: "80000.00", quota: nil, attainment: nil, weight: nil,
                              from: [MeasureContribution(repID: "B1", repName: "Ben", amount: "50000.00", deals: 2),
                                     MeasureContribution(repID: "B2", repName: "", amount: "30000.00", deals: 1)])
        let s = try rebuilt(try brief(), measures: [m])
        let html = StatementHTML.render(s, context: context(.english))
        #expect(html.contains("<tr><td><bdi>Ben</bdi> <small class=\"id\"><bdi>B1</bdi></small></td><td class=\"num\">2</td><td class=\"num\">50,000.00</td><td class=\"num\">62.50%</td></tr>"))
        #expect(html.contains("<tr><td><bdi>Bea</bdi> <small class=\"id\"><bdi>B2</bdi></small></td><td class=\"num\">1</td><td class=\"num\">30,000.00</td><td class=\"num\">37.50%</td></tr>"))
    }

    @Test func roundedFiguresKeepTheirExactValue() throws {
        let m = MeasureResult(name: "bookings", value: "348492.013", quota: "200000.005", attainment: "174.24%", weight: nil)
        let s = try rebuilt(try brief(), measures: [m], targetIncentive: "822.580645")
        let html = StatementHTML.render(s, context: context(.english))
        // The quota 200000.005 is shown 200,000.01 (half-up to the cent), its exact value on hover and in footnote 3.
        #expect(html.contains("<bdi><span class=\"exact\" title=\"exact: 348,492.013\">348,492.01</span><sup class=\"fn\">2</sup></bdi> of "
            + "<bdi><span class=\"exact\" title=\"exact: 200,000.005\">200,000.01</span><sup class=\"fn\">3</sup></bdi> quota"))
        #expect(html.contains("<li><sup class=\"fn\">3</sup> exact value <bdi>200,000.005</bdi></li>"))
        #expect(html.contains("<bdi><span class=\"exact\" title=\"exact: 822.580645\">822.58&nbsp;USD</span><sup class=\"fn\">1</sup></bdi>"))
        #expect(html.contains("<li><sup class=\"fn\">1</sup> exact value <bdi>822.580645</bdi></li>"))
        #expect(html.contains("<li><sup class=\"fn\">2</sup> exact value <bdi>348,492.013</bdi></li>"))
        // Line amounts are shown as they are.
        #expect(html.contains("<td class=\"num\">3,100.00</td>"))
    }

    @Test func shownDealColumnsAppearOnTheLines() throws {
        let s = try rebuilt(try brief(), shownFields: ["account", "name"]) { lines in
            lines[0].shown = ["Acme", "Big <deal>"]
        }
        let html = StatementHTML.render(s, context: context(.english))
        #expect(html.contains("<th><bdi>account</bdi></th><th><bdi>name</bdi></th><th>How it was worked out</th>"))
        #expect(html.contains("<td><bdi>Acme</bdi></td><td><bdi>Big &lt;deal&gt;</bdi></td>"))
        // A line without shown values keeps the columns empty.
        #expect(html.contains("</td><td></td><td></td><td>Deal <bdi>D2</bdi>"))
    }

    @Test func hostileNamesStayEscapedInEveryLanguage() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,\"</style><script>alert('x')</script>\",,2025-01-01,\n"
        let s = try statements(plan: header + tiers, deals: briefDeals, assignments: quota, roster: roster)[0]
        let hostile = try rebuilt(s, shownFields: ["x"]) { lines in
            lines[0].shown = ["<img src=x onerror=alert(1)>"]
            lines[0].dealID = "<b>D1</b>"
        }
        for locale in ReportLocale.all {
            let html = StatementHTML.render(hostile, context: context(locale, plan: header + tiers.replacingOccurrences("rate 2%", "rate 2% # <script>")))
            let lower = html.lowercased()
            #expect(html.components("</style>") == 1, "\(locale)")
            for banned in ["<script", "<img", "<b>d1", "javascript:"] { #expect(!lower.contains(banned), "\(locale): found \(banned)") }
            #expect(html.contains("\\3c /style\\3e \\3c script\\3e alert('x')\\3c /script\\3e "))
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        }
    }
}

private extension String {
    func components(_ needle: String) -> Int { split(separator: needle, omittingEmptySubsequences: false).count - 1 }
}
