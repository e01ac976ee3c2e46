// The compare report in three languages: headers in words, the cost by plan and period adding up to each plan set's
// cost, names and values written beside the bars, right to left for Persian; and the terminal's tables in the
// report's language, aligned by terminal cells, unchanged in English.
import Foundation
import Testing
@testable import Attain
@testable import AttainTool
@testable import AttainXML

@Suite struct CompareReportTests {
    /// The compare-locale-fa case's data (two quarters, baseline, a retroactive candidate, a 10% accelerator).
    func compareTwoQuarters(_ locale: ReportLocale, scale: String? = nil) -> CommandOutcome {
        Commands.compare(plans: ["plan.plan"], data: ".", periods: ["2026-Q1", "2026-Q2"], candidates: ["retro=retro.plan"],
                         whatIfs: ["accel10=accelerator=10%"], scale: scale, lossThreshold: "10%",
                         reader: InputReader(root: repositoryRoot + "/golden/compare-locale-fa"), locale: locale)
    }

    func report(_ o: CommandOutcome) throws -> String {
        try #require(o.files.first { $0.path == "compare/report.html" }?.text)
    }

    /// The SVG elements of a page, in order.
    func charts(_ html: String) -> [String] {
        var svgs: [String] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            svgs.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return svgs
    }

    /// The text of every `element` in `markup`, its inner tags left out and its entities read.
    func texts(_ markup: some StringProtocol, _ element: String) -> [String] {
        var out: [String] = []
        var rest = Substring(markup)
        while let open = rest.range(of: "<\(element)"), let close = rest.range(of: "</\(element)>", range: open.upperBound..<rest.endIndex) {
            let inner = rest[open.upperBound..<close.lowerBound].drop { $0 != ">" }.dropFirst()
            var text = "", inTag = false
            for c in inner {
                if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { text.append(c) }
            }
            out.append(text.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"").replacing("&#39;", with: "'")
                .replacing("&amp;", with: "&"))
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// The header cells of the table that follows `marker` in the page.
    func headers(_ html: String, after marker: String) throws -> [String] {
        let at = try #require(html.range(of: marker))
        let table = try #require(html.range(of: "<thead>", range: at.upperBound..<html.endIndex))
        let end = try #require(html.range(of: "</thead>", range: table.upperBound..<html.endIndex))
        return texts(html[table.lowerBound..<end.upperBound], "th")
    }

    @Test func everyPayeeTableHeadersAreWordsInEachLanguage() throws {
        let expected: [(ReportLocale, [String])] = [
            (.english, ["Payee", "Plan", "Attainment", "Target incentive", "Paid now", "Paid under retro", "Paid under accel10"]),
            (.simplifiedChinese, ["收款人", "计划", "达成率", "目标奖金", "现行提成", "retro 下的提成", "accel10 下的提成"]),
            (.persian, ["دریافت‌کننده", "طرح", "تحقق سهمیه", "پاداش هدف", "پرداختی فعلی", "پرداختی با \u{2068}retro\u{2069}", "پرداختی با \u{2068}accel10\u{2069}"]),
        ]
        for (locale, words) in expected {
            let o = compareTwoQuarters(locale)
            #expect(o.exitCode == 0, "\(o.stderr)")
            let html = try report(o)
            #expect(try headers(html, after: "<h2>\(locale.text("compare.everyone.heading"))</h2>") == words, "\(locale)")
            #expect(html.contains("<html lang=\"\(locale.tag)\" dir=\"\(locale.direction)\">"))
            // No column codes on the page: they are the CSV's.
            for code in ["payee_id", "target_incentive", "change_pct_", "base_paid", "cost_of_sales<"] { #expect(!html.contains(code), "\(locale) \(code)") }
        }
        let zh = try report(compareTwoQuarters(.simplifiedChinese))
        #expect(try headers(zh, after: "<h2>各方案的总成本</h2>") == ["方案", "成本（USD）", "变化", "销售成本率", "占目标奖金比", "提成中位数", "第 10 百分位",
                                                                  "第 90 百分位", "少拿超过 10.00% 的人数"])
    }

    @Test func costByPlanAndPeriodAddsUpToEachPlanSetsCost() throws {
        // The sample company over two quarters: three plans with reps, a manager plan, two periods.
        let o = Commands.compare(plans: ["plans"], data: "sample", periods: ["2026-Q1", "2026-Q2"],
                                 candidates: ["retroactive=plans/candidates/ae-retroactive.plan"], whatIfs: [], scale: nil, lossThreshold: "10%",
                                 reader: InputReader(root: repositoryRoot))
        #expect(o.exitCode == 0, "\(o.stderr)")
        let rows = try #require(o.files.first { $0.path == "compare/plans.csv" }?.text).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows[0] == ["plan", "period", "baseline", "retroactive"])
        #expect(rows.dropFirst().map { $0[0] + " " + $0[1] } == ["AE-2026 2026-Q1", "AE-2026 2026-Q2", "Managers-2026 2026-Q1", "Managers-2026 2026-Q2",
                                                                 "Renewals-2026 2026-Q1", "Renewals-2026 2026-Q2", "SDR-2026 2026-Q1", "SDR-2026 2026-Q2"])
        let summary = try #require(o.files.first { $0.path == "compare/summary.csv" }?.text).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for (column, scenario) in [(2, 1), (3, 2)] {
            let sum = ExactDecimal.total(rows.dropFirst().map { try! ExactDecimal.parse($0[column]).get() })
            #expect(sum.description == summary[scenario][1], "column \(column)")
        }
        #expect(summary[1][1] == "510999.16" && summary[2][1] == "567668.70")
        // The retroactive candidate changes only AE-2026's pay: 320314.04 against 263644.50 over the two quarters.
        let html = try report(o)
        #expect(html.contains("<tr class=\"subtotal\"><td></td><td><bdi>All periods</bdi></td><td class=\"num\"><bdi>263,644.50</bdi></td><td class=\"num\"><bdi>320,314.04</bdi><span class=\"below\"><bdi>+56,669.54</bdi></span></td></tr>"))
        #expect(html.contains("<tr class=\"total\"><td><bdi>Total</bdi></td><td><bdi>All periods</bdi></td><td class=\"num\"><bdi>510,999.16</bdi></td><td class=\"num\"><bdi>567,668.70</bdi><span class=\"below\"><bdi>+56,669.54</bdi></span></td></tr>"))
        let svgs = charts(html)
        let byPlan = try #require(svgs.first { $0.contains("class=\"chart plan-costs\"") })
        #expect(try XMLReader.attributeValues(in: byPlan, element: "rect", attribute: "data-scenario") == Array(repeating: ["baseline", "retroactive"], count: 4).flatMap { $0 })
        #expect(svgs.contains { $0.contains("class=\"chart period-costs\"") })
    }

    @Test func everyBarHasItsNameAndValueAsSVGText() throws {
        let html = try report(compareTwoQuarters(.english, scale: "0.9,1.1"))
        let svgs = charts(html)
        for kind in ["plan-costs", "period-costs", "histogram", "pay-bands", "delta", "sensitivity"] {
            let svg = try #require(svgs.first { $0.contains("class=\"chart \(kind)\"") }, "\(kind)")
            let bars = try XMLReader.attributeValues(in: svg, element: "rect", attribute: "class").count
            let values = try XMLReader.attributeValues(in: svg, element: "text", attribute: "class").filter { $0 == "value" }.count
            #expect(bars > 0 && values == bars, "\(kind): \(bars) bars, \(values) labels")
        }
        // The cost per plan: each plan set's name and cost beside its bar, no hovering needed.
        let byPlan = try #require(svgs.first { $0.contains("class=\"chart plan-costs\"") })
        let labels = texts(byPlan, "text")
        #expect(labels.contains("\u{2068}AE-2026\u{2069}AE-2026"))
        #expect(labels.contains("\u{2068}Current plans\u{2069} \u{2068}14,200.00\u{2069}"))
        #expect(labels.contains("\u{2068}retro\u{2069} \u{2068}26,200.00\u{2069}"))
        #expect(labels.contains("\u{2068}accel10\u{2069} \u{2068}14,800.00\u{2069}"))
        // Each payee's name beside their bar in the change chart: A gains 6,000.00 under retro.
        let delta = try #require(svgs.first { $0.contains("class=\"chart delta\" data-scenario=\"retro\"") })
        let names = texts(delta, "text")
        #expect(names.contains("\u{2068}سارا احمدی\u{2069}سارا احمدی"))
        #expect(names.contains("\u{2068}+6,000.00\u{2069}"))
        #expect(try XMLReader.attributeValues(in: delta, element: "rect", attribute: "data-payee") == ["A", "B", "C"])
    }

    @Test func persianRunsRightToLeftWithPersianDigits() throws {
        let html = try report(compareTwoQuarters(.persian))
        #expect(html.contains("<html lang=\"fa\" dir=\"rtl\">"))
        #expect(html.contains("font: 14px/1.45 Vazirmatn"))
        for svg in charts(html) { #expect(try XMLReader.attributeValues(in: svg, element: "svg", attribute: "direction") == ["rtl"]) }
        // The cost of the baseline, 14,200.00, in Persian digits and separators, isolated in its cell.
        #expect(html.contains("<td class=\"num\"><bdi>۱۴٬۲۰۰٫۰۰</bdi></td>"))
        // A loss is red and keeps its sign before the digits.
        #expect(ComparisonHTML.Cell.number("\u{200E}\u{2212}۶۰۰٫۰۰").html() == "<td class=\"num neg\"><bdi>\u{200E}\u{2212}۶۰۰٫۰۰</bdi></td>")
        // Names and ids are isolated: a Persian name beside a Latin id.
        #expect(html.contains("<td class=\"who\"><span class=\"name\" title=\"سارا احمدی\"><bdi>سارا احمدی</bdi></span><span class=\"id\"><bdi>A</bdi></span></td>"))
        #expect(html.contains("<h1>\u{2068}retro\u{2069}، \u{2068}accel10\u{2069} در مقایسه با طرح‌های فعلی</h1>"))
    }

    @Test func chineseTerminalTableIsAlignedByCells() {
        let rows = [["方案", "成本"], ["现行方案", "8400.00"], ["retro", "14400.00"]]
        #expect(TextTable.render(rows, numeric: [1], locale: .simplifiedChinese) == """
            方案          成本
            现行方案   8400.00
            retro     14400.00

            """)
        #expect(TextTable.cells("欧阳明月") == 8 && TextTable.cells("\u{2068}AE\u{2069}") == 2 && TextTable.cells("Søren") == 5)
        // Under Persian the amounts below the header are isolated, and the isolates take no cell.
        #expect(TextTable.render([["طرح", "هزینه"], ["retro", "14400.00"]], numeric: [1], locale: .persian) == "طرح       هزینه\nretro  \u{2068}14400.00\u{2069}\n")

        let o = Commands.compare(plans: ["plan.plan"], data: ".", periods: ["2026-Q1"], candidates: ["retro=retro.plan"], whatIfs: [], scale: nil,
                                 lossThreshold: "10%", reader: InputReader(root: repositoryRoot + "/golden/compare-locale-zh-Hans"), locale: .simplifiedChinese)
        #expect(o.stdout == """
            2 套方案，期间 2026-Q1：3 名收款人，业绩 240000.00 USD；输入读取 1 次

            方案          成本      变化   变化率  销售成本率  占目标奖金   中位数     P10      P90  少拿超过10.00%人数
            现行方案   8400.00                          3.50%      56.00%  2500.00  800.00  5100.00
            retro     14400.00  +6000.00  +71.43%       6.00%      96.00%  4000.00  800.00  9600.00                   0

            retro 对比 现行方案：0 人少拿超过 10.00%
              增加最多：
              A  李娜      AE-2026  5100.00  →  9600.00  +4500.00  +88.24%
              C  欧阳明月  AE-2026  2500.00  →  4000.00  +1500.00  +60.00%
              无人减少

            """)
    }

    @Test func englishTerminalOutputIsUnchanged() throws {
        let dir = repositoryRoot + "/golden/compare-marginal-vs-retroactive"
        let o = Commands.compare(plans: ["plan.plan"], data: ".", periods: ["2026-Q1"], candidates: ["retro=retro.plan"], whatIfs: ["accel10=accelerator=10%"],
                                 scale: "0.9,1.0,1.1", lossThreshold: "10%", reader: InputReader(root: dir))
        #expect(o.stdout == (try String(contentsOfFile: dir + "/expected/stdout.txt", encoding: .utf8)))
        #expect(o.stdout.contains("scenario      cost    change  change_pct  cost_of_sales  percent_of_target   median     p10      p90  losers_over_10.00%\n"))
        // The close table's header and words, as before.
        #expect(Commands.closeLines([["A", "Rep A", "AE-2026", "10.00", "0.00", "10.00", "USD", "new"]], locale: .english) == """
            payee  name   plan     earned  adjustments   paid  currency  since last dry run
            A      Rep A  AE-2026   10.00         0.00  10.00  USD       new

            """)
        #expect(Commands.closeLines([["A", "李娜", "AE-2026", "10.00", "0.00", "10.00", "USD", "no longer paid (was 5.00)"]], locale: .simplifiedChinese) == """
            收款人  姓名  计划      应得  调整   实发  币种  与上次试算相比
            A       李娜  AE-2026  10.00  0.00  10.00  USD   不再发放（原为 5.00）

            """)
    }
}
